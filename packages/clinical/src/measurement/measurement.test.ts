import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planCourse } from '../protocols/index.ts';
import type { ProtocolId } from '../types.ts';
import { type CourseDosing, inductionWeeks, type MeasureScheduleInput, measureSchedule } from './index.ts';

const plannedDates = (protocolId: ProtocolId, start: string, options = {}) =>
  planCourse(protocolId, start, options)
    .filter((e) => e.kind === 'dosing')
    .map((e) => e.earliest);

function input(
  protocolId: ProtocolId,
  start: string,
  dosings: CourseDosing[],
  today: string,
  extra: Partial<MeasureScheduleInput> = {},
): MeasureScheduleInput {
  return {
    protocolId,
    planStartDate: start,
    plannedDosingDates: plannedDates(
      protocolId,
      start,
      protocolId.startsWith('kap') ? { dosingSessions: 4 } : {},
    ),
    dosings,
    endedOn: null,
    today,
    ...extra,
  };
}
const byKey = (s: ReturnType<typeof measureSchedule>) => new Map(s.items.map((i) => [i.scheduleKey, i]));
const given = (...dates: string[]): CourseDosing[] => dates.map((date) => ({ date, status: 'given' }));
const booked = (...dates: string[]): CourseDosing[] => dates.map((date) => ({ date, status: 'booked' }));

