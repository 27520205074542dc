import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InstrumentId } from '../types.ts';
import { bandOf } from './common.ts';
import { instruments, qidsDomains, scoreInstrument, toFhirQuestionnaire } from './index.ts';

/** Answers whose items sum to `total`, filling items in order up to each item's maximum. */
function answersSumming(id: InstrumentId, total: number): number[] {
  let left = total;
  return instruments[id].items.map((item) => {
    const max = Math.max(...item.options.map((o) => o.score));
    const value = Math.min(max, left);
    left -= value;
    return value;
  });
}

// One row per published band edge (clinical-reference 1.1, 1.3, 1.6, 1.7, 1.10).
const bandEdges: [InstrumentId, number, string][] = [
  ['phq9', 0, 'none-minimal'],
  ['phq9', 4, 'none-minimal'],
  ['phq9', 5, 'mild'],
  ['phq9', 9, 'mild'],
  ['phq9', 10, 'moderate'],
  ['phq9', 14, 'moderate'],
  ['phq9', 15, 'moderately-severe'],
  ['phq9', 19, 'moderately-severe'],
  ['phq9', 20, 'severe'],
  ['phq9', 27, 'severe'],
  ['gad7', 0, 'minimal'],
  ['gad7', 4, 'minimal'],
  ['gad7', 5, 'mild'],
  ['gad7', 9, 'mild'],
  ['gad7', 10, 'moderate'],
  ['gad7', 14, 'moderate'],
  ['gad7', 15, 'severe'],
  ['gad7', 21, 'severe'],
  ['madrs', 0, 'normal'],
  ['madrs', 6, 'normal'],
  ['madrs', 7, 'mild'],
  ['madrs', 19, 'mild'],
  ['madrs', 20, 'moderate'],
  ['madrs', 34, 'moderate'],
  ['madrs', 35, 'severe'],
  ['madrs', 60, 'severe'],
  ['phq2', 2, 'negative'],
  ['phq2', 3, 'positive'],
  ['gad2', 2, 'negative'],
  ['gad2', 3, 'positive'],
  ['phq2', 0, 'negative'],
  ['phq2', 6, 'positive'],
  ['gad2', 0, 'negative'],
  ['gad2', 6, 'positive'],
  ['cadss6', 0, 'scored'],
  ['cadss6', 24, 'scored'],
];

describe('band edges from the reference', () => {
  it.each(bandEdges)('%s total %i is %s', (id, total, band) => {
    const answers = answersSumming(id, total);
    // PHQ-9 item 9 is filled last only when the total needs it; the band does not depend on the flag.
    const score = scoreInstrument(id, answers);
    expect(score.total).toBe(total);
    expect(score.band).toBe(band);
    expect(score.complete).toBe(true);
  });
});

describe('PHQ-9', () => {
  it('flags suicidal ideation for any item-9 answer above "Not at all", even in an incomplete form', () => {
    expect(scoreInstrument('phq9', [0, 0, 0, 0, 0, 0, 0, 0, 1]).flags).toEqual(['suicidal-ideation']);
    expect(scoreInstrument('phq9', [0, 0, 0, 0, 0, 0, 0, 0, 0]).flags).toEqual([]);
    const partial = scoreInstrument('phq9', [null, 1, null, 0, 0, 0, 0, 0, 3]);
    expect(partial).toEqual({
      instrument: 'phq9',
      total: null,
      band: 'incomplete',
      complete: false,
      flags: ['suicidal-ideation'],
    });
  });
  it('accepts the unscored difficulty item 10 and leaves it out of the total', () => {
    expect(scoreInstrument('phq9', [1, 1, 1, 1, 1, 1, 1, 1, 0, 3]).total).toBe(8);
  });
  it('rejects answers that are not options, and wrong lengths, naming the item', () => {
    expect(() => scoreInstrument('phq9', [0, 0, 0, 0, 4, 0, 0, 0, 0])).toThrow(/item 5/);
    expect(() => scoreInstrument('phq9', [0, 0, 0])).toThrow(RangeError);
    expect(() => scoreInstrument('phq9', [0, 0, 0, 0, 0, 0, 0, 0, 0.5])).toThrow(/item 9/);
    expect(() => scoreInstrument('nope' as InstrumentId, [])).toThrow(/Unknown instrument/);
  });
});

