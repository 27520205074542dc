/**
 * The intake's questions as the portal and the staff console show them: wording, grouping and order. The
 * answers' shape and the completeness rules belong to the server (`modules/intake/intake.schemas.ts`): what
 * is missing comes back in `missing`, and the contraindication flags in `flagged`. `showWhen` below only
 * decides which follow-up questions to display while a person fills in the form.
 */

export const intakeSections = [
  'medical',
  'psychiatric',
  'substances',
  'medications',
  'allergies',
  'emergencyContact',
  'goals',
] as const;
export type IntakeSection = (typeof intakeSections)[number];

export type IntakeAnswerValue = 'yes' | 'no' | 'unsure';
export type Draft = Record<string, unknown>;

export interface QuestionItem {
  kind: 'question';
  /** Path of the question under the answers, e.g. `medical.cardiovascular.hypertension`. */
  path: string;
  label: string;
  help?: string;
  /** Shown for "yes" and "not sure". */
  detailsLabel?: string;
  showWhen?: (draft: Draft) => boolean;
}
export interface TextItem {
  kind: 'text';
  path: string;
  label: string;
  help?: string;
  multiline?: boolean;
  inputType?: 'text' | 'tel' | 'date';
  required: boolean;
  autoComplete?: string;
  showWhen?: (draft: Draft) => boolean;
}
export interface ListField {
  key: string;
  label: string;
  required: boolean;
  options?: { value: string; label: string }[];
}
export interface ListItem {
  kind: 'list';
  path: string;
  label: string;
  addLabel: string;
  itemNoun: string;
  fields: ListField[];
  showWhen?: (draft: Draft) => boolean;
}
export type IntakeItem = QuestionItem | TextItem | ListItem;
export interface IntakeGroup {
  title: string;
  items: IntakeItem[];
}
export interface IntakeSectionDef {
  id: IntakeSection;
  title: string;
  intro: string;
  groups: IntakeGroup[];
}

