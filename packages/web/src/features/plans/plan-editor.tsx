import {
  ActionIcon,
  Alert,
  Button,
  Checkbox,
  Group,
  Modal,
  Paper,
  PasswordInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useMemo, useRef, useState } from 'react';
import { isProblem, problemMessage } from '../../api/client.ts';
import { clientId } from '../../api/client-id.ts';
import type { Patient } from '../../api/types.ts';
import { usePreparationNotes } from '../preparation/preparation.api.ts';
import { CourseTimeline, DoseCheck } from './course-timeline.tsx';
import {
  activeConditions,
  doseUnitFor,
  emptyPlanForm,
  formFromPlan,
  type PlanFormValues,
  productLabels,
  protocolOptions,
  routeLabels,
  toPlanInput,
  toPreviewInput,
  withProtocol,
} from './plan-form-model.ts';
import { type PlanGoal, plansApi, type TreatmentPlan, usePlanPreview } from './plans.api.ts';

type GoalField = 'goals' | 'intentions';

function GoalList({
  field,
  label,
  goals,
  errors,
  onChange,
}: {
  field: GoalField;
  label: string;
  goals: PlanGoal[];
  errors: Record<string, string>;
  onChange: (goals: PlanGoal[]) => void;
}) {
  const singular = field === 'goals' ? 'goal' : 'intention';
  return (
    <Stack gap="xs">
      <Text fw={600} size="sm">
        {label}
      </Text>
      {goals.length === 0 && (
        <Text size="sm" c="dimmed">
          None yet.
        </Text>
      )}
      {goals.map((goal, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: goals are edited in place, by position
        <Group key={index} align="flex-start" wrap="nowrap">
          <TextInput
            style={{ flex: 1 }}
            aria-label={`${label}: ${singular} ${index + 1}`}
            value={goal.text}
            error={errors[`${field}.${index}.preparationItemId`] ?? errors[`${field}.${index}.text`]}
            description={goal.preparationItemId ? 'From the preparation note' : undefined}
            onChange={(event) => {
              const text = event.currentTarget.value;
              onChange(goals.map((g, i) => (i === index ? { ...g, text } : g)));
            }}
          />
          <ActionIcon
            variant="subtle"
            color="red"
            size="lg"
            aria-label={`Remove ${singular} ${index + 1}`}
            onClick={() => onChange(goals.filter((_, i) => i !== index))}
          >
            <IconTrash size={18} aria-hidden />
          </ActionIcon>
        </Group>
      ))}
      <Group>
        <Button
          variant="light"
          size="xs"
          leftSection={<IconPlus size={14} aria-hidden />}
          onClick={() => onChange([...goals, { text: '' }])}
        >
          Add {singular}
        </Button>
      </Group>
    </Stack>
  );
}

/** Goals and intentions the therapist recorded in preparation notes, to carry into the plan by id. */
function FromPreparation({
  patientId,
  values,
  onAdd,
}: {
  patientId: string;
  values: PlanFormValues;
  onAdd: (field: GoalField, goal: PlanGoal) => void;
}) {
  const notes = usePreparationNotes(patientId);
  const options = useMemo(() => {
    const used = new Set([...values.goals, ...values.intentions].map((g) => g.preparationItemId));
    return (notes.data?.items ?? []).flatMap((note) =>
      (['goals', 'intentions'] as const).flatMap((field) =>
        note.content[field]
          .filter((item) => !used.has(item.id))
          .map((item) => ({
            value: `${field}|${note.id}|${item.id}`,
            label: `${field === 'goals' ? 'Goal' : 'Intention'}: ${item.text}`,
            text: item.text,
          })),
      ),
    );
  }, [notes.data, values.goals, values.intentions]);
  if (options.length === 0) return null;
  return (
    <Select
      label="Add from a preparation note"
      placeholder="Choose a goal or intention"
      data={options.map(({ value, label }) => ({ value, label }))}
      value={null}
      onChange={(value) => {
        const option = options.find((o) => o.value === value);
        if (!option) return;
        const [field, noteId, itemId] = option.value.split('|') as [GoalField, string, string];
        onAdd(field, { text: option.text, preparationNoteId: noteId, preparationItemId: itemId });
      }}
    />
  );
}