describe('QIDS-SR16 scores by domain maxima', () => {
  it('takes the maximum of sleep 1–4, appetite/weight 6–9 and psychomotor 15–16, and sums nine domains', () => {
    // sleep items 3,0,2,1 -> 3; mood 2; appetite 0,3,1,0 -> 3; conc 1; self 0; SI 0; interest 2; energy 1; psychomotor 0,2 -> 2
    const score = scoreInstrument('qids-sr16', [3, 0, 2, 1, 2, 0, 3, 1, 0, 1, 0, 0, 2, 1, 0, 2]);
    expect(score.total).toBe(3 + 2 + 3 + 1 + 0 + 0 + 2 + 1 + 2);
    expect(score.subscales).toMatchObject({ sleep: 3, appetiteWeight: 3, psychomotor: 2 });
  });
  it.each([
    [5, 'none'],
    [6, 'mild'],
    [10, 'mild'],
    [11, 'moderate'],
    [15, 'moderate'],
    [16, 'severe'],
    [20, 'severe'],
    [21, 'very-severe'],
    [27, 'very-severe'],
  ] as const)('domain total %i is %s', (total, band) => {
    // Put the whole total into single-item domains and sleep: domains in item order 1,5,6,10,11,12,13,14,15.
    const domainFirstItems = [1, 5, 6, 10, 11, 12, 13, 14, 15];
    const answers = new Array(16).fill(0);
    let left = total;
    for (const item of domainFirstItems) {
      const v = Math.min(3, left);
      answers[item - 1] = v;
      left -= v;
    }
    expect(scoreInstrument('qids-sr16', answers)).toMatchObject({ total, band });
  });
  it('flags item 12 (thoughts of death or suicide)', () => {
    const answers = new Array(16).fill(0);
    answers[11] = 1;
    expect(scoreInstrument('qids-sr16', answers).flags).toContain('suicidal-ideation');
  });
});

describe('DAST-10 reverses item 3', () => {
  it.each([
    [[0, 0, 1, 0, 0, 0, 0, 0, 0, 0], 0, 'none'],
    [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 1, 'low'],
    [[1, 0, 0, 0, 0, 0, 0, 0, 0, 0], 2, 'low'],
    [[1, 1, 0, 0, 0, 0, 0, 0, 0, 0], 3, 'moderate'],
    [[1, 1, 0, 1, 1, 0, 0, 0, 0, 0], 5, 'moderate'],
    [[1, 1, 0, 1, 1, 1, 0, 0, 0, 0], 6, 'substantial'],
    [[1, 1, 0, 1, 1, 1, 1, 1, 0, 0], 8, 'substantial'],
    [[1, 1, 0, 1, 1, 1, 1, 1, 1, 0], 9, 'severe'],
    [[1, 1, 0, 1, 1, 1, 1, 1, 1, 1], 10, 'severe'],
  ])('%j scores %i (%s)', (answers, total, band) => {
    expect(scoreInstrument('dast10', answers)).toMatchObject({ total, band });
  });
});

describe('AUDIT-C cut-offs by sex', () => {
  it.each([
    [[1, 1, 1], 'male', 'negative'],
    [[2, 1, 1], 'male', 'positive'],
    [[1, 1, 0], 'female', 'negative'],
    [[1, 1, 1], 'female', 'positive'],
  ] as const)('%j for a %s is %s', (answers, sex, band) => {
    expect(scoreInstrument('audit-c', [...answers], { sex }).band).toBe(band);
  });
  it('uses the lower cut-off when sex is unknown, and says so', () => {
    const score = scoreInstrument('audit-c', [1, 1, 1]);
    expect(score.band).toBe('positive');
    expect(score.flags).toContain('sex-unknown-lower-cutoff');
  });
  it('notes when every point comes from the frequency question', () => {
    expect(scoreInstrument('audit-c', [4, 0, 0], { sex: 'male' }).flags).toEqual([
      'points-only-from-frequency',
    ]);
  });
});

describe('MDQ three-part rule', () => {
  const symptoms = (yes: number) => Array.from({ length: 13 }, (_, i) => (i < yes ? 1 : 0));
  it.each([
    [7, 1, 2, 'positive'],
    [7, 1, 3, 'positive'],
    [6, 1, 3, 'negative'],
    [13, 0, 3, 'negative'],
    [13, 1, 1, 'negative'],
    [7, 1, 0, 'negative'],
  ])('%i symptoms, same period %i, problem %i → %s', (yes, samePeriod, problem, band) => {
    expect(scoreInstrument('mdq', [...symptoms(yes), samePeriod, problem])).toMatchObject({
      total: yes,
      band,
    });
  });
});

