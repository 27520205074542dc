import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  List,
  Loader,
  Modal,
  Select,
  Stack,
  Tabs,
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
import { useBookableStaff } from '../scheduling/scheduling.api.ts';
import { useNow } from '../sessions/use-now.ts';
import { ageText, escalationText, eventText, kindLabel, severityList } from './alert-format.ts';
import {
  type AlertScope,
  type AlertView,
  alertsApi,
  useAlert,
  useAlertPages,
  useAlertSettings,
} from './alerts.api.ts';

const severityColors: Record<AlertView['severity'], string> = {
  critical: 'red',
  high: 'orange',
  moderate: 'yellow',
  low: 'gray',
};

export type AlertTab = 'mine' | 'unassigned' | 'escalated' | 'all' | 'acknowledged';
const tabs: { value: AlertTab; label: string; empty: string }[] = [
  { value: 'mine', label: 'Mine', empty: 'No open alerts are yours or escalated to you.' },
  { value: 'unassigned', label: 'Unassigned', empty: 'No open alerts without an owner.' },
  { value: 'escalated', label: 'Escalated', empty: 'No open escalated alerts.' },
  { value: 'all', label: 'All open', empty: 'No open alerts.' },
  { value: 'acknowledged', label: 'Acknowledged', empty: 'No acknowledged alerts.' },
];

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

const clinicalRoles = ['prescriber', 'nurse', 'therapist'];

