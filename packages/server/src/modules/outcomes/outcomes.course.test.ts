import { describe, expect, it } from 'vitest';
import type { ScorePoint } from '../measures/measures.series.ts';
import { addMonths, courseValues } from './outcomes.course.ts';

const point = (
  at: string,
  total: number,
  scheduleKey: string | null = null,
  reason: ScorePoint['reason'] = null,
) =>
  ({
    responseId: at,
    instrument: 'phq9',
    total,
    band: null,
    at: new Date(at),
    reason,
    scheduleKey,
  }) as ScorePoint;
const doses = ['2026-03-02T15:00:00Z', '2026-03-05T15:00:00Z', '2026-03-09T15:00:00Z'].map(
  (d) => new Date(d),
);

describe('courseValues', () => {
  it('reads the schedule’s keys: baseline, end of course and follow-ups', () => {
    const values = courseValues(
      [
        point('2026-02-20T15:00:00Z', 21, 'baseline', 'baseline'),
        point('2026-03-02T14:00:00Z', 19, 'dose:1'),
        point('2026-03-09T14:00:00Z', 9, 'dose:3'),
        point('2026-03-10T15:00:00Z', 6, 'end-of-course', 'end-of-course'),
        point('2026-03-12T15:00:00Z', 8),
        point('2026-04-20T15:00:00Z', 7, 'follow-up:1m'),
        point('2026-06-20T15:00:00Z', 12, 'follow-up:3m'),
      ],
      doses,
    );
    expect(values).toMatchObject({ baseline: 21, endOfCourse: 6, followUps: { 1: 7, 3: 12 } });
  });

  it('falls back to the windows without keys, and uses a point once', () => {
    const values = courseValues(
      [
        point('2026-03-01T15:00:00Z', 20),
        point('2026-03-20T15:00:00Z', 9), // 11 days after the last dose: the end of course
        point('2026-04-12T15:00:00Z', 8), // last dose + 1 month + 3 days
        point('2026-06-30T15:00:00Z', 10), // + 3 months + 21 days
        point('2026-09-20T15:00:00Z', 14), // + 6 months + 11 days
      ],
      doses,
    );
    expect(values).toMatchObject({ baseline: 20, endOfCourse: 9, followUps: { 1: 8, 3: 10, 6: 14 } });
    expect(
      courseValues([point('2026-03-01T15:00:00Z', 20), point('2026-04-25T15:00:00Z', 8)], doses).followUps,
    ).toEqual({});
  });

  it('does not take a schedule item answered during the course as its end', () => {
    const values = courseValues(
      [
        point('2026-03-01T15:00:00Z', 20, 'baseline', 'baseline'),
        point('2026-03-09T14:00:00Z', 9, 'end-of-course', 'end-of-course'), // before the last dose
        point('2026-03-16T15:00:00Z', 4),
      ],
      doses,
    );
    expect(values.endOfCourse).toBe(4);
  });

  it('adds calendar months, clamped to the month’s end', () => {
    expect(addMonths(new Date('2026-01-31T10:00:00Z'), 1).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(addMonths(new Date('2026-03-09T15:00:00Z'), 12).toISOString()).toBe('2027-03-09T15:00:00.000Z');
  });
});
