import { instruments, scoreInstrument } from '@kapstone/clinical';
import type {
  SessionObservation,
  SessionObservationSubmission,
  SessionState,
  SideEffect,
} from './sessions.types.ts';

/**
 * Sedation, dissociation and side effects at the chair. MOAA/S levels are worded as in clinical-reference
 * 4.3 (Chernik 1990 basis; SPRAVATO PI §6.1): any fall from the pre-dose value is sedation, 0 is loss of
 * consciousness. CADSS-6 is @kapstone/clinical's instrument (1.11), scored by scoreCadss6; the licensed item
 * wording is the clinic's to show, so the items carry their full-scale numbers.
 */

export const moaasLevels: { score: number; label: string; description: string }[] = [
  { score: 5, label: 'Alert', description: 'Responds readily to name spoken in a normal tone' },
  { score: 4, label: 'Lethargic', description: 'Lethargic response to name spoken in a normal tone' },
  { score: 3, label: 'Name loudly', description: 'Responds only after name is called loudly or repeatedly' },
  { score: 2, label: 'Prodding', description: 'Responds only after mild prodding or shaking' },
  { score: 1, label: 'Trapezius squeeze', description: 'Responds only after painful trapezius squeeze' },
  { score: 0, label: 'No response', description: 'No response to painful trapezius squeeze' },
];

export function moaasText(score: number): string {
  const level = moaasLevels.find((l) => l.score === score);
  return level ? `${score} · ${level.label}` : String(score);
}

/** How a MOAA/S compares with the pre-dose value (the label's definition of sedation). */
export function sedationNote(score: number, baseline: number | null | undefined): string | null {
  if (score === 0) return 'Loss of consciousness (MOAA/S 0)';
  if (baseline !== null && baseline !== undefined && score < baseline)
    return `Sedated: down from ${baseline} before the dose`;
  return null;
}

export const cadss6Items = instruments.cadss6.items;

export function cadssTotal(answers: readonly (number | null)[]): number | null {
  const score = scoreInstrument('cadss6', answers);
  return score.complete ? score.total : null;
}

export const emptyCadssAnswers = (): (number | null)[] => cadss6Items.map(() => null);

type Built = { submission: SessionObservationSubmission | null; errors: Record<string, string> };

function base(id: string, observedAt: Date, note: string | undefined) {
  const trimmed = note?.trim() ?? '';
  return { id, observedAt: observedAt.toISOString(), ...(trimmed ? { note: trimmed } : {}) };
}

/** One observation is one kind (the server's rule): the sedation level, a CADSS-6 rating, or side effects. */
export function moaasSubmission(score: number | null, id: string, observedAt: Date, note?: string): Built {
  if (score === null || !moaasLevels.some((l) => l.score === score))
    return { submission: null, errors: { moaas: 'Choose the sedation level.' } };
  return { submission: { ...base(id, observedAt, note), kind: 'moaas', moaas: score }, errors: {} };
}

/** A CADSS-6 is sent only complete: a partial rating has no total and would not count for discharge. */
export function cadssSubmission(
  answers: readonly (number | null)[],
  id: string,
  observedAt: Date,
  note?: string,
): Built {
  const answered = answers.filter((a) => a !== null).length;
  if (answers.length !== cadss6Items.length || answered < answers.length)
    return {
      submission: null,
      errors: { cadss6: `Rate all ${cadss6Items.length} CADSS-6 items (${answered} rated).` },
    };
  return {
    submission: { ...base(id, observedAt, note), kind: 'cadss6', cadss6: answers as number[] },
    errors: {},
  };
}

/** Side effects as ticked; none ticked records "no side effects" at this time, which is worth recording. */
export function sideEffectsSubmission(
  list: readonly SideEffect[],
  id: string,
  observedAt: Date,
  note?: string,
): Built {
  return {
    submission: { ...base(id, observedAt, note), kind: 'side-effects', sideEffects: [...list] },
    errors: {},
  };
}

export function toggleSideEffect(list: readonly SideEffect[], effect: SideEffect): SideEffect[] {
  return list.includes(effect) ? list.filter((e) => e !== effect) : [...list, effect];
}

export type CadssPrompt = { tone: 'none'; text: null } | { tone: 'upcoming' | 'due' | 'info'; text: string };

const minuteMs = 60_000;
/** clinical-reference 4.4 and 1.11: dissociation is rated at about 40 minutes (its peak) and before discharge. */
const peakMinute = 40;

/**
 * The CADSS-6 reminder: the rating at about 40 minutes after the dose is due once 40 minutes have passed
 * and none was made since the dose; after it, a reminder to rate again before discharge, naming the last one.
 */
export function cadssPrompt(
  session: { state: SessionState; doseStartedAt?: string | null },
  observations: readonly Pick<SessionObservation, 'observedAt' | 'cadss6'>[],
  now: number,
  formatTime: (iso: string) => string,
): CadssPrompt {
  if (!session.doseStartedAt) return { tone: 'none', text: null };
  if (session.state !== 'dosing' && session.state !== 'monitoring') return { tone: 'none', text: null };
  const start = Date.parse(session.doseStartedAt);
  const dueAt = start + peakMinute * minuteMs;
  const ratings = observations
    .filter((o) => typeof o.cadss6?.total === 'number')
    .filter((o) => Date.parse(o.observedAt) >= start)
    .sort((a, b) => Date.parse(b.observedAt) - Date.parse(a.observedAt));
  const last = ratings[0];
  if (!last) {
    if (now < dueAt)
      return {
        tone: 'upcoming',
        text: `CADSS-6 due at about 40 minutes (${formatTime(new Date(dueAt).toISOString())})`,
      };
    return { tone: 'due', text: 'CADSS-6 due now (about 40 minutes after the dose)' };
  }
  return {
    tone: 'info',
    text: `Last CADSS-6 ${last.cadss6?.total} at ${formatTime(last.observedAt)}: rate again before discharge`,
  };
}