describe('PCL-5', () => {
  it('sums to 0–80 with clusters B–E as subscales', () => {
    const answers = Array.from({ length: 20 }, (_, i) => (i % 5) as number);
    const score = scoreInstrument('pcl5', answers);
    expect(score.total).toBe(answers.reduce((a, b) => a + b, 0));
    expect(score.subscales).toEqual({
      B: 0 + 1 + 2 + 3 + 4,
      C: 0 + 1,
      D: 2 + 3 + 4 + 0 + 1 + 2 + 3,
      E: 4 + 0 + 1 + 2 + 3 + 4,
    });
  });
  it('applies the DSM-5 provisional rule: 1 B, 1 C, 2 D, 2 E items rated ≥2', () => {
    const meets = new Array(20).fill(0);
    for (const item of [1, 6, 8, 9, 15, 16]) meets[item - 1] = 2;
    expect(scoreInstrument('pcl5', meets).flags).toEqual(['provisional-ptsd-dsm5']);
    const oneD = [...meets];
    oneD[8] = 1;
    expect(scoreInstrument('pcl5', oneD).flags).toEqual([]);
  });
  it('is positive at the clinic cut-off (default 33, overridable within 31–33)', () => {
    expect(scoreInstrument('pcl5', answersSumming('pcl5', 32)).band).toBe('negative');
    expect(scoreInstrument('pcl5', answersSumming('pcl5', 33)).band).toBe('positive');
    expect(scoreInstrument('pcl5', answersSumming('pcl5', 31), { cutoffs: { pcl5: 31 } }).band).toBe(
      'positive',
    );
  });
});

describe('C-SSRS screener triage', () => {
  // [q1, q2, q3, q4, q5, q6, q6b]
  it.each([
    [[0, 0, null, null, null, 0, null], 'none', true],
    [[1, 0, null, null, null, 0, null], 'low', true],
    [[1, 1, 0, 0, 0, 0, null], 'low', true],
    [[1, 1, 1, 0, 0, 0, null], 'moderate', true],
    [[0, 0, null, null, null, 1, 0], 'moderate', true],
    [[1, 1, 1, 1, 0, 0, null], 'high', true],
    [[1, 1, 0, 0, 1, 0, null], 'high', true],
    [[0, 0, null, null, null, 1, 1], 'high', true],
  ] as const)('%j → %s', (answers, band, complete) => {
    const score = scoreInstrument('cssrs-screener', [...answers]);
    expect(score).toMatchObject({ band, complete, total: null });
  });
  it('needs questions 3–5 when question 2 is yes, and 6b when 6 is yes', () => {
    expect(scoreInstrument('cssrs-screener', [1, 1, null, null, null, 0, null]).complete).toBe(false);
    expect(scoreInstrument('cssrs-screener', [0, 0, null, null, null, 1, null]).band).toBe('incomplete');
  });
  it('keeps a high-risk answer even in an unfinished screen, and never ignores a "yes" outside the skip logic', () => {
    expect(scoreInstrument('cssrs-screener', [1, 1, null, 1, null, null, null])).toMatchObject({
      band: 'high',
      complete: false,
    });
    const odd = scoreInstrument('cssrs-screener', [0, 0, 0, 1, 0, 0, null]);
    expect(odd.band).toBe('high');
    expect(odd.flags).toContain('answers-outside-skip-logic');
  });
});

