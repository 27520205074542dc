import {
  type AfterEffect,
  type ExperienceRatingAnswers,
  experienceRatingSteps,
  experienceScales,
} from '@kapstone/clinical';

/**
 * The experience rating as the portal asks it: one question per screen (the four 0–10 questions, the
 * after-effects, the comment), then a review. The questions and after-effects are @kapstone/clinical's.
 */
export type ExperienceStep = (typeof experienceRatingSteps)[number];

export interface ExperienceDraft {
  intensity: number | null;
  difficulty: number | null;
  insight: number | null;
  support: number | null;
  afterEffects: AfterEffect[];
  otherAfterEffect: string;
  comment: string;
}

export const emptyDraft = (): ExperienceDraft => ({
  intensity: null,
  difficulty: null,
  insight: null,
  support: null,
  afterEffects: [],
  otherAfterEffect: '',
  comment: '',
});

export function draftOf(answers: ExperienceRatingAnswers): ExperienceDraft {
  return {
    ...answers,
    otherAfterEffect: answers.otherAfterEffect ?? '',
    comment: answers.comment ?? '',
  };
}

export const steps: readonly ExperienceStep[] = experienceRatingSteps;

/** "2 of 6" for the screen at `index`. */
export function progressLabel(index: number): string {
  return `${index + 1} of ${steps.length}`;
}

export function scaleOf(step: ExperienceStep) {
  return experienceScales.find((s) => s.id === step) ?? null;
}

/** Whether the screen's question has an answer, so Next may go on (the comment is optional). */
export function isAnswered(draft: ExperienceDraft, step: ExperienceStep): boolean {
  if (step === 'comment') return true;
  if (step === 'afterEffects') return draft.afterEffects.length > 0;
  return draft[step] !== null;
}

/** Ticking an after-effect: "None" clears the others, any other clears "None". */
export function toggleAfterEffect(current: AfterEffect[], effect: AfterEffect): AfterEffect[] {
  if (current.includes(effect)) return current.filter((e) => e !== effect);
  if (effect === 'none') return ['none'];
  return [...current.filter((e) => e !== 'none'), effect];
}

export function isComplete(draft: ExperienceDraft): boolean {
  return steps.every((step) => isAnswered(draft, step));
}

/** The answers as the server takes them (only once complete). */
export function toAnswers(draft: ExperienceDraft): ExperienceRatingAnswers {
  if (!isComplete(draft)) throw new Error('the rating is not complete');
  const other = draft.afterEffects.includes('other') ? draft.otherAfterEffect.trim() : '';
  return {
    intensity: draft.intensity!,
    difficulty: draft.difficulty!,
    insight: draft.insight!,
    support: draft.support!,
    afterEffects: draft.afterEffects,
    otherAfterEffect: other || null,
    comment: draft.comment.trim() || null,
  };
}
