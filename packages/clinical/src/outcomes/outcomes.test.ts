import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assessCourse,
  changeInstruments,
  classifyChange,
  defaultOutcomeThresholds,
  outcomeRules,
} from './index.ts';

describe('classifyChange (clinical-reference 1.13)', () => {
  it.each([
    // id, baseline, current, response, remission, worsening
    ['phq9', 20, 10, true, false, false], // exactly 50%
    ['phq9', 20, 11, false, false, false], // 45%
    ['phq9', 20, 4, true, true, false], // <5 remits
    ['phq9', 20, 5, true, false, false], // 5 is not remission
    ['phq9', 10, 15, false, false, true], // +5 = MCID
    ['phq9', 10, 14, false, false, false], // +4
    ['gad7', 16, 8, true, false, false],
    ['gad7', 16, 4, true, true, false],
    ['gad7', 8, 12, false, false, true], // +4
    ['gad7', 8, 11, false, false, false],
    ['madrs', 30, 15, true, false, false],
    ['madrs', 30, 10, true, true, false], // ≤10
    ['madrs', 30, 11, true, false, false],
    ['qids-sr16', 16, 5, true, true, false], // ≤5
    ['qids-sr16', 16, 6, true, false, false],
    ['pcl5', 50, 45, true, false, false], // −5 points
    ['pcl5', 50, 46, false, false, false],
    ['pcl5', 40, 50, false, false, true], // +10
    ['pcl5', 40, 49, false, false, false],
  ] as const)(
    '%s %i → %i: response %s, remission %s, worsening %s',
    (id, baseline, current, response, remission, worsening) => {
      expect(classifyChange(id, baseline, current)).toMatchObject({
        change: current - baseline,
        response,
        remission,
        worsening,
      });
    },
  );

  it('reports percent change relative to baseline, and 0 from a zero baseline', () => {
    expect(classifyChange('phq9', 18, 9).percentChange).toBe(-50);
    expect(classifyChange('phq9', 0, 3)).toMatchObject({ percentChange: 0, response: false });
  });

  it('refuses instruments without a total and totals outside the range', () => {
    expect(() => classifyChange('cssrs-screener', 0, 0)).toThrow(RangeError);
    expect(() => classifyChange('phq9', 28, 0)).toThrow(/outside 0–27/);
    expect(() => classifyChange('phq9', 10, Number.NaN)).toThrow(RangeError);
  });

  it('answers false for criteria an instrument has no published threshold for', () => {
    expect(classifyChange('dast10', 8, 0)).toMatchObject({
      response: false,
      remission: false,
      worsening: false,
    });
    expect(classifyChange('madrs', 10, 40).worsening).toBe(false);
    for (const id of ['phq2', 'gad2', 'audit-c', 'mdq', 'cadss6'] as const) {
      expect(classifyChange(id, 6, 0)).toMatchObject({ response: false, remission: false, worsening: false });
    }
  });

  it('takes clinic overrides as plain data', () => {
    const strict = {
      ...defaultOutcomeThresholds,
      phq9: {
        ...defaultOutcomeThresholds.phq9!,
        remission: { below: 3, citation: defaultOutcomeThresholds.phq9!.remission!.citation },
      },
    };
    expect(classifyChange('phq9', 20, 4, strict).remission).toBe(false);
  });

  it('never calls a worse score a response, and response needs at least the threshold', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 27 }), fc.integer({ min: 0, max: 27 }), (baseline, current) => {
        const result = classifyChange('phq9', baseline, current);
        if (current >= baseline) expect(result.response).toBe(false);
        if (result.response) expect((baseline - current) / baseline).toBeGreaterThanOrEqual(0.5);
        if (result.worsening) expect(result.response || result.remission).toBe(false);
      }),
    );
  });
});

