import { Alert, Badge, Button, Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { IconFileText, IconPrinter } from '@tabler/icons-react';
import { Link } from 'react-router';
import { problemMessage } from '../../api/client.ts';
import { useDocumentTitle } from '../../app/use-document-title.ts';
import { formatDate } from '../patients/patient-format.ts';
import { type DosingSessionEntry, type IntegrationSessionEntry, useSessionHistory } from './portal.api.ts';
import { clockTime, sessionDay } from './portal-format.ts';

const stateColors: Record<string, string> = { discharged: 'green', aborted: 'gray' };

function DosingSessionCard({ s, timeZone }: { s: DosingSessionEntry; timeZone: string }) {
  const titleId = `dosing-${s.sessionId}`;
  const times: [string, string | null][] = [
    ['Checked in', s.checkedInAt],
    ['Medicine given', s.dosingStartedAt],
    ['Went home', s.dischargedAt],
  ];
  return (
    <Card withBorder radius="md" padding="md" component="li" aria-labelledby={titleId}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Title order={3} size="h5" id={titleId}>
            {sessionDay(s.dosingStartedAt ?? s.checkedInAt, timeZone)}
          </Title>
          <Badge color={stateColors[s.state] ?? 'blue'} variant="light">
            {s.stateLabel}
          </Badge>
        </Group>
        <Text size="sm">
          Ketamine session · {s.routeName}
          {s.roomName ? ` · ${s.roomName}` : ''}
        </Text>
        <Group gap="lg" wrap="wrap">
          {times
            .filter((t): t is [string, string] => t[1] !== null)
            .map(([label, at]) => (
              <Text size="sm" key={label}>
                <Text span c="dimmed">
                  {label}:
                </Text>{' '}
                {clockTime(at, timeZone)}
              </Text>
            ))}
        </Group>
        {s.dischargeInstructions && (
          <Group gap="xs">
            <Button
              component={Link}
              to={s.dischargeInstructions.page}
              variant="light"
              size="md"
              mih={44}
              leftSection={<IconFileText size={18} aria-hidden />}
            >
              Discharge instructions
            </Button>
            <Button
              component="a"
              href={s.dischargeInstructions.pdf}
              target="_blank"
              rel="noopener"
              variant="default"
              size="md"
              mih={44}
              leftSection={<IconPrinter size={18} aria-hidden />}
            >
              PDF
            </Button>
          </Group>
        )}
      </Stack>
    </Card>
  );
}

function IntegrationSessionRow({ s, timeZone }: { s: IntegrationSessionEntry; timeZone: string }) {
  return (
    <Card withBorder radius="md" padding="md" component="li">
      <Text fw={600}>{s.startsAt ? sessionDay(s.startsAt, timeZone) : formatDate(s.date)}</Text>
      <Text size="sm">
        Integration session
        {s.startsAt && s.endsAt
          ? ` · ${clockTime(s.startsAt, timeZone)} – ${clockTime(s.endsAt, timeZone)}`
          : ''}
        {s.roomName ? ` · ${s.roomName}` : ''}
      </Text>
      {s.followsSession && (
        <Text size="sm" c="dimmed">
          After your ketamine session of {formatDate(s.followsSession.date)}
        </Text>
      )}
    </Card>
  );
}

/**
 * "My sessions": the ketamine sessions with their times and a way back to each one's discharge instructions,
 * and the integration sessions attended. Times and states only: what was said stays with the care team.
 */
export function PortalSessionsPage() {
  useDocumentTitle('My sessions');
  const history = useSessionHistory();
  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        My sessions
      </Title>
      {history.isPending && <Loader aria-label="Loading your sessions" />}
      {history.isError && (
        <Alert color="red" role="alert" title="Your sessions could not be loaded">
          {problemMessage(history.error)}
        </Alert>
      )}
      {history.data && (
        <>
          <section aria-labelledby="dosing-history-title">
            <Title order={2} size="h4" id="dosing-history-title" mb="xs">
              Ketamine sessions
            </Title>
            {history.data.dosingSessions.length === 0 ? (
              <Text c="dimmed">No ketamine session yet.</Text>
            ) : (
              <Stack gap="xs" component="ol" p={0} m={0} style={{ listStyle: 'none' }}>
                {history.data.dosingSessions.map((s) => (
                  <DosingSessionCard key={s.sessionId} s={s} timeZone={history.data.timeZone} />
                ))}
              </Stack>
            )}
          </section>
          <section aria-labelledby="integration-history-title">
            <Title order={2} size="h4" id="integration-history-title" mb="xs">
              Integration sessions
            </Title>
            {history.data.integrationSessions.length === 0 ? (
              <Text c="dimmed">No integration session yet.</Text>
            ) : (
              <Stack gap="xs" component="ol" p={0} m={0} style={{ listStyle: 'none' }}>
                {history.data.integrationSessions.map((s) => (
                  <IntegrationSessionRow
                    key={`${s.appointmentId ?? 'documented'}-${s.date}-${s.followsSession?.sessionId ?? ''}`}
                    s={s}
                    timeZone={history.data.timeZone}
                  />
                ))}
              </Stack>
            )}
          </section>
          <Text size="sm" c="dimmed">
            Times are in your clinic’s time zone ({history.data.timeZone}).
          </Text>
          <Group>
            <Button component={Link} to="/portal/appointments" variant="default" size="md">
              Upcoming: your appointments
            </Button>
          </Group>
        </>
      )}
    </Stack>
  );
}
