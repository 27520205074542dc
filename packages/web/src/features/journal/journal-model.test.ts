import { describe, expect, it } from 'vitest';
import {
  emptyDraft,
  isAnswered,
  isComplete,
  progressLabel,
  steps,
  toAnswers,
  toggleAfterEffect,
} from './experience-flow.ts';
import { sharingChange, sharingInWords, sharingSince, textChange } from './journal-model.ts';

describe('journal sharing toggle', () => {
  it('says the state in words, private by default', () => {
    expect(sharingInWords(false).label).toBe('Private');
    expect(sharingInWords(false).detail).toContain('Only you can see this entry');
    expect(sharingInWords(true).label).toBe('Shared with your care team');
  });

  it('sends a flip as a new version of the latest one, changing only the sharing', () => {
    expect(sharingChange({ versionId: 'v3' }, false, 'n1')).toEqual({
      id: 'n1',
      amendsId: 'v3',
      shared: false,
    });
    expect(sharingChange({ versionId: 'v3' }, true, 'n2')).toEqual({
      id: 'n2',
      amendsId: 'v3',
      shared: true,
    });
  });

  it('sends an edit only when the words changed', () => {
    const entry = { versionId: 'v1', text: 'Calmer today' };
    expect(textChange(entry, '  Calmer today ', 'n')).toBeNull();
    expect(textChange(entry, '   ', 'n')).toBeNull();
    expect(textChange(entry, 'Calmer today, and tired', 'n')).toEqual({
      id: 'n',
      amendsId: 'v1',
      text: 'Calmer today, and tired',
    });
  });

  it('dates the current sharing from the first version of its run', () => {
    const history = [
      { versionId: 'a', version: 1, shared: false, textChanged: true, writtenAt: '2026-06-01T10:00:00Z' },
      { versionId: 'b', version: 2, shared: true, textChanged: false, writtenAt: '2026-06-02T10:00:00Z' },
      { versionId: 'c', version: 3, shared: true, textChanged: true, writtenAt: '2026-06-03T10:00:00Z' },
    ];
    expect(sharingSince({ shared: true, history })).toBe('2026-06-02T10:00:00Z');
    expect(sharingSince({ shared: false, history: history.slice(0, 1) })).toBe('2026-06-01T10:00:00Z');
  });
});

describe('experience rating flow: one question per screen', () => {
  it('has six screens, counted "1 of 6" to "6 of 6"', () => {
    expect(steps).toHaveLength(6);
    expect(progressLabel(0)).toBe('1 of 6');
    expect(progressLabel(1)).toBe('2 of 6');
    expect(progressLabel(5)).toBe('6 of 6');
  });

  it('goes on only once the screen is answered; the comment is optional', () => {
    const draft = emptyDraft();
    expect(isAnswered(draft, 'intensity')).toBe(false);
    expect(isAnswered({ ...draft, intensity: 0 }, 'intensity')).toBe(true);
    expect(isAnswered(draft, 'afterEffects')).toBe(false);
    expect(isAnswered(draft, 'comment')).toBe(true);
    expect(isComplete(draft)).toBe(false);
    expect(() => toAnswers(draft)).toThrow();
  });

  it('keeps "None" on its own among the after-effects', () => {
    expect(toggleAfterEffect(['nausea'], 'none')).toEqual(['none']);
    expect(toggleAfterEffect(['none'], 'headache')).toEqual(['headache']);
    expect(toggleAfterEffect(['headache', 'fatigue'], 'headache')).toEqual(['fatigue']);
  });

  it('sends trimmed answers, the "something else" text only with "other"', () => {
    const draft = {
      intensity: 7,
      difficulty: 3,
      insight: 8,
      support: 10,
      afterEffects: ['fatigue' as const],
      otherAfterEffect: 'left over from before',
      comment: '  Grateful  ',
    };
    expect(toAnswers(draft)).toEqual({
      intensity: 7,
      difficulty: 3,
      insight: 8,
      support: 10,
      afterEffects: ['fatigue'],
      otherAfterEffect: null,
      comment: 'Grateful',
    });
    expect(toAnswers({ ...draft, afterEffects: ['other'], comment: '' })).toMatchObject({
      otherAfterEffect: 'left over from before',
      comment: null,
    });
  });
});
