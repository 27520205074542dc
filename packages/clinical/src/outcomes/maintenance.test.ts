import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ruleCatalog } from '../catalog.ts';
import { instrumentChartGuides } from './chart-guides.ts';
import { maintenanceRules, maintenanceSignal } from './maintenance.ts';

type Point = { total: number; inFollowUp: boolean; label: string };
/** Course totals, then follow-up totals, each labelled by its position. */
const course = (during: number[], followUp: number[]): Point[] => [
  ...during.map((total, i) => ({ total, inFollowUp: false, label: `dose:${i + 1}` })),
  ...followUp.map((total, i) => ({ total, inFollowUp: true, label: `follow-up:${i + 1}` })),
];

describe('maintenanceSignal (clinical-reference 1.13, 2.5, 5.3)', () => {
  it('does not fire for a steady responder in follow-up', () => {
    // PHQ-9 20 → 8 → 6 → 7 → 8: responding throughout, never more than 2 points above its best.
    expect(maintenanceSignal('phq9', 20, course([12, 8, 6], [7, 8]))).toBeNull();
    // A remitter who stays remitted.
    expect(maintenanceSignal('phq9', 20, course([9, 4, 2], [3, 4]))).toBeNull();
  });

  it('fires firm when a responder loses response in follow-up, with the data behind it', () => {
    const points = course([14, 8, 6], [7, 12]);
    const signal = maintenanceSignal('phq9', 20, points);
    expect(signal).not.toBeNull();
    expect(signal).toMatchObject({
      instrument: 'phq9',
      strength: 'firm',
      baseline: 20,
      best: { total: 6, label: 'dose:3' },
      latest: { total: 12, label: 'follow-up:2' },
      riseFromBest: 6,
      // (12 − 6) / (20 − 6) = 0.4286
      fractionTowardBaseline: 0.43,
      mcid: 5,
    });
    expect(signal!.course.status).toBe('lost-response');
    expect(signal!.points.map((p) => p.label)).toEqual(['dose:3', 'follow-up:1', 'follow-up:2']);
    expect(signal!.reasons.join(' ')).toContain('best of 6');
    expect(signal!.explanation).toContain('18 days');
    expect(signal!.explanation).toContain('SPRAVATO');
    expect(signal!.citations.map((c) => c.section)).toEqual(
      expect.arrayContaining(['clinical-reference 2.5', 'clinical-reference 5.3']),
    );
  });

  it('fires early when still responding but at least one MCID above the best score', () => {
    // GAD-7 16 → best 2 → 7 in follow-up: still ≥50% down (7 ≤ 8) but +5 ≥ MCID 4.
    const signal = maintenanceSignal('gad7', 16, course([8, 2], [7]));
    expect(signal).toMatchObject({
      strength: 'early',
      riseFromBest: 5,
      mcid: 4,
      fractionTowardBaseline: 0.36,
    });
    expect(signal!.course.status).toBe('responding');
    // Exactly the MCID counts (at least 4 points); one point less does not.
    expect(maintenanceSignal('gad7', 16, course([8, 2], [6]))).toMatchObject({
      strength: 'early',
      riseFromBest: 4,
    });
    expect(maintenanceSignal('gad7', 16, course([8, 2], [5]))).toBeNull();
  });

  it('has no early signal where the instrument has no MCID, but still the firm one', () => {
    // MADRS 30 → 10 → 14: still responding (≤15), +4 from best; no MADRS MCID in the reference.
    expect(maintenanceSignal('madrs', 30, course([10], [14]))).toBeNull();
    expect(maintenanceSignal('madrs', 30, course([10], [20]))).toMatchObject({
      strength: 'firm',
      mcid: null,
    });
  });

  it('counts a rise past baseline after a response as firm', () => {
    const signal = maintenanceSignal('phq9', 12, course([5], [18]));
    expect(signal).toMatchObject({ strength: 'firm', fractionTowardBaseline: 1.86 });
    expect(signal!.course.status).toBe('worsening');
  });

  it('never fires for a non-responder, nor on a total measured during the course', () => {
    expect(maintenanceSignal('phq9', 20, course([18, 15], [19]))).toBeNull();
    // Lost response, but the latest total is from the course: the course status covers it.
    expect(maintenanceSignal('phq9', 20, course([8, 15], []))).toBeNull();
    expect(maintenanceSignal('phq9', 20, [])).toBeNull();
  });

  it('uses the clinic’s thresholds and passes its no-response setting to the course status', () => {
    const thresholds = {
      phq9: {
        response: {
          percentReductionAtLeast: 60,
          citation: { section: 'clinic', source: 'clinic', evidence: 'unconfirmed' as const },
        },
      },
    };
    // 20 → 9 is 55%: a response by default, not under the clinic's 60%.
    expect(maintenanceSignal('phq9', 20, course([9], [13]))?.strength).toBe('firm');
    expect(maintenanceSignal('phq9', 20, course([9], [13]), { thresholds })).toBeNull();
  });

  it('fires only for responders, and its fraction grows with the latest total (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 27 }),
        fc.array(fc.integer({ min: 0, max: 27 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 27 }),
        (baseline, during, latest) => {
          const signal = maintenanceSignal('phq9', baseline, course(during, [latest]));
          if (!signal) return;
          expect(signal.course.everResponded).toBe(true);
          expect(signal.latest.total).toBe(latest);
          expect(signal.best.total).toBe(Math.min(...during, latest));
          const higher = maintenanceSignal('phq9', baseline, course(during, [Math.min(27, latest + 1)]));
          if (higher && latest < 27) {
            expect(higher.fractionTowardBaseline).toBeGreaterThanOrEqual(signal.fractionTowardBaseline);
          }
        },
      ),
    );
  });

  it('says in its metadata that the early rule is UNCONFIRMED, and joins the catalog', () => {
    const early = maintenanceRules.find((r) => r.id === 'outcomes.maintenance.early-rise')!;
    expect(early.citation.evidence).toBe('unconfirmed');
    expect(early.citation.source).toContain('UNCONFIRMED');
    const ids = ruleCatalog().map((r) => r.id);
    for (const rule of maintenanceRules) expect(ids).toContain(rule.id);
  });
});

