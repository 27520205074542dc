import { describe, expect, it } from 'vitest';
import { pendingWriteSummary, pendingWriteTime, treatmentLabel, vitalsSummary } from './session-format.ts';

describe('session wording', () => {
  it('names the treatment', () => {
    expect(treatmentLabel('im', 'ketamine-racemic')).toBe('IM ketamine');
    expect(treatmentLabel('intranasal', 'esketamine')).toBe('Esketamine nasal spray (SPRAVATO)');
  });
  it('sums up a reading, leaving out what was not measured', () => {
    expect(vitalsSummary({ systolic: 142, diastolic: 88, heartRate: 76, spo2: 97 })).toBe(
      'BP 142/88 · HR 76 · SpO₂ 97%',
    );
    expect(vitalsSummary({ systolic: null, diastolic: null, heartRate: 70, spo2: null })).toBe('HR 70');
    expect(vitalsSummary({})).toBe('No values');
  });
  it('says what each waiting write holds', () => {
    expect(
      pendingWriteSummary({ kind: 'vitals', body: { id: 'a', systolic: 182, diastolic: 96, spo2: 95 } }),
    ).toBe('Vitals: BP 182/96 · SpO₂ 95%');
    expect(pendingWriteSummary({ kind: 'observation', body: { id: 'b', kind: 'moaas', moaas: 3 } })).toBe(
      'Sedation: MOAA/S 3 (responds to loud voice)',
    );
    expect(
      pendingWriteSummary({
        kind: 'observation',
        body: { id: 'c', kind: 'cadss6', cadss6: [1, 2, 0, 0, 1, 0] },
      }),
    ).toBe('CADSS-6 total 4');
    expect(
      pendingWriteSummary({
        kind: 'observation',
        body: { id: 'd', kind: 'side-effects', sideEffects: ['nausea', 'perceptual-changes'] },
      }),
    ).toBe('Side effects: Nausea, Perceptual changes');
    expect(
      pendingWriteSummary({ kind: 'observation', body: { id: 'e', kind: 'side-effects', sideEffects: [] } }),
    ).toBe('Side effects: none');
  });
  it('gives the time the reading was taken', () => {
    expect(pendingWriteTime({ body: { id: 'a', measuredAt: '2026-06-01T09:40:00.000Z' }, queuedAt: 0 })).toBe(
      '2026-06-01T09:40:00.000Z',
    );
    expect(pendingWriteTime({ body: { id: 'b' }, queuedAt: Date.parse('2026-06-01T09:41:00Z') })).toBe(
      '2026-06-01T09:41:00.000Z',
    );
  });
});