function SignPanel({
  patientId,
  plan,
  onSigned,
}: {
  patientId: string;
  plan: TreatmentPlan;
  onSigned: (plan: TreatmentPlan) => void;
}) {
  const [password, setPassword] = useState('');
  const [acknowledged, setAcknowledged] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // One id per signing attempt of this revision: a network retry is recognised, not signed twice.
  const attempt = useRef({ revision: plan.revision, id: clientId() });
  if (attempt.current.revision !== plan.revision)
    attempt.current = { revision: plan.revision, id: clientId() };
  const warnings = [plan.startingDose.calculation, plan.maximumDose.calculation]
    .filter((c) => c.level === 'warning')
    .flatMap((c) => c.messages);

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="sign-plan-heading">
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          setErrors({});
          setFailure(null);
          if (!password) {
            setErrors({ password: 'Enter your password to sign' });
            return;
          }
          setBusy(true);
          try {
            const signed = await plansApi.sign(patientId, plan.id, {
              signatureId: attempt.current.id,
              password,
              revision: plan.revision,
              ...(warnings.length > 0 ? { acknowledgeDoseWarnings: acknowledged } : {}),
            });
            setPassword('');
            onSigned(signed);
          } catch (error) {
            setPassword('');
            if (isProblem(error)) setErrors(error.fieldMessages());
            setFailure(problemMessage(error));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Stack gap="sm">
          <Title order={3} size="h3" id="sign-plan-heading">
            Sign treatment plan
          </Title>
          <Text size="sm">
            Signing is your electronic signature on version {plan.version} as shown above. A signed plan
            cannot be changed; later changes are amendments that you sign again.
          </Text>
          {warnings.length > 0 && (
            <Checkbox
              label="I have reviewed the dose warnings above and order this plan."
              checked={acknowledged}
              error={errors.acknowledgeDoseWarnings}
              onChange={(event) => setAcknowledged(event.currentTarget.checked)}
            />
          )}
          <PasswordInput
            label="Your password"
            description="Re-enter your password to sign. Wrong passwords count toward the account lock."
            autoComplete="current-password"
            value={password}
            error={errors.password}
            onChange={(event) => setPassword(event.currentTarget.value)}
            maw={360}
          />
          {failure && !errors.password && !errors.acknowledgeDoseWarnings && (
            <Alert color="red" role="alert" title="Not signed">
              {failure}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={busy}>
              Sign treatment plan
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/**
 * The treatment-plan form: a new draft, or a saved draft (a new plan or an amendment). The course and dose
 * checks shown are the server's preview from @kapstone/clinical, refreshed as the prescriber types.
 */
export function PlanEditor({
  patient,
  draft,
  onChanged,
  onCancel,
}: {
  patient: Patient;
  draft: TreatmentPlan | null;
  onChanged: (plan: TreatmentPlan) => void;
  onCancel?: () => void;
}) {
  const [values, setValues] = useState<PlanFormValues>(() =>
    draft ? formFromPlan(draft, patient.conditions) : emptyPlanForm(patient.conditions),
  );
  const [dirty, setDirty] = useState(draft === null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [discarding, setDiscarding] = useState(false);
  const update = (next: Partial<PlanFormValues>) => {
    setValues((v) => ({ ...v, ...next }));
    setDirty(true);
  };
  const protocol = protocolOptions.find((p) => p.value === values.protocolId)!;
  const unit = doseUnitFor(protocol.route);
  const [previewInput] = useDebouncedValue(
    useMemo(() => toPreviewInput(values), [values]),
    400,
  );
  const preview = usePlanPreview(patient.id, previewInput);
  const conditions = activeConditions(patient.conditions);

  const save = async () => {
    setErrors({});
    setFailure(null);
    const built = toPlanInput(values, patient.conditions);
    if (built.problems) {
      setErrors(built.problems);
      setFailure('Some fields need attention.');
      return;
    }
    setSaving(true);
    try {
      const saved = draft
        ? await plansApi.update(patient.id, draft.id, { ...built.input, revision: draft.revision })
        : await plansApi.create(patient.id, built.input);
      setDirty(false);
      onChanged(saved);
    } catch (error) {
      if (isProblem(error)) {
        const messages = error.fieldMessages();
        if (messages.route ?? messages.product) messages.protocolId = messages.route ?? messages.product!;
        if (messages['startingDose.unit']) messages.startingDose = messages['startingDose.unit'];
        if (messages['maximumDose.unit']) messages.maximumDose = messages['maximumDose.unit'];
        setErrors(messages);
      }
      setFailure(problemMessage(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Stack gap="md">
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="plan-form-heading">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
          noValidate
        >
          <Stack gap="md">
            <Title order={3} size="h3" id="plan-form-heading">
              {draft
                ? draft.amendsId
                  ? `Amendment: draft of version ${draft.version}`
                  : `Draft treatment plan (version ${draft.version})`
                : 'New treatment plan'}
            </Title>
            {draft?.amendmentReason && (
              <Text size="sm">
                <strong>Reason for the amendment:</strong> {draft.amendmentReason}
              </Text>
            )}
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Select
                label="Indication"
                description="From the patient’s active diagnoses"
                required
                data={[
                  ...conditions.map((c) => ({ value: c.id, label: `${c.icd10} ${c.description}` })),
                  { value: 'other', label: 'Another indication (not on the problem list)' },
                ]}
                value={values.indication}
                allowDeselect={false}
                error={values.indication !== 'other' ? errors['indication.icd10'] : undefined}
                onChange={(value) => value && update({ indication: value })}
              />
              <Select
                label="Protocol"
                description="The protocol fixes the route and the product"
                required
                data={protocolOptions.map(({ value, label }) => ({ value, label }))}
                value={values.protocolId}
                allowDeselect={false}
                error={errors.protocolId}
                onChange={(value) => {
                  const option = protocolOptions.find((p) => p.value === value);
                  if (option) {
                    setValues((v) => withProtocol(v, option.value));
                    setDirty(true);
                  }
                }}
              />
            </SimpleGrid>
            {values.indication === 'other' && (
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput
                  label="ICD-10-CM code"
                  placeholder="e.g. F33.1"
                  required
                  value={values.otherIcd10}
                  error={errors['indication.icd10']}
                  onChange={(event) => update({ otherIcd10: event.currentTarget.value })}
                />
                <TextInput
                  label="Indication"
                  required
                  value={values.otherDescription}
                  error={errors['indication.description']}
                  onChange={(event) => update({ otherDescription: event.currentTarget.value })}
                />
              </SimpleGrid>
            )}
            <Text size="sm">
              Route: <strong>{routeLabels[protocol.route] ?? protocol.route}</strong> · Product:{' '}
              <strong>{productLabels[protocol.product] ?? protocol.product}</strong>
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
              <DateInput
                label="Course start (first dose)"
                placeholder="YYYY-MM-DD"
                valueFormat="YYYY-MM-DD"
                required
                value={values.startDate || null}
                error={errors.startDate}
                onChange={(value) => update({ startDate: value ?? '' })}
              />
              <TextInput
                label="Dosing sessions"
                inputMode="numeric"
                required
                value={values.dosingSessions}
                error={
                  errors.dosingSessions ??
                  (preview.data?.courseProblem?.path === 'dosingSessions'
                    ? preview.data.courseProblem.message
                    : undefined)
                }
                onChange={(event) => update({ dosingSessions: event.currentTarget.value })}
              />
              <TextInput
                label="Weight used (kg)"
                inputMode="decimal"
                required={unit === 'mg/kg'}
                value={values.weightKg}
                error={errors.weightKg}
                onChange={(event) => update({ weightKg: event.currentTarget.value })}
              />
              <TextInput
                label={`Starting dose (${unit})`}
                inputMode="decimal"
                required
                value={values.startingDose}
                error={errors.startingDose}
                onChange={(event) => update({ startingDose: event.currentTarget.value })}
              />
              <TextInput
                label={`Maximum dose, titration limit (${unit})`}
                inputMode="decimal"
                required
                value={values.maximumDose}
                error={errors.maximumDose}
                onChange={(event) => update({ maximumDose: event.currentTarget.value })}
              />
            </SimpleGrid>
            <Stack gap="xs" component="section" aria-label="Dose checks">
              {preview.data?.startingDose && (
                <DoseCheck label="Starting dose" calculation={preview.data.startingDose} />
              )}
              {preview.data?.maximumDose && (
                <DoseCheck label="Maximum dose" calculation={preview.data.maximumDose} />
              )}
            </Stack>
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <GoalList
                field="goals"
                label="Goals"
                goals={values.goals}
                errors={errors}
                onChange={(goals) => update({ goals })}
              />
              <GoalList
                field="intentions"
                label="Intentions"
                goals={values.intentions}
                errors={errors}
                onChange={(intentions) => update({ intentions })}
              />
            </SimpleGrid>
            <FromPreparation
              patientId={patient.id}
              values={values}
              onAdd={(field, goal) => update({ [field]: [...values[field], goal] })}
            />
            {failure && (
              <Alert color="red" role="alert" title="Not saved">
                {failure}
              </Alert>
            )}
            <Group>
              <Button type="submit" loading={saving} disabled={!dirty && draft !== null}>
                Save draft
              </Button>
              {onCancel && (
                <Button variant="subtle" onClick={onCancel}>
                  Cancel
                </Button>
              )}
              {draft && (
                <Button variant="subtle" color="red" onClick={() => setDiscarding(true)}>
                  Discard draft
                </Button>
              )}
              {draft && dirty && (
                <Text size="sm" c="dimmed">
                  Unsaved changes: save the draft before signing.
                </Text>
              )}
            </Group>
          </Stack>
        </form>
      </Paper>

      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="planned-course-heading">
        <Stack gap="sm">
          <Title order={3} size="h3" id="planned-course-heading">
            Planned course
          </Title>
          {preview.isError && (
            <Alert color="red" role="alert">
              {problemMessage(preview.error)}
            </Alert>
          )}
          {preview.data?.courseProblem && (
            <Alert color="yellow" role="alert">
              {preview.data.courseProblem.message}
            </Alert>
          )}
          {preview.data?.plannedCourse ? (
            <CourseTimeline events={preview.data.plannedCourse} label="Planned course (preview)" />
          ) : (
            !preview.data?.courseProblem && (
              <Text size="sm" c="dimmed">
                Choose the start date to see the course.
              </Text>
            )
          )}
        </Stack>
      </Paper>

      {draft && !dirty && <SignPanel patientId={patient.id} plan={draft} onSigned={onChanged} />}
      {draft && (
        <Modal opened={discarding} onClose={() => setDiscarding(false)} title="Discard this draft?">
          <Stack>
            <Text size="sm">
              The draft is kept in the history as discarded and can no longer be signed.
              {draft.amendsId ? ' The signed version it amends stays the active plan.' : ''}
            </Text>
            {failure && (
              <Alert color="red" role="alert">
                {failure}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="subtle" onClick={() => setDiscarding(false)}>
                Keep the draft
              </Button>
              <Button
                color="red"
                onClick={async () => {
                  setFailure(null);
                  try {
                    const discarded = await plansApi.discard(patient.id, draft.id);
                    setDiscarding(false);
                    onChanged(discarded);
                  } catch (error) {
                    setFailure(problemMessage(error));
                  }
                }}
              >
                Discard draft
              </Button>
            </Group>
          </Stack>
        </Modal>
      )}
    </Stack>
  );
}
