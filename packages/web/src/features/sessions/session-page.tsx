import { Alert, Anchor, Badge, Button, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { IconAlarm, IconArrowLeft, IconClockHour4 } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link, useParams } from 'react-router';
import { isProblem, problemMessage } from '../../api/client.ts';
import { useDocumentTitle } from '../../app/use-document-title.ts';
import { usePermissions, useSignedInSession } from '../auth/auth.api.ts';
import { SessionIntegrationLink } from '../integration/session-integration-link.tsx';
import { RemsSessionCard } from '../rems/rems-session-card.tsx';
import {
  AdministrationPanel,
  AdverseEventsPanel,
  CheckInPanel,
  DischargePanel,
  PreDosePanel,
  PsychotherapyNotesPanel,
} from './flow/index.ts';
import { AbortSessionForm } from './flow/pre-dose-panel.tsx';
import { ObservationsCard } from './observations-card.tsx';
import { PendingWritesList } from './pending-writes-list.tsx';
import { SessionAlerts } from './session-alerts.tsx';
import { dueToneColors, dueView, elapsedView, scheduleText } from './session-clock.ts';
import { treatmentLabel } from './session-format.ts';
import { onPendingWriteSent, pendingWrites, usePendingWrites } from './session-queue.ts';
import { sessionKeys, sessionOfAnswer, useSessionView } from './sessions.api.ts';
import { isFinished, type SessionView, sessionStateColors, sessionStateLabels } from './sessions.types.ts';
import { useNow } from './use-now.ts';
import { VitalsChart } from './vitals-chart.tsx';
import { VitalsPad } from './vitals-pad.tsx';

/**
 * One chair: who, where, what state, how long, when the next reading is due; then what has to be done now
 * (the flow panels for the state), the vitals pad and observations beside the live chart, and the rest of
 * the record. Laid out for a tablet in either orientation: two columns from 992 px, one below.
 */

/** After the server confirmed a queued reading, the session (its classification, its alert) is re-read. */
export function useRefreshWhenSent() {
  const queryClient = useQueryClient();
  useEffect(
    () =>
      onPendingWriteSent((write, result) => {
        // The answer is the session as it now stands (with the server's classification and any alert).
        const session = sessionOfAnswer(result, write.sessionId);
        if (session) queryClient.setQueryData(sessionKeys.session(write.sessionId), session);
        void queryClient.invalidateQueries({ queryKey: sessionKeys.board });
        if (!session) void queryClient.invalidateQueries({ queryKey: sessionKeys.all });
      }),
    [queryClient],
  );
}

/** Asks before the tab is closed or reloaded away while readings are still only on this tablet. */
function useWarnBeforeLeaving(waiting: number) {
  useEffect(() => {
    if (waiting === 0) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [waiting]);
}

function SessionHeader({ session, now }: { session: SessionView; now: number }) {
  const pending = usePendingWrites(session.id);
  const elapsed = elapsedView(session, now);
  const due = dueView(session.nextReadingDue, now, {
    state: session.state,
    pendingReadings: pending.filter((w) => w.status === 'pending'),
    confirmedReadings: session.vitals,
  });
  const monitoring = !isFinished(session.state) && session.state !== 'scheduled';

  return (
    <Paper withBorder radius="md" p="md" component="header">
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Anchor component={Link} to="/sessions" size="lg">
            <Group gap={4} wrap="nowrap">
              <IconArrowLeft size={18} aria-hidden />
              Session board
            </Group>
          </Anchor>
          <Badge
            size="xl"
            color={sessionStateColors[session.state]}
            variant="filled"
            aria-label={`State: ${sessionStateLabels[session.state]}`}
          >
            {sessionStateLabels[session.state]}
          </Badge>
        </Group>
        <Group justify="space-between" wrap="wrap" align="flex-end" gap="xs">
          <div>
            <Title order={1} size="h2">
              {session.patient.displayName}
            </Title>
            <Text c="dimmed">
              {session.appointment.roomName ?? 'No room'} · {treatmentLabel(session.route, session.product)} ·
              MRN {session.patient.mrn}
            </Text>
            <SessionIntegrationLink session={session} />
          </div>
          {monitoring && (
            <Group gap="lg" wrap="wrap">
              {elapsed && (
                <Group gap={6} wrap="nowrap" aria-label={`${elapsed.label}: ${elapsed.text}`}>
                  <IconClockHour4 size={26} aria-hidden />
                  <div>
                    <Text size="xs" c="dimmed" lh={1}>
                      {elapsed.label}
                    </Text>
                    <Text size="xl" fw={700} lh={1.2}>
                      {elapsed.text}
                    </Text>
                  </div>
                </Group>
              )}
              <Group
                gap={6}
                wrap="nowrap"
                data-testid="next-reading-due"
                data-tone={due.tone}
                role="status"
                aria-label={due.text}
              >
                <IconAlarm
                  size={26}
                  color={`var(--mantine-color-${dueToneColors[due.tone]}-7)`}
                  aria-hidden
                />
                <Text size="xl" fw={700} c={`${dueToneColors[due.tone]}.8`}>
                  {due.text}
                </Text>
              </Group>
            </Group>
          )}
        </Group>
        {monitoring && scheduleText(session.observationPlan) && (
          <Text size="sm" c="dimmed" data-testid="reading-schedule">
            {scheduleText(session.observationPlan)}
          </Text>
        )}
        {session.state === 'aborted' && session.abortReason && <Text>Stopped: {session.abortReason}</Text>}
      </Stack>
    </Paper>
  );
}

function MonitoringGrid({ session, now, timeZone }: { session: SessionView; now: number; timeZone: string }) {
  const can = usePermissions();
  const pending = usePendingWrites(session.id);
  const recording = !isFinished(session.state) && session.state !== 'scheduled' && can('session.monitor');
  const chart = <VitalsChart session={session} pending={pending} now={now} timeZone={timeZone} />;
  if (!recording) return chart;
  // The pad first (the most frequent task at the chair), then the chart, then the observations.
  return (
    <Stack gap="md">
      <VitalsPad session={session} />
      {chart}
      <ObservationsCard session={session} timeZone={timeZone} now={now} />
    </Stack>
  );
}

function StopSession({ session }: { session: SessionView }) {
  const can = usePermissions();
  // Before the dose the pre-dose panel offers it; at other states it sits at the foot of the page.
  if (session.state === 'checked-in' || isFinished(session.state)) return null;
  if (!can('session.monitor') || !(session.allowedActions ?? []).includes('abort')) return null;
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label="Stop the session">
      <AbortSessionForm session={session} />
    </Paper>
  );
}