describe('every instrument', () => {
  const ids = Object.keys(instruments) as InstrumentId[];
  const options = (id: InstrumentId, i: number) => instruments[id].items[i]!.options.map((o) => o.score);
  /** Any complete, valid answer array for the instrument. */
  const fullAnswers = (id: InstrumentId): fc.Arbitrary<number[]> =>
    fc.tuple(...instruments[id].items.map((_, i) => fc.constantFrom(...options(id, i))));
  /** Any valid answer array, some items skipped (null). */
  const partialAnswers = (id: InstrumentId): fc.Arbitrary<(number | null)[]> =>
    fc.tuple(
      ...instruments[id].items.map((_, i) => fc.option(fc.constantFrom(...options(id, i)), { nil: null })),
    );

  it.each(ids)('%s never throws on any valid answers, incomplete ones included', (id) => {
    fc.assert(
      fc.property(partialAnswers(id), (answers) => {
        const score = scoreInstrument(id, answers);
        expect(score.instrument).toBe(id);
        if (!score.complete) expect(score.total).toBeNull();
      }),
      { numRuns: 200 },
    );
  });

  const plainSums: InstrumentId[] = ['phq2', 'gad7', 'gad2', 'pcl5', 'madrs', 'audit-c', 'cadss6'];
  it.each(plainSums)('%s total equals the sum of its items', (id) => {
    fc.assert(
      fc.property(
        fullAnswers(id),
        (answers) => scoreInstrument(id, answers).total === answers.reduce((a, b) => a + b, 0),
      ),
    );
  });
  it('PHQ-9 total equals the sum of items 1–9', () => {
    fc.assert(
      fc.property(
        fullAnswers('phq9'),
        (answers) =>
          scoreInstrument('phq9', answers).total === answers.slice(0, 9).reduce((a, b) => a + b, 0),
      ),
    );
  });

  // Raising an answer towards "more symptom" never lowers the severity. DAST-10 item 3 is reversed by
  // design (a "yes" there is the healthy answer) and MDQ items 14–15 are not symptoms, so they are skipped.
  const orderedBands: Partial<Record<InstrumentId, string[]>> = {
    phq9: ['none-minimal', 'mild', 'moderate', 'moderately-severe', 'severe'],
    gad7: ['minimal', 'mild', 'moderate', 'severe'],
    madrs: ['normal', 'mild', 'moderate', 'severe'],
    'qids-sr16': ['none', 'mild', 'moderate', 'severe', 'very-severe'],
    dast10: ['none', 'low', 'moderate', 'substantial', 'severe'],
    pcl5: ['negative', 'positive'],
    'audit-c': ['negative', 'positive'],
    mdq: ['negative', 'positive'],
    phq2: ['negative', 'positive'],
    gad2: ['negative', 'positive'],
    'cssrs-screener': ['none', 'low', 'moderate', 'high'],
  };
  it.each(Object.keys(orderedBands) as InstrumentId[])(
    '%s: raising an answer never lowers the band',
    (id) => {
      const order = orderedBands[id]!;
      const skip = (i: number) => (id === 'dast10' && i === 2) || (id === 'mdq' && i >= 13);
      fc.assert(
        fc.property(fullAnswers(id), fc.nat(), (answers, pick) => {
          const i = pick % answers.length;
          const options = instruments[id].items[i]!.options.map((o) => o.score);
          const higher = options.filter((s) => s > answers[i]!);
          if (skip(i) || higher.length === 0) return true;
          const raised = [...answers];
          raised[i] = higher[0]!;
          const before = scoreInstrument(id, answers);
          const after = scoreInstrument(id, raised);
          if (!before.complete || !after.complete) return true;
          return order.indexOf(after.band) >= order.indexOf(before.band);
        }),
        { numRuns: 300 },
      );
    },
  );

  it.each(ids)('%s has a source and a licence note', (id) => {
    const definition = instruments[id];
    expect(definition.citations.length).toBeGreaterThan(0);
    for (const citation of definition.citations) {
      expect(citation.section).toMatch(/^clinical-reference \d+\.\d+$/);
      expect(citation.source.length).toBeGreaterThan(10);
    }
    expect(definition.licence.length).toBeGreaterThan(5);
  });
});

describe('FHIR Questionnaire', () => {
  it('codes the PHQ-9 with LOINC: panel, items and answers, with ordinal values', () => {
    const q = toFhirQuestionnaire('phq9');
    expect(q.resourceType).toBe('Questionnaire');
    expect(q.status).toBe('active');
    expect(q.code).toEqual([{ system: 'http://loinc.org', code: '44249-1' }]);
    expect(q.item.find((i) => i.linkId === 'phq9-10')).toMatchObject({
      required: false,
      code: [{ system: 'http://loinc.org', code: '69722-7' }],
    });
    const item9 = q.item.find((i) => i.linkId === 'phq9-9')!;
    expect(item9.code?.[0]?.code).toBe('44260-8');
    expect(item9.answerOption?.map((o) => [o.valueCoding.code, o.extension[0]!.valueDecimal])).toEqual([
      ['LA6568-5', 0],
      ['LA6569-3', 1],
      ['LA6570-1', 2],
      ['LA6571-9', 3],
    ]);
  });
  it('carries the C-SSRS skip logic as enableWhen', () => {
    const q = toFhirQuestionnaire('cssrs-screener');
    const q4 = q.item.find((i) => i.linkId === 'cssrs-4')!;
    expect(q4.required).toBe(false);
    expect(q4.enableWhen).toEqual([
      { question: 'cssrs-2', operator: '=', answerCoding: expect.objectContaining({ display: 'Yes' }) },
    ]);
  });
  it.each(Object.keys(instruments) as InstrumentId[])(
    '%s: every item has a linkId, text and scored answer options',
    (id) => {
      const q = toFhirQuestionnaire(id);
      expect(q.item).toHaveLength(instruments[id].items.length);
      for (const item of q.item) {
        expect(item.linkId).toBeTruthy();
        expect(item.text).toBeTruthy();
        expect(item.answerOption!.length).toBeGreaterThan(1);
      }
      expect(new Set(q.item.map((i) => i.linkId)).size).toBe(q.item.length);
    },
  );
});

