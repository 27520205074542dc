import { Button, Group, SimpleGrid, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import type { Medication, MedicationStatus, Patient } from '../../api/types.ts';
import { usePermissions, useSignedInSession } from '../auth/auth.api.ts';
import { AddEntryDialog } from './add-entry-dialog.tsx';
import { byClinicalRelevance } from './entry-order.ts';
import { EntryStatusBadge } from './entry-status-badge.tsx';
import { EntryStatusDialog, type PendingStatusChange } from './entry-status-dialog.tsx';
import { formatDate, todayIn } from './patient-format.ts';
import { patientsApi } from './patients.api.ts';
import { useChartChanged } from './refresh-chart.ts';

const emptyMedication = { name: '', rxnorm: '', dose: '', route: '', frequency: '', startDate: '', note: '' };
type MedicationField = keyof typeof emptyMedication;

function AddMedicationDialog({
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
  const [values, setValues] = useState(emptyMedication);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = (field: MedicationField, value: string) => setValues((v) => ({ ...v, [field]: value }));
  const text = (field: MedicationField, label: string, extra: Record<string, unknown> = {}) => (
    <TextInput
      label={label}
      value={values[field]}
      error={errors[field]}
      onChange={(event) => set(field, event.currentTarget.value)}
      {...extra}
    />
  );
  const orNull = (value: string) => value.trim() || null;

  return (
    <AddEntryDialog
      title="Add medication"
      submitLabel="Add medication"
      opened={opened}
      onClose={() => {
        setValues(emptyMedication);
        onClose();
      }}
      onFieldErrors={setErrors}
      validate={(): Record<string, string> =>
        values.name.trim() ? {} : { name: 'Enter the medication name' }
      }
      save={async () => {
        await patientsApi.addMedication(patientId, {
          name: values.name.trim(),
          rxnorm: orNull(values.rxnorm),
          dose: orNull(values.dose),
          route: orNull(values.route),
          frequency: orNull(values.frequency),
          startDate: values.startDate || null,
          note: orNull(values.note),
        });
        await changed('Medication added');
      }}
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        {text('name', 'Medication name', {
          required: true,
          'data-autofocus': true,
          placeholder: 'e.g. sertraline 50 mg tablet',
        })}
        {text('rxnorm', 'RxNorm code', { description: 'RXCUI, if known', inputMode: 'numeric' })}
        {text('dose', 'Dose', { placeholder: 'e.g. 50 mg' })}
        {text('route', 'Route', { placeholder: 'e.g. oral' })}
        {text('frequency', 'Frequency', { placeholder: 'e.g. once daily' })}
        <DateInput
          label="Start date"
          placeholder="YYYY-MM-DD"
          valueFormat="YYYY-MM-DD"
          clearable
          maxDate={todayIn(session.clinic.timeZone)}
          value={values.startDate || null}
          error={errors.startDate}
          onChange={(value) => set('startDate', value ?? '')}
        />
      </SimpleGrid>
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
  medication: Medication,
  apply: (status: MedicationStatus, note?: string) => Promise<unknown>,
): { label: string; change: PendingStatusChange }[] {
  const entry = [medication.name, medication.dose, medication.frequency].filter(Boolean).join(', ');
  const options: { label: string; change: PendingStatusChange }[] = [];
  if (medication.status === 'active') {
    options.push({
      label: 'Stop',
      change: {
        entry,
        title: 'Stop medication',
        explanation:
          'The medication moves to the history as stopped. Say why in the note if it helps the team.',
        confirmLabel: 'Stop medication',
        apply: (note) => apply('stopped', note),
      },
    });
  }
  if (medication.status !== 'entered-in-error') {
    options.push({
      label: 'Entered in error',
      change: {
        entry,
        title: 'Mark medication as entered in error',
        explanation:
          'Use this when the medication was recorded by mistake. It stays visible, struck through, for the record.',
        confirmLabel: 'Mark entered in error',
        danger: true,
        apply: (note) => apply('entered-in-error', note),
      },
    });
  }
  return options;
}

export function MedicationsSection({ patient }: { patient: Patient }) {
  const can = usePermissions();
  const changed = useChartChanged(patient.id);
  const [adding, setAdding] = useState(false);
  const [pending, setPending] = useState<PendingStatusChange | null>(null);
  const mayChange = can('patient.clinical.update');
  const medications = [...patient.medications].sort(byClinicalRelevance);

  return (
    <section aria-labelledby="medications-title">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4" id="medications-title">
          Medications
        </Title>
        {mayChange && (
          <Button
            leftSection={<IconPlus size={16} aria-hidden />}
            variant="light"
            onClick={() => setAdding(true)}
          >
            Add medication
          </Button>
        )}
      </Group>
      {medications.length === 0 ? (
        <Text c="dimmed">No medications recorded.</Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover aria-labelledby="medications-title">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Medication</Table.Th>
                <Table.Th scope="col">RxNorm</Table.Th>
                <Table.Th scope="col">Dose</Table.Th>
                <Table.Th scope="col">Route</Table.Th>
                <Table.Th scope="col">Frequency</Table.Th>
                <Table.Th scope="col">Started</Table.Th>
                <Table.Th scope="col">Status</Table.Th>
                {mayChange && <Table.Th scope="col">Actions</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {medications.map((medication) => (
                <Table.Tr
                  key={medication.id}
                  className={medication.status === 'entered-in-error' ? 'entered-in-error' : undefined}
                >
                  <Table.Td>
                    {medication.name}
                    {medication.note && (
                      <Text size="xs" c="dimmed">
                        {medication.note}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ff="monospace">{medication.rxnorm ?? '—'}</Table.Td>
                  <Table.Td>{medication.dose ?? '—'}</Table.Td>
                  <Table.Td>{medication.route ?? '—'}</Table.Td>
                  <Table.Td>{medication.frequency ?? '—'}</Table.Td>
                  <Table.Td>{formatDate(medication.startDate)}</Table.Td>
                  <Table.Td>
                    <EntryStatusBadge status={medication.status} />
                  </Table.Td>
                  {mayChange && (
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        {statusChanges(medication, async (status, note) => {
                          await patientsApi.setMedicationStatus(patient.id, medication.id, status, note);
                          await changed('Medication updated');
                        }).map(({ label, change }) => (
                          <Button
                            key={label}
                            size="compact-xs"
                            variant="subtle"
                            color={change.danger ? 'red' : undefined}
                            aria-label={`${label}: ${medication.name}`}
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
        <AddMedicationDialog patientId={patient.id} opened={adding} onClose={() => setAdding(false)} />
      )}
      <EntryStatusDialog change={pending} onClose={() => setPending(null)} />
    </section>
  );
}
