import { Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useSignedInSession } from '../auth/auth.api.ts';
import { formatInstant } from '../patients/patient-format.ts';
import {
  decisionLabels,
  engineLabels,
  findingKindLabels,
  productLabels,
  routeLabels,
} from './eligibility-format.ts';
import type { EligibilityDecisionView, EligibilityOverview } from './screening.api.ts';

function SignedDecision({
  decision,
  effective,
  onAmend,
}: {
  decision: EligibilityDecisionView;
  effective: boolean;
  onAmend?: (decision: EligibilityDecisionView) => void;
}) {
  const session = useSignedInSession();
  const engine = engineLabels[decision.engineDecision];
  return (
    <Paper
      withBorder
      p="md"
      radius="md"
      component="article"
      aria-label={`Decision signed ${decision.signedAt}`}
    >
      <Stack gap={6}>
        <Group gap="xs">
          <Title order={3} size="h5">
            {decisionLabels[decision.decision]}
          </Title>
          {effective && <Badge color="teal">Effective</Badge>}
          {decision.amendedById && <Badge color="gray">Amended</Badge>}
          {decision.amendsId && <Badge variant="outline">Amendment</Badge>}
        </Group>
        <Text size="sm">
          {productLabels[decision.product]}, {routeLabels[decision.route]}. Signed by{' '}
          {decision.signedBy.displayName} on {formatInstant(decision.signedAt, session.clinic.timeZone)}.
        </Text>
        {decision.amendmentReason && (
          <Text size="sm">Reason for the amendment: {decision.amendmentReason}</Text>
        )}
        {decision.conditions && <Text size="sm">Conditions: {decision.conditions}</Text>}
        {decision.rationale && <Text size="sm">Rationale: {decision.rationale}</Text>}
        <Text size="sm">
          The assessment it was signed on: <Badge color={engine.color}>{engine.label}</Badge>
        </Text>
        {decision.assessment.findings.length > 0 && (
          <Stack gap={2} component="ul" style={{ margin: 0, paddingLeft: 18 }}>
            {decision.assessment.findings.map((f) => (
              <Text key={f.ruleId} size="xs" component="li">
                {findingKindLabels[f.kind].label}: {f.message}
              </Text>
            ))}
          </Stack>
        )}
        <Text size="xs" c="dimmed">
          {decision.signatureMeaning}
        </Text>
        {onAmend && !decision.amendedById && (
          <Group>
            <Button variant="light" size="xs" onClick={() => onAmend(decision)}>
              Amend this decision
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

/** The signed decision and its amendments, newest first; each is locked once signed. */
export function DecisionHistory({
  overview,
  onAmend,
}: {
  overview: EligibilityOverview;
  onAmend?: (decision: EligibilityDecisionView) => void;
}) {
  return (
    <Stack gap="sm" component="section" aria-labelledby="decisions-heading">
      <Title order={2} size="h4" id="decisions-heading">
        Signed decisions
      </Title>
      {overview.history.length === 0 ? (
        <Text c="dimmed">No eligibility decision has been signed.</Text>
      ) : (
        overview.history.map((decision) => (
          <SignedDecision
            key={decision.id}
            decision={decision}
            effective={decision.id === overview.effective?.id}
            onAmend={onAmend}
          />
        ))
      )}
    </Stack>
  );
}
