import {
  Alert,
  Button,
  Checkbox,
  Group,
  List,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useRef, useState } from 'react';
import { clientId } from '../../../api/client-id.ts';
import { usePermissions } from '../../auth/auth.api.ts';
import type { SessionView } from '../sessions.types.ts';
import {
  asFlow,
  type ChecklistView,
  type FlowSession,
  useAbort,
  useOverrideGate,
  useRecordChecklist,
} from './flow.api.ts';
import { FlowPanel, fieldErrors, SignaturePassword, StepProblem, touch, useClinicTime } from './flow-ui.tsx';
import {
  emptyPreDoseForm,
  formFromAnswers,
  gateStatus,
  type PreDoseFormValues,
  type PregnancyStatus,
  pregnancyLabels,
  toChecklistSubmission,
  toOverrideSubmission,
} from './pre-dose-model.ts';

const statusColor = {
  'not-checked': 'gray',
  blocked: 'red',
  cautions: 'yellow',
  'cautions-overridden': 'teal',
  clear: 'green',
} as const;

/** The facts the gate takes from the chart, shown so the nurse sees what is still missing. */
function BaselineFacts({ session }: { session: FlowSession }) {
  const time = useClinicTime();
  const baseline = session.vitals.find((v) => v.baseline) ?? null;
  const moaas = [...session.observations].reverse().find((o) => o.moaas !== null) ?? null;
  const intentions = session.intentions ?? session.checklist?.sources?.intentions ?? [];
  return (
    <Stack gap="xs">
      <List size="md" spacing={4} aria-label="Baseline">
        <List.Item>
          {baseline
            ? `Baseline vitals at ${time(baseline.measuredAt)}: BP ${baseline.systolic ?? '–'}/${baseline.diastolic ?? '–'}, HR ${baseline.heartRate ?? '–'}, SpO2 ${baseline.spo2 ?? '–'}%`
            : 'No baseline vitals yet: record BP, heart rate and SpO2 under Vitals before the checks.'}
        </List.Item>
        <List.Item>
          {moaas
            ? `Baseline sedation: MOAA/S ${moaas.moaas} at ${time(moaas.observedAt)}`
            : 'No baseline MOAA/S yet: record it under Observations.'}
        </List.Item>
      </List>
      {intentions.length > 0 && (
        <div>
          <Text fw={600}>Today’s intention (from the preparation session)</Text>
          <List size="md">
            {intentions.map((intention) => (
              <List.Item key={intention}>{intention}</List.Item>
            ))}
          </List>
        </div>
      )}
    </Stack>
  );
}

