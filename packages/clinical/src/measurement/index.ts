// The measure schedule of a treatment plan: which questionnaires are due when, anchored to the patient's
// actual and booked dosing dates. Pure: dates in, schedule out; no clock (the caller passes `today`).
import { followUpMeasures, followUpMonths, protocols } from '../protocols/index.ts';
import type { Citation, InstrumentId, ProtocolId, RuleMetadata } from '../types.ts';

const cite = (section: string, source: string, evidence: Citation['evidence'] = 'primary'): Citation => ({
  section: `clinical-reference ${section}`,
  source,
  evidence,
});

/** Why a point of the schedule is due (the assignment's `reason`). */
export type ScheduledMeasureReason = 'baseline' | 'pre-dose' | 'weekly' | 'end-of-course' | 'follow-up';

/** One dosing session of the course: given (a dose was started that day) or booked (not yet given). */
export interface CourseDosing {
  /** The clinic-local day (YYYY-MM-DD). */
  date: string;
  status: 'given' | 'booked';
}

export interface MeasureScheduleInput {
  protocolId: ProtocolId;
  /** The plan's first planned dose (YYYY-MM-DD): the anchor while nothing is booked yet. */
  planStartDate: string;
  /**
   * The planned course's dosing days (planCourse's dosing events, maintenance included), in order: how many
   * doses the plan orders, and the spacing used to estimate the doses not booked yet.
   */
  plannedDosingDates: readonly string[];
  /** The course's dosing sessions, any order; cancelled bookings and sessions stopped before dosing left out. */
  dosings: readonly CourseDosing[];
  /** The day the plan ended (course complete or stopped), if it did. */
  endedOn: string | null;
  /** The clinic-local day today: decides what is due now and what is still planned. */
  today: string;
  /** Answers the patient already gave, by clinic-local day (a recent screening answer can be the baseline). */
  answered?: readonly { instrument: InstrumentId; date: string }[];
}

export interface ScheduledMeasure {
  /** 'baseline', 'dose:<n>', 'week:<n>', 'end-of-course', 'follow-up:<m>m'. */
  scheduleKey: string;
  reason: ScheduledMeasureReason;
  instruments: InstrumentId[];
  /** The day it is due (clinic-local). */
  dueDate: string;
  /** From this day it is assigned (it shows in the portal). */
  earliest: string;
  /** After this day a later point of the schedule takes its place: not assigned any more if it never was. */
  latest: string;
  /**
   * 'anchored': its date follows from a given or booked dose (or the plan's end); 'planned': an estimate
   * from the plan's protocol, since the dose it hangs on is not booked yet (shown, never assigned).
   */
  anchor: 'anchored' | 'planned';
  /** A clinician's one-line explanation. */
  explanation: string;
}

export interface MeasureSchedule {
  items: ScheduledMeasure[];
  /** Anchored items whose window includes today: the ones to assign now. */
  dueNow: ScheduledMeasure[];
  /** The last dose, once the course is over (all planned doses given, or the plan ended). */
  lastDose: string | null;
}

function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
function addMonths(isoDate: string, months: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(d, lastDay));
  return date.toISOString().slice(0, 10);
}
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && addDays(s, 0) === s;

/**
 * Weeks of induction, counted from the first dose, during which a questionnaire is due at least weekly.
 * SPRAVATO: weeks 1–4 (the label's induction; for MDD with suicidal ideation the whole 4-week course), 2.5.
 * IV series: the series itself, 6 infusions over 12 days = 2 weeks (Murrough 2013), 2.1.
 * KAP (IM, sublingual): the weekly dosing course itself, 4–6 weeks (Field Trip; Hull 2022), 5.3.
 */
export function inductionWeeks(protocolId: ProtocolId, plannedDoses: number): number {
  const protocol = protocols[protocolId];
  if (protocol.product === 'esketamine') return 4;
  if (protocolId === 'iv-series') return Math.ceil((protocol.dosingDays.at(-1)! + 1) / 7);
  return Math.max(1, Math.min(plannedDoses, 6));
}

