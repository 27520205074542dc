import type { Citation, RuleMetadata } from '../types.ts';

/*
 * The patient's side of each dosing session: a short rating of the experience given the day after, and the
 * guided journal prompts tied to the session's intention. Both are a Kapstone design, not a validated
 * instrument: the reference gives no scale, no item wording and no cut-off for either (clinical-reference 4.6:
 * intention setting has "no numeric standard"; 5.2: psychotherapy after the sessions may make the benefit
 * last; 5.3: a clinician follow-up 1–2 days after the first session, Hull et al. 2022). So nothing here
 * scores, sums or bands the answers; a "difficult experience" flag exists only when the clinic sets its own
 * threshold (ClinicSettings `experienceRating.difficultyFlagAtLeast`, no default).
 */

const cite = (section: string, source: string, evidence: Citation['evidence']): Citation => ({
  section: `clinical-reference ${section}`,
  source,
  evidence,
});

/** The four 0–10 questions, one per screen in the portal. */
export const experienceScales = [
  {
    id: 'intensity',
    question: 'How intense was the experience?',
    low: 'Not intense at all',
    high: 'As intense as I can imagine',
  },
  {
    id: 'difficulty',
    question: 'How emotionally difficult was it?',
    low: 'Not difficult at all',
    high: 'Extremely difficult',
  },
  {
    id: 'insight',
    question: 'How much insight or meaning did it bring you?',
    low: 'None',
    high: 'A great deal',
  },
  {
    id: 'support',
    question: 'How supported did you feel by the team during the session?',
    low: 'Not supported',
    high: 'Completely supported',
  },
] as const;
export type ExperienceScaleId = (typeof experienceScales)[number]['id'];

/** What the patient may tick for the hours and day after the session ('none' stands alone). */
export const afterEffects = [
  'none',
  'nausea',
  'headache',
  'dizziness',
  'fatigue',
  'anxiety',
  'low-mood',
  'other',
] as const;
export type AfterEffect = (typeof afterEffects)[number];

export const afterEffectLabels: Record<AfterEffect, string> = {
  none: 'None',
  nausea: 'Nausea',
  headache: 'Headache',
  dizziness: 'Dizziness',
  fatigue: 'Tiredness',
  anxiety: 'Anxiety',
  'low-mood': 'Low mood',
  other: 'Something else',
};

export interface ExperienceRatingAnswers {
  intensity: number;
  difficulty: number;
  insight: number;
  support: number;
  afterEffects: AfterEffect[];
  /** What "something else" was, only with 'other'. */
  otherAfterEffect: string | null;
  comment: string | null;
}

/** The screens of the form, in order: the four scales, the after-effects, the comment. */
export const experienceRatingSteps = [
  ...experienceScales.map((s) => s.id),
  'afterEffects',
  'comment',
] as const;

export interface ExperienceProblem {
  path: string;
  message: string;
}

/** What is wrong with a set of answers (empty when it may be saved). Shape and types are checked by the caller. */
export function experienceRatingProblems(answers: ExperienceRatingAnswers): ExperienceProblem[] {
  const problems: ExperienceProblem[] = [];
  for (const scale of experienceScales) {
    const value = answers[scale.id];
    if (!Number.isInteger(value) || value < 0 || value > 10)
      problems.push({ path: scale.id, message: 'Choose a whole number from 0 to 10.' });
  }
  const effects = answers.afterEffects;
  if (effects.length === 0)
    problems.push({ path: 'afterEffects', message: 'Choose “None” or what you noticed.' });
  if (new Set(effects).size !== effects.length)
    problems.push({ path: 'afterEffects', message: 'Each after-effect once.' });
  if (effects.includes('none') && effects.length > 1)
    problems.push({ path: 'afterEffects', message: '“None” cannot go with another after-effect.' });
  const other = answers.otherAfterEffect?.trim() ?? '';
  if (other && !effects.includes('other'))
    problems.push({ path: 'otherAfterEffect', message: 'Describe “something else” only when you chose it.' });
  return problems;
}

