import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { problemMessage } from '../../api/client.ts';
import type { BreakGlassGrantIssued } from '../../api/types.ts';
import { patientKeys, patientsApi } from './patients.api.ts';

/** The server's rule (docs/api-contract.md): a reason of at least 10 characters. */
export const minimumReasonLength = 10;

export const breakGlassKey = (patientId: string) => ['patients', 'break-glass', patientId] as const;

interface BreakGlassDialogProps {
  patientId: string;
  /** The name from the search list, when known; the chart itself is not readable yet. */
  patientName: string | null;
  onCancel: () => void;
}

/**
 * Emergency access to a chart outside the person's care team (HIPAA 45 CFR 164.312(a)(2)(ii), emergency
 * access procedure): a stated reason, a time limit, an audit event and an alert to the clinic's admins.
 */
export function BreakGlassDialog({ patientId, patientName, onCancel }: BreakGlassDialogProps) {
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const tooShort = reason.trim().length < minimumReasonLength;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (tooShort) {
      setError(`Give a reason of at least ${minimumReasonLength} characters.`);
      return;
    }
    setPending(true);
    setError(null);
    try {
      const grant = await patientsApi.breakGlass(patientId, reason.trim());
      queryClient.setQueryData<BreakGlassGrantIssued>(breakGlassKey(patientId), grant);
      await queryClient.invalidateQueries({ queryKey: patientKeys.chart(patientId) });
    } catch (caught) {
      setError(problemMessage(caught));
    } finally {
      setPending(false);
    }
  }

  return (
    <Modal
      opened
      onClose={onCancel}
      title="Emergency access (break-glass)"
      closeOnClickOutside={false}
      centered
      size="lg"
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Alert color="orange" icon={<IconAlertTriangle aria-hidden />}>
            {patientName ? <strong>{patientName}</strong> : 'This patient'} is outside your care team. You can
            open the chart for a limited time if care requires it. Your reason, the time and everything you
            view are recorded in the audit trail, and your clinic’s administrators are told.
          </Alert>
          <Textarea
            label="Reason for access"
            description={`Required, at least ${minimumReasonLength} characters`}
            required
            autosize
            minRows={3}
            maxLength={1000}
            value={reason}
            error={error}
            onChange={(event) => setReason(event.currentTarget.value)}
            data-autofocus
          />
          <Text size="xs" c="dimmed">
            {reason.trim().length} / {minimumReasonLength} characters minimum
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
            <Button type="submit" color="orange" loading={pending}>
              Open chart with emergency access
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
