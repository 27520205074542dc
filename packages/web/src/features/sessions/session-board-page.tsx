import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconAlarm, IconAlertTriangle, IconCloudUpload, IconRefresh } from '@tabler/icons-react';
import { useEffect } from 'react';
import { Link } from 'react-router';
import { problemMessage } from '../../api/client.ts';
import { useDocumentTitle } from '../../app/use-document-title.ts';
import { useSignedInSession } from '../auth/auth.api.ts';
import { formatDay, formatTime } from '../scheduling/calendar-model.ts';
import type { PendingWrite } from './pending-writes.ts';
import { dueToneColors, dueView, elapsedView } from './session-clock.ts';
import { treatmentLabel, vitalsSummary } from './session-format.ts';
import { useRefreshWhenSent } from './session-page.tsx';
import { pendingWrites, usePendingWrites } from './session-queue.ts';
import { useBoard } from './sessions.api.ts';
import { type BoardSession, isFinished, sessionStateColors, sessionStateLabels } from './sessions.types.ts';
import { useNow } from './use-now.ts';
import { levelColors, levelLabels } from './vitals-entry-model.ts';

/**
 * The nurse's board: every chair with a session today, in a stable order (by room, then time) so that cards
 * do not jump under a finger. An overdue reading turns its card red; open alerts and readings still waiting
 * to be sent are on the card. Refreshes every 20 seconds; the clock on it ticks in between.
 */

const alertColors = { critical: 'red', high: 'orange', moderate: 'yellow', low: 'gray' } as const;

function byRoomThenTime(a: BoardSession, b: BoardSession): number {
  const room = (a.roomName ?? '\uffff').localeCompare(b.roomName ?? '\uffff', undefined, { numeric: true });
  return room !== 0 ? room : Date.parse(a.startsAt) - Date.parse(b.startsAt);
}

function SessionCard({
  session,
  now,
  timeZone,
  pending,
}: {
  session: BoardSession;
  now: number;
  timeZone: string;
  pending: readonly PendingWrite[];
}) {
  const elapsed = elapsedView(session, now);
  const waiting = pending.filter((w) => w.status === 'pending');
  const refused = pending.filter((w) => w.status === 'rejected');
  const due = dueView(session.nextReadingDue, now, {
    state: session.state,
    pendingReadings: waiting,
    confirmedReadings: session.latestVitals ? [session.latestVitals] : [],
  });
  const overdue = due.tone === 'overdue';
  const headingId = `board-session-${session.id}`;
  const room = session.roomName ?? 'No room';
  const latest = session.latestVitals;

  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      component="article"
      aria-labelledby={headingId}
      data-overdue={overdue ? 'true' : undefined}
      style={
        overdue
          ? {
              borderColor: 'var(--mantine-color-red-6)',
              borderWidth: 3,
              background: 'var(--mantine-color-red-light)',
            }
          : undefined
      }
    >
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <div>
            <Text size="sm" fw={700} c="dimmed" tt="uppercase">
              {room}
            </Text>
            <Title order={2} size="h3" id={headingId}>
              <Anchor component={Link} to={`/sessions/${encodeURIComponent(session.id)}`} inherit>
                {session.patient.displayName}
              </Anchor>
            </Title>
            <Text size="sm" c="dimmed">
              {treatmentLabel(session.route, session.product)} · booked{' '}
              {formatTime(session.startsAt, timeZone)}
            </Text>
          </div>
          <Badge size="lg" color={sessionStateColors[session.state]} variant="light">
            {sessionStateLabels[session.state]}
          </Badge>
        </Group>

        {elapsed && (
          <Text size="lg">
            {elapsed.label}: <strong>{elapsed.text}</strong>
          </Text>
        )}
        {!isFinished(session.state) && session.state !== 'scheduled' && (
          <Group gap={6} wrap="nowrap" data-testid="next-reading-due" data-tone={due.tone}>
            <IconAlarm size={22} color={`var(--mantine-color-${dueToneColors[due.tone]}-7)`} aria-hidden />
            <Text size="lg" fw={700} c={`${dueToneColors[due.tone]}.8`}>
              {due.text}
            </Text>
          </Group>
        )}

        {latest ? (
          <Group gap="xs" wrap="wrap">
            <Text>
              {vitalsSummary(latest)}{' '}
              <Text span c="dimmed" size="sm">
                at {formatTime(latest.measuredAt, timeZone)}
              </Text>
            </Text>
            {latest.classification && (
              <Badge color={levelColors[latest.classification.level]} variant="light">
                {levelLabels[latest.classification.level]}
              </Badge>
            )}
          </Group>
        ) : (
          session.state !== 'scheduled' && <Text c="dimmed">No vitals yet</Text>
        )}

        <Group gap="xs" wrap="wrap">
          {session.openAlerts > 0 && (
            <Badge
              size="lg"
              color={alertColors[session.worstAlert ?? 'high']}
              variant="filled"
              leftSection={<IconAlertTriangle size={16} aria-hidden />}
            >
              {session.openAlerts === 1 ? '1 open alert' : `${session.openAlerts} open alerts`}
            </Badge>
          )}
          {waiting.length > 0 && (
            <Badge
              size="lg"
              color="yellow"
              variant="light"
              leftSection={<IconCloudUpload size={16} aria-hidden />}
            >
              {waiting.length} waiting to be sent
            </Badge>
          )}
          {refused.length > 0 && (
            <Badge size="lg" color="red" variant="light">
              {refused.length} not recorded: open the session
            </Badge>
          )}
        </Group>

        <Button
          component={Link}
          to={`/sessions/${encodeURIComponent(session.id)}`}
          size="lg"
          variant={overdue || session.openAlerts > 0 ? 'filled' : 'light'}
          color={overdue || session.openAlerts > 0 ? 'red' : 'blue'}
          aria-label={`Open the session of ${session.patient.displayName} (${room})`}
        >
          Open session
        </Button>
      </Stack>
    </Paper>
  );
}

