import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { ApiProblem, problemMessage } from '../../api/client.ts';
import { clientId } from '../../api/client-id.ts';
import { usePermissions, useSignedInSession } from '../auth/auth.api.ts';
import { formatInstant } from '../patients/patient-format.ts';
import { useRecordVitals, useVitals, type VitalSignsReading } from './screening.api.ts';
import { emptyVitalsForm, toVitalsSubmission, type VitalsFormValues } from './vitals-form-model.ts';

const levelColors = { normal: 'green', warning: 'yellow', critical: 'red' } as const;
const statusLabels: Record<VitalSignsReading['status'], string> = {
  current: 'Current',
  superseded: 'Corrected',
  'entered-in-error': 'Entered in error',
  retraction: 'Retraction',
};

const inputs: { field: keyof VitalsFormValues; label: string; unit: string; decimal?: boolean }[] = [
  { field: 'systolic', label: 'Systolic BP', unit: 'mmHg' },
  { field: 'diastolic', label: 'Diastolic BP', unit: 'mmHg' },
  { field: 'heartRate', label: 'Heart rate', unit: 'beats/min' },
  { field: 'spo2', label: 'SpO₂', unit: '%' },
  { field: 'weightKg', label: 'Weight', unit: 'kg', decimal: true },
  { field: 'heightCm', label: 'Height', unit: 'cm', decimal: true },
];

