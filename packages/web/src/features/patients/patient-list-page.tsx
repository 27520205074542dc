import { Alert, Button, Center, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { IconUserPlus } from '@tabler/icons-react';
import { Link } from 'react-router';
import { problemMessage } from '../../api/client.ts';
import { useDocumentTitle } from '../../app/use-document-title.ts';
import { usePermissions, useSignedInSession } from '../auth/auth.api.ts';
import { todayIn } from './patient-format.ts';
import { PatientSearchForm } from './patient-search-form.tsx';
import { usePatientSearch } from './patient-search-state.tsx';
import { PatientTable } from './patient-table.tsx';
import { usePatientSearchResults } from './patients.api.ts';

export function PatientListPage() {
  useDocumentTitle('Patients');
  const session = useSignedInSession();
  const can = usePermissions();
  const { filters, setFilters } = usePatientSearch();
  const results = usePatientSearchResults(filters);
  const patients = results.data?.pages.flatMap((page) => page.items) ?? [];
  const searching = Boolean(filters.q || filters.dateOfBirth || filters.mrn);

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1} size="h2">
          Patients
        </Title>
        {can('patient.create') && (
          <Button component={Link} to="/patients/new" leftSection={<IconUserPlus size={16} aria-hidden />}>
            Register patient
          </Button>
        )}
      </Group>
      <PatientSearchForm
        initial={filters}
        onSearch={(next) => {
          // Searching again for the same thing means "refresh", not "nothing to do".
          if (JSON.stringify(next) === JSON.stringify(filters)) void results.refetch();
          else setFilters(next);
        }}
      />
      {results.isPending && (
        <Center py="lg">
          <Loader aria-label="Searching patients" />
        </Center>
      )}
      {results.data && (
        <>
          <Text size="sm" c="dimmed" role="status" aria-live="polite">
            {patients.length === 0
              ? searching
                ? 'No patients match this search.'
                : 'No patients yet.'
              : `Showing ${patients.length} patient${patients.length === 1 ? '' : 's'}${results.hasNextPage ? ' (more available)' : ''}.`}
          </Text>
          {patients.length > 0 && (
            <PatientTable
              patients={patients}
              today={todayIn(session.clinic.timeZone)}
              markOutsideCareTeam={can('patient.break-glass')}
            />
          )}
          {results.hasNextPage && (
            <Group justify="center">
              <Button
                variant="default"
                onClick={() => results.fetchNextPage()}
                loading={results.isFetchingNextPage}
              >
                Load more
              </Button>
            </Group>
          )}
        </>
      )}
      {results.isError && (
        <Alert color="red" role="alert" title="The search failed">
          {problemMessage(results.error)}
        </Alert>
      )}
    </Stack>
  );
}