/**
 * The measure schedule of a plan (issue 6 "Measure schedules from the active plan", following
 * `planCourse`'s measure events):
 * - baseline: the protocol's pre-dose instruments in the 14 days before the first dose (planCourse), unless
 *   the patient already answered that instrument in that window (the screening answer serves);
 * - before each dosing session, on the day of the session (`dose:<n>`, n counting the course's doses in date
 *   order): the protocol's pre-dose instruments. A moved session moves its measure;
 * - weekly during induction (`week:<n>`): due on the last day of induction week n, only for a week in
 *   which no session is given or booked (a week with a session has its pre-dose measure);
 * - end of course (`end-of-course`), the day after the last dose (window of 7 days, planCourse), once the
 *   course is over: every planned dose given, or the plan ended;
 * - follow-up at 1, 3, 6 and 12 months after the last actual dose (`follow-up:<m>m`, followUpMeasures).
 * Cadence: clinical-reference 2.1 (IV series), 2.5 (SPRAVATO induction and maintenance), 5.3 (real-world KAP
 * cadence; durability measured at 3 and 6 months).
 */
export function measureSchedule(input: MeasureScheduleInput): MeasureSchedule {
  const protocol = protocols[input.protocolId];
  if (!protocol) throw new RangeError(`Unknown protocol: ${String(input.protocolId)}`);
  const planned = input.plannedDosingDates;
  for (const d of [input.planStartDate, input.today, ...planned, ...input.dosings.map((x) => x.date)]) {
    if (!isDate(d)) throw new RangeError(`Not a date as YYYY-MM-DD: ${d}`);
  }
  if (input.endedOn !== null && !isDate(input.endedOn)) throw new RangeError('endedOn must be YYYY-MM-DD');
  if (planned.length < 1) throw new RangeError('The plan orders no dose');
  const plannedDoses = planned.length;

  const preDose = [...protocol.preDoseMeasures];
  const dosings = [...input.dosings].sort(
    (a, b) => a.date.localeCompare(b.date) || (a.status === 'given' ? -1 : 1),
  );
  const given = dosings.filter((d) => d.status === 'given');
  // Once the plan ended, a booking left over does not count; the course is what was given.
  const course = input.endedOn !== null ? given : dosings;
  const items: ScheduledMeasure[] = [];

  const firstDose = course[0]?.date ?? null;
  const anchorStart = firstDose ?? input.planStartDate;

  // Baseline.
  const baselineFrom = addDays(anchorStart, -14);
  const baselineTo = addDays(anchorStart, -1);
  const answeredInWindow = new Set(
    (input.answered ?? [])
      .filter((a) => a.date >= baselineFrom && a.date <= anchorStart)
      .map((a) => a.instrument),
  );
  const baselineInstruments = preDose.filter((i) => !answeredInWindow.has(i));
  if (baselineInstruments.length > 0) {
    items.push({
      scheduleKey: 'baseline',
      reason: 'baseline',
      instruments: baselineInstruments,
      dueDate: baselineTo,
      earliest: baselineFrom,
      latest: baselineTo,
      // Before anything is booked, the plan's own start date is the anchor the prescriber signed.
      anchor: 'anchored',
      explanation: 'Baseline before the first dose (within the 14 days before it)',
    });
  }

  // Before each dose: the given and booked ones anchored, the rest estimated from the protocol's spacing.
  course.forEach((dosing, index) => {
    items.push({
      scheduleKey: `dose:${index + 1}`,
      reason: 'pre-dose',
      instruments: preDose,
      dueDate: dosing.date,
      earliest: dosing.date,
      latest: dosing.date,
      anchor: 'anchored',
      explanation: `Before dose ${index + 1} (${dosing.status === 'given' ? 'given' : 'booked'} on ${dosing.date})`,
    });
  });
  const courseOver = input.endedOn !== null || given.length >= plannedDoses;
  if (!courseOver) {
    const lastKnown = course.at(-1);
    for (let n = course.length + 1; n <= plannedDoses; n++) {
      // Keep the plan's spacing from the last given or booked dose (the course slides with it).
      const date = lastKnown
        ? addDays(
            lastKnown.date,
            daysBetween(planned[Math.min(course.length, plannedDoses) - 1]!, planned[n - 1]!),
          )
        : planned[n - 1]!;
      items.push({
        scheduleKey: `dose:${n}`,
        reason: 'pre-dose',
        instruments: preDose,
        dueDate: date,
        earliest: date,
        latest: date,
        anchor: 'planned',
        explanation: `Before dose ${n} (not booked yet; estimated from the protocol)`,
      });
    }
  }

  // Weekly during induction, for weeks without a session.
  if (firstDose) {
    const weeks = inductionWeeks(input.protocolId, plannedDoses);
    const lastDoseSoFar = course.at(-1)!.date;
    const sessionDays = items.filter((i) => i.reason === 'pre-dose').map((i) => i.dueDate);
    for (let n = 1; n <= weeks; n++) {
      const weekStart = addDays(firstDose, 7 * (n - 1));
      const weekEnd = addDays(firstDose, 7 * n - 1);
      if (courseOver && weekStart > lastDoseSoFar) break;
      // A session given, booked, or (not booked yet) expected from the plan's spacing covers the week.
      const hasSession = sessionDays.some((d) => d >= weekStart && d <= weekEnd);
      if (hasSession) continue;
      // A week not yet reached may still get a booking: it is only planned until its last day.
      items.push({
        scheduleKey: `week:${n}`,
        reason: 'weekly',
        instruments: preDose,
        dueDate: weekEnd,
        earliest: weekEnd,
        latest: addDays(weekEnd, 6),
        anchor: weekEnd <= input.today || courseOver ? 'anchored' : 'planned',
        explanation: `Week ${n} of induction had no dosing session: weekly measure`,
      });
    }
  }

  // End of course and follow-ups, from the last dose actually given.
  const lastDose = courseOver ? (given.at(-1)?.date ?? null) : null;
  if (lastDose) {
    items.push({
      scheduleKey: 'end-of-course',
      reason: 'end-of-course',
      instruments: preDose,
      dueDate: addDays(lastDose, 1),
      earliest: addDays(lastDose, 1),
      latest: addDays(lastDose, 7),
      anchor: 'anchored',
      explanation: `End of course (last dose ${lastDose})`,
    });
    followUpMonths.forEach((months, index) => {
      const due = addMonths(lastDose, months);
      const next = followUpMonths[index + 1];
      // Until the next follow-up is due; the last one for as long as the first follow-up's spacing.
      const latest = next !== undefined ? addDays(addMonths(lastDose, next), -1) : addMonths(due, 1);
      items.push({
        scheduleKey: `follow-up:${months}m`,
        reason: 'follow-up',
        instruments: [...followUpMeasures],
        dueDate: due,
        earliest: due,
        latest,
        anchor: 'anchored',
        explanation: `${months}-month follow-up after the last dose (${lastDose})`,
      });
    });
  } else if (!courseOver) {
    const estimatedLast = items.filter((i) => i.reason === 'pre-dose').at(-1)?.dueDate;
    if (estimatedLast) {
      items.push({
        scheduleKey: 'end-of-course',
        reason: 'end-of-course',
        instruments: preDose,
        dueDate: addDays(estimatedLast, 1),
        earliest: addDays(estimatedLast, 1),
        latest: addDays(estimatedLast, 7),
        anchor: 'planned',
        explanation: 'End of course (after the last planned dose)',
      });
      for (const months of followUpMonths) {
        const due = addMonths(estimatedLast, months);
        items.push({
          scheduleKey: `follow-up:${months}m`,
          reason: 'follow-up',
          instruments: [...followUpMeasures],
          dueDate: due,
          earliest: due,
          latest: due,
          anchor: 'planned',
          explanation: `${months}-month follow-up after the last dose (estimated)`,
        });
      }
    }
  }

  items.sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.scheduleKey.localeCompare(b.scheduleKey));
  const dueNow = items.filter(
    (i) => i.anchor === 'anchored' && i.earliest <= input.today && input.today <= i.latest,
  );
  return { items, dueNow, lastDose };
}

