import { Anchor, Badge, Stack, Table, Text } from '@mantine/core';
import type { AuditEventView } from '../../api/types.ts';
import { roleLabel } from '../../app/role-labels.ts';
import { formatInstant } from '../patients/patient-format.ts';

const outcomeColors: Record<AuditEventView['outcome'], string> = {
  success: 'green',
  denied: 'orange',
  failure: 'red',
};

interface AuditEventsTableProps {
  events: AuditEventView[];
  timeZone: string;
  onFilterPatient: (patientId: string) => void;
  onFilterActor: (actorId: string) => void;
}

export function AuditEventsTable({
  events,
  timeZone,
  onFilterPatient,
  onFilterActor,
}: AuditEventsTableProps) {
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table striped fz="sm" verticalSpacing={6} aria-label="Audit events" data-testid="audit-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">#</Table.Th>
            <Table.Th scope="col">Time</Table.Th>
            <Table.Th scope="col">Who</Table.Th>
            <Table.Th scope="col">Action</Table.Th>
            <Table.Th scope="col">Patient</Table.Th>
            <Table.Th scope="col">Resource</Table.Th>
            <Table.Th scope="col">Outcome</Table.Th>
            <Table.Th scope="col">From</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.map((event) => (
            <Table.Tr key={event.id}>
              <Table.Td ff="monospace">{event.sequence}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                {formatInstant(event.occurredAt, timeZone)}
              </Table.Td>
              <Table.Td>
                {event.actor ? (
                  <Stack gap={0}>
                    <Anchor
                      component="button"
                      type="button"
                      size="sm"
                      onClick={() => event.actor && onFilterActor(event.actor.id)}
                      aria-label={`Show events by ${event.actor.displayName}`}
                    >
                      {event.actor.displayName}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {event.actor.email}
                      {event.role ? ` · ${roleLabel(event.role)}` : ''}
                    </Text>
                  </Stack>
                ) : (
                  <Text size="sm" c="dimmed">
                    System or unknown
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace">
                  {event.action}
                </Text>
                {event.breakGlass && (
                  <Badge color="orange" size="xs" variant="filled">
                    Break-glass
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                {event.patient ? (
                  <Anchor
                    component="button"
                    type="button"
                    size="sm"
                    onClick={() => event.patient && onFilterPatient(event.patient.id)}
                    aria-label={`Show events about ${event.patient.displayName}`}
                  >
                    {event.patient.displayName}
                  </Anchor>
                ) : (
                  '—'
                )}
              </Table.Td>
              <Table.Td>
                <Text size="xs">{event.resourceType}</Text>
                {event.resourceId && (
                  <Text size="xs" c="dimmed" ff="monospace" title={event.resourceId}>
                    {event.resourceId.slice(0, 8)}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Badge color={outcomeColors[event.outcome]} variant="light" size="sm">
                  {event.outcome}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Text size="xs">{event.ip ?? '—'}</Text>
                {event.requestId && (
                  <Text size="xs" c="dimmed" ff="monospace" title={`Request id ${event.requestId}`}>
                    {event.requestId.slice(0, 8)}
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
