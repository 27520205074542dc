import { Alert, Badge, Button, Card, Group, List, Loader, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { problemMessage } from '../../api/client.ts';
import { useDocumentTitle } from '../../app/use-document-title.ts';
import { type MyAppointment, useAcknowledgeNoDriving, useMyAppointments } from './scheduling.api.ts';

function when(a: MyAppointment, timeZone: string): string {
  const day = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'long',
    month: 'long',
    day: 'numeric',
  }).format(new Date(a.startsAt));
  const time = (instant: string) =>
    new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: '2-digit' }).format(
      new Date(instant),
    );
  return `${day}, ${time(a.startsAt)} – ${time(a.endsAt)}`;
}

function AppointmentCard({
  a,
  timeZone,
  statement,
}: {
  a: MyAppointment;
  timeZone: string;
  statement: string;
}) {
  const acknowledge = useAcknowledgeNoDriving();
  const titleId = `appointment-${a.id}`;
  return (
    <Card withBorder radius="md" padding="lg" component="article" aria-labelledby={titleId}>
      <Stack gap="sm">
        <Title order={2} size="h4" id={titleId}>
          {a.title}
        </Title>
        <Text>{when(a, timeZone)}</Text>
        {a.roomName && <Text c="dimmed">Room: {a.roomName}</Text>}
        {a.preparation && (
          <Stack gap="xs">
            <Text fw={600}>Before your session</Text>
            <List spacing="xs">
              <List.Item>{a.preparation.fasting}</List.Item>
              <List.Item>{a.preparation.rideHome}</List.Item>
              <List.Item>{a.preparation.noDriving}</List.Item>
            </List>
            {a.noDrivingAcknowledged ? (
              <Badge color="green" variant="light" size="lg" w="fit-content">
                You have agreed not to drive after this session
              </Badge>
            ) : (
              <Stack gap="xs">
                <Text size="sm">{statement}</Text>
                <Button
                  size="lg"
                  onClick={() => acknowledge.mutate(a.id)}
                  loading={acknowledge.isPending}
                  w={{ base: '100%', sm: 'auto' }}
                >
                  I will not drive after this session
                </Button>
                {acknowledge.isError && (
                  <Alert color="red" role="alert">
                    {problemMessage(acknowledge.error)}
                  </Alert>
                )}
              </Stack>
            )}
          </Stack>
        )}
      </Stack>
    </Card>
  );
}

/** The portal's "Your appointments": upcoming sessions with what to do before each. */
export function PortalAppointmentsPage() {
  useDocumentTitle('Your appointments');
  const mine = useMyAppointments();
  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        Your appointments
      </Title>
      {mine.isPending && <Loader aria-label="Loading your appointments" />}
      {mine.isError && (
        <Alert color="red" role="alert" title="Your appointments could not be loaded">
          {problemMessage(mine.error)}
        </Alert>
      )}
      {mine.data && mine.data.items.length === 0 && (
        <Text>You have no upcoming appointments. Your clinic will book them with you.</Text>
      )}
      {mine.data?.items.map((a) => (
        <AppointmentCard
          key={a.id}
          a={a}
          timeZone={mine.data.timeZone}
          statement={mine.data.noDrivingStatement}
        />
      ))}
      {mine.data && mine.data.items.length > 0 && (
        <Text size="sm" c="dimmed">
          Times are shown in your clinic’s time zone ({mine.data.timeZone}). To change an appointment, call{' '}
          {mine.data.clinicName}.
        </Text>
      )}
    </Stack>
  );
}

/** The portal home's card: the next appointment and whether something is needed from the patient. */
export function PortalAppointmentsCard() {
  const mine = useMyAppointments();
  const next = mine.data?.items[0] ?? null;
  const needsAck = mine.data?.items.filter((a) => a.noDrivingAcknowledged === false).length ?? 0;
  let summary = 'Your upcoming sessions will appear here once your clinic books them.';
  if (mine.isError) summary = 'Your appointments could not be loaded just now.';
  else if (next && mine.data) summary = `Next: ${next.title}, ${when(next, mine.data.timeZone)}.`;
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="appointments-card-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="appointments-card-title">
          Appointments
        </Title>
        <Text>{summary}</Text>
        {needsAck > 0 && (
          <Text fw={600}>
            {needsAck === 1
              ? 'One ketamine session needs your no-driving agreement.'
              : `${needsAck} ketamine sessions need your no-driving agreement.`}
          </Text>
        )}
        <Group>
          <Button component={Link} to="/portal/appointments" size="md">
            Your appointments
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
