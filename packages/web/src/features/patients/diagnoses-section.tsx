import { Button, Group, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import type { Condition, ConditionStatus, Patient } from '../../api/types.ts';
import { usePermissions, useSignedInSession } from '../auth/auth.api.ts';
import { AddEntryDialog } from './add-entry-dialog.tsx';
import { byClinicalRelevance } from './entry-order.ts';
import { EntryStatusBadge } from './entry-status-badge.tsx';
import { EntryStatusDialog, type PendingStatusChange } from './entry-status-dialog.tsx';
import { formatDate, formatInstant, todayIn } from './patient-format.ts';
import { patientsApi } from './patients.api.ts';
import { useChartChanged } from './refresh-chart.ts';

const emptyDiagnosis = { icd10: '', description: '', onsetDate: '', note: '' };

function AddDiagnosisDialog({
  patientId,
  opened,
  onClose,
}: {
  patientId: string;
  opened: boolean;
  onClose: () => void;
}) {
  const session = useSignedInSession();
  const changed = useChartChanged(patientId);
  const [values, setValues] = useState(emptyDiagnosis);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = (field: keyof typeof emptyDiagnosis, value: string) =>
    setValues((v) => ({ ...v, [field]: value }));

  return (
    <AddEntryDialog
      title="Add diagnosis"
      submitLabel="Add diagnosis"
      opened={opened}
      onClose={() => {
        setValues(emptyDiagnosis);
        onClose();
      }}
      onFieldErrors={setErrors}
      validate={() => {
        const problems: Record<string, string> = {};
        if (!values.icd10.trim()) problems.icd10 = 'Enter the ICD-10-CM code';
        if (!values.description.trim()) problems.description = 'Enter the diagnosis';
        return problems;
      }}
      save={async () => {
        await patientsApi.addCondition(patientId, {
          icd10: values.icd10.trim(),
          description: values.description.trim(),
          onsetDate: values.onsetDate || null,
          note: values.note.trim() || null,
        });
        await changed('Diagnosis added');
      }}
    >
      <Group grow align="flex-start">
        <TextInput
          label="ICD-10-CM code"
          placeholder="e.g. F33.1"
          required
          value={values.icd10}
          error={errors.icd10}
          onChange={(event) => set('icd10', event.currentTarget.value)}
          data-autofocus
        />
        <DateInput
          label="Onset date"
          placeholder="YYYY-MM-DD"
          valueFormat="YYYY-MM-DD"
          clearable
          maxDate={todayIn(session.clinic.timeZone)}
          value={values.onsetDate || null}
          error={errors.onsetDate}
          onChange={(value) => set('onsetDate', value ?? '')}
        />
      </Group>
      <TextInput
        label="Diagnosis description"
        required
        value={values.description}
        error={errors.description}
        onChange={(event) => set('description', event.currentTarget.value)}
      />
      <Textarea
        label="Note"
        autosize
        minRows={2}
        value={values.note}
        error={errors.note}
        onChange={(event) => set('note', event.currentTarget.value)}
      />
    </AddEntryDialog>
  );
}

function statusChanges(
  condition: Condition,
  apply: (status: ConditionStatus, note?: string) => Promise<unknown>,
): { label: string; change: PendingStatusChange }[] {
  const entry = `${condition.icd10} ${condition.description}`;
  const options: { label: string; change: PendingStatusChange }[] = [];
  if (condition.status === 'active') {
    options.push({
      label: 'Resolve',
      change: {
        entry,
        title: 'Mark diagnosis resolved',
        explanation: 'The diagnosis stays in the history as resolved.',
        confirmLabel: 'Mark resolved',
        apply: (note) => apply('resolved', note),
      },
    });
  }
  if (condition.status === 'resolved') {
    options.push({
      label: 'Reactivate',
      change: {
        entry,
        title: 'Mark diagnosis active again',
        explanation: 'Use this for a recurrence of a diagnosis that was marked resolved.',
        confirmLabel: 'Mark active',
        apply: (note) => apply('active', note),
      },
    });
  }
  if (condition.status !== 'entered-in-error') {
    options.push({
      label: 'Entered in error',
      change: {
        entry,
        title: 'Mark diagnosis as entered in error',
        explanation:
          'Use this when the diagnosis was recorded by mistake. It stays visible, struck through, for the record.',
        confirmLabel: 'Mark entered in error',
        danger: true,
        apply: (note) => apply('entered-in-error', note),
      },
    });
  }
  return options;
}

export function DiagnosesSection({ patient }: { patient: Patient }) {
  const session = useSignedInSession();
  const can = usePermissions();
  const changed = useChartChanged(patient.id);
  const [adding, setAdding] = useState(false);
  const [pending, setPending] = useState<PendingStatusChange | null>(null);
  const mayChange = can('patient.clinical.update');
  const conditions = [...patient.conditions].sort(byClinicalRelevance);

  return (
    <section aria-labelledby="diagnoses-title">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4" id="diagnoses-title">
          Diagnoses
        </Title>
        {mayChange && (
          <Button
            leftSection={<IconPlus size={16} aria-hidden />}
            variant="light"
            onClick={() => setAdding(true)}
          >
            Add diagnosis
          </Button>
        )}
      </Group>
      {conditions.length === 0 ? (
        <Text c="dimmed">No diagnoses recorded.</Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped highlightOnHover aria-labelledby="diagnoses-title">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">ICD-10-CM</Table.Th>
                <Table.Th scope="col">Description</Table.Th>
                <Table.Th scope="col">Onset</Table.Th>
                <Table.Th scope="col">Recorded</Table.Th>
                <Table.Th scope="col">Status</Table.Th>
                {mayChange && <Table.Th scope="col">Actions</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {conditions.map((condition) => (
                <Table.Tr
                  key={condition.id}
                  className={condition.status === 'entered-in-error' ? 'entered-in-error' : undefined}
                >
                  <Table.Td ff="monospace">{condition.icd10}</Table.Td>
                  <Table.Td>
                    {condition.description}
                    {condition.note && (
                      <Text size="xs" c="dimmed">
                        {condition.note}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{formatDate(condition.onsetDate)}</Table.Td>
                  <Table.Td>{formatInstant(condition.recordedAt, session.clinic.timeZone)}</Table.Td>
                  <Table.Td>
                    <EntryStatusBadge status={condition.status} />
                  </Table.Td>
                  {mayChange && (
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        {statusChanges(condition, async (status, note) => {
                          await patientsApi.setConditionStatus(patient.id, condition.id, status, note);
                          await changed('Diagnosis updated');
                        }).map(({ label, change }) => (
                          <Button
                            key={label}
                            size="compact-xs"
                            variant="subtle"
                            color={change.danger ? 'red' : undefined}
                            aria-label={`${label}: ${condition.icd10} ${condition.description}`}
                            onClick={() => setPending(change)}
                          >
                            {label}
                          </Button>
                        ))}
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {mayChange && (
        <AddDiagnosisDialog patientId={patient.id} opened={adding} onClose={() => setAdding(false)} />
      )}
      <EntryStatusDialog change={pending} onClose={() => setPending(null)} />
    </section>
  );
}
