import { type ProtocolId, protocols } from '@kapstone/clinical';
import type { Condition } from '../../api/types.ts';
import type { DoseAmount, PlanGoal, PlanInput, PlanPreviewInput, TreatmentPlan } from './plans.api.ts';

/**
 * The treatment-plan form as typed (strings), and its conversion to the API's input. Nothing clinical is
 * decided here: the protocol list, routes and products are @kapstone/clinical's data, and every dose and
 * schedule shown comes from the server's preview (planCourse and calculateDose).
 */
export interface PlanFormValues {
  /** An active condition's id, or 'other' for an indication not on the problem list. */
  indication: string;
  otherIcd10: string;
  otherDescription: string;
  protocolId: ProtocolId;
  startDate: string;
  dosingSessions: string;
  weightKg: string;
  startingDose: string;
  maximumDose: string;
  goals: PlanGoal[];
  intentions: PlanGoal[];
}

export const protocolOptions = Object.values(protocols).map((p) => ({
  value: p.id,
  label: p.name,
  route: p.route,
  product: p.product,
  sessions: p.dosingDays.length,
}));

export const routeLabels: Record<string, string> = {
  iv: 'Intravenous (IV)',
  im: 'Intramuscular (IM)',
  sublingual: 'Sublingual',
  oral: 'Oral',
  intranasal: 'Intranasal',
};
export const productLabels: Record<string, string> = {
  'ketamine-racemic': 'Racemic ketamine',
  esketamine: 'Esketamine (SPRAVATO)',
};

/** The unit the API takes a dose in for a route (docs/api-contract.md: mg/kg for IV and IM, mg otherwise). */
export function doseUnitFor(route: string): DoseAmount['unit'] {
  return route === 'iv' || route === 'im' ? 'mg/kg' : 'mg';
}

export function activeConditions(conditions: readonly Condition[]): Condition[] {
  return conditions.filter((c) => c.status === 'active');
}

export function emptyPlanForm(
  conditions: readonly Condition[],
  protocolId: ProtocolId = 'kap-im',
): PlanFormValues {
  const first = activeConditions(conditions)[0];
  return {
    indication: first?.id ?? 'other',
    otherIcd10: '',
    otherDescription: '',
    protocolId,
    startDate: '',
    dosingSessions: String(protocols[protocolId].dosingDays.length),
    weightKg: '',
    startingDose: '',
    maximumDose: '',
    goals: [],
    intentions: [],
  };
}

export function formFromPlan(plan: TreatmentPlan, conditions: readonly Condition[]): PlanFormValues {
  const linked = plan.indication.conditionId
    ? activeConditions(conditions).find((c) => c.id === plan.indication.conditionId)
    : undefined;
  return {
    indication: linked?.id ?? 'other',
    otherIcd10: linked ? '' : plan.indication.icd10,
    otherDescription: linked ? '' : plan.indication.description,
    protocolId: plan.protocolId,
    startDate: plan.startDate,
    dosingSessions: String(plan.dosingSessions),
    weightKg: plan.weightKg === null ? '' : String(plan.weightKg),
    startingDose: String(plan.startingDose.value),
    maximumDose: String(plan.maximumDose.value),
    goals: plan.goals.map((g) => ({ ...g })),
    intentions: plan.intentions.map((g) => ({ ...g })),
  };
}

/** A number typed with a dot or a comma; null when empty or not a number. */
export function parseNumber(text: string): number | null {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '' || !/^\d*\.?\d+$/.test(trimmed)) return null;
  return Number(trimmed);
}

/** Changing the protocol resets the number of sessions to the protocol's own (the server checks any other). */
export function withProtocol(values: PlanFormValues, protocolId: ProtocolId): PlanFormValues {
  return { ...values, protocolId, dosingSessions: String(protocols[protocolId].dosingDays.length) };
}

