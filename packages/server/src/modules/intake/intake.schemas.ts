import { z } from 'zod';

/**
 * The patient's intake questionnaire.
 *
 * Every question is answered with an explicit 'yes' | 'no' | 'unsure' (and optional details), so that an
 * unanswered question (the key is absent) is never confused with "no". Drafts may be partial
 * (`intakeDraftSchema`); a submission must be complete (`missingIntakeFields(draft)` returns the missing
 * answers by path, and `intakeAnswersSchema` is the complete shape).
 *
 * Coverage of the contraindications: every contraindication, warning and exclusion criterion listed in
 * clinical-reference 3.1 (label contraindications), 3.2 (label warnings), 3.4 (practice and real-world
 * exclusions) and 3.5 (the classification used for encoding) has a question here; `contraindicationQuestions`
 * maps each question path to the section it comes from. The drug interactions of clinical-reference 3.3
 * are caught from the medication list (`medications.items`) by @kapstone/clinical's medication classes,
 * and in `substances` for benzodiazepines, opioids, stimulants and alcohol taken outside a prescription.
 * Current suicidal intent (3.4 "recent suicidal intent") is asked by the C-SSRS screener among the baseline
 * instruments, which raises a risk alert at once; the intake asks for past attempts (with when) only, so
 * that a "yes" typed into a form nobody watches in real time is never the only place current risk appears.
 */

export const intakeAnswerValues = ['yes', 'no', 'unsure'] as const;
export const intakeAnswer = z.enum(intakeAnswerValues);
export type IntakeAnswer = z.infer<typeof intakeAnswer>;

const details = z.string().trim().max(2000).optional();
const requiredText = (max: number) => z.string().trim().min(1, 'Required').max(max);
const optionalText = (max: number) => z.string().trim().max(max).optional();

/** A yes / no / unsure question with optional free-text details (what, when, how it is treated). */
export const intakeQuestion = z.strictObject({ answer: intakeAnswer, details });
export type IntakeQuestion = z.infer<typeof intakeQuestion>;

const q = () => intakeQuestion;
/** A follow-up question, asked (and required) only when its condition holds (see `conditionalRequirements`). */
const followUp = () => intakeQuestion.optional();

export const antidepressantResponseValues = ['none', 'partial', 'good', 'not-tolerated', 'unsure'] as const;

export const antidepressantTrial = z.strictObject({
  drug: requiredText(200),
  dose: optionalText(100),
  /** Free text as the patient remembers it ("about 6 months"). */
  duration: optionalText(100),
  response: z.enum(antidepressantResponseValues),
  details,
});

export const intakeMedication = z.strictObject({
  name: requiredText(200),
  dose: requiredText(100),
  frequency: requiredText(100),
});

export const intakeAllergy = z.strictObject({
  substance: requiredText(200),
  reaction: requiredText(500),
});

export const medicalHistorySchema = z.strictObject({
  cardiovascular: z.strictObject({
    /** 3.1 (BP rise a serious hazard; >180/100 untreated), 3.2, 3.5 (controlled hypertension: relative). */
    hypertension: q(),
    /** Asked when hypertension is 'yes' or 'unsure': poorly controlled or untreated hypertension is 3.1. */
    hypertensionControlled: followUp(),
    /** Coronary or myocardial disease, heart attack, angina, heart failure (3.1 UK SmPC, 3.4 "uncontrolled cardiac disease"). */
    heartDisease: q(),
    arrhythmia: q(),
    /** Aneurysm (aorta, brain, other arteries) or arteriovenous malformation (3.1 SPRAVATO). */
    aneurysmOrAvm: q(),
    /** Stroke or TIA (3.1 UK SmPC "cerebrovascular accident"). */
    stroke: q(),
    /** Bleeding in the brain (3.1 SPRAVATO "history of intracerebral hemorrhage"). */
    brainBleed: q(),
  }),
  neurological: z.strictObject({
    seizures: q(),
    /** Serious head injury (3.1 UK SmPC "cerebral trauma"). */
    headInjury: q(),
    /** Raised intracranial pressure, brain tumour, hydrocephalus (3.2). */
    raisedIntracranialPressure: q(),
  }),
  /** Glaucoma or raised eye pressure (3.2 intraocular pressure, 3.5). */
  eyes: z.strictObject({ glaucoma: q() }),
  /** Overactive thyroid (3.1 Swiss label, 3.5). */
  thyroid: z.strictObject({ hyperthyroidism: q() }),
  /** Liver disease: hepatitis, cirrhosis, abnormal liver tests (3.2 hepatic, 3.5). */
  hepatic: z.strictObject({ liverDisease: q() }),
  /** Bladder or urinary problems, interstitial cystitis (3.2 genitourinary, 3.5). */
  urinary: z.strictObject({ bladderProblems: q() }),
  /**
   * Pregnancy, where relevant: `pregnancyPossible` is asked of everyone ("could you be pregnant, or are you
   * pregnant or breastfeeding?"); the rest only when it is 'yes' or 'unsure' (3.2 pregnancy and lactation,
   * 3.4 "pregnancy or nursing", 3.1 eclampsia / pre-eclampsia).
   */
  reproductive: z.strictObject({
    pregnancyPossible: q(),
    pregnant: followUp(),
    breastfeeding: followUp(),
    /** Pre-eclampsia or eclampsia in a current or recent pregnancy (3.1 UK SmPC, Swiss label). */
    preEclampsia: followUp(),
    /** Optional: the first day of the last menstrual period. */
    lastMenstrualPeriod: z.iso.date().optional(),
  }),
  /** Any other condition the clinic should know about. */
  otherConditions: q(),
});

