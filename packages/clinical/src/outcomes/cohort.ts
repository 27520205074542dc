import { followUpMonths } from '../protocols/index.ts';
import type { InstrumentId, RuleMetadata } from '../types.ts';
import { classifyChange, defaultOutcomeThresholds, type OutcomeThresholds } from './index.ts';

/**
 * Practice outcomes of a cohort in the shape of Dore et al. 2019 (clinical-reference 5.1: Dore J et al.
 * J Psychoactive Drugs 2019;51(2):189-198, doi:10.1080/02791072.2019.1587556): N, demographics, baseline
 * and end-of-course means (SD), mean change, response and remission rates, durability at follow-up.
 * Response and remission are decided per patient by `classifyChange` (clinical-reference 1.13).
 *
 * Every figure says how many patients it rests on (`n`): a patient missing a value is left out of that cell
 * only. SDs are sample SDs (n − 1). A cell resting on fewer patients than the clinic's minimum cell size is
 * suppressed (no figure and no n, only "fewer than k").
 */

/** The follow-up points of the protocols' measure schedule (1, 3, 6 and 12 months after the course). */
export type FollowUpMonth = (typeof followUpMonths)[number];

/**
 * How far from "last dose + m months" a response may lie to stand for the m-month follow-up when it was not
 * answered to a scheduled follow-up measure. Not a clinical number (the reference gives no window; the HEDIS
 * 4–8 month window is UNCONFIRMED, clinical-reference 1.13): an analysis design choice, about half the gap to
 * the neighbouring follow-up so no response can count for two.
 */
export const followUpWindowDays: Record<FollowUpMonth, number> = { 1: 14, 3: 30, 6: 30, 12: 60 };

/**
 * When no end-of-course measure was scheduled, the end-of-course value is the last response after the first
 * dose and at most this many days after the last dose (before the 1-month follow-up window opens). A design
 * choice, not a number from the reference.
 */
export const endOfCourseWindowDays = 14;

/** Age bands of the table and the filter: a presentation choice (ten-year bands; 75+ keeps ages > 89 grouped). */
export const ageBands = [
  { id: 'under-18', min: 0, max: 17 },
  { id: '18-24', min: 18, max: 24 },
  { id: '25-34', min: 25, max: 34 },
  { id: '35-44', min: 35, max: 44 },
  { id: '45-54', min: 45, max: 54 },
  { id: '55-64', min: 55, max: 64 },
  { id: '65-74', min: 65, max: 74 },
  { id: '75+', min: 75, max: null },
] as const;
export type AgeBandId = (typeof ageBands)[number]['id'];
export const ageBandIds = ageBands.map((b) => b.id) as [AgeBandId, ...AgeBandId[]];

export function ageBandOf(ageYears: number): AgeBandId {
  const band = ageBands.find((b) => ageYears >= b.min && (b.max === null || ageYears <= b.max));
  return band ? band.id : 'under-18';
}

