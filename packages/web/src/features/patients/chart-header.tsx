import { Anchor, Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import type { Patient } from '../../api/types.ts';
import { usePermissions, useSignedInSession } from '../auth/auth.api.ts';
import { ageOn, formatDate, fullName, sexAtBirthLabels, todayIn } from './patient-format.ts';

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
        {label}
      </Text>
      <Text size="sm">{children}</Text>
    </div>
  );
}

/** Who this chart is about, always in view: name, MRN and date of birth are the identifiers staff check. */
export function ChartHeader({ patient }: { patient: Patient }) {
  const session = useSignedInSession();
  const can = usePermissions();
  const age = ageOn(patient.dateOfBirth, todayIn(session.clinic.timeZone));

  return (
    <Paper withBorder p="md" radius="md" component="header" aria-label="Patient">
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={1} size="h2" data-testid="chart-patient-name">
              {fullName(patient)}
            </Title>
            {patient.preferredName && (
              <Text size="sm" c="dimmed">
                Prefers “{patient.preferredName}”
              </Text>
            )}
          </div>
          <Group gap="xs">
            {!patient.inCareTeam && can('patient.break-glass') && (
              <Badge color="orange" variant="light">
                Outside your care team
              </Badge>
            )}
            {can('patient.clinical.read') && patient.clinicalDataIncluded !== false && (
              <>
                <Anchor
                  component={Link}
                  to={`/patients/${encodeURIComponent(patient.id)}/screening`}
                  size="sm"
                >
                  Screening
                </Anchor>
                <Anchor component={Link} to={`/patients/${encodeURIComponent(patient.id)}/plan`} size="sm">
                  Treatment plan
                </Anchor>
                <Anchor
                  component={Link}
                  to={`/patients/${encodeURIComponent(patient.id)}/preparation`}
                  size="sm"
                >
                  Preparation
                </Anchor>
              </>
            )}
            {can('schedule.manage') && (
              <Anchor
                component={Link}
                to={`/patients/${encodeURIComponent(patient.id)}/course-booking`}
                size="sm"
              >
                Book course
              </Anchor>
            )}
            {can('audit.read') && (
              <Anchor component={Link} to={`/audit?patientId=${encodeURIComponent(patient.id)}`} size="sm">
                Audit trail of this chart
              </Anchor>
            )}
          </Group>
        </Group>
        <Group gap="xl" wrap="wrap">
          <Fact label="MRN">
            <span data-testid="chart-mrn">{patient.mrn}</span>
          </Fact>
          <Fact label="Date of birth">
            {formatDate(patient.dateOfBirth)}
            {age !== null ? ` (${age} y)` : ''}
          </Fact>
          <Fact label="Sex assigned at birth">
            {sexAtBirthLabels[patient.sexAtBirth] ?? patient.sexAtBirth}
          </Fact>
          <Fact label="Pronouns">{patient.pronouns ?? '—'}</Fact>
          {patient.genderIdentity && <Fact label="Gender identity">{patient.genderIdentity}</Fact>}
        </Group>
      </Stack>
    </Paper>
  );
}
