import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkDoseSpacing, planCourse, protocols } from './index.ts';

const dosing = (id: Parameters<typeof planCourse>[0], start = '2026-03-02', options = {}) =>
  planCourse(id, start, options).filter((e) => e.kind === 'dosing');

describe('planCourse', () => {
  it('plans the IV series: 6 infusions in 12 days, integration 1–3 days after each', () => {
    const plan = planCourse('iv-series', '2026-03-02');
    expect(plan.filter((e) => e.kind === 'dosing').map((e) => e.earliest)).toEqual([
      '2026-03-02',
      '2026-03-04',
      '2026-03-06',
      '2026-03-09',
      '2026-03-11',
      '2026-03-13',
    ]);
    expect(plan.find((e) => e.kind === 'integration')).toMatchObject({
      earliest: '2026-03-03',
      latest: '2026-03-05',
    });
  });
  it('plans SPRAVATO TRD induction twice weekly for 4 weeks, then weekly for 4 weeks', () => {
    const doses = dosing('spravato-trd');
    expect(doses).toHaveLength(12);
    expect(doses.filter((d) => d.week! <= 4)).toHaveLength(8);
    expect(doses.filter((d) => d.week! >= 5 && d.week! <= 8)).toHaveLength(4);
  });
  it('plans SPRAVATO for suicidal ideation as 8 doses over 4 weeks', () => {
    expect(dosing('spravato-mdd-si')).toHaveLength(8);
  });
  it('adds maintenance only when the prescriber asks for it', () => {
    expect(
      dosing('spravato-trd', '2026-03-02', { maintenanceDoses: 3, maintenanceEveryWeeks: 2 }),
    ).toHaveLength(15);
    expect(() => planCourse('spravato-trd', '2026-03-02', { maintenanceDoses: 3 })).toThrow(
      /maintenanceEveryWeeks/,
    );
  });
  it('puts PHQ-9 and GAD-7 before each KAP dose, and follow-ups at 1, 3, 6 and 12 months', () => {
    const plan = planCourse('kap-sublingual', '2026-01-31');
    const measures = plan.filter((e) => e.kind === 'measure' && e.note?.startsWith('Before dose'));
    expect(measures).toHaveLength(4);
    expect(measures.every((m) => m.instruments?.join() === 'phq9,gad7')).toBe(true);
    expect(plan.filter((e) => e.kind === 'preparation')).toHaveLength(3);
    // last dose 2026-02-21 → 1 month 03-21, 3 months 05-21, 6 months 08-21, 12 months 2027-02-21
    expect(plan.filter((e) => e.kind === 'follow-up').map((e) => e.earliest)).toEqual([
      '2026-03-21',
      '2026-05-21',
      '2026-08-21',
      '2027-02-21',
    ]);
  });
  it('lets a KAP course run 1–6 sessions, and refuses a bad date', () => {
    expect(dosing('kap-im', '2026-03-02', { dosingSessions: 6 })).toHaveLength(6);
    expect(() => planCourse('kap-im', '2026-03-02', { dosingSessions: 9 })).toThrow(RangeError);
    expect(() => planCourse('kap-im', '2026-02-30')).toThrow(RangeError);
    expect(() => planCourse('nope' as never, '2026-02-03')).toThrow(RangeError);
  });
  it('keeps every planned dose at least a day apart, in every protocol and start date', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(protocols) as (keyof typeof protocols)[])),
        fc.date({ min: new Date('2025-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }),
        (id, start) => {
          const days = dosing(id, start.toISOString().slice(0, 10)).map((d) =>
            Date.parse(`${d.earliest}T09:00:00Z`),
          );
          return days.every((t, i) => i === 0 || t - days[i - 1]! >= 24 * 3_600_000);
        },
      ),
    );
  });
});

describe('checkDoseSpacing', () => {
  it('refuses a dose within the minimum interval and names the conflict', () => {
    expect(checkDoseSpacing('2026-03-03T10:00:00Z', ['2026-03-02T12:00:00Z'])).toEqual({
      ok: false,
      conflictsWith: '2026-03-02T12:00:00Z',
      hoursApart: 22,
    });
    expect(checkDoseSpacing('2026-03-03T12:00:00Z', ['2026-03-02T12:00:00Z'])).toEqual({ ok: true });
    expect(checkDoseSpacing('2026-03-04T12:00:00Z', ['2026-03-02T12:00:00Z'], 72).ok).toBe(false);
    expect(() => checkDoseSpacing('tomorrow', [])).toThrow(RangeError);
  });
});