describe('assessCourse', () => {
  it('tells responding, remitted, worsening and lost response apart', () => {
    expect(assessCourse('phq9', 20, []).status).toBe('insufficient-data');
    expect(assessCourse('phq9', 20, [15, 9]).status).toBe('responding');
    expect(assessCourse('phq9', 20, [12, 4]).status).toBe('remitted');
    expect(assessCourse('phq9', 12, [14, 17]).status).toBe('worsening');
    expect(assessCourse('phq9', 20, [8, 4, 13]).status).toBe('lost-response');
    expect(assessCourse('phq9', 20, [18, 16]).status).toBe('no-response-yet');
  });
  it('validates the instrument and baseline even before any measurement', () => {
    expect(() => assessCourse('cssrs-screener', 0, [])).toThrow(RangeError);
    expect(() => assessCourse('phq9', 30, [])).toThrow(/outside 0–27/);
  });
  it('says which criterion a PCL-5 course meets (response by points, no remission defined)', () => {
    expect(assessCourse('pcl5', 50, [44]).status).toBe('responding');
    expect(assessCourse('pcl5', 50, [44, 48]).status).toBe('lost-response');
    expect(assessCourse('pcl5', 30, [41]).status).toBe('worsening');
  });
  it('uses a clinic-set threshold where the reference gives none (MADRS worsening)', () => {
    const citation = {
      section: 'clinical-reference 1.13',
      source: 'Clinic protocol',
      evidence: 'unconfirmed' as const,
    };
    const thresholds = {
      ...defaultOutcomeThresholds,
      madrs: { ...defaultOutcomeThresholds.madrs, worsening: { pointsAtLeast: 6, citation } },
    };
    expect(classifyChange('madrs', 20, 26, thresholds).worsening).toBe(true);
    expect(classifyChange('madrs', 20, 26).worsening).toBe(false);
    expect(assessCourse('madrs', 20, [26], { thresholds }).status).toBe('worsening');
  });
  it('calls non-response only with the clinic’s number of sessions (the reference gives none)', () => {
    expect(assessCourse('phq9', 20, [18, 16], { sessionsCompleted: 6 }).status).toBe('no-response-yet');
    expect(
      assessCourse('phq9', 20, [18, 16], { sessionsCompleted: 6, noResponseAfterSessions: 6 }).status,
    ).toBe('no-response');
    expect(
      assessCourse('phq9', 20, [18, 16], { sessionsCompleted: 5, noResponseAfterSessions: 6 }).status,
    ).toBe('no-response-yet');
    // Without a session count the limit cannot be reached: not knowing is never "non-response".
    expect(assessCourse('phq9', 20, [18, 16], { noResponseAfterSessions: 6 }).status).toBe('no-response-yet');
  });
});

describe('outcome rules metadata', () => {
  it('lists every threshold of the five change instruments as a clinic setting with its source', () => {
    for (const id of changeInstruments) {
      for (const criterion of ['response', 'remission', 'worsening']) {
        const rule = outcomeRules.find((r) => r.id === `outcomes.${id}.${criterion}`);
        expect(rule, `${id}.${criterion}`).toBeDefined();
        expect(rule!.citation.section).toMatch(/^clinical-reference \d+\.\d+$/);
        expect(rule!.citation.source.length).toBeGreaterThan(10);
        expect(rule!.setting?.key).toBe(`outcomes.${id}.${criterion}`);
      }
    }
  });
  it.each([
    ['outcomes.phq9.response', 50],
    ['outcomes.phq9.remission', 5],
    ['outcomes.phq9.worsening', 5],
    ['outcomes.gad7.remission', 5],
    ['outcomes.gad7.worsening', 4],
    ['outcomes.madrs.remission', 10],
    ['outcomes.qids-sr16.remission', 5],
    ['outcomes.pcl5.response', 5],
    ['outcomes.pcl5.worsening', 10],
  ] as const)('%s defaults to the reference’s %i', (id, value) => {
    expect(outcomeRules.find((r) => r.id === id)?.setting?.default).toBe(value);
  });
  it.each([
    'outcomes.madrs.worsening',
    'outcomes.qids-sr16.worsening',
    'outcomes.pcl5.remission',
    'outcomes.no-response-after-sessions',
  ])('%s has no default: the reference gives no number', (id) => {
    expect(outcomeRules.find((r) => r.id === id)?.setting?.default).toBeNull();
  });
  it('says why screeners and the C-SSRS have no change criteria', () => {
    expect(outcomeRules.map((r) => r.id)).toEqual(
      expect.arrayContaining(['outcomes.screeners-no-change-criteria', 'outcomes.cssrs-no-total']),
    );
  });
});
