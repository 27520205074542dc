import type { IntegrationAdherenceState } from '@kapstone/clinical';
import {
  Alert,
  Anchor,
  Badge,
  Group,
  Loader,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { problemMessage } from '../../api/client.ts';
import { useDocumentTitle } from '../../app/use-document-title.ts';
import { formatDate } from '../patients/patient-format.ts';
import { type AdherenceItem, useAdherenceConsole } from './integration.api.ts';
import { adherenceStateColors, adherenceStateLabels, describeAdherence } from './integration-form-model.ts';

const filters: { value: string; label: string; states: IntegrationAdherenceState[] }[] = [
  { value: 'all', label: 'All open', states: ['missing', 'late', 'due'] },
  { value: 'missing', label: 'Missing', states: ['missing'] },
  { value: 'late', label: 'Late', states: ['late'] },
  { value: 'due', label: 'Due', states: ['due'] },
];

export function AdherenceConsoleTable({ items }: { items: AdherenceItem[] }) {
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table verticalSpacing="sm" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Patient</Table.Th>
            <Table.Th>Dose</Table.Th>
            <Table.Th>Integration</Table.Th>
            <Table.Th>Therapist</Table.Th>
            <Table.Th>Details</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => (
            <Table.Tr key={item.sessionId} data-testid="adherence-row">
              <Table.Td>
                <Anchor component={Link} to={`/patients/${item.patient.id}?section=integration`}>
                  {item.patient.displayName}
                </Anchor>
                <Text size="xs" c="dimmed">
                  MRN {item.patient.mrn}
                </Text>
              </Table.Td>
              <Table.Td>
                <Anchor component={Link} to={`/sessions/${item.sessionId}`} size="sm">
                  {formatDate(item.dosedOn)}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Badge color={adherenceStateColors[item.state]} variant="light">
                  {adherenceStateLabels[item.state]}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{item.therapist?.displayName ?? 'No therapist assigned'}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{describeAdherence(item)}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The console's integration list: recent doses of the patients in my care whose integration is missing, late or due. */
export function IntegrationConsolePage() {
  useDocumentTitle('Integration');
  const [filter, setFilter] = useState('all');
  const states = (filters.find((f) => f.value === filter) ?? filters[0]!).states;
  const list = useAdherenceConsole(states);

  return (
    <Stack gap="md">
      <Stack gap={4}>
        <Title order={2}>Integration sessions</Title>
        <Text size="sm" c="dimmed">
          Each dose expects an integration session within its protocol’s window (1–3 days after the dose
          unless the clinic set its own). Doses of the last 60 days of the patients in your care.
        </Text>
      </Stack>
      <Group>
        <SegmentedControl
          aria-label="Show"
          value={filter}
          onChange={setFilter}
          data={filters.map((f) => ({ value: f.value, label: f.label }))}
        />
      </Group>
      {list.isPending ? (
        <Loader aria-label="Loading integration sessions" />
      ) : list.isError ? (
        <Alert color="red" role="alert" title="The list could not be loaded">
          {problemMessage(list.error)}
        </Alert>
      ) : list.data.items.length === 0 ? (
        <Text c="dimmed">
          Nothing to follow up: every recent dose has its integration, or its window is not open yet.
        </Text>
      ) : (
        <>
          <AdherenceConsoleTable items={list.data.items} />
          {list.data.truncated && (
            <Text size="sm" c="dimmed">
              Showing the first {list.data.items.length}; narrow the list with a filter.
            </Text>
          )}
        </>
      )}
    </Stack>
  );
}