/** An array of zeros with a hole at `index`, as `answers[i] = v` on an empty array leaves it. */
function withHole(length: number, index: number): number[] {
  const answers: number[] = [];
  for (let i = 0; i < length; i++) if (i !== index) answers[i] = 0;
  return answers;
}

describe('answer validation (the server answers 400 to these)', () => {
  it.each([
    ['a sparse array (hole at item 2)', 'phq9', withHole(9, 1), /item 2: no answer given/],
    ['an empty array of the right length', 'gad7', new Array(7), /item 1: no answer given/],
    ['an undefined answer', 'pcl5', [...new Array(19).fill(0), undefined], /item 20: no answer given/],
    ['a string answer', 'gad7', [0, 0, '1', 0, 0, 0, 0], /item 3: 1 is not one of 0, 1, 2, 3/],
    ['a yes/no item answered 2', 'dast10', [0, 0, 2, 0, 0, 0, 0, 0, 0, 0], /item 3: 2 is not one of 0, 1/],
    ['too many answers', 'phq9', new Array(11).fill(0), /9 to 10 answers.*got 11/],
    ['too few answers', 'qids-sr16', new Array(15).fill(0), /16 answers.*got 15/],
    ['not an array', 'mdq', 'yes' as unknown, /array of answers/],
  ] as const)('rejects %s with a RangeError naming the problem', (_, id, answers, message) => {
    const call = () => scoreInstrument(id, answers as unknown as (number | null)[]);
    expect(call).toThrow(RangeError);
    expect(call).toThrow(message);
  });
  it('rejects an unknown instrument for the FHIR export too', () => {
    expect(() => toFhirQuestionnaire('beck' as InstrumentId)).toThrow(/Unknown instrument: beck/);
  });
  it('refuses a band lookup that falls between bands (a malformed definition), rather than guessing', () => {
    const gappy = { ...instruments.phq9, bands: [{ id: 'low', label: 'low', min: 0, max: 3 }] };
    expect(() => bandOf(gappy, 4)).toThrow(/no band for total 4/);
  });
});

describe('clinic-overridable screening cut-offs', () => {
  it('PHQ-2: ≥3 by default, ≥2 when the clinic picks the published alternative (Arroll 2010)', () => {
    expect(scoreInstrument('phq2', [1, 1]).band).toBe('negative');
    expect(scoreInstrument('phq2', [1, 1], { cutoffs: { phq2: 2 } }).band).toBe('positive');
    expect(scoreInstrument('phq2', [1, 0], { cutoffs: { phq2: 2 } }).band).toBe('negative');
  });
  it('GAD-2 and PCL-5 take their overrides', () => {
    expect(scoreInstrument('gad2', [2, 1], { cutoffs: { gad2: 4 } }).band).toBe('negative');
    expect(scoreInstrument('pcl5', answersSumming('pcl5', 31), { cutoffs: { pcl5: 32 } }).band).toBe(
      'negative',
    );
  });
  it('AUDIT-C: overrides by sex; with sex unknown the lower of the two applies', () => {
    const cutoffs = { auditC: { male: 5, female: 4 } };
    expect(scoreInstrument('audit-c', [2, 1, 1], { sex: 'male', cutoffs }).band).toBe('negative');
    expect(scoreInstrument('audit-c', [2, 2, 1], { sex: 'male', cutoffs }).band).toBe('positive');
    expect(scoreInstrument('audit-c', [1, 1, 1], { cutoffs }).band).toBe('negative');
    expect(scoreInstrument('audit-c', [2, 1, 1], { cutoffs }).band).toBe('positive');
  });
  it.each([Number.NaN, 0, 7, Number.POSITIVE_INFINITY])('refuses a PHQ-2 cut-off of %s', (phq2) => {
    expect(() => scoreInstrument('phq2', [3, 3], { cutoffs: { phq2 } })).toThrow(/cutoffs\.phq2/);
  });
});

