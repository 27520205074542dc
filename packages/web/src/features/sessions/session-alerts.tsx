import { Alert, Badge, Button, Group, Modal, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState } from 'react';
import { isProblem, problemMessage } from '../../api/client.ts';
import { usePermissions } from '../auth/auth.api.ts';
import { formatTime } from '../scheduling/calendar-model.ts';
import { useAcknowledgeSessionAlert } from './sessions.api.ts';
import type { SessionAlert, SessionView } from './sessions.types.ts';

/**
 * The session's alerts (a warning or critical reading raises one on the server). An open alert stays at the
 * top of the chair screen until someone acknowledges it with the action taken, which goes in the record.
 */

const severityColors: Record<SessionAlert['severity'], string> = {
  critical: 'red',
  high: 'orange',
  moderate: 'yellow',
  low: 'gray',
};

const severityLabels: Record<SessionAlert['severity'], string> = {
  critical: 'Critical',
  high: 'High',
  moderate: 'Moderate',
  low: 'Low',
};

/** Starting phrases only: the nurse says what was actually done, in their own words. */
const quickActions = [
  'Reading repeated',
  'Prescriber informed',
  'Patient reassured and observed closely',
  'Dosing paused',
];

function AcknowledgeDialog({
  session,
  alert,
  onClose,
}: {
  session: SessionView;
  alert: SessionAlert;
  onClose: () => void;
}) {
  const acknowledge = useAcknowledgeSessionAlert(session.id);
  const [action, setAction] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const text = action.trim();
    if (!text) {
      setError('Say what action was taken.');
      return;
    }
    try {
      await acknowledge.mutateAsync({ alertId: alert.id, action: text });
      onClose();
    } catch (caught) {
      if (isProblem(caught, 400)) setError(caught.fieldMessages().action ?? problemMessage(caught));
    }
  };

  return (
    <Modal opened onClose={onClose} title="Acknowledge the alert" size="lg">
      <form onSubmit={submit} noValidate aria-label="Acknowledge the alert">
        <Stack>
          <Alert color={severityColors[alert.severity]} icon={<IconAlertTriangle aria-hidden />}>
            {alert.summary}
          </Alert>
          <Group gap="xs" role="group" aria-label="Add a common action">
            {quickActions.map((phrase) => (
              <Button
                key={phrase}
                size="md"
                variant="light"
                disabled={action.includes(phrase)}
                onClick={() => {
                  setAction((current) => (current.trim() ? `${current.trim()}; ${phrase}` : phrase));
                  setError(null);
                }}
              >
                {phrase}
              </Button>
            ))}
          </Group>
          <Textarea
            label="Action taken"
            description="Goes in the session record with your name and the time."
            size="lg"
            autosize
            minRows={3}
            value={action}
            error={error}
            onChange={(e) => {
              setAction(e.currentTarget.value);
              setError(null);
            }}
            withAsterisk
            data-autofocus
          />
          {acknowledge.isError && !isProblem(acknowledge.error, 400) && (
            <Alert color="red" role="alert">
              {problemMessage(acknowledge.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button size="lg" variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button size="lg" type="submit" loading={acknowledge.isPending}>
              Acknowledge
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function SessionAlerts({ session, timeZone }: { session: SessionView; timeZone: string }) {
  const can = usePermissions();
  const [acknowledging, setAcknowledging] = useState<SessionAlert | null>(null);
  const open = session.alerts.filter((a) => a.status === 'open');
  const acknowledged = session.alerts.filter((a) => a.status === 'acknowledged');
  if (session.alerts.length === 0) return null;
  // The session's acknowledgement route is under session.monitor (the nurse at the chair).
  const mayAcknowledge = can('session.monitor');

  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      component="section"
      aria-labelledby="session-alerts-heading"
      style={open.length > 0 ? { borderColor: 'var(--mantine-color-red-6)', borderWidth: 2 } : undefined}
    >
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h3" id="session-alerts-heading">
            Alerts
          </Title>
          {open.length > 0 && (
            <Badge color="red" size="lg">
              {open.length} open
            </Badge>
          )}
        </Group>
        {open.map((alert) => (
          <Alert
            key={alert.id}
            color={severityColors[alert.severity]}
            icon={<IconAlertTriangle aria-hidden />}
            title={`${severityLabels[alert.severity]} · ${formatTime(alert.raisedAt, timeZone)}`}
            role="alert"
          >
            <Group justify="space-between" wrap="wrap" gap="sm">
              <Text>{alert.summary}</Text>
              {mayAcknowledge && (
                <Button
                  size="lg"
                  color={severityColors[alert.severity]}
                  onClick={() => setAcknowledging(alert)}
                  aria-label={`Acknowledge: ${alert.summary}`}
                >
                  Acknowledge
                </Button>
              )}
            </Group>
          </Alert>
        ))}
        {acknowledged.length > 0 && (
          <Stack gap={4} aria-label="Acknowledged alerts">
            {acknowledged.map((alert) => (
              <Text key={alert.id} size="sm" c="dimmed">
                {formatTime(alert.raisedAt, timeZone)} · {alert.summary}: acknowledged
                {alert.acknowledgement
                  ? ` by ${alert.acknowledgement.by.displayName} at ${formatTime(alert.acknowledgement.at, timeZone)} (${alert.acknowledgement.action})`
                  : ''}
              </Text>
            ))}
          </Stack>
        )}
      </Stack>
      {acknowledging && (
        <AcknowledgeDialog session={session} alert={acknowledging} onClose={() => setAcknowledging(null)} />
      )}
    </Paper>
  );
}