/** Whole years from a date of birth to a day, both 'YYYY-MM-DD' (a birthday counts on the day itself). */
export function ageOn(dateOfBirth: string, on: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

export const cohortSexes = ['female', 'male', 'intersex', 'unknown'] as const;
export type CohortSex = (typeof cohortSexes)[number];

/** One patient's course on one instrument, as the cohort summary needs it (no identity). */
export interface CohortMember {
  ageYears: number | null;
  sex: CohortSex;
  baseline: number | null;
  endOfCourse: number | null;
  followUps: Partial<Record<FollowUpMonth, number>>;
  /** Totals measured after the first dose, with the days since it (for the weekly chart). */
  afterFirstDose: { days: number; total: number }[];
}

type Suppressed = { suppressed: true; fewerThan: number };
export type MeanCell = { suppressed: false; n: number; mean: number | null; sd: number | null } | Suppressed;
export type RateCell = { suppressed: false; n: number; count: number; percent: number | null } | Suppressed;
export type CountCell = { suppressed: false; n: number } | Suppressed;

export interface FollowUpSummary {
  months: FollowUpMonth;
  /** Mean (SD) of everyone with a value at this follow-up. */
  score: MeanCell;
  /** End-of-course responders with a value here: how many still meet the response criterion (durability). */
  durability: RateCell;
  /** End-of-course remitters with a value here: how many are still in remission. */
  remissionKept: RateCell;
}

export interface CohortSummary {
  instrument: InstrumentId;
  minimumCellSize: number | null;
  n: CountCell;
  age: MeanCell;
  sex: Record<CohortSex, CountCell>;
  ageBands: { band: AgeBandId; count: CountCell }[];
  baseline: MeanCell;
  endOfCourse: MeanCell;
  /** End of course − baseline, over the patients with both (negative is improvement). */
  change: MeanCell;
  /** Whether the instrument has a response / remission criterion at all (PCL-5 has no remission one). */
  criteria: { response: boolean; remission: boolean };
  response: RateCell;
  remission: RateCell;
  followUps: FollowUpSummary[];
}

export interface CohortOptions {
  /** Cells resting on fewer patients than this (and more than none) are suppressed; null: none. */
  minimumCellSize?: number | null;
  thresholds?: Partial<Record<InstrumentId, OutcomeThresholds>>;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

function suppress(n: number, k: number | null): Suppressed | null {
  return k !== null && n > 0 && n < k ? { suppressed: true, fewerThan: k } : null;
}

/** Mean and sample SD (n − 1), each to one decimal; SD null below two values, mean null with none. */
export function meanCell(values: readonly number[], k: number | null = null): MeanCell {
  const n = values.length;
  const hidden = suppress(n, k);
  if (hidden) return hidden;
  if (n === 0) return { suppressed: false, n, mean: null, sd: null };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n < 2 ? null : Math.sqrt(values.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
  return { suppressed: false, n, mean: round1(mean), sd: sd === null ? null : round1(sd) };
}

/** `count` of `n` as a percentage to one decimal; suppressed when the denominator is below the minimum. */
export function rateCell(count: number, n: number, k: number | null = null): RateCell {
  const hidden = suppress(n, k);
  if (hidden) return hidden;
  return { suppressed: false, n, count, percent: n === 0 ? null : round1((count / n) * 100) };
}

export function countCell(n: number, k: number | null = null): CountCell {
  return suppress(n, k) ?? { suppressed: false, n };
}

function checkMinimum(k: number | null): number | null {
  if (k !== null && (!Number.isInteger(k) || k < 1))
    throw new RangeError('minimumCellSize must be a whole number ≥ 1');
  return k;
}

export function summarizeCohort(
  instrument: InstrumentId,
  members: readonly CohortMember[],
  options: CohortOptions = {},
): CohortSummary {
  const k = checkMinimum(options.minimumCellSize ?? null);
  const thresholds = options.thresholds ?? defaultOutcomeThresholds;
  const rule = thresholds[instrument];
  const classify = (baseline: number, current: number) =>
    classifyChange(instrument, baseline, current, thresholds);
  const ages = members.flatMap((m) => (m.ageYears === null ? [] : [m.ageYears]));
  const paired = members.flatMap((m) =>
    m.baseline !== null && m.endOfCourse !== null
      ? [{ member: m, baseline: m.baseline, end: m.endOfCourse, ...classify(m.baseline, m.endOfCourse) }]
      : [],
  );
  const sex = Object.fromEntries(
    cohortSexes.map((s) => [s, countCell(members.filter((m) => m.sex === s).length, k)]),
  ) as Record<CohortSex, CountCell>;
  return {
    instrument,
    minimumCellSize: k,
    n: countCell(members.length, k),
    age: meanCell(ages, k),
    sex,
    ageBands: ageBands.map((b) => ({
      band: b.id,
      count: countCell(ages.filter((a) => ageBandOf(a) === b.id).length, k),
    })),
    baseline: meanCell(
      members.flatMap((m) => (m.baseline === null ? [] : [m.baseline])),
      k,
    ),
    endOfCourse: meanCell(
      members.flatMap((m) => (m.endOfCourse === null ? [] : [m.endOfCourse])),
      k,
    ),
    change: meanCell(
      paired.map((p) => p.change),
      k,
    ),
    criteria: { response: rule?.response !== undefined, remission: rule?.remission !== undefined },
    response: rateCell(paired.filter((p) => p.response).length, paired.length, k),
    remission: rateCell(paired.filter((p) => p.remission).length, paired.length, k),
    followUps: followUpMonths.map((months) => {
      const at = (m: CohortMember) => m.followUps[months];
      const responders = paired.filter((p) => p.response && at(p.member) !== undefined);
      const remitters = paired.filter((p) => p.remission && at(p.member) !== undefined);
      return {
        months,
        score: meanCell(
          members.flatMap((m) => (at(m) === undefined ? [] : [at(m)!])),
          k,
        ),
        durability: rateCell(
          responders.filter((p) => classify(p.baseline, at(p.member)!).response).length,
          responders.length,
          k,
        ),
        remissionKept: rateCell(
          remitters.filter((p) => classify(p.baseline, at(p.member)!).remission).length,
          remitters.length,
          k,
        ),
      };
    }),
  };
}

export interface WeeklyPoint {
  /** 0: baseline; w ≥ 1: the last value in days (7(w−1), 7w] after the first dose. */
  week: number;
  score: MeanCell;
  /** Among the patients with a baseline and a value this week. */
  response: RateCell;
  remission: RateCell;
}

/**
 * Mean score by week since the first dose, with the share meeting response and remission that week: week 0
 * is the baseline; each patient counts once a week, with the last value of that week. Weeks with no value
 * from anyone are left out.
 */
export function cohortWeeklySeries(
  instrument: InstrumentId,
  members: readonly CohortMember[],
  options: CohortOptions & { maxWeek?: number } = {},
): WeeklyPoint[] {
  const k = checkMinimum(options.minimumCellSize ?? null);
  const thresholds = options.thresholds ?? defaultOutcomeThresholds;
  const byWeek = new Map<number, { total: number; baseline: number | null }[]>();
  const baselines = members.flatMap((m) => (m.baseline === null ? [] : [m.baseline]));
  if (baselines.length > 0)
    byWeek.set(
      0,
      baselines.map((total) => ({ total, baseline: null })),
    );
  for (const m of members) {
    const last = new Map<number, number>();
    for (const p of [...m.afterFirstDose].sort((a, b) => a.days - b.days)) {
      if (p.days <= 0) continue;
      const week = Math.ceil(p.days / 7);
      if (options.maxWeek !== undefined && week > options.maxWeek) continue;
      last.set(week, p.total);
    }
    for (const [week, total] of last) {
      const list = byWeek.get(week) ?? [];
      list.push({ total, baseline: m.baseline });
      byWeek.set(week, list);
    }
  }
  return [...byWeek.entries()]
    .sort(([a], [b]) => a - b)
    .map(([week, values]) => {
      const judged = values
        .filter((v) => v.baseline !== null)
        .map((v) => classifyChange(instrument, v.baseline!, v.total, thresholds));
      return {
        week,
        score: meanCell(
          values.map((v) => v.total),
          k,
        ),
        response:
          week === 0
            ? rateCell(0, 0, k)
            : rateCell(judged.filter((c) => c.response).length, judged.length, k),
        remission:
          week === 0
            ? rateCell(0, 0, k)
            : rateCell(judged.filter((c) => c.remission).length, judged.length, k),
      };
    });
}

const unconfirmedDesign = (source: string) => ({
  section: 'clinical-reference 5.1',
  source,
  evidence: 'unconfirmed' as const,
});

/** The cohort summary's own rules and choices, for the README and the outcomes page's notes. */
export const cohortRules: RuleMetadata[] = [
  {
    id: 'outcomes.cohort.table',
    area: 'outcomes',
    title:
      'Cohort table in the shape of Dore 2019: N, age mean (SD), sex, age bands, baseline and end-of-course mean (SD), mean change (SD), response % and remission % by classifyChange per patient, durability at follow-up; sample SD (n − 1); every cell with its own n',
    citation: {
      section: 'clinical-reference 5.1',
      source:
        'Dore J et al. J Psychoactive Drugs 2019;51(2):189-198, doi:10.1080/02791072.2019.1587556 (shape of the table; its numeric results are UNCONFIRMED); criteria from clinical-reference 1.13',
      evidence: 'primary',
    },
  },
  {
    id: 'outcomes.cohort.durability',
    area: 'outcomes',
    title:
      'Durability at m months: of the end-of-course responders with an m-month value, the share still meeting the response criterion against their baseline',
    citation: unconfirmedDesign('Definition of this table (the reference gives no durability definition)'),
  },
  {
    id: 'outcomes.cohort.follow-up-window',
    area: 'outcomes',
    title: `A follow-up not answered to its scheduled measure is the response nearest to last dose + m months within ±${followUpWindowDays[1]} days (1 month), ±${followUpWindowDays[3]} days (3 and 6 months), ±${followUpWindowDays[12]} days (12 months); the end of course without a scheduled measure is the last response up to ${endOfCourseWindowDays} days after the last dose`,
    citation: unconfirmedDesign(
      'Analysis design choice: the reference gives no window (HEDIS 4–8 months UNCONFIRMED)',
    ),
  },
  {
    id: 'outcomes.cohort.minimum-cell-size',
    area: 'outcomes',
    title:
      'Small-cell suppression: a figure resting on fewer patients than the clinic’s minimum (and more than none) is shown as suppressed. No default: researchers see no figures until the clinic sets it',
    citation: {
      section: 'clinical-reference 7.2',
      source: 'Minimum necessary (45 CFR 164.502(b)); the reference gives no cell size',
      evidence: 'unconfirmed',
    },
    setting: { key: 'outcomes.minimumCellSize', default: null, unit: 'patients' },
  },
];