export const psychiatricHistorySchema = z.strictObject({
  /** Psychosis or schizophrenia (3.2, 3.4 "active or past psychosis", 3.5). */
  psychosis: q(),
  /** Mania, hypomania or bipolar disorder (3.4 "active or past mania", 3.5 bipolar). */
  mania: q(),
  dissociativeDisorder: q(),
  /** Psychiatric hospital admissions (details: when, why). */
  hospitalisations: q(),
  /** Past suicide attempts (details: when): 3.4 "recent suicidal ... attempt", 3.2 suicidality warning. */
  suicideAttempts: q(),
  priorTreatments: z.strictObject({
    therapy: q(),
    /** Electroconvulsive therapy or transcranial magnetic stimulation. */
    ectOrTms: q(),
    /** Ketamine or esketamine given as treatment before. */
    ketamineOrEsketamine: q(),
  }),
  antidepressants: z.strictObject({
    /** Have you taken antidepressant medication? 'yes' needs at least one trial listed. */
    tried: q(),
    trials: z.array(antidepressantTrial).max(50).default([]),
  }),
});

/**
 * Substance use: "in the past year" (details: what, how much, how often). Clinical-reference 3.2 (substance
 * use disorder, abuse potential), 3.3 (CNS depressants, stimulants), 3.4 (current dependence, history of
 * opioid use disorder). Kept apart from the rest because SUD information can fall under 42 CFR Part 2
 * (clinical-reference 7.3) if the clinic is a Part 2 program.
 */
export const substanceUseSchema = z.strictObject({
  alcohol: q(),
  cannabis: q(),
  stimulants: q(),
  opioids: q(),
  benzodiazepines: q(),
  /** Psychedelics, ketamine, PCP or other dissociatives outside treatment. */
  hallucinogensOrDissociatives: q(),
  /** Any ketamine use outside a treatment setting, ever (details: when, how often). */
  priorKetamineUse: q(),
  /** Ever had a problem with alcohol or drugs, or been told you have a substance use disorder. */
  misuseHistory: q(),
  /** Ever had a problem with opioids (3.4 "history of opioid use disorder"). */
  opioidUseDisorder: q(),
  /** Ever had treatment for alcohol or drug use. */
  treatmentHistory: q(),
});

export const medicationsSchema = z.strictObject({
  /** Taking any medicine, including over-the-counter medicines and supplements. 'yes' needs items. */
  taking: q(),
  items: z.array(intakeMedication).max(100).default([]),
});

export const allergiesSchema = z.strictObject({
  /** Any allergy (medicines, anaesthetics, foods, latex). 'yes' needs items. 3.1 hypersensitivity. */
  any: q(),
  items: z.array(intakeAllergy).max(100).default([]),
});

export const intakeEmergencyContactSchema = z.strictObject({
  name: requiredText(200),
  relationship: requiredText(100),
  phone: z.string().trim().min(3, 'Enter a phone number').max(40),
});

