import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scoreInstrument } from '../instruments/index.ts';
import {
  classifyVitals,
  defaultVitalsThresholds,
  dischargeReadiness,
  monitoringRules,
  nextReadingDue,
  observationSchedule,
  type PreDoseGateInput,
  preDoseGate,
} from './index.ts';

describe('classifyVitals (clinical-reference 4.2)', () => {
  const baseline = { systolic: 120, diastolic: 80 };
  it.each([
    [{ systolic: 140, diastolic: 90 }, 'normal'],
    [{ systolic: 141, diastolic: 80 }, 'warning'],
    [{ systolic: 130, diastolic: 91 }, 'warning'],
    [{ systolic: 159, diastolic: 80 }, 'warning'],
    [{ systolic: 160, diastolic: 80 }, 'critical'], // +40 from 120
    [{ systolic: 179, diastolic: 104 }, 'critical'], // +24 diastolic is not, but +59 systolic is
    [{ systolic: 180, diastolic: 70 }, 'critical'],
    [{ systolic: 130, diastolic: 105 }, 'critical'], // +25 diastolic
    [{ systolic: 130, diastolic: 104 }, 'warning'],
    [{ systolic: 130, diastolic: 110 }, 'critical'],
  ] as const)('%j against 120/80 is %s', (reading, level) => {
    expect(classifyVitals(reading, baseline).level).toBe(level);
  });
  it('uses absolute criteria without a baseline', () => {
    expect(classifyVitals({ systolic: 170, diastolic: 95 }).level).toBe('warning');
  });
  it('has no SpO2 or heart-rate threshold until the clinic sets one', () => {
    expect(classifyVitals({ spo2: 85, heartRate: 150 }).level).toBe('normal');
    const clinic = {
      ...defaultVitalsThresholds,
      critical: { ...defaultVitalsThresholds.critical, spo2Below: 90 },
      warning: { ...defaultVitalsThresholds.warning, spo2Below: 94 },
    };
    expect(classifyVitals({ spo2: 89 }, undefined, clinic)).toEqual({
      level: 'critical',
      reasons: ['SpO2 89% < 90%'],
    });
    expect(classifyVitals({ spo2: 93 }, undefined, clinic).level).toBe('warning');
  });
  it('never lowers the level when blood pressure rises', () => {
    const rank = { normal: 0, warning: 1, critical: 2 };
    fc.assert(
      fc.property(
        fc.integer({ min: 80, max: 220 }),
        fc.integer({ min: 40, max: 130 }),
        fc.integer({ min: 0, max: 40 }),
        (sys, dia, rise) => {
          const before = classifyVitals({ systolic: sys, diastolic: dia }, baseline);
          const after = classifyVitals({ systolic: sys + rise, diastolic: dia }, baseline);
          return rank[after.level] >= rank[before.level];
        },
      ),
    );
  });
  it('refuses impossible readings', () => {
    expect(() => classifyVitals({ systolic: -5 })).toThrow(RangeError);
  });
});

describe('observation schedule', () => {
  it('SPRAVATO: before the dose and at 40 minutes, at least 2 hours', () => {
    expect(observationSchedule({ route: 'intranasal', product: 'esketamine' })).toMatchObject({
      readingsAtMinutes: [0, 40],
      minimumObservationMinutes: 120,
    });
  });
  it('IV: every 10 minutes through a 40-minute infusion, then every 15 for 30 minutes', () => {
    expect(observationSchedule({ route: 'iv', product: 'ketamine-racemic' })).toMatchObject({
      readingsAtMinutes: [0, 10, 20, 30, 40, 55, 70],
      minimumObservationMinutes: 70,
    });
  });
  it('IM: the clinic sets the interval and the minimum observation', () => {
    expect(observationSchedule({ route: 'im', product: 'ketamine-racemic' })).toMatchObject({
      thenEveryMinutes: null,
      minimumObservationMinutes: null,
    });
    expect(
      observationSchedule({
        route: 'im',
        product: 'ketamine-racemic',
        clinicSettings: { intervalMinutes: 15, minimumObservationMinutes: 120 },
      }),
    ).toMatchObject({ thenEveryMinutes: 15, minimumObservationMinutes: 120 });
  });
  it('tells which reading is due next and when one is overdue', () => {
    const iv = observationSchedule({ route: 'iv', product: 'ketamine-racemic' });
    expect(nextReadingDue(iv, [0, 10], 15)).toEqual({ dueAtMinutes: 20, overdue: false });
    expect(nextReadingDue(iv, [0, 10], 23)).toEqual({ dueAtMinutes: 20, overdue: true });
    expect(nextReadingDue(iv, [0, 10, 21, 30, 41, 55, 69], 75)).toEqual({
      dueAtMinutes: null,
      overdue: false,
    });
    const im = observationSchedule({
      route: 'im',
      product: 'ketamine-racemic',
      clinicSettings: { intervalMinutes: 15 },
    });
    expect(nextReadingDue(im, [0, 15], 40)).toEqual({ dueAtMinutes: 30, overdue: true });
  });
});

const ready: PreDoseGateInput = {
  product: 'ketamine-racemic',
  route: 'im',
  baselineVitals: { systolic: 124, diastolic: 78, heartRate: 72, spo2: 98 },
  baselineMoaas: 5,
  rideHomeConfirmed: true,
  escortName: 'Sam (partner)',
  noDrivingAcknowledged: true,
  scores: { phq9: scoreInstrument('phq9', [2, 2, 1, 1, 1, 1, 1, 0, 0]) },
};

