import { Alert, Loader, Table, Text, Timeline, Title } from '@mantine/core';
import { problemMessage } from '../../api/client.ts';
import { useSignedInSession } from '../auth/auth.api.ts';
import { formatInstant } from './patient-format.ts';
import { usePatientHistory } from './patients.api.ts';

const fieldLabels: Record<string, string> = {
  givenName: 'Given name',
  familyName: 'Family name',
  preferredName: 'Preferred name',
  dateOfBirth: 'Date of birth',
  sexAtBirth: 'Sex assigned at birth',
  genderIdentity: 'Gender identity',
  pronouns: 'Pronouns',
  email: 'Email address',
  phone: 'Phone',
  address: 'Address',
  emergencyContact: 'Emergency contact',
  mrn: 'MRN',
};

function shown(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'object') {
    return Object.values(value as Record<string, unknown>)
      .filter((part) => part !== null && part !== undefined && part !== '')
      .join(', ');
  }
  return String(value);
}

/** Every saved version of the demographics: amendments never overwrite, so each change is listed. */
export function HistorySection({ patientId }: { patientId: string }) {
  const session = useSignedInSession();
  const history = usePatientHistory(patientId);

  return (
    <section aria-labelledby="history-title">
      <Title order={3} size="h4" id="history-title" mb="sm">
        History
      </Title>
      {history.isPending && <Loader size="sm" aria-label="Loading history" />}
      {history.isError && (
        <Alert color="red" role="alert">
          {problemMessage(history.error)}
        </Alert>
      )}
      {history.data && history.data.items.length === 0 && <Text c="dimmed">No earlier versions.</Text>}
      {history.data && history.data.items.length > 0 && (
        <Timeline bulletSize={18} lineWidth={2}>
          {[...history.data.items]
            .sort((a, b) => b.version - a.version)
            .map((entry) => (
              <Timeline.Item
                key={entry.version}
                title={`Version ${entry.version}`}
                aria-label={`Version ${entry.version}`}
              >
                <Text size="xs" c="dimmed" mb={4}>
                  {formatInstant(entry.changedAt, session.clinic.timeZone)}
                  {entry.changedBy ? ` · ${entry.changedBy.displayName}` : ''}
                </Text>
                {entry.changes.length === 0 ? (
                  <Text size="sm">Record created.</Text>
                ) : (
                  <Table.ScrollContainer minWidth={420}>
                    <Table fz="sm" withTableBorder verticalSpacing={4}>
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th scope="col">Field</Table.Th>
                          <Table.Th scope="col">Before</Table.Th>
                          <Table.Th scope="col">After</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {entry.changes.map((change) => (
                          <Table.Tr key={change.field}>
                            <Table.Td>{fieldLabels[change.field] ?? change.field}</Table.Td>
                            <Table.Td>{shown(change.from)}</Table.Td>
                            <Table.Td>{shown(change.to)}</Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </Table.ScrollContainer>
                )}
              </Timeline.Item>
            ))}
        </Timeline>
      )}
    </section>
  );
}