/** The day (YYYY-MM-DD) after `date`, in the same calendar. */
function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * The rating opens on the day after the session, in the clinic's calendar (the patient has slept; the SPRAVATO
 * "until the next day" rule of clinical-reference 2.5/4.6 draws the same line). Both dates are clinic-local.
 */
export function experienceRatingOpensOn(sessionDate: string): string {
  return nextDay(sessionDate);
}

export function isExperienceRatingOpen(sessionDate: string, today: string): boolean {
  return today >= experienceRatingOpensOn(sessionDate);
}

/**
 * The "difficult experience" flag: only when the clinic has set its own threshold on the emotional-difficulty
 * question (no published cut-off exists, so there is no default). Null: the clinic has set none.
 */
export function difficultExperience(
  answers: Pick<ExperienceRatingAnswers, 'difficulty'>,
  difficultyFlagAtLeast: number | null | undefined,
): boolean | null {
  if (difficultyFlagAtLeast === null || difficultyFlagAtLeast === undefined) return null;
  return answers.difficulty >= difficultyFlagAtLeast;
}

/** A guided journal prompt about one dosing session (the wording shown is stored with the entry). */
export interface JournalPrompt {
  key: 'intention-noticed' | 'intention-now' | 'carry-forward' | 'body' | 'support';
  text: string;
}

/**
 * The guided prompts for a session: one per intention the patient set for it, then the prompts that need none.
 * Open questions, no scoring: an aid to integration (clinical-reference 4.6, 5.2), not an instrument.
 */
export function journalPromptsFor(intentions: readonly string[]): JournalPrompt[] {
  const own = intentions.map((t) => t.trim()).filter((t) => t.length > 0);
  const prompts: JournalPrompt[] = [];
  for (const intention of own) {
    prompts.push({
      key: 'intention-noticed',
      text: `You set the intention “${intention}”. What did you notice about it during the session?`,
    });
    prompts.push({
      key: 'intention-now',
      text: `How does “${intention}” feel to you now, a little while after the session?`,
    });
  }
  prompts.push(
    { key: 'carry-forward', text: 'What would you like to carry with you into this week?' },
    { key: 'body', text: 'What did you notice in your body, during the session or since?' },
    { key: 'support', text: 'Is there something you would like to bring to your next integration session?' },
  );
  return prompts;
}

export const experienceRules: RuleMetadata[] = [
  {
    id: 'monitoring.experience-rating',
    area: 'monitoring',
    title:
      'Session experience rating (intensity, emotional difficulty, insight, support 0–10; after-effects; comment), open from the day after a discharged session, once per session: a Kapstone design, not a validated instrument, no clinical cut-offs',
    citation: cite(
      '5.3',
      'Hull TD et al. 2022 (Mindbloom): a clinician follow-up 1–2 days after the first session; no published session-experience scale',
      'unconfirmed',
    ),
  },
  {
    id: 'monitoring.experience-difficult-flag',
    area: 'monitoring',
    title:
      'A "difficult experience" flag when emotional difficulty reaches the clinic’s own threshold (none until the clinic sets one)',
    citation: cite(
      '5.2',
      'Drozdz SJ et al. J Pain Res 2022;15:1691-1706: no cut-off published',
      'unconfirmed',
    ),
    setting: { key: 'experienceRating.difficultyFlagAtLeast', default: null, unit: '0–10' },
  },
  {
    id: 'monitoring.journal-prompts',
    area: 'monitoring',
    title:
      'Guided journal prompts tied to the intentions set for the session, and open integration prompts; no scoring',
    citation: cite(
      '4.6',
      'Wolfson P, Vaid G. Front Psychiatry 2024;15:1209419 (intention setting in KAP preparation; no numeric standard)',
      'secondary',
    ),
  },
];
