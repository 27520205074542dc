import { Anchor, Badge, Table, VisuallyHidden } from '@mantine/core';
import { Link } from 'react-router';
import type { PatientSummary } from '../../api/types.ts';
import { ageOn, formatDate, listName, sexAtBirthLabels } from './patient-format.ts';

interface PatientTableProps {
  patients: PatientSummary[];
  today: string;
  /**
   * Only roles bound to the care team (those that may break the glass) need the marker: front desk and
   * admins see demographics clinic-wide, so for them "outside your care team" would mark every row.
   */
  markOutsideCareTeam: boolean;
}

/** Each name is a link, so the list works by Tab and Enter like any page of links. */
export function PatientTable({ patients, today, markOutsideCareTeam }: PatientTableProps) {
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped highlightOnHover aria-label="Patients" data-testid="patient-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Name</Table.Th>
            <Table.Th scope="col">MRN</Table.Th>
            <Table.Th scope="col">Date of birth</Table.Th>
            <Table.Th scope="col">Sex at birth</Table.Th>
            {markOutsideCareTeam && <Table.Th scope="col">Care team</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {patients.map((patient) => {
            const age = ageOn(patient.dateOfBirth, today);
            return (
              <Table.Tr key={patient.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/patients/${patient.id}`} fw={600}>
                    {listName(patient)}
                  </Anchor>
                  {patient.preferredName && ` (${patient.preferredName})`}
                </Table.Td>
                <Table.Td ff="monospace">{patient.mrn}</Table.Td>
                <Table.Td>
                  {formatDate(patient.dateOfBirth)}
                  {age !== null ? ` (${age} y)` : ''}
                </Table.Td>
                <Table.Td>{sexAtBirthLabels[patient.sexAtBirth] ?? patient.sexAtBirth}</Table.Td>
                {markOutsideCareTeam && (
                  <Table.Td>
                    {patient.inCareTeam ? (
                      'Yes'
                    ) : (
                      <Badge color="orange" variant="light" size="sm">
                        Outside<VisuallyHidden> your care team</VisuallyHidden>
                      </Badge>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
