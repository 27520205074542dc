import { describe, expect, it } from 'vitest';
import {
  cadssPrompt,
  cadssSubmission,
  cadssTotal,
  emptyCadssAnswers,
  moaasLevels,
  moaasSubmission,
  moaasText,
  sedationNote,
  sideEffectsSubmission,
  toggleSideEffect,
} from './observation-model.ts';

const t0 = Date.parse('2026-06-01T09:00:00Z');
const at = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();
const observedAt = new Date(at(42));
const hhmm = (iso: string) => iso.slice(11, 16);

describe('MOAA/S', () => {
  it('offers the six levels from alert to no response', () => {
    expect(moaasLevels.map((l) => l.score)).toEqual([5, 4, 3, 2, 1, 0]);
    expect(moaasText(5)).toBe('5 · Alert');
  });
  it('calls any fall from the pre-dose value sedation, and 0 loss of consciousness', () => {
    expect(sedationNote(5, 5)).toBeNull();
    expect(sedationNote(4, 5)).toBe('Sedated: down from 5 before the dose');
    expect(sedationNote(4, 4)).toBeNull();
    expect(sedationNote(0, 5)).toBe('Loss of consciousness (MOAA/S 0)');
    expect(sedationNote(3, null)).toBeNull();
  });
});

describe('observation submissions (one kind each)', () => {
  it('sends a sedation level', () => {
    expect(moaasSubmission(4, 'o1', observedAt)).toEqual({
      submission: { id: 'o1', observedAt: observedAt.toISOString(), kind: 'moaas', moaas: 4 },
      errors: {},
    });
    expect(moaasSubmission(null, 'o1', observedAt).errors).toEqual({ moaas: 'Choose the sedation level.' });
    expect(moaasSubmission(6, 'o1', observedAt).submission).toBeNull();
  });
  it('sends a complete CADSS-6 with a note, and refuses a partial one', () => {
    expect(cadssSubmission([1, 0, 2, 0, 0, 1], 'o2', observedAt, ' feels floaty ').submission).toEqual({
      id: 'o2',
      observedAt: observedAt.toISOString(),
      kind: 'cadss6',
      cadss6: [1, 0, 2, 0, 0, 1],
      note: 'feels floaty',
    });
    expect(cadssSubmission([1, null, 0, 0, 0, 0], 'o', observedAt).errors).toEqual({
      cadss6: 'Rate all 6 CADSS-6 items (5 rated).',
    });
    expect(cadssSubmission(emptyCadssAnswers(), 'o', observedAt).submission).toBeNull();
  });
  it('records the side effects ticked, and "none" as an empty list', () => {
    expect(sideEffectsSubmission(['nausea', 'dizziness'], 'o3', observedAt).submission).toEqual({
      id: 'o3',
      observedAt: observedAt.toISOString(),
      kind: 'side-effects',
      sideEffects: ['nausea', 'dizziness'],
    });
    expect(sideEffectsSubmission([], 'o4', observedAt, '  ').submission).toEqual({
      id: 'o4',
      observedAt: observedAt.toISOString(),
      kind: 'side-effects',
      sideEffects: [],
    });
  });
});

describe('cadssTotal and toggleSideEffect', () => {
  it('totals only a complete rating', () => {
    expect(cadssTotal([1, 0, 2, 0, 0, 1])).toBe(4);
    expect(cadssTotal([1, null, 2, 0, 0, 1])).toBeNull();
  });
  it('ticks and unticks', () => {
    expect(toggleSideEffect([], 'nausea')).toEqual(['nausea']);
    expect(toggleSideEffect(['nausea', 'headache'], 'nausea')).toEqual(['headache']);
  });
});

describe('cadssPrompt', () => {
  const session = { state: 'monitoring' as const, doseStartedAt: at(0) };
  it('announces the rating at about 40 minutes, then says it is due', () => {
    expect(cadssPrompt(session, [], t0 + 20 * 60_000, hhmm)).toEqual({
      tone: 'upcoming',
      text: 'CADSS-6 due at about 40 minutes (09:40)',
    });
    expect(cadssPrompt(session, [], t0 + 41 * 60_000, hhmm).tone).toBe('due');
  });
  it('counts only ratings made since the dose', () => {
    const before = [{ observedAt: at(-10), cadss6: { answers: [0, 0, 0, 0, 0, 0], total: 0 } }];
    expect(cadssPrompt(session, before, t0 + 41 * 60_000, hhmm).tone).toBe('due');
  });
  it('after a rating, names it and asks for one before discharge', () => {
    const rated = [{ observedAt: at(41), cadss6: { answers: [1, 1, 1, 1, 1, 1], total: 6 } }];
    expect(cadssPrompt(session, rated, t0 + 50 * 60_000, hhmm)).toEqual({
      tone: 'info',
      text: 'Last CADSS-6 6 at 09:41: rate again before discharge',
    });
  });
  it('says nothing before the dose or after the session', () => {
    expect(cadssPrompt({ state: 'checked-in' }, [], t0, hhmm).tone).toBe('none');
    expect(cadssPrompt({ state: 'discharged', doseStartedAt: at(0) }, [], t0, hhmm).tone).toBe('none');
  });
});