export function valueAt(draft: unknown, path: string): unknown {
  let value = draft;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

export function answerAt(draft: unknown, path: string): IntakeAnswerValue | undefined {
  const value = valueAt(draft, path) as { answer?: IntakeAnswerValue } | undefined;
  return value?.answer;
}

const yesOrUnsure = (path: string) => (draft: Draft) => {
  const answer = answerAt(draft, path);
  return answer === 'yes' || answer === 'unsure';
};
const isYes = (path: string) => (draft: Draft) => answerAt(draft, path) === 'yes';

const q = (path: string, label: string, extra: Partial<QuestionItem> = {}): QuestionItem => ({
  kind: 'question',
  path,
  label,
  detailsLabel: 'Tell us more: what, when, and how it is treated (optional)',
  ...extra,
});

export const intakeQuestionSections: IntakeSectionDef[] = [
  {
    id: 'medical',
    title: 'Medical history',
    intro:
      'Some health conditions change whether ketamine is safe for you, or how your care team looks after you during a session. If you are not sure, choose “Not sure” and we will go through it with you.',
    groups: [
      {
        title: 'Heart and blood vessels',
        items: [
          q('medical.cardiovascular.hypertension', 'Have you been told you have high blood pressure?'),
          q(
            'medical.cardiovascular.hypertensionControlled',
            'Is your blood pressure well controlled, with or without treatment?',
            { showWhen: yesOrUnsure('medical.cardiovascular.hypertension') },
          ),
          q(
            'medical.cardiovascular.heartDisease',
            'Have you had heart disease, a heart attack, angina (chest pain from the heart) or heart failure?',
          ),
          q(
            'medical.cardiovascular.arrhythmia',
            'Have you had an irregular heartbeat or a heart rhythm problem?',
          ),
          q(
            'medical.cardiovascular.aneurysmOrAvm',
            'Have you been told you have an aneurysm (a bulging blood vessel, in the brain, chest, belly or elsewhere) or an arteriovenous malformation?',
          ),
          q('medical.cardiovascular.stroke', 'Have you had a stroke or a “mini-stroke” (TIA)?'),
          q('medical.cardiovascular.brainBleed', 'Have you ever had bleeding in or around the brain?'),
        ],
      },
      {
        title: 'Brain and nerves',
        items: [
          q('medical.neurological.seizures', 'Have you had seizures or epilepsy?'),
          q(
            'medical.neurological.headInjury',
            'Have you had a serious head injury (for example one that knocked you out or needed a hospital stay)?',
          ),
          q(
            'medical.neurological.raisedIntracranialPressure',
            'Have you been told you have raised pressure inside the skull, a brain tumour or hydrocephalus?',
          ),
        ],
      },
      {
        title: 'Other conditions',
        items: [
          q('medical.eyes.glaucoma', 'Do you have glaucoma or raised pressure in the eyes?'),
          q('medical.thyroid.hyperthyroidism', 'Do you have an overactive thyroid (hyperthyroidism)?'),
          q(
            'medical.hepatic.liverDisease',
            'Do you have liver disease, such as hepatitis or cirrhosis, or have you been told your liver tests are abnormal?',
          ),
          q(
            'medical.urinary.bladderProblems',
            'Do you have bladder or urinary problems, such as pain when passing urine, needing to go very often or urgently, or interstitial cystitis?',
          ),
        ],
      },
      {
        title: 'Pregnancy',
        items: [
          q(
            'medical.reproductive.pregnancyPossible',
            'Could you be pregnant, or are you pregnant or breastfeeding?',
            {
              help: 'Ketamine is not recommended in pregnancy or while breastfeeding. This question is for everyone; choose “No” if it does not apply to you.',
              detailsLabel: 'Anything you would like us to know (optional)',
            },
          ),
          q('medical.reproductive.pregnant', 'Are you pregnant now, or might you be?', {
            showWhen: yesOrUnsure('medical.reproductive.pregnancyPossible'),
            detailsLabel: 'How many weeks, if you know (optional)',
          }),
          q('medical.reproductive.breastfeeding', 'Are you breastfeeding?', {
            showWhen: yesOrUnsure('medical.reproductive.pregnancyPossible'),
            detailsLabel: 'Anything you would like us to know (optional)',
          }),
          q(
            'medical.reproductive.preEclampsia',
            'Have you had pre-eclampsia or eclampsia (high blood pressure in pregnancy) in this or a recent pregnancy?',
            { showWhen: yesOrUnsure('medical.reproductive.pregnancyPossible') },
          ),
          {
            kind: 'text',
            path: 'medical.reproductive.lastMenstrualPeriod',
            label: 'First day of your last period (optional)',
            inputType: 'date',
            required: false,
            showWhen: yesOrUnsure('medical.reproductive.pregnancyPossible'),
          },
        ],
      },
      {
        title: 'Anything else',
        items: [
          q('medical.otherConditions', 'Do you have any other health condition we should know about?', {
            detailsLabel: 'Which conditions (optional)',
          }),
        ],
      },
    ],
  },
  {
    id: 'psychiatric',
    title: 'Mental health history',
    intro:
      'These questions help your prescriber understand what you have been through and what has helped. Your answers are kept in your clinical record and seen only by your care team.',
    groups: [
      {
        title: 'Your history',
        items: [
          q(
            'psychiatric.psychosis',
            'Have you ever had psychosis (hearing or seeing things others did not, or strong beliefs others found untrue) or been diagnosed with schizophrenia?',
          ),
          q(
            'psychiatric.mania',
            'Have you ever had mania or hypomania (days of unusually high energy or mood, little need for sleep), or been diagnosed with bipolar disorder?',
          ),
          q('psychiatric.dissociativeDisorder', 'Have you been diagnosed with a dissociative disorder?'),
          q('psychiatric.hospitalisations', 'Have you ever stayed in hospital for your mental health?', {
            detailsLabel: 'When, and what for (optional)',
          }),
          q('psychiatric.suicideAttempts', 'Have you ever tried to end your life?', {
            help: 'If you are having thoughts of ending your life now, please call or text 988, or use the crisis numbers at the top of this page.',
            detailsLabel: 'When it last happened (optional)',
          }),
        ],
      },
      {
        title: 'Treatments you have had',
        items: [
          q('psychiatric.priorTreatments.therapy', 'Have you had talking therapy or counselling?', {
            detailsLabel: 'What kind, and for how long (optional)',
          }),
          q(
            'psychiatric.priorTreatments.ectOrTms',
            'Have you had electroconvulsive therapy (ECT) or transcranial magnetic stimulation (TMS)?',
          ),
          q(
            'psychiatric.priorTreatments.ketamineOrEsketamine',
            'Have you had ketamine or esketamine (Spravato) as a treatment before?',
            { detailsLabel: 'Where, when, and how it went (optional)' },
          ),
          q('psychiatric.antidepressants.tried', 'Have you taken antidepressant medication?', {
            detailsLabel: 'Anything else about your medication history (optional)',
          }),
          {
            kind: 'list',
            path: 'psychiatric.antidepressants.trials',
            label: 'Antidepressants you have taken',
            addLabel: 'Add an antidepressant',
            itemNoun: 'Antidepressant',
            showWhen: isYes('psychiatric.antidepressants.tried'),
            fields: [
              { key: 'drug', label: 'Medicine', required: true },
              { key: 'dose', label: 'Dose, if you remember', required: false },
              { key: 'duration', label: 'How long you took it, if you remember', required: false },
              {
                key: 'response',
                label: 'How well did it work?',
                required: true,
                options: [
                  { value: 'good', label: 'It helped a lot' },
                  { value: 'partial', label: 'It helped a little' },
                  { value: 'none', label: 'It did not help' },
                  { value: 'not-tolerated', label: 'I could not tolerate it' },
                  { value: 'unsure', label: 'Not sure' },
                ],
              },
            ],
          },
        ],
      },
    ],
  },
  {
    id: 'substances',
    title: 'Alcohol and drugs',
    intro:
      'Some substances interact with ketamine, and honest answers keep you safe. Answering “yes” does not by itself stop your treatment.',
    groups: [
      {
        title: 'In the past year, have you used…',
        items: [
          q('substances.alcohol', 'Alcohol?', { detailsLabel: 'How much and how often (optional)' }),
          q('substances.cannabis', 'Cannabis?', { detailsLabel: 'How much and how often (optional)' }),
          q('substances.stimulants', 'Stimulants, such as cocaine or amphetamines, not prescribed to you?', {
            detailsLabel: 'What, and how often (optional)',
          }),
          q(
            'substances.opioids',
            'Opioids, such as heroin, fentanyl, or painkillers not prescribed to you?',
            {
              detailsLabel: 'What, and how often (optional)',
            },
          ),
          q('substances.benzodiazepines', 'Benzodiazepines or sleeping pills not prescribed to you?', {
            detailsLabel: 'What, and how often (optional)',
          }),
          q(
            'substances.hallucinogensOrDissociatives',
            'Psychedelics or dissociatives, such as psilocybin, LSD, MDMA, PCP or ketamine?',
            { detailsLabel: 'What, and how often (optional)' },
          ),
        ],
      },
      {
        title: 'At any time',
        items: [
          q('substances.priorKetamineUse', 'Have you ever used ketamine outside a medical treatment?', {
            detailsLabel: 'When, and how often (optional)',
          }),
          q(
            'substances.misuseHistory',
            'Have you ever had a problem with alcohol or drugs, or been told you have a substance use disorder?',
          ),
          q('substances.opioidUseDisorder', 'Have you ever had a problem with opioids?'),
          q('substances.treatmentHistory', 'Have you ever had treatment for alcohol or drug use?'),
        ],
      },
    ],
  },
  {
    id: 'medications',
    title: 'Current medicines',
    intro:
      'Some medicines change how ketamine works or how safe it is. Include prescriptions, over-the-counter medicines and supplements.',
    groups: [
      {
        title: 'Medicines',
        items: [
          q('medications.taking', 'Are you taking any medicines or supplements at the moment?', {
            detailsLabel: 'Anything else about your medicines (optional)',
          }),
          {
            kind: 'list',
            path: 'medications.items',
            label: 'Medicines you take',
            addLabel: 'Add a medicine',
            itemNoun: 'Medicine',
            showWhen: isYes('medications.taking'),
            fields: [
              { key: 'name', label: 'Name', required: true },
              { key: 'dose', label: 'Dose (for example 50 mg)', required: true },
              { key: 'frequency', label: 'How often (for example twice a day)', required: true },
            ],
          },
        ],
      },
    ],
  },
  {
    id: 'allergies',
    title: 'Allergies',
    intro: 'Tell us about any allergy, to medicines (including anaesthetics), foods, latex or anything else.',
    groups: [
      {
        title: 'Allergies',
        items: [
          q('allergies.any', 'Do you have any allergies?', { detailsLabel: 'Anything else (optional)' }),
          {
            kind: 'list',
            path: 'allergies.items',
            label: 'Your allergies',
            addLabel: 'Add an allergy',
            itemNoun: 'Allergy',
            showWhen: isYes('allergies.any'),
            fields: [
              { key: 'substance', label: 'Allergic to', required: true },
              { key: 'reaction', label: 'What happens (for example a rash)', required: true },
            ],
          },
        ],
      },
    ],
  },
  {
    id: 'emergencyContact',
    title: 'Emergency contact',
    intro: 'Someone we can call if we need to reach a person close to you during or after a session.',
    groups: [
      {
        title: 'Emergency contact',
        items: [
          { kind: 'text', path: 'emergencyContact.name', label: 'Name', required: true, autoComplete: 'off' },
          {
            kind: 'text',
            path: 'emergencyContact.relationship',
            label: 'Relationship to you',
            required: true,
          },
          {
            kind: 'text',
            path: 'emergencyContact.phone',
            label: 'Phone number',
            inputType: 'tel',
            required: true,
            autoComplete: 'off',
          },
        ],
      },
    ],
  },
  {
    id: 'goals',
    title: 'Your goals',
    intro: 'In your own words: what you hope treatment will help with. There are no right or wrong answers.',
    groups: [
      {
        title: 'Goals',
        items: [
          {
            kind: 'text',
            path: 'goals.goals',
            label: 'What would you like treatment to help you with?',
            multiline: true,
            required: true,
          },
          {
            kind: 'text',
            path: 'goals.concerns',
            label: 'Is there anything you are worried about? (optional)',
            multiline: true,
            required: false,
          },
        ],
      },
    ],
  },
];

export const sectionTitles: Record<IntakeSection, string> = Object.fromEntries(
  intakeQuestionSections.map((s) => [s.id, s.title]),
) as Record<IntakeSection, string>;

export const answerLabels: Record<IntakeAnswerValue, string> = { yes: 'Yes', no: 'No', unsure: 'Not sure' };

const itemsByPath = new Map<string, IntakeItem>(
  intakeQuestionSections.flatMap((s) => s.groups.flatMap((g) => g.items.map((i) => [i.path, i] as const))),
);

/** The item a (possibly deeper) answer path belongs to: `medications.items.1.dose` → the medicines list. */
export function itemForPath(path: string): IntakeItem | undefined {
  const parts = path.split('.');
  for (let length = parts.length; length > 0; length--) {
    const item = itemsByPath.get(parts.slice(0, length).join('.'));
    if (item) return item;
  }
  return undefined;
}

/** A person-readable name for an answer path, for the version history ("Medicines you take: item 2, dose"). */
export function describePath(path: string): string {
  const item = itemForPath(path);
  if (!item) return path;
  const rest = path
    .slice(item.path.length + 1)
    .split('.')
    .filter(Boolean);
  const label = item.kind === 'question' ? item.label : item.label;
  if (rest.length === 0) return label;
  if (item.kind === 'question') return rest[0] === 'details' ? `${label} (details)` : label;
  if (item.kind === 'list') {
    const [index, key] = rest;
    const field = item.fields.find((f) => f.key === key);
    return `${label}: ${item.itemNoun.toLowerCase()} ${Number(index) + 1}${field ? `, ${field.label.toLowerCase()}` : ''}`;
  }
  return label;
}

/** The section an answer path is in. */
export function sectionOfPath(path: string): IntakeSection | undefined {
  const first = path.replace(/^answers\./, '').split('.')[0];
  return intakeSections.find((s) => s === first);
}

/** A copy of the draft with the value at `path` replaced (objects created on the way). */
export function setAt(draft: Draft, path: string, value: unknown): Draft {
  const [head, ...rest] = path.split('.');
  if (head === undefined) return draft;
  const current = draft[head];
  if (rest.length === 0) {
    const next = { ...draft };
    if (value === undefined) delete next[head];
    else next[head] = value;
    return next;
  }
  if (Array.isArray(current)) {
    const copy = [...current];
    const index = Number(rest[0]);
    const inner = rest.slice(1);
    copy[index] = inner.length === 0 ? value : setAt((copy[index] ?? {}) as Draft, inner.join('.'), value);
    return { ...draft, [head]: copy };
  }
  const child = current && typeof current === 'object' ? (current as Draft) : {};
  return { ...draft, [head]: setAt(child, rest.join('.'), value) };
}
