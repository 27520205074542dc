import { Alert, Anchor, Button, Group, List, Stack, Switch, Text, Textarea, Title } from '@mantine/core';
import { IconPrinter } from '@tabler/icons-react';
import { type FormEvent, useRef, useState } from 'react';
import { clientId } from '../../../api/client-id.ts';
import { usePermissions } from '../../auth/auth.api.ts';
import type { SessionView } from '../sessions.types.ts';
import {
  type DischargeFormValues,
  dischargePath,
  emptyDischargeForm,
  toDischargeSubmission,
} from './discharge-model.ts';
import {
  asFlow,
  type DischargeRecordView,
  dischargeInstructionsPrintPath,
  useDischarge,
  useDischargeReadiness,
} from './flow.api.ts';
import { FlowPanel, fieldErrors, SignaturePassword, StepProblem, touch, useClinicTime } from './flow-ui.tsx';

function PrintInstructions({ sessionId }: { sessionId: string }) {
  return (
    <Anchor
      href={dischargeInstructionsPrintPath(sessionId)}
      target="_blank"
      rel="noopener"
      size="lg"
      fw={600}
      aria-label="Print discharge instructions"
    >
      <Group gap={6} component="span">
        <IconPrinter size={22} aria-hidden />
        Print discharge instructions
      </Group>
    </Anchor>
  );
}

function DischargeSummary({ record, sessionId }: { record: DischargeRecordView; sessionId: string }) {
  const time = useClinicTime();
  return (
    <Stack gap="xs">
      <Text size="lg">
        Discharged at {time(record.dischargedAt)}
        {record.dischargedBy ? ` by ${record.dischargedBy.displayName}` : ''}
        {record.escortName ? `, home with ${record.escortName}` : ''}.
      </Text>
      {!record.ready && (
        <Alert color="orange" title="Discharged against unmet criteria">
          <List size="sm">
            {record.unmet.map((u) => (
              <List.Item key={u}>{u}</List.Item>
            ))}
          </List>
          <Text size="sm" mt="xs">
            Rationale{record.overriddenBy ? ` (${record.overriddenBy.displayName})` : ''}: “
            {record.overrideRationale}”
          </Text>
        </Alert>
      )}
      <PrintInstructions sessionId={sessionId} />
    </Stack>
  );
}

/**
 * Discharge: `dischargeReadiness` from the server (observation time for the route, vitals near baseline,
 * sedation and dissociation resolved, escort present), the instructions for the patient, and a prescriber's
 * discharge against an unmet criterion with a rationale and their password.
 */
export function DischargePanel({ session }: { session: SessionView }) {
  const flow = asFlow(session);
  const can = usePermissions();
  const discharge = useDischarge(session.id);
  const [values, setValues] = useState<DischargeFormValues>(emptyDischargeForm);
  const [local, setLocal] = useState<Record<string, string>>({});
  const attempt = useRef(clientId());
  const set = <K extends keyof DischargeFormValues>(key: K, value: DischargeFormValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));
  const errors = fieldErrors(local, discharge.error);
  const live = useDischargeReadiness(
    session.id,
    values.escortPresent,
    session.state === 'monitoring' && !flow.discharge,
  );

  if (flow.discharge) {
    return (
      <FlowPanel id="discharge-panel" title="Discharge" status={{ label: 'Discharged', color: 'green' }}>
        <DischargeSummary record={flow.discharge} sessionId={session.id} />
      </FlowPanel>
    );
  }
  if (session.state !== 'monitoring') {
    return (
      <FlowPanel id="discharge-panel" title="Discharge" status={{ label: 'Not yet', color: 'gray' }}>
        <Text c="dimmed">
          {session.state === 'aborted'
            ? 'The session was stopped; there is no discharge.'
            : 'Discharge opens once the dose is given and monitoring has started.'}
        </Text>
      </FlowPanel>
    );
  }

  const readiness = live.data ??
    flow.dischargeReadiness ?? { ready: false, unmet: ['Readiness not yet assessed.'] };
  const canOverride = can('session.override');
  const path = dischargePath(readiness, canOverride);
  const mayDischarge = can('session.discharge');
  const observed = readiness.minutesSinceDoseStart;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { submission, errors: found } = toDischargeSubmission({
      readiness,
      canOverride,
      values,
      id: attempt.current,
    });
    setLocal(found);
    if (!submission) return;
    discharge.mutate(submission, { onSettled: () => set('password', '') });
  };

  return (
    <FlowPanel
      id="discharge-panel"
      title="Discharge"
      status={
        readiness.ready
          ? { label: 'Ready for discharge', color: 'green' }
          : { label: `Not ready: ${readiness.unmet.length} unmet`, color: 'orange' }
      }
    >
      {observed != null && <Text>Observed for {Math.floor(observed)} minutes since the first dose.</Text>}
      {readiness.ready ? (
        <Alert color="green" title="Every discharge criterion is met">
          Confirm the escort and give the instructions.
        </Alert>
      ) : (
        <Alert color="orange" title="Unmet discharge criteria">
          <List size="md" aria-label="Unmet discharge criteria">
            {readiness.unmet.map((u) => (
              <List.Item key={u}>{u}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      <PrintInstructions sessionId={session.id} />
      {mayDischarge && path !== 'not-allowed' && (
        <form onSubmit={submit} noValidate aria-label="Discharge">
          <Stack gap="md">
            <Switch
              size="lg"
              label={`The escort is here to take the patient home${flow.escort?.name ? ` (${flow.escort.name})` : ''}`}
              description="Confirm it in person: readiness counts the escort only once confirmed here."
              checked={values.escortPresent}
              onChange={(e) => set('escortPresent', e.currentTarget.checked)}
            />
            <Switch
              size="lg"
              label="Discharge instructions given to the patient and the escort"
              checked={values.instructionsGiven}
              error={errors.instructionsGiven}
              onChange={(e) => set('instructionsGiven', e.currentTarget.checked)}
            />
            {path === 'override' && (
              <Stack gap="sm">
                <Title order={3} size="h4">
                  Prescriber discharge against unmet criteria
                </Title>
                <Textarea
                  size={touch}
                  label="Rationale"
                  description="Why the patient may leave although a criterion is unmet. Kept with the discharge record."
                  autosize
                  minRows={2}
                  value={values.overrideRationale}
                  error={errors.overrideRationale ?? errors['override.rationale']}
                  onChange={(e) => set('overrideRationale', e.currentTarget.value)}
                />
                <SignaturePassword
                  value={values.password}
                  error={errors.password ?? errors['override.password']}
                  onChange={(value) => set('password', value)}
                />
              </Stack>
            )}
            <Textarea
              size={touch}
              label="Note (optional)"
              autosize
              minRows={1}
              value={values.note}
              error={errors.note}
              onChange={(e) => set('note', e.currentTarget.value)}
            />
            {errors.form && (
              <Alert color="red" role="alert">
                {errors.form}
              </Alert>
            )}
            <StepProblem
              error={discharge.error}
              title="Not discharged"
              shownFields={['instructionsGiven', 'override.rationale', 'override.password', 'note']}
            />
            <Group>
              <Button
                size="xl"
                color={path === 'override' ? 'orange' : 'green'}
                type="submit"
                loading={discharge.isPending}
              >
                {path === 'override' ? 'Sign and discharge' : 'Discharge patient'}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      {mayDischarge && path === 'not-allowed' && (
        <Alert color="gray" title="A prescriber decides">
          Wait until every criterion is met, or ask the prescriber to review: only a prescriber may discharge
          against an unmet criterion, with a rationale.
        </Alert>
      )}
    </FlowPanel>
  );
}
