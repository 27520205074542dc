import type { EligibilityDecisionKind } from '@kapstone/clinical';
import { Alert, Button, Group, PasswordInput, Radio, Stack, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { ApiProblem, problemMessage } from '../../api/client.ts';
import { clientId } from '../../api/client-id.ts';
import { decisionLabels } from './eligibility-format.ts';
import type { DecisionSubmission, EligibilityAssessmentView } from './screening.api.ts';

const kinds = Object.keys(decisionLabels) as EligibilityDecisionKind[];

/**
 * The prescriber's decision on the assessment shown above, signed with their password. Whether a rationale is
 * required comes from the server (@kapstone/clinical's rationaleRequirement), for each possible decision.
 */
export function DecisionForm({
  assessment,
  amendment,
  onSign,
  onStale,
  onDone,
}: {
  assessment: EligibilityAssessmentView;
  /** Present when amending: the reason is asked and the button says so. */
  amendment?: { signedAt: string };
  onSign: (submission: DecisionSubmission & { reason?: string }) => Promise<unknown>;
  onStale: () => void;
  onDone?: () => void;
}) {
  const [decision, setDecision] = useState<EligibilityDecisionKind | null>(null);
  const [conditions, setConditions] = useState('');
  const [rationale, setRationale] = useState('');
  const [reason, setReason] = useState('');
  const [password, setPassword] = useState('');
  const [attemptId, setAttemptId] = useState(clientId);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const requirement = decision ? assessment.rationale[decision] : null;
  const verb = amendment ? 'Sign amendment' : 'Sign eligibility decision';

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setProblem(null);
    const local: Record<string, string> = {};
    if (!decision) local.decision = 'Choose a decision.';
    if (decision === 'approve-with-conditions' && !conditions.trim())
      local.conditions = 'State the conditions.';
    if (requirement?.required && !rationale.trim())
      local.rationale = requirement.reason ?? 'A rationale is required.';
    if (amendment && reason.trim().length < 3) local.reason = 'Say why you amend the decision.';
    if (!password) local.password = 'Enter your password to sign.';
    setErrors(local);
    if (!decision || Object.keys(local).length > 0) return;
    setPending(true);
    try {
      await onSign({
        id: attemptId,
        decision,
        conditions: decision === 'approve-with-conditions' ? conditions.trim() : null,
        rationale: rationale.trim() || null,
        fingerprint: assessment.fingerprint,
        password,
        ...(amendment ? { reason: reason.trim() } : {}),
      });
      notifications.show({
        color: 'green',
        message: amendment ? 'Amendment signed.' : 'Eligibility decision signed.',
      });
      setPassword('');
      setAttemptId(clientId());
      onDone?.();
    } catch (caught) {
      setPassword('');
      if (caught instanceof ApiProblem && caught.status === 409 && caught.fieldMessages().fingerprint) {
        setProblem('The screening changed since you loaded it: review the assessment again, then sign.');
        setAttemptId(clientId());
        onStale();
      } else {
        if (caught instanceof ApiProblem && caught.status === 400) setErrors(caught.fieldMessages());
        setProblem(problemMessage(caught));
      }
    } finally {
      setPending(false);
    }
  }

  return (
    <form
      onSubmit={submit}
      aria-label={amendment ? 'Amend the eligibility decision' : 'Eligibility decision'}
      noValidate
    >
      <Stack gap="sm">
        <Title order={3} size="h5">
          {amendment ? 'Amend the decision' : 'Your decision'}
        </Title>
        {problem && (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        )}
        <Radio.Group
          label="Decision"
          value={decision}
          onChange={(v) => setDecision(v as EligibilityDecisionKind)}
          error={errors.decision}
          withAsterisk
        >
          <Stack gap={6} mt={6}>
            {kinds.map((kind) => (
              <Radio key={kind} value={kind} label={decisionLabels[kind]} />
            ))}
          </Stack>
        </Radio.Group>
        {decision === 'approve-with-conditions' && (
          <Textarea
            label="Conditions"
            description="What must hold for treatment to go ahead (for example a BP check before each session)."
            value={conditions}
            onChange={(e) => setConditions(e.currentTarget.value)}
            error={errors.conditions}
            autosize
            minRows={2}
            withAsterisk
          />
        )}
        <Textarea
          label={requirement?.required ? 'Rationale (required)' : 'Rationale'}
          description={requirement?.reason ?? 'Your clinical reasoning, kept with the decision.'}
          value={rationale}
          onChange={(e) => setRationale(e.currentTarget.value)}
          error={errors.rationale}
          autosize
          minRows={3}
          withAsterisk={requirement?.required ?? false}
        />
        {amendment && (
          <Textarea
            label="Reason for the amendment"
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={errors.reason}
            autosize
            minRows={2}
            withAsterisk
          />
        )}
        <Text size="sm">
          Signing records that you reviewed this assessment and each of its findings and that the decision is
          your own clinical judgement. A signed decision cannot be changed; a later change is an amendment.
        </Text>
        <PasswordInput
          label="Your password (to sign)"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={errors.password}
          maw={360}
          withAsterisk
        />
        <Group>
          <Button type="submit" loading={pending}>
            {verb}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