function GateResult({ checklist }: { checklist: ChecklistView }) {
  const time = useClinicTime();
  return (
    <Stack gap="sm">
      {checklist.blockers.length > 0 && (
        <Alert color="red" role="alert" title="Blockers: do not dose">
          <List size="md" aria-label="Blockers">
            {checklist.blockers.map((b) => (
              <List.Item key={b}>{b}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      {checklist.cautions.length > 0 && (
        <Alert color="yellow" title="Cautions: a prescriber reviews before dosing">
          <List size="md" aria-label="Cautions">
            {checklist.cautions.map((c) => (
              <List.Item key={c}>{c}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      {checklist.override && (
        <Alert color="teal" title="Cautions overridden by a prescriber">
          {checklist.override.prescriber.displayName} at {time(checklist.override.signedAt)}: “
          {checklist.override.rationale}”
        </Alert>
      )}
      <Text size="sm" c="dimmed">
        Checks run at {time(checklist.recordedAt)}
        {checklist.recordedBy ? ` by ${checklist.recordedBy.displayName}` : ''}.
      </Text>
    </Stack>
  );
}

function ChecklistForm({ session }: { session: FlowSession }) {
  const record = useRecordChecklist(session.id);
  const [values, setValues] = useState<PreDoseFormValues>(() =>
    session.checklist ? formFromAnswers(session.checklist.answers) : emptyPreDoseForm(),
  );
  const [local, setLocal] = useState<Record<string, string>>({});
  const errors = fieldErrors(local, record.error);
  const set = <K extends keyof PreDoseFormValues>(key: K, value: PreDoseFormValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));
  const esketamine = session.product === 'esketamine';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { submission, errors: found } = toChecklistSubmission(values, clientId());
    setLocal(found);
    if (submission) record.mutate(submission);
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Pre-dose checklist">
      <Stack gap="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            size={touch}
            label="Hours since last food"
            description={esketamine ? 'SPRAVATO: at least 2 hours' : 'The clinic’s fasting rule applies'}
            inputMode="decimal"
            value={values.hoursSinceFood}
            error={errors.hoursSinceFood}
            onChange={(e) => set('hoursSinceFood', e.currentTarget.value)}
          />
          <TextInput
            size={touch}
            label="Hours since last liquids"
            description={
              esketamine ? 'SPRAVATO: at least 30 minutes (0.5)' : 'The clinic’s fasting rule applies'
            }
            inputMode="decimal"
            value={values.hoursSinceLiquids}
            error={errors.hoursSinceLiquids}
            onChange={(e) => set('hoursSinceLiquids', e.currentTarget.value)}
          />
        </SimpleGrid>
        <Select
          size={touch}
          label="Pregnancy"
          data={(Object.keys(pregnancyLabels) as PregnancyStatus[]).map((value) => ({
            value,
            label: pregnancyLabels[value],
          }))}
          value={values.pregnancy}
          allowDeselect={false}
          error={errors.pregnant ?? errors.pregnancyTestNegative}
          onChange={(value) => value && set('pregnancy', value as PregnancyStatus)}
          maw={420}
        />
        <Textarea
          size={touch}
          label="Medication changes since the plan"
          description="One a line: started, stopped or changed (sedatives, stimulants, MAOIs, benzodiazepines, opioids)."
          autosize
          minRows={2}
          value={values.medicationChanges}
          error={errors.medicationChanges}
          onChange={(e) => set('medicationChanges', e.currentTarget.value)}
        />
        <Switch
          size="lg"
          label="The escort for the ride home is here"
          checked={values.escortPresent}
          onChange={(e) => set('escortPresent', e.currentTarget.checked)}
        />
        <Switch
          size="lg"
          label="A clinician assessed the suicide risk in person today"
          checked={values.suicideRiskAssessedToday}
          onChange={(e) => set('suicideRiskAssessedToday', e.currentTarget.checked)}
        />
        <Textarea
          size={touch}
          label="Note (optional)"
          autosize
          minRows={1}
          value={values.note}
          error={errors.note}
          onChange={(e) => set('note', e.currentTarget.value)}
        />
        <StepProblem
          error={record.error}
          title="Checks not recorded"
          shownFields={['hoursSinceFood', 'hoursSinceLiquids', 'medicationChanges', 'note']}
        />
        <Group>
          <Button size="xl" type="submit" loading={record.isPending}>
            Run pre-dose checks
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** A prescriber's override of the cautions: each acknowledged, a rationale, the password. */
function OverrideForm({ session, checklist }: { session: FlowSession; checklist: ChecklistView }) {
  const override = useOverrideGate(session.id);
  const [acknowledged, setAcknowledged] = useState<string[]>([]);
  const [rationale, setRationale] = useState('');
  const [password, setPassword] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});
  // One id per override of this checklist run: a retry is recognised, not signed twice.
  const attempt = useRef({ checklistId: checklist.id, id: clientId() });
  if (attempt.current.checklistId !== checklist.id)
    attempt.current = { checklistId: checklist.id, id: clientId() };
  const errors = fieldErrors(local, override.error);
  const gate = {
    proceed: checklist.blockers.length === 0,
    blockers: checklist.blockers,
    cautions: checklist.cautions,
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { submission, errors: found } = toOverrideSubmission({
      gate,
      values: { acknowledged, rationale, password },
      signatureId: attempt.current.id,
    });
    setLocal(found);
    if (!submission) return;
    override.mutate(
      {
        id: submission.signatureId,
        checklistId: checklist.id,
        cautions: submission.cautions,
        rationale: submission.rationale,
        password: submission.password,
      },
      { onSettled: () => setPassword('') },
    );
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Prescriber override">
      <Stack gap="sm">
        <Title order={3} size="h4">
          Prescriber override of the cautions
        </Title>
        <Checkbox.Group
          label="I have reviewed each caution"
          value={acknowledged}
          onChange={setAcknowledged}
          error={errors.acknowledged ?? errors.cautions}
        >
          <Stack gap="xs" mt="xs">
            {checklist.cautions.map((caution) => (
              <Checkbox key={caution} size="md" value={caution} label={caution} />
            ))}
          </Stack>
        </Checkbox.Group>
        <Textarea
          size={touch}
          label="Rationale"
          description="Why dosing is safe today despite the cautions. It is kept with the session record."
          autosize
          minRows={2}
          value={rationale}
          error={errors.rationale}
          onChange={(e) => setRationale(e.currentTarget.value)}
        />
        <SignaturePassword value={password} error={errors.password} onChange={setPassword} />
        {errors.form && (
          <Alert color="red" role="alert">
            {errors.form}
          </Alert>
        )}
        <StepProblem
          error={override.error}
          title="Override not signed"
          shownFields={['acknowledged', 'cautions', 'rationale', 'password']}
        />
        <Group>
          <Button size="xl" color="teal" type="submit" loading={override.isPending}>
            Sign override and clear to dose
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Stop the session before the dose (a blocker that cannot be resolved today), with the reason. */
export function AbortSessionForm({ session }: { session: SessionView }) {
  const abort = useAbort(session.id);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [local, setLocal] = useState<string | null>(null);
  if (!open)
    return (
      <Group>
        <Button size={touch} variant="default" color="red" onClick={() => setOpen(true)}>
          Stop session…
        </Button>
      </Group>
    );
  return (
    <form
      aria-label="Stop session"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (!reason.trim()) {
          setLocal('Say why the session is stopped.');
          return;
        }
        setLocal(null);
        abort.mutate({ reason: reason.trim() });
      }}
    >
      <Stack gap="sm">
        <Textarea
          size={touch}
          label="Reason for stopping the session"
          autosize
          minRows={2}
          value={reason}
          error={local ?? fieldErrors({}, abort.error).reason}
          onChange={(e) => setReason(e.currentTarget.value)}
        />
        <StepProblem error={abort.error} title="Session not stopped" shownFields={['reason']} />
        <Group>
          <Button size={touch} color="red" type="submit" loading={abort.isPending}>
            Stop session
          </Button>
          <Button size={touch} variant="default" onClick={() => setOpen(false)}>
            Keep going
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * The pre-dose gate: the checklist the nurse confirms at the chair, the gate's blockers (they stop the dose)
 * and cautions (a prescriber may override them with a rationale and their password), and the baseline the
 * gate reads from the chart.
 */
export function PreDosePanel({ session }: { session: SessionView }) {
  const flow = asFlow(session);
  const can = usePermissions();
  const checklist = flow.checklist ?? null;
  const gate = checklist ? { proceed: checklist.blockers.length === 0, ...checklist } : null;
  const status = gateStatus(gate, checklist?.override != null);
  const beforeDose = session.state === 'checked-in';
  const canRun = beforeDose && can('session.monitor');
  const needsOverride =
    beforeDose &&
    checklist !== null &&
    checklist.blockers.length === 0 &&
    checklist.cautions.length > 0 &&
    !checklist.override;

  return (
    <FlowPanel
      id="pre-dose-panel"
      title="Pre-dose checks"
      status={{ label: status.headline, color: statusColor[status.kind] }}
    >
      <BaselineFacts session={flow} />
      {checklist && <GateResult checklist={checklist} />}
      {needsOverride &&
        (can('session.override') ? (
          <OverrideForm session={flow} checklist={checklist} />
        ) : (
          <Alert color="yellow" title="A prescriber must review the cautions">
            Ask the prescriber on site to review the cautions and sign the override on this screen.
          </Alert>
        ))}
      {canRun && <ChecklistForm key={checklist?.id ?? 'first'} session={flow} />}
      {beforeDose && can('session.monitor') && <AbortSessionForm session={session} />}
    </FlowPanel>
  );
}
