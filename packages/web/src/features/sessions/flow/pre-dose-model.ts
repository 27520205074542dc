/**
 * The pre-dose checklist's pure parts. What the nurse confirms at the chair goes to the server, which feeds
 * `preDoseGate` (@kapstone/clinical) with it and with what it already holds (ride home, today's PHQ-9 or
 * C-SSRS, the baseline vitals and MOAA/S, medication changes). The gate's answer, blockers and cautions, is
 * the server's; this model only shapes the form and the override of cautions.
 */

export type PregnancyStatus =
  | 'not-applicable'
  | 'not-pregnant'
  | 'test-negative'
  | 'test-positive'
  | 'pregnant';

export const pregnancyLabels: Record<PregnancyStatus, string> = {
  'not-applicable': 'Not applicable',
  'not-pregnant': 'Not pregnant (patient’s report)',
  'test-negative': 'Pregnancy test today: negative',
  'test-positive': 'Pregnancy test today: positive',
  pregnant: 'Pregnant',
};

export interface PreDoseFormValues {
  /** Hours since the last food and the last liquids, as typed (e.g. "3", "0.5"). */
  hoursSinceFood: string;
  hoursSinceLiquids: string;
  /** The escort named for the ride home is here (or reachable to collect the patient). */
  escortPresent: boolean;
  pregnancy: PregnancyStatus;
  /** One medication a line: started or changed since the plan was signed. */
  medicationChanges: string;
  /** A clinician assessed the suicide risk in person today. */
  suicideRiskAssessedToday: boolean;
  note: string;
}

/** The answers the server feeds to preDoseGate with what it already holds (the shape of its checklist). */
export interface PreDoseChecklistSubmission {
  id: string;
  hoursSinceFood: number | null;
  hoursSinceLiquids: number | null;
  pregnant: boolean | null;
  pregnancyTestNegative: boolean | null;
  medicationChanges: { name: string }[];
  suicideRiskAssessedToday: boolean;
  escortPresent: boolean;
  note: string | null;
}

export function emptyPreDoseForm(): PreDoseFormValues {
  return {
    hoursSinceFood: '',
    hoursSinceLiquids: '',
    escortPresent: false,
    pregnancy: 'not-applicable',
    medicationChanges: '',
    suicideRiskAssessedToday: false,
    note: '',
  };
}

/** The form again from the answers of the last checklist run, to correct and run it again. */
export function formFromAnswers(answers: Omit<PreDoseChecklistSubmission, 'id'>): PreDoseFormValues {
  let pregnancy: PregnancyStatus = 'not-applicable';
  if (answers.pregnant === true)
    pregnancy = answers.pregnancyTestNegative === false ? 'test-positive' : 'pregnant';
  else if (answers.pregnant === false)
    pregnancy = answers.pregnancyTestNegative ? 'test-negative' : 'not-pregnant';
  return {
    hoursSinceFood: answers.hoursSinceFood === null ? '' : String(answers.hoursSinceFood),
    hoursSinceLiquids: answers.hoursSinceLiquids === null ? '' : String(answers.hoursSinceLiquids),
    escortPresent: answers.escortPresent,
    pregnancy,
    medicationChanges: answers.medicationChanges.map((m) => m.name).join('\n'),
    suicideRiskAssessedToday: answers.suicideRiskAssessedToday,
    note: answers.note ?? '',
  };
}

const pregnancyAnswers: Record<
  PregnancyStatus,
  { pregnant: boolean | null; pregnancyTestNegative: boolean | null }
> = {
  'not-applicable': { pregnant: null, pregnancyTestNegative: null },
  'not-pregnant': { pregnant: false, pregnancyTestNegative: null },
  'test-negative': { pregnant: false, pregnancyTestNegative: true },
  'test-positive': { pregnant: true, pregnancyTestNegative: false },
  pregnant: { pregnant: true, pregnancyTestNegative: null },
};

function hours(text: string): number | null | 'invalid' {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') return null;
  const value = Number(trimmed);
  if (!Number.isFinite(value) || value < 0 || value > 72) return 'invalid';
  return value;
}

/**
 * Shape check only: a missing escort or fasting time is not an error of the form, it is a blocker or a
 * caution the gate names, so the checklist can be saved and the gate seen.
 */
