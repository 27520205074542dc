import { Alert, Anchor, Badge, Loader, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { problemMessage } from '../../api/client.ts';
import { formatInstant } from '../patients/patient-format.ts';
import { useBreakGlassGrants } from './audit.api.ts';

/** Break-glass grants for review: who opened which chart outside their care team, why, and until when. */
export function BreakGlassGrants({ timeZone }: { timeZone: string }) {
  const [show, setShow] = useState<'active' | 'all'>('active');
  const grants = useBreakGlassGrants(show === 'active', true);
  const now = Date.now();

  return (
    <Stack gap="sm">
      <Title order={2} size="h4" id="break-glass-title">
        Break-glass grants
      </Title>
      <SegmentedControl
        value={show}
        onChange={(value) => setShow(value as 'active' | 'all')}
        data={[
          { value: 'active', label: 'Active now' },
          { value: 'all', label: 'All' },
        ]}
        aria-label="Which grants to show"
        w="fit-content"
      />
      {grants.isPending && <Loader size="sm" aria-label="Loading break-glass grants" />}
      {grants.isError && (
        <Alert color="red" role="alert">
          {problemMessage(grants.error)}
        </Alert>
      )}
      {grants.data && grants.data.items.length === 0 && (
        <Text c="dimmed">
          {show === 'active' ? 'No active break-glass grants.' : 'No break-glass grants.'}
        </Text>
      )}
      {grants.data && grants.data.items.length > 0 && (
        <Table.ScrollContainer minWidth={760}>
          <Table striped fz="sm" aria-labelledby="break-glass-title" data-testid="break-glass-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Granted</Table.Th>
                <Table.Th scope="col">Staff member</Table.Th>
                <Table.Th scope="col">Patient</Table.Th>
                <Table.Th scope="col">Reason</Table.Th>
                <Table.Th scope="col">Expires</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {grants.data.items.map((grant) => {
                const active = Date.parse(grant.expiresAt) > now;
                return (
                  <Table.Tr key={grant.id}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {formatInstant(grant.grantedAt, timeZone)}
                    </Table.Td>
                    <Table.Td>
                      {grant.actor.displayName}
                      <Text size="xs" c="dimmed">
                        {grant.actor.email}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Anchor
                        component={Link}
                        to={`/audit?patientId=${encodeURIComponent(grant.patient.id)}`}
                        size="sm"
                      >
                        {grant.patient.displayName}
                      </Anchor>
                      {grant.patient.mrn && (
                        <Text size="xs" c="dimmed">
                          MRN {grant.patient.mrn}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td style={{ maxWidth: 320 }}>{grant.reason}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {formatInstant(grant.expiresAt, timeZone)}{' '}
                      <Badge size="xs" color={active ? 'orange' : 'gray'} variant="light">
                        {active ? 'Active' : 'Expired'}
                      </Badge>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
