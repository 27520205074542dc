import { describe, expect, it } from 'vitest';
import type { Condition } from '../../api/types.ts';
import { emptyPlanForm, parseNumber, toPlanInput, toPreviewInput, withProtocol } from './plan-form-model.ts';

const conditions: Condition[] = [
  {
    id: 'c1',
    icd10: 'F33.1',
    description: 'Major depressive disorder, recurrent, moderate',
    onsetDate: null,
    status: 'active',
    recordedAt: '2026-01-01T00:00:00Z',
  },
  {
    id: 'c2',
    icd10: 'F41.1',
    description: 'Generalized anxiety disorder',
    onsetDate: null,
    status: 'resolved',
    recordedAt: '2026-01-01T00:00:00Z',
  },
];

describe('the treatment plan form', () => {
  it('starts from the first active diagnosis and the protocol’s own number of sessions', () => {
    const values = emptyPlanForm(conditions);
    expect(values.indication).toBe('c1');
    expect(values.dosingSessions).toBe('4');
    expect(withProtocol(values, 'spravato-trd').dosingSessions).toBe('12');
    expect(emptyPlanForm([conditions[1]!]).indication).toBe('other');
  });

  it('builds the API input with the protocol’s route, product and dose unit', () => {
    const values = {
      ...emptyPlanForm(conditions),
      startDate: '2026-07-01',
      weightKg: '72,5',
      startingDose: '0.5',
      maximumDose: '1',
      goals: [{ text: '  Sleep better ' }, { text: '' }],
    };
    const result = toPlanInput(values, conditions);
    expect(result.problems).toBeNull();
    expect(result.input).toEqual({
      indication: { icd10: 'F33.1', description: 'Major depressive disorder, recurrent, moderate' },
      protocolId: 'kap-im',
      route: 'im',
      product: 'ketamine-racemic',
      startDate: '2026-07-01',
      dosingSessions: 4,
      weightKg: 72.5,
      startingDose: { value: 0.5, unit: 'mg/kg' },
      maximumDose: { value: 1, unit: 'mg/kg' },
      goals: [{ text: 'Sleep better' }],
      intentions: [],
    });
    const spravato = toPlanInput(
      { ...withProtocol(values, 'spravato-trd'), weightKg: '', startingDose: '56', maximumDose: '84' },
      conditions,
    );
    expect(spravato.input).toMatchObject({
      route: 'intranasal',
      product: 'esketamine',
      weightKg: null,
      startingDose: { value: 56, unit: 'mg' },
    });
  });

  it('names the missing fields by the server’s paths', () => {
    const result = toPlanInput({ ...emptyPlanForm([]), startingDose: 'x' }, []);
    expect(result.input).toBeNull();
    expect(Object.keys(result.problems ?? {}).sort()).toEqual([
      'indication.description',
      'indication.icd10',
      'maximumDose',
      'startDate',
      'startingDose',
      'weightKg',
    ]);
  });

  it('previews only what has been typed', () => {
    expect(toPreviewInput(emptyPlanForm(conditions))).toEqual({ protocolId: 'kap-im', dosingSessions: 4 });
    expect(toPreviewInput({ ...emptyPlanForm(conditions), startingDose: '0.75', weightKg: '80' })).toEqual({
      protocolId: 'kap-im',
      dosingSessions: 4,
      weightKg: 80,
      startingDose: { value: 0.75, unit: 'mg/kg' },
    });
  });

  it('reads numbers typed with a comma, and nothing else', () => {
    expect(parseNumber('1,5')).toBe(1.5);
    expect(parseNumber(' 70 ')).toBe(70);
    expect(parseNumber('')).toBeNull();
    expect(parseNumber('7 mg')).toBeNull();
    expect(parseNumber('-1')).toBeNull();
  });
});