function FinishedToday({ sessions, timeZone }: { sessions: BoardSession[]; timeZone: string }) {
  if (sessions.length === 0) return null;
  return (
    <Stack gap="xs" component="section" aria-labelledby="finished-heading">
      <Title order={2} size="h4" id="finished-heading">
        Finished today
      </Title>
      <Table.ScrollContainer minWidth={480}>
        <Table striped aria-labelledby="finished-heading">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Room</Table.Th>
              <Table.Th>Patient</Table.Th>
              <Table.Th>Booked</Table.Th>
              <Table.Th>Outcome</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sessions.map((s) => (
              <Table.Tr key={s.id}>
                <Table.Td>{s.roomName ?? '—'}</Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`/sessions/${encodeURIComponent(s.id)}`}>
                    {s.patient.displayName}
                  </Anchor>
                </Table.Td>
                <Table.Td>{formatTime(s.startsAt, timeZone)}</Table.Td>
                <Table.Td>{sessionStateLabels[s.state]}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

export function SessionBoardPage() {
  useDocumentTitle('Session board');
  useRefreshWhenSent();
  const signedIn = useSignedInSession();
  const timeZone = signedIn.clinic.timeZone;
  const board = useBoard();
  const now = useNow(5_000);
  const pending = usePendingWrites();
  const items = board.data?.items ?? [];
  const active = items.filter((s) => !isFinished(s.state)).sort(byRoomThenTime);
  const finished = items.filter((s) => isFinished(s.state)).sort(byRoomThenTime);
  const overdue = active.filter(
    (s) => dueView(s.nextReadingDue, now, { state: s.state }).tone === 'overdue',
  ).length;
  const openAlerts = active.reduce((sum, s) => sum + s.openAlerts, 0);

  // Sessions that ended elsewhere: nothing of them stays in this tab.
  const finishedIds = finished.map((s) => s.id).join(',');
  useEffect(() => {
    for (const id of finishedIds ? finishedIds.split(',') : []) pendingWrites().clearSession(id);
  }, [finishedIds]);

  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap">
        <div>
          <Title order={1} size="h2">
            Session board
          </Title>
          <Text c="dimmed">
            {board.data ? formatDay(board.data.date) : 'Today'}
            {board.dataUpdatedAt > 0 &&
              ` · updated ${formatTime(new Date(board.dataUpdatedAt).toISOString(), timeZone)}`}
          </Text>
        </div>
        <Button
          size="lg"
          variant="default"
          // The label stays readable while the board refreshes (every 20 s): only the icon turns.
          leftSection={
            board.isFetching ? <Loader size={18} aria-hidden /> : <IconRefresh size={18} aria-hidden />
          }
          aria-busy={board.isFetching}
          onClick={() => board.refetch()}
        >
          Refresh
        </Button>
      </Group>

      {board.data && (
        <Group gap="sm" role="status" aria-label="Board summary">
          <Badge size="xl" variant="light">
            {active.length} active
          </Badge>
          <Badge size="xl" color={overdue > 0 ? 'red' : 'gray'} variant={overdue > 0 ? 'filled' : 'light'}>
            {overdue} overdue
          </Badge>
          <Badge
            size="xl"
            color={openAlerts > 0 ? 'red' : 'gray'}
            variant={openAlerts > 0 ? 'filled' : 'light'}
          >
            {openAlerts} open {openAlerts === 1 ? 'alert' : 'alerts'}
          </Badge>
        </Group>
      )}

      {board.isError && (
        <Alert color={board.data ? 'yellow' : 'red'} role="alert" title="The board could not be refreshed">
          {problemMessage(board.error)}
          {board.data ? ' Showing the last known state.' : ''}
        </Alert>
      )}
      {board.isPending && <Loader aria-label="Loading the session board" />}
      {board.data && active.length === 0 && (
        <Text c="dimmed">No session is running. Sessions appear here once they are booked for today.</Text>
      )}

      <SimpleGrid cols={{ base: 1, sm: 2, xl: 3 }} spacing="md">
        {active.map((session) => (
          <SessionCard
            key={session.id}
            session={session}
            now={now}
            timeZone={timeZone}
            pending={pending.filter((w) => w.sessionId === session.id)}
          />
        ))}
      </SimpleGrid>

      <FinishedToday sessions={finished} timeZone={timeZone} />
    </Stack>
  );
}