function VitalsForm({
  patientId,
  correcting,
  onDone,
}: {
  patientId: string;
  /** The reading this entry corrects (it stays in the record, marked corrected). */
  correcting?: VitalSignsReading;
  onDone?: () => void;
}) {
  const session = useSignedInSession();
  const record = useRecordVitals(patientId);
  const [reason, setReason] = useState('');
  const [values, setValues] = useState<VitalsFormValues>(() => emptyVitalsForm());
  // One id per attempt: a retry after a lost answer is the same reading, not a second one.
  const [attemptId, setAttemptId] = useState(clientId);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setProblem(null);
    const { submission, errors: local } = toVitalsSubmission(values, attemptId);
    if (correcting && reason.trim().length < 3) local.correctionReason = 'Say why the reading is corrected.';
    setErrors(local);
    if (!submission || Object.keys(local).length > 0) return;
    try {
      await record.mutateAsync(
        correcting
          ? { ...submission, supersedesId: correcting.id, correctionReason: reason.trim() }
          : submission,
      );
      notifications.show({
        color: 'green',
        message: correcting ? 'Correction recorded.' : 'Vital signs recorded.',
      });
      setValues(emptyVitalsForm());
      setReason('');
      setAttemptId(clientId());
      onDone?.();
    } catch (caught) {
      if (caught instanceof ApiProblem && caught.status === 400) setErrors(caught.fieldMessages());
      setProblem(problemMessage(caught));
    }
  }

  return (
    <form onSubmit={submit} aria-label={correcting ? 'Correct a reading' : 'Record vital signs'} noValidate>
      <Stack gap="sm">
        <Title order={3} size="h5">
          {correcting ? 'Correct a reading' : 'Record vital signs'}
        </Title>
        {correcting && (
          <Text size="sm">
            Correcting the reading of {formatInstant(correcting.measuredAt, session.clinic.timeZone)}: enter
            the right values; the original stays in the record, marked corrected.
          </Text>
        )}
        {problem && (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        )}
        <TextInput
          type="datetime-local"
          label="Measured at"
          description="In this device’s time zone."
          value={values.measuredAt}
          onChange={(e) => setValues({ ...values, measuredAt: e.currentTarget.value })}
          error={errors.measuredAt}
          maw={260}
        />
        <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }}>
          {inputs.map(({ field, label, unit, decimal }) => (
            <TextInput
              key={field}
              label={`${label} (${unit})`}
              inputMode={decimal ? 'decimal' : 'numeric'}
              value={values[field]}
              onChange={(e) => setValues({ ...values, [field]: e.currentTarget.value })}
              error={errors[field]}
            />
          ))}
        </SimpleGrid>
        {correcting && (
          <Textarea
            label="Reason for the correction"
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={errors.correctionReason}
            autosize
            minRows={2}
            withAsterisk
          />
        )}
        <Group>
          <Button type="submit" loading={record.isPending}>
            {correcting ? 'Record correction' : 'Record vital signs'}
          </Button>
          {correcting && (
            <Button variant="subtle" onClick={onDone}>
              Cancel the correction
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}

function EnteredInErrorDialog({
  patientId,
  reading,
  onClose,
}: {
  patientId: string;
  reading: VitalSignsReading;
  onClose: () => void;
}) {
  const session = useSignedInSession();
  const record = useRecordVitals(patientId);
  const [reason, setReason] = useState('');
  const [attemptId] = useState(clientId);
  const [error, setError] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  async function confirm() {
    setProblem(null);
    if (reason.trim().length < 3) {
      setError('Say why the reading was entered in error (for example “wrong patient”).');
      return;
    }
    try {
      await record.mutateAsync({
        id: attemptId,
        measuredAt: new Date().toISOString(),
        supersedesId: reading.id,
        correctionReason: reason.trim(),
        enteredInError: true,
      });
      notifications.show({ color: 'green', message: 'The reading is marked entered in error.' });
      onClose();
    } catch (caught) {
      if (caught instanceof ApiProblem && caught.status === 400)
        setError(caught.fieldMessages().correctionReason ?? null);
      setProblem(problemMessage(caught));
    }
  }

  return (
    <Modal opened onClose={onClose} title="Mark the reading entered in error">
      <Stack gap="sm">
        <Text size="sm">
          The reading of {formatInstant(reading.measuredAt, session.clinic.timeZone)} stays in the record,
          marked entered in error; it no longer counts for the screening.
        </Text>
        {problem && (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        )}
        <Textarea
          label="Reason"
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={error}
          autosize
          minRows={2}
          withAsterisk
          data-autofocus
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color="red" onClick={confirm} loading={record.isPending}>
            Mark entered in error
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function value(reading: VitalSignsReading, field: keyof VitalSignsReading): string {
  const v = reading[field];
  return v === null || v === undefined ? '—' : String(v);
}

/** Screening vitals: what was measured, by whom and when, with the corrections, and the nurse's entry form. */
export function VitalsSection({ patientId }: { patientId: string }) {
  const session = useSignedInSession();
  const can = usePermissions();
  const vitals = useVitals(patientId);
  const [correcting, setCorrecting] = useState<VitalSignsReading | null>(null);
  const [retracting, setRetracting] = useState<VitalSignsReading | null>(null);
  const mayRecord = can('vitals.record');
  const byId = new Map((vitals.data?.items ?? []).map((r) => [r.id, r]));
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="vitals-heading">
      <Stack gap="md">
        <Title order={2} size="h4" id="vitals-heading">
          Vital signs
        </Title>
        {vitals.isError && (
          <Alert color="red" role="alert">
            {problemMessage(vitals.error)}
          </Alert>
        )}
        {vitals.data && vitals.data.items.length === 0 && (
          <Text c="dimmed">No vital signs recorded yet.</Text>
        )}
        {vitals.data && vitals.data.items.length > 0 && (
          <Table.ScrollContainer minWidth={720}>
            <Table striped aria-label="Vital signs readings">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Measured</Table.Th>
                  <Table.Th>BP (mmHg)</Table.Th>
                  <Table.Th>HR</Table.Th>
                  <Table.Th>SpO₂</Table.Th>
                  <Table.Th>Weight (kg)</Table.Th>
                  <Table.Th>Height (cm)</Table.Th>
                  <Table.Th>Reading</Table.Th>
                  <Table.Th>Recorded by</Table.Th>
                  {mayRecord && <Table.Th>Actions</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {vitals.data.items
                  .filter((r) => r.status !== 'retraction')
                  .map((r) => (
                    <Table.Tr key={r.id} c={r.status === 'current' ? undefined : 'dimmed'}>
                      <Table.Td>{formatInstant(r.measuredAt, session.clinic.timeZone)}</Table.Td>
                      <Table.Td>{r.systolic !== null ? `${r.systolic}/${r.diastolic}` : '—'}</Table.Td>
                      <Table.Td>{value(r, 'heartRate')}</Table.Td>
                      <Table.Td>{value(r, 'spo2')}</Table.Td>
                      <Table.Td>{value(r, 'weightKg')}</Table.Td>
                      <Table.Td>{value(r, 'heightCm')}</Table.Td>
                      <Table.Td>
                        <Stack gap={2}>
                          <Group gap={4}>
                            <Badge variant="light" color={r.status === 'current' ? 'gray' : 'dark'}>
                              {statusLabels[r.status]}
                            </Badge>
                            {r.classification && (
                              <Badge variant="light" color={levelColors[r.classification.level]}>
                                {r.classification.level}
                              </Badge>
                            )}
                          </Group>
                          {r.classification?.reasons.map((reason) => (
                            <Text key={reason} size="xs">
                              {reason}
                            </Text>
                          ))}
                          {r.correctionReason && <Text size="xs">Correction: {r.correctionReason}</Text>}
                          {r.supersededById && byId.get(r.supersededById)?.correctionReason && (
                            <Text size="xs">
                              {r.status === 'entered-in-error' ? 'Entered in error' : 'Corrected'}:{' '}
                              {byId.get(r.supersededById)!.correctionReason}
                            </Text>
                          )}
                        </Stack>
                      </Table.Td>
                      <Table.Td>{r.recordedBy.displayName}</Table.Td>
                      {mayRecord && (
                        <Table.Td>
                          {r.status === 'current' && (
                            <Group gap={4} wrap="nowrap">
                              <Button
                                size="compact-xs"
                                variant="light"
                                onClick={() => setCorrecting(r)}
                                aria-label={`Correct the reading of ${formatInstant(r.measuredAt, session.clinic.timeZone)}`}
                              >
                                Correct
                              </Button>
                              <Button
                                size="compact-xs"
                                variant="subtle"
                                color="red"
                                onClick={() => setRetracting(r)}
                                aria-label={`Mark the reading of ${formatInstant(r.measuredAt, session.clinic.timeZone)} entered in error`}
                              >
                                Entered in error
                              </Button>
                            </Group>
                          )}
                        </Table.Td>
                      )}
                    </Table.Tr>
                  ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {mayRecord && (
          <VitalsForm
            key={correcting?.id ?? 'new'}
            patientId={patientId}
            correcting={correcting ?? undefined}
            onDone={() => setCorrecting(null)}
          />
        )}
        {retracting && (
          <EnteredInErrorDialog
            patientId={patientId}
            reading={retracting}
            onClose={() => setRetracting(null)}
          />
        )}
      </Stack>
    </Paper>
  );
}
