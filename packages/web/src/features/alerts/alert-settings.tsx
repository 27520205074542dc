import {
  Alert,
  Button,
  Group,
  Loader,
  MultiSelect,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiProblem, problemMessage } from '../../api/client.ts';
import { useDocumentTitle } from '../../app/use-document-title.ts';
import { severityList, severityOrder } from './alert-format.ts';
import {
  type AlertSettingsForm,
  type AlertSeverity,
  alertKeys,
  alertsApi,
  type OnCallRole,
  useAlertSettingsForm,
} from './alerts.api.ts';

const roleOptions: { value: OnCallRole; label: string }[] = [
  { value: 'prescriber', label: 'Prescriber' },
  { value: 'nurse', label: 'Nurse' },
  { value: 'therapist', label: 'Therapist' },
];

function SettingsForm({ loaded }: { loaded: AlertSettingsForm }) {
  const queryClient = useQueryClient();
  const [minutes, setMinutes] = useState<Partial<Record<AlertSeverity, number | string>>>(
    loaded.settings.escalateAfterMinutes,
  );
  const [role, setRole] = useState<OnCallRole | null>(loaded.settings.onCallRole);
  const [named, setNamed] = useState<string[]>(loaded.settings.onCallUserIds);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const candidates = loaded.candidates.filter((c) => role !== null && c.roles.includes(role));

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const escalateAfterMinutes: Partial<Record<AlertSeverity, number>> = {};
    for (const severity of severityOrder) {
      const value = minutes[severity];
      if (typeof value === 'number') escalateAfterMinutes[severity] = value;
    }
    setPending(true);
    setError(null);
    setFieldErrors({});
    try {
      await alertsApi.saveSettings({
        escalateAfterMinutes,
        onCallRole: role,
        onCallUserIds: role ? named.filter((id) => candidates.some((c) => c.id === id)) : [],
      });
      notifications.show({ color: 'green', message: 'Escalation settings saved' });
      await queryClient.invalidateQueries({ queryKey: alertKeys.settings });
      await queryClient.invalidateQueries({ queryKey: ['alerts'] });
    } catch (caught) {
      if (caught instanceof ApiProblem && caught.status === 400) setFieldErrors(caught.fieldMessages());
      setError(problemMessage(caught));
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Stack gap={4}>
          <Text fw={600}>Escalate an unacknowledged alert after</Text>
          <Text size="sm" c="dimmed">
            Minutes from when the alert was raised. Leave a severity empty and its alerts never escalate: the
            clinical reference gives no time, so Kapstone sets none for you.
          </Text>
        </Stack>
        <SimpleGrid cols={{ base: 1, xs: 2, sm: 4 }}>
          {severityOrder.map((severity) => (
            <NumberInput
              key={severity}
              label={`${severity[0]!.toUpperCase()}${severity.slice(1)} (minutes)`}
              min={1}
              max={10_080}
              allowDecimal={false}
              value={minutes[severity] ?? ''}
              onChange={(value) =>
                setMinutes((m) => ({ ...m, [severity]: value === '' ? undefined : value }))
              }
              error={fieldErrors[`escalateAfterMinutes.${severity}`]}
            />
          ))}
        </SimpleGrid>
        <Select
          label="On-call role"
          description="Escalated alerts go to this role, even for patients outside their care team (the chart still needs the care team or break-glass)."
          data={roleOptions}
          value={role}
          onChange={(value) => setRole(value as OnCallRole | null)}
          clearable
          placeholder="No on-call role: nothing escalates"
          error={fieldErrors.onCallRole}
        />
        <MultiSelect
          label="Named on-call staff (optional)"
          description="Leave empty to notify everyone active in the role."
          data={candidates.map((c) => ({ value: c.id, label: c.displayName }))}
          value={named.filter((id) => candidates.some((c) => c.id === id))}
          onChange={setNamed}
          disabled={role === null}
          searchable
          error={Object.entries(fieldErrors).find(([path]) => path.startsWith('onCallUserIds'))?.[1]}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={pending}>
            Save escalation settings
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The escalation settings form with what applies now; the Care settings page shows it as its first tab. */
export function AlertSettingsSection() {
  const form = useAlertSettingsForm();
  return (
    <Stack gap="md">
      {form.isPending && <Loader aria-label="Loading the escalation settings" />}
      {form.isError && (
        <Alert color="red" role="alert" title="The settings could not be loaded">
          {problemMessage(form.error)}
        </Alert>
      )}
      {form.data && (
        <>
          {form.data.notConfigured.length > 0 && (
            <Alert color="yellow" title="Escalation not configured" data-testid="escalation-not-configured">
              {form.data.notConfigured.length === 4
                ? 'No alert escalates yet: set an on-call role and a time for each severity that should escalate.'
                : `Unacknowledged ${severityList(form.data.notConfigured)} alerts never escalate.`}
            </Alert>
          )}
          {form.data.settings.onCallRole && (
            <Text size="sm">
              On call now:{' '}
              {form.data.onCall.length > 0
                ? form.data.onCall.map((p) => p.displayName).join(', ')
                : `nobody active holds the ${form.data.settings.onCallRole} role`}
            </Text>
          )}
          <SettingsForm key={JSON.stringify(form.data.settings)} loaded={form.data} />
        </>
      )}
    </Stack>
  );
}

/** Admins: when unacknowledged alerts escalate, and to whom (on its own; the app shows it under Care settings). */
export function AlertSettingsPage() {
  useDocumentTitle('Alert escalation');
  return (
    <Stack gap="md" maw={840}>
      <Title order={1} size="h2">
        Alert escalation
      </Title>
      <AlertSettingsSection />
    </Stack>
  );
}