describe('instrumentChartGuides', () => {
  it('gives the PHQ-9 bands and, for a baseline of 20, response ≤10, remission <5, worsening ≥25', () => {
    const guides = instrumentChartGuides('phq9', 20);
    expect(guides.range).toEqual({ min: 0, max: 27 });
    expect(guides.bands.map((b) => [b.id, b.min, b.max])).toEqual([
      ['none-minimal', 0, 4],
      ['mild', 5, 9],
      ['moderate', 10, 14],
      ['moderately-severe', 15, 19],
      ['severe', 20, 27],
    ]);
    expect(guides.response).toMatchObject({ value: 10, meets: 'at-or-below' });
    expect(guides.remission).toMatchObject({ value: 5, meets: 'below' });
    expect(guides.worsening).toMatchObject({ value: 25, meets: 'at-or-above' });
  });

  it('keeps a relative response line exact, and drops a worsening line that falls off the scale', () => {
    const guides = instrumentChartGuides('phq9', 23);
    expect(guides.response!.value).toBe(11.5);
    expect(guides.response!.label).toContain('11.5');
    expect(guides.worsening).toBeNull();
  });

  it('gives PCL-5 its points criterion and bands from the clinic’s cut-off', () => {
    const guides = instrumentChartGuides('pcl5', 50, { cutoffs: { pcl5: 31 } });
    expect(guides.bands.map((b) => [b.id, b.min, b.max])).toEqual([
      ['negative', 0, 30],
      ['positive', 31, 80],
    ]);
    expect(guides.response).toMatchObject({ value: 45 });
    expect(guides.remission).toBeNull();
    expect(guides.worsening).toMatchObject({ value: 60 });
    expect(instrumentChartGuides('pcl5', null).bands[1]!.min).toBe(33);
  });

  it('draws no baseline lines without a baseline, and refuses the C-SSRS and an off-scale baseline', () => {
    const guides = instrumentChartGuides('gad7', null);
    expect([guides.response, guides.worsening]).toEqual([null, null]);
    expect(guides.remission).toMatchObject({ value: 5 });
    expect(() => instrumentChartGuides('cssrs-screener', null)).toThrow(RangeError);
    expect(() => instrumentChartGuides('phq9', 28)).toThrow(RangeError);
    expect(() => instrumentChartGuides('bdi' as 'phq9', null)).toThrow(RangeError);
  });

  it('draws no response line a baseline cannot fall to (0 for a relative criterion, below 0 in points)', () => {
    expect(instrumentChartGuides('phq9', 0).response).toBeNull();
    expect(instrumentChartGuides('pcl5', 3).response).toBeNull();
    expect(instrumentChartGuides('pcl5', 5).response).toMatchObject({ value: 0 });
  });

  it('draws an at-most remission line where the criterion is ≤ (MADRS ≤10)', () => {
    expect(instrumentChartGuides('madrs', 30).remission).toMatchObject({ value: 10, meets: 'at-or-below' });
  });
});
