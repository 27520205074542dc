import { defaultVitalsThresholds, type VitalsThresholds } from '@kapstone/clinical';
import { describe, expect, it } from 'vitest';
import type { SessionVitalsReading } from './sessions.types.ts';
import { minuteTick, thresholdGuides, vitalsChartModel } from './vitals-chart-model.ts';

const t0 = Date.parse('2026-06-01T09:00:00Z');
const at = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();

function reading(
  id: string,
  minute: number,
  values: Partial<SessionVitalsReading> = {},
): SessionVitalsReading {
  return {
    id,
    measuredAt: at(minute),
    systolic: 120,
    diastolic: 80,
    heartRate: 70,
    spo2: 98,
    classification: { level: 'normal', reasons: [] },
    ...values,
  };
}

describe('vitalsChartModel', () => {
  it('places readings on minutes from the start of the dose, the baseline before zero, in time order', () => {
    const model = vitalsChartModel({
      vitals: [reading('r40', 40), reading('base', -10), reading('r10', 10)],
      doseStartedAt: at(0),
      now: t0 + 45 * 60_000,
    });
    expect(model.points.map((p) => [p.id, p.minute])).toEqual([
      ['base', -10],
      ['r10', 10],
      ['r40', 40],
    ]);
    expect(model.minuteDomain).toEqual([-10, 45]);
  });

  it('leaves out corrected and entered-in-error readings', () => {
    const model = vitalsChartModel({
      vitals: [
        reading('kept', 5, { status: 'current' }),
        reading('old', 6, { status: 'superseded' }),
        reading('wrong', 7, { status: 'entered-in-error' }),
        reading('undo', 8, { status: 'retraction' }),
      ],
      doseStartedAt: at(0),
      now: t0,
    });
    expect(model.points.map((p) => p.id)).toEqual(['kept']);
  });

  it('draws readings still waiting to be sent, marked pending and without a classification, once', () => {
    const model = vitalsChartModel({
      vitals: [reading('sent', 10)],
      pending: [
        {
          id: 'queued',
          kind: 'vitals',
          body: { id: 'queued', measuredAt: at(20), systolic: 150, diastolic: 95 },
        },
        // Confirmed meanwhile: the server's copy is drawn, not the queued one as well.
        { id: 'sent', kind: 'vitals', body: { id: 'sent', measuredAt: at(10), systolic: 120 } },
        { id: 'obs', kind: 'observation', body: { id: 'obs', observedAt: at(15), moaas: 4 } },
      ],
      doseStartedAt: at(0),
      now: t0 + 20 * 60_000,
    });
    expect(model.points.map((p) => [p.id, p.pending])).toEqual([
      ['sent', false],
      ['queued', true],
    ]);
    expect(model.points[1]).toMatchObject({
      systolic: 150,
      diastolic: 95,
      heartRate: null,
      spo2: null,
      level: null,
    });
  });

  it('marks each dose, and the end of an infusion', () => {
    const model = vitalsChartModel({
      vitals: [],
      administrations: [
        { id: 'b', product: 'ketamine-racemic', route: 'im', doseMg: 25, startedAt: at(30), sequence: 2 },
        {
          id: 'a',
          product: 'ketamine-racemic',
          route: 'iv',
          doseMg: 35.5,
          startedAt: at(0),
          endedAt: at(40),
        },
      ],
      now: t0 + 50 * 60_000,
    });
    expect(model.origin).toBe(t0);
    expect(model.doses).toEqual([
      { minute: 0, endMinute: 40, label: 'Dose 35.5 mg' },
      { minute: 30, endMinute: null, label: 'Dose 2 · 25 mg' },
    ]);
  });

  it('counts from check-in when there is no dose yet', () => {
    const model = vitalsChartModel({
      vitals: [reading('base', 5)],
      checkedInAt: at(0),
      now: t0 + 6 * 60_000,
    });
    expect(model.points[0]?.minute).toBe(5);
  });

  it('draws the clinic’s thresholds, and the label’s cited defaults when the server sends none', () => {
    const own: VitalsThresholds = {
      critical: { ...defaultVitalsThresholds.critical, systolicAtLeast: 170, spo2Below: 88 },
      warning: { ...defaultVitalsThresholds.warning, systolicAbove: 150, spo2Below: 92 },
    };
    const clinic = vitalsChartModel({ vitals: [], thresholds: own, now: t0 });
    expect(clinic.bands.filter((b) => b.chart === 'bp')).toEqual([
      { chart: 'bp', level: 'warning', from: 150, to: 170, label: 'Systolic above 150' },
      { chart: 'bp', level: 'critical', from: 170, to: null, label: 'Systolic 170 or more' },
    ]);
    expect(clinic.bands.filter((b) => b.chart === 'spo2')).toEqual([
      { chart: 'spo2', level: 'critical', from: null, to: 88, label: 'SpO₂ below 88%' },
      { chart: 'spo2', level: 'warning', from: 88, to: 92, label: 'SpO₂ below 92%' },
    ]);
    expect(clinic.valueDomains.spo2[0]).toBeLessThanOrEqual(86);

    const label = vitalsChartModel({ vitals: [], now: t0 });
    expect(label.bands.map((b) => [b.chart, b.from, b.to])).toEqual([
      ['bp', defaultVitalsThresholds.warning.systolicAbove, defaultVitalsThresholds.critical.systolicAtLeast],
      ['bp', defaultVitalsThresholds.critical.systolicAtLeast, null],
    ]);
    // Heart rate and SpO2 have no default in the reference: no band is drawn rather than an invented one.
    expect(label.bands.some((b) => b.chart !== 'bp')).toBe(false);
  });

  it('keeps every band edge and every reading inside the drawn range', () => {
    const model = vitalsChartModel({
      vitals: [reading('high', 10, { systolic: 212, diastolic: 121, heartRate: 134, spo2: 84 })],
      doseStartedAt: at(0),
      now: t0,
    });
    const [bpLow, bpHigh] = model.valueDomains.bp;
    expect(bpHigh).toBeGreaterThanOrEqual(222);
    expect(bpLow).toBeLessThanOrEqual(40);
    expect(model.valueDomains.heartRate[1]).toBeGreaterThanOrEqual(144);
    expect(model.valueDomains.spo2[0]).toBeLessThanOrEqual(82);
    expect(model.valueDomains.spo2[1]).toBe(100);
  });
});

describe('thresholdGuides', () => {
  it('adds the rise-from-baseline line when the baseline is known', () => {
    const { lines } = thresholdGuides(defaultVitalsThresholds, { systolic: 128 });
    expect(lines).toContainEqual({
      chart: 'bp',
      level: 'critical',
      value: 128 + defaultVitalsThresholds.critical.systolicRiseAtLeast,
      label: `Systolic up ${defaultVitalsThresholds.critical.systolicRiseAtLeast} from baseline`,
    });
    expect(thresholdGuides(defaultVitalsThresholds, null).lines).toHaveLength(2);
  });
});

describe('minuteTick', () => {
  it('writes minutes before the dose with a minus sign', () => {
    expect([-10, 0, 40].map(minuteTick)).toEqual(['−10', '0', '40']);
  });
});