const goalsToSend = (goals: PlanGoal[]) =>
  goals
    .filter((g) => g.text.trim() !== '')
    .map((g) => ({
      text: g.text.trim(),
      ...(g.preparationNoteId ? { preparationNoteId: g.preparationNoteId } : {}),
      ...(g.preparationItemId ? { preparationItemId: g.preparationItemId } : {}),
    }));

/**
 * The API input, or the fields still missing (keyed by the server's field paths, so the messages land next
 * to the same inputs the server's own 400s do).
 */
export function toPlanInput(
  values: PlanFormValues,
  conditions: readonly Condition[],
): { input: PlanInput; problems: null } | { input: null; problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  const protocol = protocols[values.protocolId];
  const unit = doseUnitFor(protocol.route);
  const condition = activeConditions(conditions).find((c) => c.id === values.indication);
  if (!condition) {
    if (!values.otherIcd10.trim()) problems['indication.icd10'] = 'Enter the ICD-10-CM code';
    if (!values.otherDescription.trim()) problems['indication.description'] = 'Describe the indication';
  }
  if (!values.startDate) problems.startDate = 'Choose the date of the first dose';
  const sessions = parseNumber(values.dosingSessions);
  if (sessions === null || !Number.isInteger(sessions)) problems.dosingSessions = 'Enter a whole number';
  const weight = parseNumber(values.weightKg);
  if (values.weightKg.trim() && weight === null) problems.weightKg = 'Enter the weight in kg';
  if (unit === 'mg/kg' && weight === null) problems.weightKg = 'A weight-based dose needs the weight (kg)';
  const starting = parseNumber(values.startingDose);
  const maximum = parseNumber(values.maximumDose);
  if (starting === null) problems.startingDose = `Enter the starting dose in ${unit}`;
  if (maximum === null) problems.maximumDose = `Enter the maximum dose in ${unit}`;
  if (Object.keys(problems).length > 0) return { input: null, problems };
  return {
    input: {
      indication: condition
        ? { icd10: condition.icd10, description: condition.description }
        : {
            icd10: values.otherIcd10.trim(),
            description: values.otherDescription.trim(),
            notOnProblemList: true,
          },
      protocolId: values.protocolId,
      route: protocol.route,
      product: protocol.product,
      startDate: values.startDate,
      dosingSessions: sessions!,
      weightKg: weight,
      startingDose: { value: starting!, unit },
      maximumDose: { value: maximum!, unit },
      goals: goalsToSend(values.goals),
      intentions: goalsToSend(values.intentions),
    },
    problems: null,
  };
}

/** What the live preview can be asked for with the inputs typed so far. */
export function toPreviewInput(values: PlanFormValues): PlanPreviewInput {
  const unit = doseUnitFor(protocols[values.protocolId].route);
  const sessions = parseNumber(values.dosingSessions);
  const weight = parseNumber(values.weightKg);
  const starting = parseNumber(values.startingDose);
  const maximum = parseNumber(values.maximumDose);
  return {
    protocolId: values.protocolId,
    ...(values.startDate ? { startDate: values.startDate } : {}),
    ...(sessions !== null && Number.isInteger(sessions) && sessions >= 1 && sessions <= 60
      ? { dosingSessions: sessions }
      : {}),
    ...(weight !== null && weight > 0 ? { weightKg: weight } : {}),
    ...(starting !== null && starting > 0 ? { startingDose: { value: starting, unit } } : {}),
    ...(maximum !== null && maximum > 0 ? { maximumDose: { value: maximum, unit } } : {}),
  };
}

export const planStatusLabels: Record<string, { label: string; color: string }> = {
  draft: { label: 'Draft', color: 'gray' },
  signed: { label: 'Active', color: 'teal' },
  superseded: { label: 'Superseded', color: 'blue' },
  ended: { label: 'Ended', color: 'dark' },
  discarded: { label: 'Discarded draft', color: 'gray' },
};

export const plannedEventLabels: Record<string, string> = {
  preparation: 'Preparation',
  dosing: 'Dosing session',
  integration: 'Integration',
  measure: 'Measures due',
  'follow-up': 'Follow-up',
};
