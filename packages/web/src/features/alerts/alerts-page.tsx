import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  Modal,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { ApiProblem, problemMessage } from '../../api/client.ts';
import { useDocumentTitle } from '../../app/use-document-title.ts';
import { usePermissions, useSignedInSession } from '../auth/auth.api.ts';
import { formatInstant } from '../patients/patient-format.ts';
import { type AlertView, alertsApi, useAlerts } from './alerts.api.ts';

const severityColors: Record<AlertView['severity'], string> = {
  critical: 'red',
  high: 'orange',
  moderate: 'yellow',
  low: 'gray',
};
const kindLabels: Record<string, string> = { 'suicide-risk': 'Suicide risk' };

function AcknowledgeDialog({ alert, onClose }: { alert: AlertView | null; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [action, setAction] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  function close() {
    setAction('');
    setFieldError(null);
    setError(null);
    onClose();
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!alert) return;
    if (action.trim().length < 3) {
      setFieldError('Say what you did about this alert.');
      return;
    }
    setPending(true);
    setError(null);
    try {
      await alertsApi.acknowledge(alert.id, action.trim());
      notifications.show({ color: 'green', message: 'Alert acknowledged' });
      await queryClient.invalidateQueries({ queryKey: ['alerts'] });
      close();
    } catch (caught) {
      if (caught instanceof ApiProblem && caught.status === 400)
        setFieldError(caught.fieldMessages().action ?? null);
      setError(problemMessage(caught));
    } finally {
      setPending(false);
    }
  }

  return (
    <Modal opened={alert !== null} onClose={close} title="Acknowledge alert" centered size="lg">
      {alert && (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <Text size="sm">
              <strong>{alert.patient.displayName}</strong> (MRN {alert.patient.mrn}): {alert.summary}
            </Text>
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <Textarea
              label="Action taken"
              description="What you did: for example who contacted the patient, the assessment made, the plan agreed."
              required
              autosize
              minRows={3}
              value={action}
              error={fieldError}
              onChange={(event) => setAction(event.currentTarget.value)}
              data-autofocus
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={pending}>
                Acknowledge
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

function AlertCard({ alert, onAcknowledge }: { alert: AlertView; onAcknowledge?: () => void }) {
  const session = useSignedInSession();
  const timeZone = session.clinic.timeZone;
  return (
    <Card withBorder radius="md" padding="md" component="li" data-testid="alert-card">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={4}>
          <Group gap="xs">
            <Badge color={severityColors[alert.severity]} variant="filled">
              {alert.severity}
            </Badge>
            <Text fw={600}>{kindLabels[alert.kind] ?? alert.kind}</Text>
            <Text size="sm" c="dimmed">
              raised {formatInstant(alert.raisedAt, timeZone)}
            </Text>
          </Group>
          <Anchor component={Link} to={`/patients/${alert.patient.id}?section=measures`} fw={600}>
            {alert.patient.displayName} · MRN {alert.patient.mrn}
          </Anchor>
          <Text size="sm">{alert.summary}</Text>
          <Text size="xs" c="dimmed">
            Owner: {alert.owner ? alert.owner.displayName : 'Unassigned (the care team)'}
          </Text>
          {alert.acknowledgement && (
            <Text size="sm">
              Acknowledged by {alert.acknowledgement.by.displayName},{' '}
              {formatInstant(alert.acknowledgement.at, timeZone)}: {alert.acknowledgement.action}
            </Text>
          )}
        </Stack>
        {onAcknowledge && (
          <Button
            onClick={onAcknowledge}
            aria-label={`Acknowledge alert for ${alert.patient.displayName}`}
            style={{ flexShrink: 0 }}
          >
            Acknowledge
          </Button>
        )}
      </Group>
    </Card>
  );
}

/** Staff: the open risk alerts of the patients whose clinical record the user may open. */
export function AlertsPage() {
  useDocumentTitle('Alerts');
  const can = usePermissions();
  const [status, setStatus] = useState<'open' | 'acknowledged'>('open');
  const [acknowledging, setAcknowledging] = useState<AlertView | null>(null);
  const alerts = useAlerts(status);
  const mayAcknowledge = can('alerts.acknowledge');

  return (
    <Stack gap="md" maw={960}>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Alerts
        </Title>
        <SegmentedControl
          aria-label="Which alerts"
          value={status}
          onChange={(value) => setStatus(value as 'open' | 'acknowledged')}
          data={[
            { value: 'open', label: 'Open' },
            { value: 'acknowledged', label: 'Acknowledged' },
          ]}
        />
      </Group>
      {alerts.isPending && <Loader aria-label="Loading alerts" />}
      {alerts.isError && (
        <Alert color="red" role="alert" title="Alerts could not be loaded">
          {problemMessage(alerts.error)}
        </Alert>
      )}
      {alerts.data && alerts.data.items.length === 0 && (
        <Text c="dimmed">{status === 'open' ? 'No open alerts.' : 'No acknowledged alerts.'}</Text>
      )}
      {alerts.data && alerts.data.items.length > 0 && (
        <Stack gap="sm" component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Alerts">
          {alerts.data.items.map((alert) => (
            <AlertCard
              key={alert.id}
              alert={alert}
              onAcknowledge={
                mayAcknowledge && alert.status === 'open' ? () => setAcknowledging(alert) : undefined
              }
            />
          ))}
        </Stack>
      )}
      <AcknowledgeDialog alert={acknowledging} onClose={() => setAcknowledging(null)} />
    </Stack>
  );
}
