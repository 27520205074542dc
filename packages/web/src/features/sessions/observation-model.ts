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

export interface ObservationEntry {
  moaas: number | null;
  /** null per item until answered; all null when the CADSS-6 is not being rated now. */
  cadss6: (number | null)[];
  sideEffects: SideEffect[];
  note: string;
}

export const emptyObservationEntry = (): ObservationEntry => ({
  moaas: null,
  cadss6: cadss6Items.map(() => null),
  sideEffects: [],
  note: '',
});

export function cadssTotal(answers: readonly (number | null)[]): number | null {
  const score = scoreInstrument('cadss6', answers);
  return score.complete ? score.total : null;
}

/**
 * Builds the request. Any of the three parts may be given alone; a CADSS-6 is sent only complete (a partial
 * rating has no total and would not count for discharge).
 */
export function checkObservationEntry(
  entry: ObservationEntry,
  id: string,
  observedAt: Date,
): { submission: SessionObservationSubmission | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const answered = entry.cadss6.filter((a) => a !== null).length;
  const rated = answered > 0;
  if (rated && answered < entry.cadss6.length)
    errors.cadss6 = `Rate all ${entry.cadss6.length} CADSS-6 items (${answered} rated).`;
  const note = entry.note.trim();
  if (entry.moaas === null && !rated && entry.sideEffects.length === 0 && note === '')
    errors.moaas = 'Record the sedation level, a CADSS-6 rating or a side effect.';
  if (Object.keys(errors).length > 0) return { submission: null, errors };
  const submission: SessionObservationSubmission = { id, observedAt: observedAt.toISOString() };
  if (entry.moaas !== null) submission.moaas = entry.moaas;
  if (rated) submission.cadss6 = [...entry.cadss6];
  if (entry.sideEffects.length > 0) submission.sideEffects = [...entry.sideEffects];
  if (note !== '') submission.note = note;
  return { submission, errors };
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
    .filter((o) => o.cadss6?.total !== null && o.cadss6?.total !== undefined)
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