describe('measureSchedule', () => {
  it('before anything is booked, plans the whole SPRAVATO course from the protocol and assigns nothing', () => {
    const s = measureSchedule(input('spravato-trd', '2026-03-02', [], '2026-02-10'));
    const keys = s.items.map((i) => i.scheduleKey);
    expect(keys.filter((k) => k.startsWith('dose:'))).toHaveLength(12);
    expect(keys).toContain('baseline');
    expect(keys).toContain('end-of-course');
    expect(keys.filter((k) => k.startsWith('follow-up:'))).toEqual([
      'follow-up:1m',
      'follow-up:3m',
      'follow-up:6m',
      'follow-up:12m',
    ]);
    // Only the baseline hangs on the plan's own start date; the rest waits for bookings.
    expect(s.items.filter((i) => i.anchor === 'anchored').map((i) => i.scheduleKey)).toEqual(['baseline']);
    expect(s.dueNow).toEqual([]);
    expect(byKey(s).get('dose:3')?.dueDate).toBe('2026-03-09');
    expect(byKey(s).get('dose:1')?.instruments).toEqual(['phq9', 'gad7']);
  });

  it('assigns the baseline in the 14 days before the booked first dose, leaving out what screening just measured', () => {
    const dosings = booked('2026-03-02', '2026-03-05');
    const early = measureSchedule(input('spravato-trd', '2026-03-02', dosings, '2026-02-15'));
    expect(early.dueNow).toEqual([]);
    const s = measureSchedule(
      input('spravato-trd', '2026-03-02', dosings, '2026-02-16', {
        answered: [
          { instrument: 'phq9', date: '2026-02-20' },
          { instrument: 'gad7', date: '2026-01-05' }, // too old to be the baseline
        ],
      }),
    );
    expect(s.dueNow.map((i) => i.scheduleKey)).toEqual(['baseline']);
    expect(s.dueNow[0]).toMatchObject({
      reason: 'baseline',
      instruments: ['gad7'],
      dueDate: '2026-03-01',
      earliest: '2026-02-16',
      anchor: 'anchored',
    });
  });

  it('puts each pre-dose measure on the day of its session; a moved session moves its measure and the estimates after it', () => {
    const asPlanned = measureSchedule(
      input('spravato-trd', '2026-03-02', [...given('2026-03-02'), ...booked('2026-03-05')], '2026-03-05'),
    );
    expect(byKey(asPlanned).get('dose:2')).toMatchObject({ dueDate: '2026-03-05', anchor: 'anchored' });
    expect(asPlanned.dueNow.map((i) => i.scheduleKey)).toEqual(['dose:2']);
    const moved = measureSchedule(
      input('spravato-trd', '2026-03-02', [...given('2026-03-02'), ...booked('2026-03-06')], '2026-03-05'),
    );
    expect(byKey(moved).get('dose:2')).toMatchObject({ dueDate: '2026-03-06', anchor: 'anchored' });
    expect(moved.dueNow).toEqual([]);
    // Planned spacing dose 2 → 3 is 4 days (day 3 → day 7): the estimate follows the move.
    expect(byKey(moved).get('dose:3')).toMatchObject({ dueDate: '2026-03-10', anchor: 'planned' });
  });

  it('numbers the doses in date order whatever order they come in', () => {
    const s = measureSchedule(
      input(
        'iv-series',
        '2026-03-02',
        [...booked('2026-03-06'), ...given('2026-03-02', '2026-03-04')],
        '2026-03-06',
      ),
    );
    expect(['dose:1', 'dose:2', 'dose:3'].map((k) => byKey(s).get(k)?.dueDate)).toEqual([
      '2026-03-02',
      '2026-03-04',
      '2026-03-06',
    ]);
  });

  it('asks weekly during induction in a week without a session, and not in weeks that have one', () => {
    const dosings = [...given('2026-03-02'), ...booked('2026-03-23')];
    const s = measureSchedule(input('kap-im', '2026-03-02', dosings, '2026-03-15'));
    const weekly = s.items.filter((i) => i.reason === 'weekly');
    expect(weekly.map((w) => [w.scheduleKey, w.dueDate])).toEqual([
      ['week:2', '2026-03-15'],
      ['week:3', '2026-03-22'],
    ]);
    expect(s.dueNow.map((i) => i.scheduleKey)).toEqual(['week:2']);
    expect(byKey(s).get('week:3')?.anchor).toBe('planned');
    // Weekly sessions as planned: no extra weekly measure at all.
    const onTime = measureSchedule(
      input('kap-im', '2026-03-02', given('2026-03-02', '2026-03-09', '2026-03-16'), '2026-03-20'),
    );
    expect(onTime.items.filter((i) => i.reason === 'weekly')).toEqual([]);
  });

  it('counts induction as SPRAVATO weeks 1–4, the 2-week IV series, and the weekly KAP course', () => {
    expect(inductionWeeks('spravato-trd', 12)).toBe(4);
    expect(inductionWeeks('spravato-mdd-si', 8)).toBe(4);
    expect(inductionWeeks('iv-series', 6)).toBe(2);
    expect(inductionWeeks('kap-sublingual', 4)).toBe(4);
  });

  it('once every planned dose is given: end of course the day after the last dose, follow-ups 1, 3, 6, 12 months after it', () => {
    const s = measureSchedule(
      input(
        'kap-im',
        '2026-03-02',
        given('2026-03-02', '2026-03-09', '2026-03-17', '2026-03-24'),
        '2026-03-25',
      ),
    );
    expect(s.lastDose).toBe('2026-03-24');
    expect(byKey(s).get('end-of-course')).toMatchObject({
      dueDate: '2026-03-25',
      latest: '2026-03-31',
      anchor: 'anchored',
    });
    expect(
      ['follow-up:1m', 'follow-up:3m', 'follow-up:6m', 'follow-up:12m'].map((k) => byKey(s).get(k)?.dueDate),
    ).toEqual(['2026-04-24', '2026-06-24', '2026-09-24', '2027-03-24']);
    expect(s.dueNow.map((i) => i.scheduleKey)).toEqual(['end-of-course']);
    expect(byKey(s).get('follow-up:1m')?.instruments).toEqual(['phq9', 'gad7']);
  });

  it('anchors follow-ups to the last dose actually given when the plan ends early, ignoring a leftover booking', () => {
    const s = measureSchedule(
      input(
        'spravato-trd',
        '2026-03-02',
        [...given('2026-03-02', '2026-03-05'), ...booked('2026-03-09')],
        '2026-04-05',
        {
          endedOn: '2026-03-07',
        },
      ),
    );
    expect(s.lastDose).toBe('2026-03-05');
    expect(byKey(s).get('follow-up:1m')?.dueDate).toBe('2026-04-05');
    expect(s.items.filter((i) => i.reason === 'pre-dose')).toHaveLength(2);
    expect(s.dueNow.map((i) => i.scheduleKey)).toEqual(['follow-up:1m']);
  });

  it('clamps a follow-up to the end of a shorter month', () => {
    const s = measureSchedule(
      input(
        'kap-im',
        '2026-01-10',
        given('2026-01-10', '2026-01-17', '2026-01-24', '2026-01-31'),
        '2026-02-01',
      ),
    );
    expect(byKey(s).get('follow-up:1m')?.dueDate).toBe('2026-02-28');
  });

  it('refuses dates that are not dates', () => {
    expect(() => measureSchedule(input('kap-im', '2026-02-30', [], '2026-02-01'))).toThrow(RangeError);
    expect(() => measureSchedule(input('kap-im', '2026-03-02', booked('2026-3-9'), '2026-02-01'))).toThrow(
      RangeError,
    );
  });

  it('property: schedule keys are unique, due dates lie in their windows, and only anchored items are due now', () => {
    const day = fc.integer({ min: 0, max: 120 }).map((d) => {
      const date = new Date(Date.UTC(2026, 2, 2 + d));
      return date.toISOString().slice(0, 10);
    });
    fc.assert(
      fc.property(
        fc.constantFrom<ProtocolId>(
          'iv-series',
          'spravato-trd',
          'spravato-mdd-si',
          'kap-im',
          'kap-sublingual',
        ),
        fc.array(fc.record({ date: day, status: fc.constantFrom<'given' | 'booked'>('given', 'booked') }), {
          maxLength: 14,
        }),
        day,
        fc.option(day, { nil: null }),
        (protocolId, dosings, today, endedOn) => {
          const s = measureSchedule(input(protocolId, '2026-03-02', dosings, today, { endedOn }));
          const keys = s.items.map((i) => i.scheduleKey);
          expect(new Set(keys).size).toBe(keys.length);
          for (const i of s.items) {
            expect(i.earliest <= i.dueDate && i.dueDate <= i.latest).toBe(true);
            expect(i.instruments.length).toBeGreaterThan(0);
          }
          for (const i of s.dueNow) expect(i.anchor).toBe('anchored');
          if (s.lastDose) {
            const lastGiven = dosings
              .filter((d) => d.status === 'given')
              .map((d) => d.date)
              .sort()
              .at(-1);
            expect(s.lastDose).toBe(lastGiven);
          }
        },
      ),
    );
  });
});
