import { describe, expect, it } from 'vitest';
import {
  ageBandOf,
  ageOn,
  type CohortMember,
  cohortWeeklySeries,
  meanCell,
  rateCell,
  summarizeCohort,
} from './cohort.ts';

const member = (m: Partial<CohortMember>): CohortMember => ({
  ageYears: null,
  sex: 'unknown',
  baseline: null,
  endOfCourse: null,
  followUps: {},
  afterFirstDose: [],
  ...m,
});

/**
 * Five patients, figures computed by hand (sample SD, n − 1):
 *   A 30 F  PHQ-9 20 → 8   (−60 %: response)          3 m 10 (still ≥ 50 %), 6 m 18 (lost)
 *   B 45 M        16 → 4   (−75 %: response, remission) 3 m 3 (still both)
 *   C 62 F        12 → 11  (no response)               6 m 12
 *   D 28 M        24 → —   (no end of course)
 *   E 70 F         — → 9   (no baseline)
 */
const cohort: CohortMember[] = [
  member({
    ageYears: 30,
    sex: 'female',
    baseline: 20,
    endOfCourse: 8,
    followUps: { 3: 10, 6: 18 },
    afterFirstDose: [
      { days: 0, total: 19 },
      { days: 3, total: 15 },
      { days: 7, total: 12 },
      { days: 8, total: 9 },
    ],
  }),
  member({
    ageYears: 45,
    sex: 'male',
    baseline: 16,
    endOfCourse: 4,
    followUps: { 3: 3 },
    afterFirstDose: [{ days: 5, total: 10 }],
  }),
  member({
    ageYears: 62,
    sex: 'female',
    baseline: 12,
    endOfCourse: 11,
    followUps: { 6: 12 },
    afterFirstDose: [{ days: 10, total: 11 }],
  }),
  member({ ageYears: 28, sex: 'male', baseline: 24 }),
  member({ ageYears: 70, sex: 'female', endOfCourse: 9, afterFirstDose: [{ days: 6, total: 9 }] }),
];

describe('summarizeCohort (clinical-reference 5.1 table shape, 1.13 criteria)', () => {
  const summary = summarizeCohort('phq9', cohort);

  it('counts N and demographics, each with its own n', () => {
    expect(summary.n).toEqual({ suppressed: false, n: 5 });
    // ages 30 45 62 28 70: mean 47, Σd² = 1408, SD = √(1408/4) = 18.76
    expect(summary.age).toEqual({ suppressed: false, n: 5, mean: 47, sd: 18.8 });
    expect(summary.sex.female).toEqual({ suppressed: false, n: 3 });
    expect(summary.sex.male).toEqual({ suppressed: false, n: 2 });
    expect(summary.sex.intersex).toEqual({ suppressed: false, n: 0 });
    const bands = Object.fromEntries(
      summary.ageBands.map((b) => [b.band, b.count.suppressed ? 'x' : b.count.n]),
    );
    expect(bands).toEqual({
      'under-18': 0,
      '18-24': 0,
      '25-34': 2,
      '35-44': 0,
      '45-54': 1,
      '55-64': 1,
      '65-74': 1,
      '75+': 0,
    });
  });

  it('gives baseline, end-of-course and paired change means with sample SDs', () => {
    // baselines 20 16 12 24: mean 18, Σd² = 80, SD = √(80/3) = 5.16
    expect(summary.baseline).toEqual({ suppressed: false, n: 4, mean: 18, sd: 5.2 });
    // ends 8 4 11 9: mean 8, Σd² = 26, SD = √(26/3) = 2.94
    expect(summary.endOfCourse).toEqual({ suppressed: false, n: 4, mean: 8, sd: 2.9 });
    // changes −12 −12 −1 (A, B, C only): mean −8.33, SD = √(80.67/2) = 6.35
    expect(summary.change).toEqual({ suppressed: false, n: 3, mean: -8.3, sd: 6.4 });
  });

  it('classifies response and remission per patient over those with both values', () => {
    expect(summary.criteria).toEqual({ response: true, remission: true });
    expect(summary.response).toEqual({ suppressed: false, n: 3, count: 2, percent: 66.7 });
    expect(summary.remission).toEqual({ suppressed: false, n: 3, count: 1, percent: 33.3 });
  });

  it('gives follow-up means and durability among end-of-course responders', () => {
    const [m1, m3, m6, m12] = summary.followUps;
    expect(m1).toMatchObject({ months: 1, score: { suppressed: false, n: 0, mean: null, sd: null } });
    // 3 m: 10 and 3: mean 6.5, SD √24.5 = 4.95; A 20→10 (50 %) and B 16→3 both still respond
    expect(m3!.score).toEqual({ suppressed: false, n: 2, mean: 6.5, sd: 4.9 });
    expect(m3!.durability).toEqual({ suppressed: false, n: 2, count: 2, percent: 100 });
    expect(m3!.remissionKept).toEqual({ suppressed: false, n: 1, count: 1, percent: 100 });
    // 6 m: 18 and 12: mean 15, SD √18 = 4.24; A 20→18 has lost its response (C never responded)
    expect(m6!.score).toEqual({ suppressed: false, n: 2, mean: 15, sd: 4.2 });
    expect(m6!.durability).toEqual({ suppressed: false, n: 1, count: 0, percent: 0 });
    expect(m6!.remissionKept).toEqual({ suppressed: false, n: 0, count: 0, percent: null });
    expect(m12!.durability).toEqual({ suppressed: false, n: 0, count: 0, percent: null });
  });

  it('suppresses cells resting on fewer patients than the minimum, but shows zeros', () => {
    const small = summarizeCohort('phq9', cohort, { minimumCellSize: 3 });
    const hidden = { suppressed: true, fewerThan: 3 };
    expect(small.n).toEqual({ suppressed: false, n: 5 });
    expect(small.sex.female).toEqual({ suppressed: false, n: 3 });
    expect(small.sex.male).toEqual(hidden);
    expect(small.sex.intersex).toEqual({ suppressed: false, n: 0 });
    expect(small.ageBands.find((b) => b.band === '25-34')!.count).toEqual(hidden);
    expect(small.change).toMatchObject({ suppressed: false, n: 3 });
    expect(small.response).toMatchObject({ suppressed: false, n: 3, count: 2 });
    expect(small.followUps[1]!.score).toEqual(hidden);
    expect(small.followUps[1]!.durability).toEqual(hidden);
    expect(small.followUps[2]!.durability).toEqual(hidden);
    expect(small.followUps[2]!.remissionKept).toEqual({ suppressed: false, n: 0, count: 0, percent: null });
    // A hidden cell carries no figure at all.
    expect(JSON.stringify(small.followUps[1]!.score)).not.toMatch(/mean|"n"/);
  });

  it('refuses a minimum that is not a whole number of patients', () => {
    expect(() => summarizeCohort('phq9', cohort, { minimumCellSize: 0 })).toThrow(RangeError);
    expect(() => summarizeCohort('phq9', cohort, { minimumCellSize: 2.5 })).toThrow(RangeError);
  });

  it('says when an instrument has no remission criterion (PCL-5) and counts none', () => {
    const pcl = summarizeCohort('pcl5', [member({ baseline: 50, endOfCourse: 10 })]);
    expect(pcl.criteria).toEqual({ response: true, remission: false });
    expect(pcl.remission).toMatchObject({ n: 1, count: 0 });
    expect(pcl.response).toMatchObject({ n: 1, count: 1 });
  });

  it('gives an empty cohort as zeros, never NaN', () => {
    const empty = summarizeCohort('gad7', []);
    expect(empty.baseline).toEqual({ suppressed: false, n: 0, mean: null, sd: null });
    expect(empty.response).toEqual({ suppressed: false, n: 0, count: 0, percent: null });
    expect(JSON.stringify(empty)).not.toContain('NaN');
  });
});