function ChairScreen({ session }: { session: SessionView }) {
  const signedIn = useSignedInSession();
  const timeZone = signedIn.clinic.timeZone;
  const now = useNow(5_000);
  const pending = usePendingWrites(session.id);
  const finished = isFinished(session.state);
  useWarnBeforeLeaving(pending.filter((w) => w.status === 'pending').length);

  // The session is over: nothing of it stays in this tab's storage.
  useEffect(() => {
    if (finished) pendingWrites().clearSession(session.id);
  }, [finished, session.id]);

  const grid = <MonitoringGrid session={session} now={now} timeZone={timeZone} />;
  const state = session.state;

  return (
    <Stack gap="md">
      <SessionHeader session={session} now={now} />
      <PendingWritesList writes={pending} timeZone={timeZone} />
      <SessionAlerts session={session} timeZone={timeZone} />
      {state === 'scheduled' && <CheckInPanel session={session} />}
      {state === 'checked-in' && (
        <>
          {grid}
          <PreDosePanel session={session} />
          <CheckInPanel session={session} />
        </>
      )}
      {(state === 'cleared-to-dose' || state === 'dosing') && (
        <>
          <AdministrationPanel session={session} />
          {grid}
          <PreDosePanel session={session} />
        </>
      )}
      {state === 'monitoring' && (
        <>
          {grid}
          <DischargePanel session={session} />
          <RemsSessionCard session={session} />
          <AdministrationPanel session={session} />
        </>
      )}
      {finished && (
        <>
          <DischargePanel session={session} />
          <RemsSessionCard session={session} />
          {grid}
          <AdministrationPanel session={session} />
        </>
      )}
      {state !== 'scheduled' && <AdverseEventsPanel session={session} />}
      {state !== 'scheduled' && <PsychotherapyNotesPanel session={session} />}
      <StopSession session={session} />
    </Stack>
  );
}

export function SessionPage() {
  useDocumentTitle('Dosing session');
  useRefreshWhenSent();
  const { sessionId = '' } = useParams();
  const query = useSessionView(sessionId);

  if (query.isPending) return <Loader aria-label="Loading the session" />;
  if (query.isError && !query.data) {
    return (
      <Stack maw={640}>
        <Alert
          color={isProblem(query.error, 404) ? 'gray' : 'red'}
          role="alert"
          title="Session not available"
        >
          {isProblem(query.error, 404)
            ? 'There is no such session in this clinic.'
            : problemMessage(query.error)}
        </Alert>
        <Group>
          <Button component={Link} to="/sessions" variant="default" size="lg">
            Back to the board
          </Button>
          {!isProblem(query.error, 404) && (
            <Button size="lg" onClick={() => query.refetch()}>
              Try again
            </Button>
          )}
        </Group>
      </Stack>
    );
  }
  return (
    <Stack gap="xs">
      {query.isError && (
        <Alert color="yellow" role="status" title="Showing the last known state">
          The session could not be refreshed ({problemMessage(query.error)}). Readings you record are kept on
          this tablet and sent when the connection returns.
        </Alert>
      )}
      <ChairScreen session={query.data} />
    </Stack>
  );
}