describe('preDoseGate (clinical-reference 4.6)', () => {
  it('lets a prepared patient proceed', () => {
    expect(preDoseGate(ready)).toEqual({ proceed: true, blockers: [], cautions: [] });
  });
  it.each([
    ['no ride home', { rideHomeConfirmed: false }, /ride home/],
    ['no escort name', { escortName: '' }, /escort/],
    ['no driving not acknowledged', { noDrivingAcknowledged: false }, /driving/],
    ['pregnant', { pregnant: true }, /pregnant/],
    ['pregnancy test required but missing', { pregnancyTestRequired: true }, /pregnancy test/],
    ['BP 185/95', { baselineVitals: { systolic: 185, diastolic: 95, heartRate: 70, spo2: 98 } }, /180\/100/],
    ['no baseline BP', { baselineVitals: undefined }, /blood pressure/],
    ['no MOAA/S', { baselineMoaas: undefined }, /MOAA\/S/],
    ['no suicidality check', { scores: {} }, /suicidality/],
    [
      'C-SSRS high, not yet assessed',
      { scores: { cssrs: scoreInstrument('cssrs-screener', [1, 1, 1, 1, 0, 0, null]) } },
      /C-SSRS high/,
    ],
  ] as const)('%s blocks', (_name, change, message) => {
    const result = preDoseGate({ ...ready, ...change } as PreDoseGateInput);
    expect(result.proceed).toBe(false);
    expect(result.blockers.join(' ')).toMatch(message);
  });
  it.each([
    ['BP 150/85', { baselineVitals: { systolic: 150, diastolic: 85, heartRate: 70, spo2: 98 } }, /140\/90/],
    [
      'new benzodiazepine',
      { medicationChanges: [{ name: 'Lorazepam 1 mg' }] },
      /Lorazepam.*new since the plan/,
    ],
    ['stimulant', { currentMedications: [{ name: 'Methylphenidate' }] }, /raises BP/],
    ['PHQ-9 item 9', { scores: { phq9: scoreInstrument('phq9', [1, 1, 1, 1, 1, 1, 1, 1, 1]) } }, /item 9/],
    [
      'C-SSRS high, assessed today',
      {
        scores: { cssrs: scoreInstrument('cssrs-screener', [1, 1, 1, 1, 0, 0, null]) },
        suicideRiskAssessedToday: true,
      },
      /assessed by a clinician/,
    ],
    [
      'esketamine after a recent meal',
      { product: 'esketamine', route: 'intranasal', hoursSinceFood: 1, hoursSinceLiquids: 1 },
      /2 hours since food/,
    ],
    [
      'clinic fasting rule unmet',
      { clinicFastingHours: { food: 4 }, hoursSinceFood: 3 },
      /4 hours without food/,
    ],
  ] as const)('%s is a caution the prescriber may override', (_name, change, message) => {
    const result = preDoseGate({ ...ready, ...change } as PreDoseGateInput);
    expect(result.proceed).toBe(true);
    expect(result.cautions.join(' ')).toMatch(message);
  });
});

describe('dischargeReadiness (clinical-reference 4.5)', () => {
  const base = {
    product: 'esketamine' as const,
    route: 'intranasal' as const,
    minutesSinceDoseStart: 125,
    baselineVitals: { systolic: 120, diastolic: 80, heartRate: 70 },
    latestVitals: { systolic: 138, diastolic: 88, heartRate: 76 },
    baselineMoaas: 5,
    latestMoaas: 5,
    latestCadss6: 0,
    escortPresent: true,
  };
  it('discharges when every criterion is met', () => {
    expect(dischargeReadiness(base)).toEqual({ ready: true, unmet: [] });
  });
  it.each([
    ['before 2 hours of esketamine', { minutesSinceDoseStart: 119 }, /119 of at least 120/],
    [
      'systolic more than 20% above baseline',
      { latestVitals: { systolic: 145, diastolic: 80, heartRate: 70 } },
      /systolic 145/,
    ],
    ['still sedated', { latestMoaas: 4 }, /Sedation/],
    ['still dissociated', { latestCadss6: 3 }, /Dissociation/],
    ['no CADSS-6', { latestCadss6: undefined }, /CADSS-6/],
    ['no escort', { escortPresent: false }, /escort/],
  ] as const)('%s is not ready', (_name, change, message) => {
    const result = dischargeReadiness({ ...base, ...change });
    expect(result.ready).toBe(false);
    expect(result.unmet.join(' ')).toMatch(message);
  });
  it('needs the clinic’s minimum observation for IM, and honours it', () => {
    const im = { ...base, product: 'ketamine-racemic' as const, route: 'im' as const };
    expect(dischargeReadiness(im).unmet).toEqual([
      'The clinic has not set a minimum observation time for im ketamine.',
    ]);
    expect(dischargeReadiness({ ...im, minimumObservationMinutes: 90 }).ready).toBe(true);
  });
  it('cites every monitoring rule', () => {
    for (const rule of monitoringRules) expect(rule.citation.section).toMatch(/^clinical-reference \d\.\d$/);
  });
});
