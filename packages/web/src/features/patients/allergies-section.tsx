import {
  Button,
  Group,
  NativeSelect,
  SimpleGrid,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import type { Allergy, AllergySeverity, AllergyStatus, Patient } from '../../api/types.ts';
import { usePermissions } from '../auth/auth.api.ts';
import { AddEntryDialog } from './add-entry-dialog.tsx';
import { byClinicalRelevance } from './entry-order.ts';
import { EntryStatusBadge } from './entry-status-badge.tsx';
import { EntryStatusDialog, type PendingStatusChange } from './entry-status-dialog.tsx';
import { patientsApi } from './patients.api.ts';
import { useChartChanged } from './refresh-chart.ts';

const emptyAllergy = { substance: '', reaction: '', severity: '', note: '' };
type AllergyField = keyof typeof emptyAllergy;

const severityOptions = [
  { value: '', label: 'Not recorded' },
  { value: 'mild', label: 'Mild' },
  { value: 'moderate', label: 'Moderate' },
  { value: 'severe', label: 'Severe' },
];

function AddAllergyDialog({
  patientId,
  opened,
  onClose,
}: {
  patientId: string;
  opened: boolean;
  onClose: () => void;
}) {
  const changed = useChartChanged(patientId);
  const [values, setValues] = useState(emptyAllergy);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = (field: AllergyField, value: string) => setValues((v) => ({ ...v, [field]: value }));

  return (
    <AddEntryDialog
      title="Add allergy"
      submitLabel="Add allergy"
      opened={opened}
      onClose={() => {
        setValues(emptyAllergy);
        onClose();
      }}
      onFieldErrors={setErrors}
      validate={(): Record<string, string> =>
        values.substance.trim() ? {} : { substance: 'Enter the substance' }
      }
      save={async () => {
        await patientsApi.addAllergy(patientId, {
          substance: values.substance.trim(),
          reaction: values.reaction.trim() || null,
          severity: (values.severity || null) as AllergySeverity | null,
          note: values.note.trim() || null,
        });
        await changed('Allergy added');
      }}
    >
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        <TextInput
          label="Substance"
          required
          value={values.substance}
          error={errors.substance}
          onChange={(event) => set('substance', event.currentTarget.value)}
          data-autofocus
        />
        <TextInput
          label="Reaction"
          placeholder="e.g. hives"
          value={values.reaction}
          error={errors.reaction}
          onChange={(event) => set('reaction', event.currentTarget.value)}
        />
        <NativeSelect
          label="Severity"
          data={severityOptions}
          value={values.severity}
          error={errors.severity}
          onChange={(event) => set('severity', event.currentTarget.value)}
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
  allergy: Allergy,
  apply: (status: AllergyStatus, note?: string) => Promise<unknown>,
): { label: string; change: PendingStatusChange }[] {
  const entry = allergy.reaction ? `${allergy.substance} (${allergy.reaction})` : allergy.substance;
  const options: { label: string; change: PendingStatusChange }[] = [];
  if (allergy.status === 'active') {
    options.push({
      label: 'Mark inactive',
      change: {
        entry,
        title: 'Mark allergy inactive',
        explanation: 'For an allergy that no longer applies, for example after a negative challenge test.',
        confirmLabel: 'Mark inactive',
        apply: (note) => apply('inactive', note),
      },
    });
  }
  if (allergy.status === 'inactive') {
    options.push({
      label: 'Reactivate',
      change: {
        entry,
        title: 'Mark allergy active again',
        explanation: 'The allergy will show as active in the chart.',
        confirmLabel: 'Mark active',
        apply: (note) => apply('active', note),
      },
    });
  }
  if (allergy.status !== 'entered-in-error') {
    options.push({
      label: 'Entered in error',
      change: {
        entry,
        title: 'Mark allergy as entered in error',
        explanation:
          'Use this when the allergy was recorded by mistake. It stays visible, struck through, for the record.',
        confirmLabel: 'Mark entered in error',
        danger: true,
        apply: (note) => apply('entered-in-error', note),
      },
    });
  }
  return options;
}

const severityLabel = (severity: string | null) =>
  severity ? (severityOptions.find((option) => option.value === severity)?.label ?? severity) : '—';

export function AllergiesSection({ patient }: { patient: Patient }) {
  const can = usePermissions();
  const changed = useChartChanged(patient.id);
  const [adding, setAdding] = useState(false);
  const [pending, setPending] = useState<PendingStatusChange | null>(null);
  const mayChange = can('patient.clinical.update');
  const allergies = [...patient.allergies].sort(byClinicalRelevance);

  return (
    <section aria-labelledby="allergies-title">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4" id="allergies-title">
          Allergies
        </Title>
        {mayChange && (
          <Button
            leftSection={<IconPlus size={16} aria-hidden />}
            variant="light"
            onClick={() => setAdding(true)}
          >
            Add allergy
          </Button>
        )}
      </Group>
      {allergies.length === 0 ? (
        <Text c="dimmed">No allergies recorded. This does not confirm “no known allergies”.</Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table striped highlightOnHover aria-labelledby="allergies-title">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Substance</Table.Th>
                <Table.Th scope="col">Reaction</Table.Th>
                <Table.Th scope="col">Severity</Table.Th>
                <Table.Th scope="col">Status</Table.Th>
                {mayChange && <Table.Th scope="col">Actions</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {allergies.map((allergy) => (
                <Table.Tr
                  key={allergy.id}
                  className={allergy.status === 'entered-in-error' ? 'entered-in-error' : undefined}
                >
                  <Table.Td>
                    {allergy.substance}
                    {allergy.note && (
                      <Text size="xs" c="dimmed">
                        {allergy.note}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{allergy.reaction ?? '—'}</Table.Td>
                  <Table.Td>{severityLabel(allergy.severity)}</Table.Td>
                  <Table.Td>
                    <EntryStatusBadge status={allergy.status} />
                  </Table.Td>
                  {mayChange && (
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        {statusChanges(allergy, async (status, note) => {
                          await patientsApi.setAllergyStatus(patient.id, allergy.id, status, note);
                          await changed('Allergy updated');
                        }).map(({ label, change }) => (
                          <Button
                            key={label}
                            size="compact-xs"
                            variant="subtle"
                            color={change.danger ? 'red' : undefined}
                            aria-label={`${label}: ${allergy.substance}`}
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
        <AddAllergyDialog patientId={patient.id} opened={adding} onClose={() => setAdding(false)} />
      )}
      <EntryStatusDialog change={pending} onClose={() => setPending(null)} />
    </section>
  );
}