export function toChecklistSubmission(
  values: PreDoseFormValues,
  id: string,
): { submission: PreDoseChecklistSubmission | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const food = hours(values.hoursSinceFood);
  const liquids = hours(values.hoursSinceLiquids);
  if (food === 'invalid') errors.hoursSinceFood = 'Enter hours as a number between 0 and 72.';
  if (liquids === 'invalid') errors.hoursSinceLiquids = 'Enter hours as a number between 0 and 72.';
  const medicationChanges = values.medicationChanges
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((name) => ({ name }));
  if (Object.keys(errors).length > 0) return { submission: null, errors };
  return {
    submission: {
      id,
      hoursSinceFood: food as number | null,
      hoursSinceLiquids: liquids as number | null,
      ...pregnancyAnswers[values.pregnancy],
      medicationChanges,
      suicideRiskAssessedToday: values.suicideRiskAssessedToday,
      escortPresent: values.escortPresent,
      note: values.note.trim() || null,
    },
    errors,
  };
}

export interface GateResult {
  proceed: boolean;
  blockers: string[];
  cautions: string[];
}

export type GateStatus =
  | { kind: 'not-checked'; headline: string }
  | { kind: 'blocked'; headline: string }
  | { kind: 'cautions'; headline: string }
  | { kind: 'cautions-overridden'; headline: string }
  | { kind: 'clear'; headline: string };

/** One line for the top of the panel, in the words a nurse uses at the chair. */
export function gateStatus(gate: GateResult | null, overridden: boolean): GateStatus {
  if (!gate) return { kind: 'not-checked', headline: 'Pre-dose checks not done yet' };
  if (gate.blockers.length > 0) {
    const n = gate.blockers.length;
    return { kind: 'blocked', headline: `Do not dose: ${n} ${n === 1 ? 'blocker' : 'blockers'} to resolve` };
  }
  if (gate.cautions.length > 0) {
    const n = gate.cautions.length;
    return overridden
      ? {
          kind: 'cautions-overridden',
          headline: `Cleared to dose by a prescriber over ${n} ${n === 1 ? 'caution' : 'cautions'}`,
        }
      : {
          kind: 'cautions',
          headline: `${n} ${n === 1 ? 'caution needs' : 'cautions need'} a prescriber’s review`,
        };
  }
  return { kind: 'clear', headline: 'Cleared to dose: every check passed' };
}

export interface OverrideFormValues {
  /** The cautions the prescriber has read and accepts, by their text. */
  acknowledged: string[];
  rationale: string;
  password: string;
}

export interface OverrideSubmission {
  signatureId: string;
  cautions: string[];
  rationale: string;
  password: string;
}

/** A rationale a reviewer can read: at least a short sentence. */
export const minimumRationaleLength = 10;

/**
 * A prescriber's override of the gate's cautions. Blockers are never overridable (clinical-reference 4.6:
 * "blockers stop the dose outright"); every caution must be acknowledged; rationale and password are required.
 */
export function toOverrideSubmission(input: {
  gate: GateResult;
  values: OverrideFormValues;
  signatureId: string;
}): { submission: OverrideSubmission | null; errors: Record<string, string> } {
  const { gate, values } = input;
  const errors: Record<string, string> = {};
  if (gate.blockers.length > 0)
    errors.form = 'A blocker cannot be overridden: resolve it (or abort the session) first.';
  else if (gate.cautions.length === 0) errors.form = 'There is no caution to override.';
  const missing = gate.cautions.filter((caution) => !values.acknowledged.includes(caution));
  if (!errors.form && missing.length > 0)
    errors.acknowledged = `Acknowledge each caution (${missing.length} not yet).`;
  if (values.rationale.trim().length < minimumRationaleLength)
    errors.rationale = 'Write why dosing is safe despite the cautions (a sentence at least).';
  if (!values.password) errors.password = 'Re-enter your password to sign the override.';
  if (Object.keys(errors).length > 0) return { submission: null, errors };
  return {
    submission: {
      signatureId: input.signatureId,
      cautions: [...gate.cautions],
      rationale: values.rationale.trim(),
      password: values.password,
    },
    errors,
  };
}