export const treatmentGoalsSchema = z.strictObject({
  goals: requiredText(4000),
  concerns: optionalText(4000),
});

/** The complete intake, as submitted. Follow-up questions are present when their condition held. */
export const intakeAnswersSchema = z.strictObject({
  medical: medicalHistorySchema,
  psychiatric: psychiatricHistorySchema,
  substances: substanceUseSchema,
  medications: medicationsSchema,
  allergies: allergiesSchema,
  emergencyContact: intakeEmergencyContactSchema,
  goals: treatmentGoalsSchema,
});
export type IntakeAnswers = z.infer<typeof intakeAnswersSchema>;

/** The sections of the intake, in the order the portal asks them (one step each). */
export const intakeSections = [
  'medical',
  'psychiatric',
  'substances',
  'medications',
  'allergies',
  'emergencyContact',
  'goals',
] as const satisfies readonly (keyof IntakeAnswers)[];
export type IntakeSection = (typeof intakeSections)[number];

// ---------------------------------------------------------------------------------------------------------
// Drafts: the same shape with every field optional (recursively), validated as far as it is filled in.

type DeepPartial<T> = T extends readonly (infer E)[]
  ? DeepPartial<E>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;
export type IntakeDraft = DeepPartial<IntakeAnswers>;

/** Makes every object key optional, recursively (zod 4 has no deepPartial); array defaults are dropped. */
function deepPartial(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodOptional) return deepPartial(schema.unwrap() as z.ZodType);
  if (schema instanceof z.ZodDefault) return deepPartial(schema.unwrap() as z.ZodType);
  if (schema instanceof z.ZodObject) {
    const shape: Record<string, z.ZodType> = {};
    for (const [key, value] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      shape[key] = deepPartial(value).optional();
    }
    return z.strictObject(shape);
  }
  if (schema instanceof z.ZodArray) {
    return z.array(deepPartial(schema.element as z.ZodType)).max(100);
  }
  // A draft text may be blank while it is being filled in (completeness reports it); its length is bounded.
  if (schema instanceof z.ZodString && !schema.format) {
    return z
      .string()
      .trim()
      .max(schema.maxLength ?? 4000);
  }
  return schema;
}

export const intakeDraftSchema = deepPartial(intakeAnswersSchema) as z.ZodType<IntakeDraft>;
/** One section of a draft (the portal saves a step at a time). */
export const intakeSectionDraftSchemas = Object.fromEntries(
  intakeSections.map((section) => [section, deepPartial(intakeAnswersSchema.shape[section])]),
) as { [S in IntakeSection]: z.ZodType<DeepPartial<IntakeAnswers[S]>> };

// ---------------------------------------------------------------------------------------------------------
// Completeness

export interface MissingField {
  /** Dot path, e.g. `medical.cardiovascular.hypertension` or `medications.items`. */
  path: string;
  message: string;
}

const answerOf = (value: unknown): IntakeAnswer | undefined =>
  value && typeof value === 'object' && 'answer' in value ? (value as IntakeQuestion).answer : undefined;
const affirmed = (value: unknown) => {
  const answer = answerOf(value);
  return answer === 'yes' || answer === 'unsure';
};

/**
 * Requirements that depend on another answer. Each is a pure predicate over the draft. "Unsure" counts as a
 * possible yes: a patient unsure whether they could be pregnant is asked the pregnancy questions.
 */
/** For each conditional list, the sibling question that decides whether it is asked. */
const listControl: Record<string, string> = {
  'psychiatric.antidepressants.trials': 'tried',
  'medications.items': 'taking',
  'allergies.items': 'any',
};