describe('MDQ question 2 is asked only after two or more "yes"', () => {
  const symptoms = (yes: number) => Array.from({ length: 13 }, (_, i) => (i < yes ? 1 : 0));
  it('is complete and negative without question 2 when fewer than two symptoms were checked', () => {
    expect(scoreInstrument('mdq', [...symptoms(1), null, 0])).toMatchObject({
      total: 1,
      band: 'negative',
      complete: true,
    });
  });
  it('stays incomplete without question 2 once two symptoms were checked, or without question 3', () => {
    expect(scoreInstrument('mdq', [...symptoms(2), null, 0]).band).toBe('incomplete');
    expect(scoreInstrument('mdq', [...symptoms(9), 1, null]).band).toBe('incomplete');
  });
  it('marks question 2 as not required in the FHIR Questionnaire', () => {
    expect(toFhirQuestionnaire('mdq').item.find((i) => i.linkId === 'mdq-14')?.required).toBe(false);
  });
});

describe('LOINC codes are exactly those the reference gives (never invented)', () => {
  // clinical-reference 1.1, 1.2, 1.3, 1.5, 1.9 and 1.10, code by code. The reference marks PCL-5, MADRS,
  // QIDS-SR16, CADSS, GAD-2 (panel/total), the MDQ panel and the C-SSRS "Yes" answer (LA33-6) UNCONFIRMED.
  const fromReference: Record<string, string[]> = {
    phq9: [
      '44249-1',
      '44261-6',
      '44250-9',
      '44255-8',
      '44259-0',
      '44254-1',
      '44251-7',
      '44258-2',
      '44252-5',
    ].concat(['44253-3', '44260-8', '69722-7', 'LA6568-5', 'LA6569-3', 'LA6570-1', 'LA6571-9']),
    phq2: ['55757-9', '55758-7', '44250-9', '44255-8', 'LA6568-5', 'LA6569-3', 'LA6570-1', 'LA6571-9'],
    gad7: [
      '69737-5',
      '70274-6',
      '69725-0',
      '68509-9',
      '69733-4',
      '69734-2',
      '69735-9',
      '69689-8',
      '69736-7',
    ].concat(['LA6568-5', 'LA6569-3', 'LA6570-1', 'LA6571-9']),
    gad2: ['69725-0', '68509-9', 'LA6568-5', 'LA6569-3', 'LA6570-1', 'LA6571-9'],
    'cssrs-screener': ['93373-9', '93374-7', '93246-7', '93247-5', '93248-3', '93249-1', '93250-9'].concat([
      '93267-3',
      '93269-9',
      'LA32-8',
    ]),
    'audit-c': ['72109-2', '75626-2'],
    dast10: ['82666-9', '82667-7', 'LA32-8'],
    mdq: ['LA32-8'],
    pcl5: [],
    madrs: [],
    'qids-sr16': [],
    cadss6: [],
  };
  it.each(Object.keys(instruments) as InstrumentId[])('%s', (id) => {
    const definition = instruments[id];
    const used = new Set<string>([
      ...(definition.loinc?.panel ? [definition.loinc.panel] : []),
      ...(definition.loinc?.total ? [definition.loinc.total] : []),
      ...definition.items.flatMap((item) => [
        ...(item.loinc ? [item.loinc] : []),
        ...item.options.flatMap((o) => (o.loinc ? [o.loinc] : [])),
      ]),
    ]);
    expect([...used].sort()).toEqual([...new Set(fromReference[id])].sort());
  });
});

describe('definitions are internally consistent', () => {
  it.each(Object.keys(instruments) as InstrumentId[])('%s: numeric bands tile the total range', (id) => {
    const { bands, totalRange } = instruments[id];
    const numeric = bands.filter((b) => b.min !== undefined);
    if (numeric.length === 0) return;
    expect(numeric[0]!.min).toBe(totalRange!.min);
    expect(numeric.at(-1)!.max).toBe(totalRange!.max);
    for (let i = 1; i < numeric.length; i++) expect(numeric[i]!.min).toBe(numeric[i - 1]!.max! + 1);
  });
  it.each(Object.keys(instruments) as InstrumentId[])('%s: item ids unique, option scores unique', (id) => {
    const { items } = instruments[id];
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    for (const item of items)
      expect(new Set(item.options.map((o) => o.score)).size).toBe(item.options.length);
  });
});

