import type { PendingWrite } from './pending-writes.ts';
import type { NextReadingDue, SessionState, SessionVitalsReading } from './sessions.types.ts';

/**
 * The times a nurse reads off the board and the chair screen: how long the patient has been in, and when the
 * next reading is due. The schedule itself is @kapstone/clinical's (observationSchedule and nextReadingDue,
 * computed by the server per route); here the due time is only compared with the tablet's clock, every few
 * seconds, so "overdue" turns red without waiting for the next refresh.
 */

const minuteMs = 60_000;

/** "48 min", "1 h 05 min", "under a minute". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < minuteMs) return 'under a minute';
  const minutes = Math.floor(ms / minuteMs);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
}

export interface ElapsedView {
  /** What the clock counts from, in the nurse's words. */
  label: string;
  text: string;
  ms: number;
}

/**
 * Monitoring counts from the start of the first dose (the observation minimum does too); before the dose,
 * from check-in. A session not yet checked in or finished has no running clock.
 */
export function elapsedView(
  session: { state: SessionState; checkedInAt?: string | null; doseStartedAt?: string | null },
  now: number,
): ElapsedView | null {
  if (session.state === 'discharged' || session.state === 'aborted' || session.state === 'scheduled')
    return null;
  const since = session.doseStartedAt ?? session.checkedInAt ?? null;
  if (!since) return null;
  const ms = Math.max(0, now - Date.parse(since));
  return { label: session.doseStartedAt ? 'Since the dose' : 'Since check-in', text: formatDuration(ms), ms };
}

export type DueTone = 'none' | 'upcoming' | 'due' | 'overdue' | 'waiting-to-send';

export interface DueView {
  tone: DueTone;
  /** One short line: "Next reading in 6 min", "Reading overdue by 4 min". */
  text: string;
  dueAt: number | null;
}

/**
 * The next-reading line. Overdue is decided against `now`, not the flag the server computed at its last
 * answer. A reading taken since the last confirmed one but still waiting for the connection counts as taken:
 * the nurse did the reading, the screen says it is waiting to be sent rather than flashing "overdue".
 */
export function dueView(
  next: NextReadingDue | null | undefined,
  now: number,
  options: {
    state?: SessionState;
    pendingReadings?: readonly Pick<PendingWrite, 'body' | 'kind'>[];
    confirmedReadings?: readonly Pick<SessionVitalsReading, 'measuredAt'>[];
  } = {},
): DueView {
  if (options.state === 'discharged' || options.state === 'aborted')
    return { tone: 'none', text: 'Session ended', dueAt: null };
  if (!next?.dueAt) return { tone: 'none', text: 'No reading scheduled (as clinically needed)', dueAt: null };
  const dueAt = Date.parse(next.dueAt);
  const latestConfirmed = Math.max(
    Number.NEGATIVE_INFINITY,
    ...(options.confirmedReadings ?? []).map((r) => Date.parse(r.measuredAt)),
  );
  const waiting = (options.pendingReadings ?? []).filter(
    (w) =>
      w.kind === 'vitals' &&
      typeof w.body.measuredAt === 'string' &&
      Date.parse(w.body.measuredAt) > latestConfirmed,
  );
  if (waiting.length > 0)
    return {
      tone: 'waiting-to-send',
      text:
        waiting.length === 1
          ? 'Reading taken, waiting to be sent'
          : `${waiting.length} readings taken, waiting to be sent`,
      dueAt,
    };
  const ms = dueAt - now;
  if (ms < 0) return { tone: 'overdue', text: `Reading overdue by ${formatDuration(-ms)}`, dueAt };
  if (ms < minuteMs) return { tone: 'due', text: 'Reading due now', dueAt };
  return { tone: 'upcoming', text: `Next reading in ${formatDuration(ms)}`, dueAt };
}

export const dueToneColors: Record<DueTone, string> = {
  none: 'gray',
  upcoming: 'blue',
  due: 'orange',
  overdue: 'red',
  'waiting-to-send': 'yellow',
};

/**
 * The route's reading schedule in words, as @kapstone/clinical's observationSchedule gives it with the
 * clinic's settings: "Readings at 0, 10, 20, 30, 40, 55 and 70 min, then every 15 min · observe at least 70 min".
 */
export function scheduleText(
  plan:
    | {
        readingsAtMinutes: readonly number[];
        thenEveryMinutes: number | null;
        minimumObservationMinutes: number | null;
      }
    | null
    | undefined,
): string | null {
  if (!plan) return null;
  const at = plan.readingsAtMinutes.map((m) => (m === 0 ? 'before the dose' : `${m}`));
  const listed =
    at.length === 0
      ? ''
      : at.length === 1
        ? `Reading ${at[0] === 'before the dose' ? 'before the dose' : `at ${at[0]} min`}`
        : `Readings ${at[0] === 'before the dose' ? 'before the dose and at ' : 'at '}${at
            .filter((m) => m !== 'before the dose')
            .join(', ')
            .replace(/, ([^,]*)$/, ' and $1')} min`;
  const then =
    plan.thenEveryMinutes === null ? 'then as clinically needed' : `then every ${plan.thenEveryMinutes} min`;
  const minimum =
    plan.minimumObservationMinutes === null
      ? 'minimum observation not set by the clinic'
      : `observe at least ${formatDuration(plan.minimumObservationMinutes * minuteMs)}`;
  return `${listed ? `${listed}, ` : ''}${then} · ${minimum}`;
}