export const conditionalRequirements: readonly {
  path: string;
  when: (draft: IntakeDraft) => boolean;
  kind: 'question' | 'list';
  message: string;
}[] = [
  {
    path: 'medical.cardiovascular.hypertensionControlled',
    when: (d) => affirmed(d.medical?.cardiovascular?.hypertension),
    kind: 'question',
    message: 'Say whether your blood pressure is controlled',
  },
  {
    path: 'medical.reproductive.pregnant',
    when: (d) => affirmed(d.medical?.reproductive?.pregnancyPossible),
    kind: 'question',
    message: 'Say whether you are pregnant',
  },
  {
    path: 'medical.reproductive.breastfeeding',
    when: (d) => affirmed(d.medical?.reproductive?.pregnancyPossible),
    kind: 'question',
    message: 'Say whether you are breastfeeding',
  },
  {
    path: 'medical.reproductive.preEclampsia',
    when: (d) => affirmed(d.medical?.reproductive?.pregnancyPossible),
    kind: 'question',
    message: 'Say whether you have had pre-eclampsia or eclampsia',
  },
  {
    path: 'psychiatric.antidepressants.trials',
    when: (d) => answerOf(d.psychiatric?.antidepressants?.tried) === 'yes',
    kind: 'list',
    message: 'List at least one antidepressant you have taken',
  },
  {
    path: 'medications.items',
    when: (d) => answerOf(d.medications?.taking) === 'yes',
    kind: 'list',
    message: 'List at least one medicine you take',
  },
  {
    path: 'allergies.items',
    when: (d) => answerOf(d.allergies?.any) === 'yes',
    kind: 'list',
    message: 'List at least one allergy',
  },
];

const conditionalByPath = new Map(conditionalRequirements.map((r) => [r.path, r]));

/**
 * The draft without the follow-ups that no longer apply: a pregnancy answer after "pregnancy is not
 * possible", a medicines list after "not taking any". The stored answers then never carry a question the
 * patient was not asked (which would otherwise reach the eligibility engine). A follow-up question goes when
 * its condition fails; a list only on an explicit "no" (someone "not sure" may still list what they know).
 */
export function withoutUnaskedFollowUps(draft: IntakeDraft): IntakeDraft {
  const out = structuredClone(draft) as Record<string, unknown>;
  for (const requirement of conditionalRequirements) {
    const keys = requirement.path.split('.');
    const last = keys.pop() as string;
    const parent = get(out, keys.join('.'));
    if (!parent || typeof parent !== 'object' || !(last in parent)) continue;
    const drop =
      requirement.kind === 'question'
        ? !requirement.when(draft)
        : answerOf(get(out, `${keys.join('.')}.${listControl[requirement.path]}`)) === 'no';
    if (drop) delete (parent as Record<string, unknown>)[last];
  }
  return out as IntakeDraft;
}