/** Hands an open alert to another prescriber, nurse or therapist, with the reason (kept in the trail). */
export function ReassignDialog({ alert, onClose }: { alert: AlertView | null; onClose: () => void }) {
  const queryClient = useQueryClient();
  const staff = useBookableStaff();
  const [toUserId, setToUserId] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const options = (staff.data?.items ?? [])
    .filter((s) => s.id !== alert?.owner?.id && s.roles.some((r) => clinicalRoles.includes(r)))
    .map((s) => ({
      value: s.id,
      label: `${s.displayName} (${s.roles.filter((r) => clinicalRoles.includes(r)).join(', ')})`,
    }));

  function close() {
    setToUserId(null);
    setReason('');
    setFieldErrors({});
    setError(null);
    onClose();
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!alert) return;
    const problems: Record<string, string> = {};
    if (!toUserId) problems.toUserId = 'Choose who takes this alert.';
    if (reason.trim().length < 3) problems.reason = 'Say why it goes to them.';
    setFieldErrors(problems);
    if (!toUserId || Object.keys(problems).length > 0) return;
    setPending(true);
    setError(null);
    try {
      const updated = await alertsApi.reassign(alert.id, toUserId, reason.trim());
      notifications.show({
        color: 'green',
        message: `Alert reassigned to ${updated.owner?.displayName ?? ''}`,
      });
      await queryClient.invalidateQueries({ queryKey: ['alerts'] });
      close();
    } catch (caught) {
      if (caught instanceof ApiProblem && caught.status === 400) setFieldErrors(caught.fieldMessages());
      setError(problemMessage(caught));
    } finally {
      setPending(false);
    }
  }

  return (
    <Modal opened={alert !== null} onClose={close} title="Reassign alert" centered size="lg">
      {alert && (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <Text size="sm">
              <strong>{alert.patient.displayName}</strong> (MRN {alert.patient.mrn}): {kindLabel(alert.kind)}.
              Now with {alert.owner ? alert.owner.displayName : 'the care team (unassigned)'}.
            </Text>
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <Select
              label="New owner"
              description="A prescriber, nurse or therapist who can open this patient’s chart."
              placeholder={staff.isPending ? 'Loading staff…' : 'Choose a clinician'}
              data={options}
              value={toUserId}
              onChange={setToUserId}
              searchable
              required
              error={fieldErrors.toUserId}
              data-autofocus
            />
            <Textarea
              label="Reason"
              description="Why it goes to them, for the alert’s trail: for example “on leave this week”."
              required
              autosize
              minRows={2}
              value={reason}
              error={fieldErrors.reason}
              onChange={(event) => setReason(event.currentTarget.value)}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={pending}>
                Reassign
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

/** The alert's trail: raised, routed, escalated, reassigned, acknowledged, oldest first. */
export function AlertTrail({ alertId }: { alertId: string }) {
  const session = useSignedInSession();
  const detail = useAlert(alertId);
  if (detail.isPending) return <Loader size="sm" aria-label="Loading the alert’s trail" />;
  if (detail.isError)
    return (
      <Text size="sm" c="red" role="alert">
        {problemMessage(detail.error)}
      </Text>
    );
  return (
    <List size="sm" spacing={4} aria-label="Alert trail">
      {detail.data.events.map((event, index) => (
        // The trail is append-only and ordered: the position is a stable key.
        // biome-ignore lint/suspicious/noArrayIndexKey: events have no id of their own in the view
        <List.Item key={index}>
          <Text span size="sm" c="dimmed">
            {formatInstant(event.at, session.clinic.timeZone)}
          </Text>{' '}
          {eventText(event)}
        </List.Item>
      ))}
    </List>
  );
}

export function AlertCard({
  alert,
  now,
  onAcknowledge,
  onReassign,
}: {
  alert: AlertView;
  now: Date;
  onAcknowledge?: () => void;
  onReassign?: () => void;
}) {
  const session = useSignedInSession();
  const timeZone = session.clinic.timeZone;
  const [trailOpen, setTrailOpen] = useState(false);
  const escalated = alert.escalation.state === 'escalated';
  return (
    <Card withBorder radius="md" padding="md" component="li" data-testid="alert-card">
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Stack gap={4} style={{ flex: '1 1 20rem' }}>
          <Group gap="xs">
            <Badge color={severityColors[alert.severity]} variant="filled">
              {alert.severity}
            </Badge>
            <Text fw={600}>{kindLabel(alert.kind)}</Text>
            <Text size="sm" c="dimmed" title={formatInstant(alert.raisedAt, timeZone)}>
              {ageText(alert.raisedAt, now)}
            </Text>
            {escalated && (
              <Badge color="red" variant="light">
                Escalated
              </Badge>
            )}
          </Group>
          <Anchor component={Link} to={`/patients/${alert.patient.id}?section=measures`} fw={600}>
            {alert.patient.displayName} · MRN {alert.patient.mrn}
          </Anchor>
          <Text size="sm">{alert.summary}</Text>
          <Text size="xs" c="dimmed">
            Owner: {alert.owner ? alert.owner.displayName : 'Unassigned (the care team)'} ·{' '}
            <span data-testid="escalation">{escalationText(alert.escalation, now)}</span>
          </Text>
          {alert.acknowledgement && (
            <Text size="sm">
              Acknowledged by {alert.acknowledgement.by.displayName},{' '}
              {formatInstant(alert.acknowledgement.at, timeZone)}: {alert.acknowledgement.action}
            </Text>
          )}
          {trailOpen && <AlertTrail alertId={alert.id} />}
        </Stack>
        <Group gap="xs" style={{ flexShrink: 0 }}>
          <Button
            variant="subtle"
            onClick={() => setTrailOpen((open) => !open)}
            aria-expanded={trailOpen}
            aria-label={`${trailOpen ? 'Hide' : 'Show'} the trail of the alert for ${alert.patient.displayName}`}
          >
            {trailOpen ? 'Hide trail' : 'Trail'}
          </Button>
          {onReassign && (
            <Button
              variant="default"
              onClick={onReassign}
              aria-label={`Reassign alert for ${alert.patient.displayName}`}
            >
              Reassign
            </Button>
          )}
          {onAcknowledge && (
            <Button onClick={onAcknowledge} aria-label={`Acknowledge alert for ${alert.patient.displayName}`}>
              Acknowledge
            </Button>
          )}
        </Group>
      </Group>
    </Card>
  );
}

/**
 * Says which severities never escalate because the clinic has set no time for them (the reference gives no
 * number, so there is no default), and where admins set them.
 */
export function EscalationNotice({ admin }: { admin: boolean }) {
  const settings = useAlertSettings();
  const missing = settings.data?.notConfigured ?? [];
  if (missing.length === 0) return null;
  const all = missing.length === 4;
  return (
    <Alert color="yellow" title="Escalation not configured" data-testid="escalation-not-configured">
      {all
        ? 'Unacknowledged alerts never escalate to an on-call clinician: the clinic has not set escalation times or an on-call role.'
        : `Unacknowledged ${severityList(missing)} alerts never escalate: the clinic has set no escalation time for them.`}{' '}
      {admin ? (
        <Anchor component={Link} to="/care-settings/alerts">
          Set escalation
        </Anchor>
      ) : (
        'An admin sets them under Alert escalation.'
      )}
    </Alert>
  );
}

/** Staff: the alerts inbox (mine, unassigned, escalated, all open, acknowledged). */
export function AlertsPage({ initialTab = 'mine' }: { initialTab?: AlertTab }) {
  useDocumentTitle('Alerts');
  const can = usePermissions();
  const now = new Date(useNow(30_000));
  const [tab, setTab] = useState<AlertTab>(initialTab);
  const [acknowledging, setAcknowledging] = useState<AlertView | null>(null);
  const [reassigning, setReassigning] = useState<AlertView | null>(null);
  const status = tab === 'acknowledged' ? 'acknowledged' : 'open';
  const scope: AlertScope = tab === 'acknowledged' ? 'all' : tab;
  const alerts = useAlertPages(status, scope);
  const items = alerts.data?.pages.flatMap((page) => page.items) ?? [];
  const mayAcknowledge = can('alerts.acknowledge');
  const current = tabs.find((t) => t.value === tab)!;

  return (
    <Stack gap="md" maw={960}>
      <Title order={1} size="h2">
        Alerts
      </Title>
      <EscalationNotice admin={can('care.settings.manage')} />
      <Tabs value={tab} onChange={(value) => value && setTab(value as AlertTab)} keepMounted={false}>
        <Tabs.List aria-label="Which alerts">
          {tabs.map((t) => (
            <Tabs.Tab key={t.value} value={t.value}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      {alerts.isPending && <Loader aria-label="Loading alerts" />}
      {alerts.isError && (
        <Alert color="red" role="alert" title="Alerts could not be loaded">
          {problemMessage(alerts.error)}
        </Alert>
      )}
      {alerts.data && items.length === 0 && <Text c="dimmed">{current.empty}</Text>}
      {items.length > 0 && (
        <Stack gap="sm" component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Alerts">
          {items.map((alert) => (
            <AlertCard
              key={alert.id}
              alert={alert}
              now={now}
              onAcknowledge={
                mayAcknowledge && alert.status === 'open' ? () => setAcknowledging(alert) : undefined
              }
              onReassign={mayAcknowledge && alert.status === 'open' ? () => setReassigning(alert) : undefined}
            />
          ))}
        </Stack>
      )}
      {alerts.hasNextPage && (
        <Button
          variant="default"
          onClick={() => void alerts.fetchNextPage()}
          loading={alerts.isFetchingNextPage}
          style={{ alignSelf: 'flex-start' }}
        >
          Show more alerts
        </Button>
      )}
      <AcknowledgeDialog alert={acknowledging} onClose={() => setAcknowledging(null)} />
      <ReassignDialog alert={reassigning} onClose={() => setReassigning(null)} />
    </Stack>
  );
}
