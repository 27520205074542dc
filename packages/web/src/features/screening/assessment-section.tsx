import { Badge, Group, List, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useSignedInSession } from '../auth/auth.api.ts';
import { formatInstant } from '../patients/patient-format.ts';
import {
  bandLabel,
  engineLabels,
  findingKindLabels,
  instrumentName,
  productLabels,
  reportedItems,
  routeLabels,
} from './eligibility-format.ts';
import type { EligibilityAssessmentView } from './screening.api.ts';

/** The submitted intake, as far as the engine reads it: what the patient reported and the chart may lack. */
export function IntakeSummary({ view }: { view: EligibilityAssessmentView }) {
  const session = useSignedInSession();
  const { profile, sources } = view;
  const items = reportedItems(profile.selfReported);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="intake-heading">
      <Stack gap="xs">
        <Title order={2} size="h4" id="intake-heading">
          Intake
        </Title>
        {!sources.intakeSubmittedAt ? (
          <Text c="dimmed">No submitted intake yet.</Text>
        ) : (
          <>
            <Text size="sm">
              Submitted {formatInstant(sources.intakeSubmittedAt, session.clinic.timeZone)}
              {sources.intakeVersion !== null ? ` (version ${sources.intakeVersion})` : ''}.
            </Text>
            {profile.pregnant && <Text fw={600}>The patient reports being pregnant.</Text>}
            {profile.breastfeeding && <Text fw={600}>The patient reports breastfeeding.</Text>}
            {items.length === 0 ? (
              <Text size="sm">No history the screening rules read was reported.</Text>
            ) : (
              <List size="sm" aria-label="Reported history">
                {items.map((item) => (
                  <List.Item key={item.label}>
                    {item.label}: {item.answer === 'unsure' ? 'unsure' : 'yes'}
                  </List.Item>
                ))}
              </List>
            )}
            {(profile.selfReported?.medications?.length ?? 0) > 0 && (
              <Text size="sm">
                Medicines listed: {profile.selfReported!.medications!.map((m) => m.name).join(', ')}
              </Text>
            )}
            {(profile.selfReported?.allergies?.length ?? 0) > 0 && (
              <Text size="sm">
                Allergies listed: {profile.selfReported!.allergies!.map((a) => a.substance).join(', ')}
              </Text>
            )}
          </>
        )}
      </Stack>
    </Paper>
  );
}

export function ScoresSummary({ view }: { view: EligibilityAssessmentView }) {
  const session = useSignedInSession();
  const scores = Object.entries(view.profile.scores ?? {});
  const respondedAt = new Map(view.sources.scores.map((s) => [s.instrument, s.respondedAt]));
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="scores-heading">
      <Stack gap="xs">
        <Title order={2} size="h4" id="scores-heading">
          Instrument scores
        </Title>
        {scores.length === 0 ? (
          <Text c="dimmed">No instrument answered yet.</Text>
        ) : (
          <Table aria-label="Latest instrument scores">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Instrument</Table.Th>
                <Table.Th>Total</Table.Th>
                <Table.Th>Band</Table.Th>
                <Table.Th>Flags</Table.Th>
                <Table.Th>Answered</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {scores.map(([id, score]) => (
                <Table.Tr key={id}>
                  <Table.Td>{instrumentName(id)}</Table.Td>
                  <Table.Td>{score?.total ?? '—'}</Table.Td>
                  <Table.Td>{score ? bandLabel(id, score.band) : '—'}</Table.Td>
                  <Table.Td>{score?.flags.join(', ') || '—'}</Table.Td>
                  <Table.Td>
                    {respondedAt.get(id) ? formatInstant(respondedAt.get(id)!, session.clinic.timeZone) : '—'}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}

/** The engine's assessment with every finding: its kind, explanation and source. */
export function AssessmentSection({ view }: { view: EligibilityAssessmentView }) {
  const session = useSignedInSession();
  const engine = engineLabels[view.assessment.decision];
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="assessment-heading">
      <Stack gap="sm">
        <Title order={2} size="h4" id="assessment-heading">
          Eligibility assessment
        </Title>
        <Group gap="xs">
          <Badge size="lg" color={engine.color} data-testid="engine-decision">
            {engine.label}
          </Badge>
          <Text size="sm">
            {productLabels[view.product]}, {routeLabels[view.route]}; computed{' '}
            {formatInstant(view.computedAt, session.clinic.timeZone)} from the chart
            {view.profile.vitals
              ? `, BP ${view.profile.vitals.systolic}/${view.profile.vitals.diastolic} mmHg`
              : ', no screening blood pressure yet'}
            .
          </Text>
        </Group>
        {view.sources.vitalsMeasuredAt && (
          <Text size="xs" c="dimmed">
            Blood pressure measured {formatInstant(view.sources.vitalsMeasuredAt, session.clinic.timeZone)}.
          </Text>
        )}
        {view.assessment.findings.length === 0 ? (
          <Text>No finding: nothing in the chart, the intake or the scores speaks against treatment.</Text>
        ) : (
          <Stack
            gap="xs"
            component="ul"
            style={{ listStyle: 'none', padding: 0, margin: 0 }}
            aria-label="Findings"
          >
            {view.assessment.findings.map((finding) => (
              <Paper key={finding.ruleId} withBorder p="sm" component="li">
                <Group gap="xs" align="flex-start" wrap="nowrap">
                  <Badge
                    color={findingKindLabels[finding.kind].color}
                    variant="light"
                    style={{ flexShrink: 0 }}
                  >
                    {findingKindLabels[finding.kind].label}
                  </Badge>
                  <Stack gap={2}>
                    <Text size="sm">{finding.message}</Text>
                    <Text size="xs" c="dimmed">
                      Source: {finding.source}
                    </Text>
                  </Stack>
                </Group>
              </Paper>
            ))}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