describe('cohortWeeklySeries', () => {
  it('gives baseline at week 0 and each patient’s last value per week since the first dose', () => {
    const series = cohortWeeklySeries('phq9', cohort);
    expect(series.map((p) => p.week)).toEqual([0, 1, 2]);
    expect(series[0]!.score).toEqual({ suppressed: false, n: 4, mean: 18, sd: 5.2 });
    // week 1 (days 1–7): A 12 (day 7, not day 3), B 10, E 9: mean 10.33, SD √(4.667/2) = 1.53
    expect(series[1]!.score).toEqual({ suppressed: false, n: 3, mean: 10.3, sd: 1.5 });
    // judged only with a baseline: A 20→12 (40 %), B 16→10 (37.5 %)
    expect(series[1]!.response).toEqual({ suppressed: false, n: 2, count: 0, percent: 0 });
    // week 2: A 9 (55 %: response), C 11
    expect(series[2]!.score).toEqual({ suppressed: false, n: 2, mean: 10, sd: 1.4 });
    expect(series[2]!.response).toEqual({ suppressed: false, n: 2, count: 1, percent: 50 });
    expect(series[2]!.remission).toEqual({ suppressed: false, n: 2, count: 0, percent: 0 });
  });

  it('suppresses thin weeks and stops at maxWeek', () => {
    const series = cohortWeeklySeries('phq9', cohort, { minimumCellSize: 3, maxWeek: 1 });
    expect(series.map((p) => p.week)).toEqual([0, 1]);
    expect(series[1]!.response).toEqual({ suppressed: true, fewerThan: 3 });
  });
});

describe('cells and ages', () => {
  it('computes sample SD and rounds to one decimal', () => {
    expect(meanCell([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({ suppressed: false, n: 8, mean: 5, sd: 2.1 });
    expect(meanCell([7])).toEqual({ suppressed: false, n: 1, mean: 7, sd: null });
    expect(rateCell(1, 3)).toMatchObject({ percent: 33.3 });
  });

  it('counts whole years and bands them', () => {
    expect(ageOn('1990-06-15', '2026-06-14')).toBe(35);
    expect(ageOn('1990-06-15', '2026-06-15')).toBe(36);
    expect(ageBandOf(24)).toBe('18-24');
    expect(ageBandOf(25)).toBe('25-34');
    expect(ageBandOf(94)).toBe('75+');
    expect(ageBandOf(17)).toBe('under-18');
  });
});