function get(draft: unknown, path: string): unknown {
  let value: unknown = draft;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** Walks the complete schema beside the draft, reporting each required answer that is absent, in form order. */
function walk(
  schema: z.ZodType,
  value: unknown,
  path: string,
  draft: IntakeDraft,
  out: MissingField[],
  conditionChecked = false,
): void {
  const conditional = conditionChecked ? undefined : conditionalByPath.get(path);
  if (conditional) {
    if (conditional.when(draft)) {
      const missing =
        conditional.kind === 'question'
          ? answerOf(value) === undefined
          : !Array.isArray(value) || value.length === 0;
      if (missing) out.push({ path, message: conditional.message });
    }
    if (conditional.kind === 'question' || !Array.isArray(value)) return;
  }
  if (schema instanceof z.ZodOptional) {
    if (isBlank(value)) return;
    walk(schema.unwrap() as z.ZodType, value, path, draft, out, true);
    return;
  }
  if (schema instanceof z.ZodDefault) {
    walk(schema.unwrap() as z.ZodType, value ?? [], path, draft, out, true);
    return;
  }
  if (schema === intakeQuestion) {
    if (answerOf(value) === undefined) out.push({ path, message: 'Answer yes, no or not sure' });
    return;
  }
  if (schema instanceof z.ZodObject) {
    const record = value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
    for (const [key, child] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      walk(child, record[key], path ? `${path}.${key}` : key, draft, out);
    }
    return;
  }
  if (schema instanceof z.ZodArray) {
    if (!Array.isArray(value)) return;
    value.forEach((element, index) => {
      walk(schema.element as z.ZodType, element, `${path}.${index}`, draft, out);
    });
    return;
  }
  if (isBlank(value)) out.push({ path, message: 'Required' });
}

/**
 * The answers a submission still needs, by path, in the order of the form (empty when the draft is
 * complete). Pure: the same draft always gives the same list.
 */
export function missingIntakeFields(draft: IntakeDraft): MissingField[] {
  const out: MissingField[] = [];
  walk(intakeAnswersSchema, draft, '', draft, out);
  return out;
}

/** The sections that still have a missing answer (the portal resumes at the first). */
export function incompleteSections(draft: IntakeDraft): IntakeSection[] {
  const missing = missingIntakeFields(draft);
  return intakeSections.filter((s) => missing.some((m) => m.path === s || m.path.startsWith(`${s}.`)));
}

// ---------------------------------------------------------------------------------------------------------
// Contraindication questions: a "yes" (or "unsure") to one of these is highlighted for the prescriber.

export interface ContraindicationQuestion {
  path: string;
  reference: string;
  /** The answers that raise the flag: 'yes' and 'unsure' unless the question is asked the other way round. */
  flagOn?: readonly IntakeAnswer[];
}

export const contraindicationQuestions: readonly ContraindicationQuestion[] = [
  { path: 'medical.cardiovascular.hypertension', reference: 'clinical-reference 3.1, 3.2, 3.5' },
  {
    path: 'medical.cardiovascular.hypertensionControlled',
    reference: 'clinical-reference 3.1 (poorly controlled or untreated hypertension)',
    flagOn: ['no', 'unsure'],
  },
  { path: 'medical.cardiovascular.heartDisease', reference: 'clinical-reference 3.1, 3.2, 3.4' },
  { path: 'medical.cardiovascular.arrhythmia', reference: 'clinical-reference 3.2, 3.5' },
  { path: 'medical.cardiovascular.aneurysmOrAvm', reference: 'clinical-reference 3.1' },
  { path: 'medical.cardiovascular.stroke', reference: 'clinical-reference 3.1, 3.2' },
  { path: 'medical.cardiovascular.brainBleed', reference: 'clinical-reference 3.1' },
  { path: 'medical.neurological.headInjury', reference: 'clinical-reference 3.1' },
  { path: 'medical.neurological.raisedIntracranialPressure', reference: 'clinical-reference 3.2' },
  { path: 'medical.eyes.glaucoma', reference: 'clinical-reference 3.2, 3.5' },
  { path: 'medical.thyroid.hyperthyroidism', reference: 'clinical-reference 3.1, 3.5' },
  { path: 'medical.hepatic.liverDisease', reference: 'clinical-reference 3.2, 3.5' },
  { path: 'medical.urinary.bladderProblems', reference: 'clinical-reference 3.2, 3.5' },
  { path: 'medical.reproductive.pregnant', reference: 'clinical-reference 3.2, 3.4, 3.5' },
  { path: 'medical.reproductive.breastfeeding', reference: 'clinical-reference 3.2, 3.4, 3.5' },
  { path: 'medical.reproductive.preEclampsia', reference: 'clinical-reference 3.1' },
  { path: 'psychiatric.psychosis', reference: 'clinical-reference 3.2, 3.4, 3.5' },
  { path: 'psychiatric.mania', reference: 'clinical-reference 3.4, 3.5' },
  { path: 'psychiatric.suicideAttempts', reference: 'clinical-reference 3.2, 3.4' },
  { path: 'substances.alcohol', reference: 'clinical-reference 3.2, 3.3' },
  { path: 'substances.stimulants', reference: 'clinical-reference 3.3' },
  { path: 'substances.opioids', reference: 'clinical-reference 3.3, 3.4' },
  { path: 'substances.benzodiazepines', reference: 'clinical-reference 3.3' },
  { path: 'substances.misuseHistory', reference: 'clinical-reference 3.2, 3.4, 3.5' },
  { path: 'substances.opioidUseDisorder', reference: 'clinical-reference 3.4, 3.5' },
  { path: 'allergies.any', reference: 'clinical-reference 3.1 (hypersensitivity to ketamine)' },
];

/** The contraindication questions whose answer raises the flag (by default 'yes' or 'unsure'). */
export function flaggedContraindicationAnswers(answers: IntakeDraft): ContraindicationQuestion[] {
  return contraindicationQuestions.filter((question) => {
    // A follow-up left over from an earlier answer (pregnancy no longer possible) was not asked: no flag.
    const condition = conditionalByPath.get(question.path);
    if (condition && !condition.when(answers)) return false;
    const answer = answerOf(get(answers, question.path));
    return answer !== undefined && (question.flagOn ?? ['yes', 'unsure']).includes(answer);
  });
}