export const measurementRules: RuleMetadata[] = [
  {
    id: 'measurement.pre-dose',
    area: 'protocols',
    title:
      "The protocol's pre-dose instruments are due on the day of each dosing session, before the dose; a moved session moves them",
    citation: cite(
      '2.5',
      'SPRAVATO US PI: evaluate benefit during and at the end of induction; planCourse pre-dose measures',
    ),
  },
  {
    id: 'measurement.weekly-induction',
    area: 'protocols',
    title:
      'At least weekly during induction: a week of induction with no dosing session has a weekly measure',
    citation: cite(
      '2.1',
      'Murrough 2013 (6 infusions over 12 days); SPRAVATO induction weeks 1–4 (2.5); KAP weekly courses (5.3)',
      'secondary',
    ),
  },
  {
    id: 'measurement.end-of-course',
    area: 'protocols',
    title: 'End-of-course measure from the day after the last dose, within 7 days',
    citation: cite(
      '5.1',
      'Dore 2019: outcomes reported at the end of the course (baseline to end of treatment)',
      'secondary',
    ),
  },
  {
    id: 'measurement.follow-up',
    area: 'protocols',
    title: 'Follow-up measures 1, 3, 6 and 12 months after the last dose actually given',
    citation: cite(
      '5.3',
      'Field Trip Health: effects measured at 3 and 6 months after KAP; 1 and 12 months from the issue',
      'secondary',
    ),
  },
];
