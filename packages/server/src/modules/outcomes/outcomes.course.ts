import {
  type CohortMember,
  endOfCourseWindowDays,
  type FollowUpMonth,
  followUpMonths,
  followUpWindowDays,
} from '@kapstone/clinical';
import { baselineOf, type ScorePoint } from '../measures/measures.series.ts';

const day = 86_400_000;

/** `at` moved by whole calendar months (UTC), the day clamped to the month's end (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(at: Date, months: number): Date {
  const d = new Date(at.getTime());
  const dayOfMonth = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(dayOfMonth, last));
  return d;
}

/** The measurement points of one course that the cohort table reads. */
export type CourseValues = Pick<CohortMember, 'baseline' | 'endOfCourse' | 'followUps' | 'afterFirstDose'>;

/**
 * Where a patient's course stands on one instrument, from their score points (oldest first) and the times of
 * the course's doses (oldest first, at least one):
 * - baseline: `baselineOf` (contract 3): the baseline measure, else the last point at or before the first dose;
 * - end of course: the answer to the `end-of-course` measure given after the last dose, else the last point
 *   after the first dose and at most `endOfCourseWindowDays` after the last dose;
 * - m-month follow-up: the answer to the `follow-up:<m>m` measure (after the last dose), else the point nearest to last dose + m
 *   months within ±`followUpWindowDays[m]` (a design choice, not a reference number: rule
 *   outcomes.cohort.follow-up-window). A point stands for one time at most.
 */
export function courseValues(points: readonly ScorePoint[], doses: readonly Date[]): CourseValues {
  const first = doses[0];
  const last = doses.at(-1);
  if (!first || !last) throw new RangeError('A course has at least one dose.');
  const baseline = baselineOf(points, first);
  const after = points.filter((p) => p.at.getTime() > first.getTime() && p !== baseline);
  const used = new Set<ScorePoint>();
  // A scheduled end-of-course or follow-up measure counts only when it was answered after the last dose: an
  // answer given during the course (a schedule item answered early) is a course point, not the course's end.
  const keyed = (key: string, reason?: string) =>
    after
      .filter((p) => p.at.getTime() > last.getTime())
      .filter(
        (p) =>
          p.scheduleKey === key || (reason !== undefined && p.scheduleKey === null && p.reason === reason),
      )
      .at(-1);

  const end =
    keyed('end-of-course', 'end-of-course') ??
    after.filter((p) => p.at.getTime() <= last.getTime() + endOfCourseWindowDays * day).at(-1);
  if (end) used.add(end);

  const followUps: Partial<Record<FollowUpMonth, number>> = {};
  for (const months of followUpMonths) {
    let point = keyed(`follow-up:${months}m`);
    if (!point) {
      const target = addMonths(last, months).getTime();
      const window = followUpWindowDays[months] * day;
      point = after
        .filter((p) => !used.has(p) && p.scheduleKey === null && Math.abs(p.at.getTime() - target) <= window)
        .sort((a, b) => Math.abs(a.at.getTime() - target) - Math.abs(b.at.getTime() - target))[0];
    }
    if (point && !used.has(point)) {
      used.add(point);
      followUps[months] = point.total;
    }
  }
  return {
    baseline: baseline?.total ?? null,
    endOfCourse: end?.total ?? null,
    followUps,
    afterFirstDose: after.map((p) => ({ days: (p.at.getTime() - first.getTime()) / day, total: p.total })),
  };
}