describe('invariants over every valid answer array', () => {
  const options = (id: InstrumentId, i: number) => instruments[id].items[i]!.options.map((o) => o.score);
  const answersOf = (id: InstrumentId, withNulls: boolean) =>
    fc.tuple(
      ...instruments[id].items.map((_, i) =>
        withNulls
          ? fc.option(fc.constantFrom(...options(id, i)), { nil: null })
          : fc.constantFrom<number | null>(...options(id, i)),
      ),
    );

  it.each(Object.keys(instruments) as InstrumentId[])(
    '%s: a fully answered form is complete, its total in range and its band one of the instrument’s',
    (id) => {
      const { totalRange, bands } = instruments[id];
      fc.assert(
        fc.property(answersOf(id, false), (answers) => {
          const score = scoreInstrument(id, answers);
          expect(score.complete).toBe(true);
          expect(bands.map((b) => b.id)).toContain(score.band);
          if (totalRange) {
            expect(score.total).toBeGreaterThanOrEqual(totalRange.min);
            expect(score.total).toBeLessThanOrEqual(totalRange.max);
          } else expect(score.total).toBeNull();
        }),
        { numRuns: 150 },
      );
    },
  );

  it('PHQ-9 (9 or 10 answers, any skipped): suicidal-ideation exactly when item 9 is answered above 0', () => {
    const nine = answersOf('phq9', true).map((a) => a.slice(0, 9));
    fc.assert(
      fc.property(fc.oneof(nine, answersOf('phq9', true)), (answers) => {
        const flagged = scoreInstrument('phq9', answers).flags.includes('suicidal-ideation');
        expect(flagged).toBe((answers[8] ?? 0) >= 1);
      }),
    );
  });

  it('QIDS-SR16 (any skipped): suicidal-ideation exactly when item 12 is answered above 0', () => {
    fc.assert(
      fc.property(answersOf('qids-sr16', true), (answers) => {
        const flagged = scoreInstrument('qids-sr16', answers).flags.includes('suicidal-ideation');
        expect(flagged).toBe((answers[11] ?? 0) >= 1);
      }),
    );
  });

  it('C-SSRS (any skipped): yes to 4, 5 or 6b is always high risk, never hidden by a missing answer', () => {
    fc.assert(
      fc.property(answersOf('cssrs-screener', true), (answers) => {
        const score = scoreInstrument('cssrs-screener', answers);
        const highRisk = answers[3] === 1 || answers[4] === 1 || answers[6] === 1;
        expect(score.band === 'high').toBe(highRisk);
        expect(score.flags.includes('high-risk')).toBe(highRisk);
        expect(score.total).toBeNull();
      }),
    );
  });

  it('QIDS-SR16: the total is the sum of the nine domain maxima and never exceeds the item sum', () => {
    fc.assert(
      fc.property(answersOf('qids-sr16', false), (answers) => {
        const values = answers as number[];
        const score = scoreInstrument('qids-sr16', values);
        const expected = Object.values(qidsDomains).reduce(
          (acc, numbers) => acc + Math.max(...numbers.map((n) => values[n - 1]!)),
          0,
        );
        expect(score.total).toBe(expected);
        expect(score.total).toBeLessThanOrEqual(values.reduce((a, b) => a + b, 0));
      }),
    );
  });

  it('DAST-10: the total is the "yes" count with item 3 counted on "no"', () => {
    fc.assert(
      fc.property(answersOf('dast10', false), (answers) => {
        const values = answers as number[];
        const yes = values.filter((a, i) => i !== 2 && a === 1).length;
        expect(scoreInstrument('dast10', values).total).toBe(yes + (values[2] === 0 ? 1 : 0));
      }),
    );
  });

  it('PCL-5: subscales B–E add up to the total', () => {
    fc.assert(
      fc.property(answersOf('pcl5', false), (answers) => {
        const score = scoreInstrument('pcl5', answers);
        const { B, C, D, E } = score.subscales!;
        expect(B! + C! + D! + E!).toBe(score.total);
      }),
    );
  });
});
