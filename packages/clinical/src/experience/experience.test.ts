import { describe, expect, it } from 'vitest';
import {
  difficultExperience,
  type ExperienceRatingAnswers,
  experienceRatingOpensOn,
  experienceRatingProblems,
  experienceRatingSteps,
  experienceRules,
  isExperienceRatingOpen,
  journalPromptsFor,
} from './index.ts';

const valid: ExperienceRatingAnswers = {
  intensity: 5,
  difficulty: 3,
  insight: 7,
  support: 10,
  afterEffects: ['none'],
  otherAfterEffect: null,
  comment: null,
};

describe('experience rating (a Kapstone design, not a validated instrument)', () => {
  it('has six screens: four 0–10 questions, the after-effects and a comment', () => {
    expect(experienceRatingSteps).toEqual([
      'intensity',
      'difficulty',
      'insight',
      'support',
      'afterEffects',
      'comment',
    ]);
  });

  it.each([
    [{}, []],
    [{ intensity: 11 }, ['intensity']],
    [{ insight: -1 }, ['insight']],
    [{ support: 2.5 }, ['support']],
    [{ afterEffects: [] }, ['afterEffects']],
    [{ afterEffects: ['none', 'nausea'] }, ['afterEffects']],
    [{ afterEffects: ['nausea', 'nausea'] }, ['afterEffects']],
    [{ afterEffects: ['nausea'], otherAfterEffect: 'Ringing ears' }, ['otherAfterEffect']],
    [{ afterEffects: ['other'], otherAfterEffect: 'Ringing ears' }, []],
  ] as [Partial<ExperienceRatingAnswers>, string[]][])('%j → problems at %j', (change, paths) => {
    expect(experienceRatingProblems({ ...valid, ...change }).map((p) => p.path)).toEqual(paths);
  });

  it('opens on the day after the session, across month and year ends', () => {
    expect(experienceRatingOpensOn('2026-06-01')).toBe('2026-06-02');
    expect(experienceRatingOpensOn('2026-02-28')).toBe('2026-03-01');
    expect(experienceRatingOpensOn('2026-12-31')).toBe('2027-01-01');
    expect(isExperienceRatingOpen('2026-06-01', '2026-06-01')).toBe(false);
    expect(isExperienceRatingOpen('2026-06-01', '2026-06-02')).toBe(true);
    expect(isExperienceRatingOpen('2026-06-01', '2026-06-20')).toBe(true);
  });

  it('flags a difficult experience only against a threshold the clinic set', () => {
    expect(difficultExperience({ difficulty: 10 }, undefined)).toBeNull();
    expect(difficultExperience({ difficulty: 10 }, null)).toBeNull();
    expect(difficultExperience({ difficulty: 7 }, 7)).toBe(true);
    expect(difficultExperience({ difficulty: 6 }, 7)).toBe(false);
    const flag = experienceRules.find((r) => r.id === 'monitoring.experience-difficult-flag')!;
    expect(flag.setting).toEqual({
      key: 'experienceRating.difficultyFlagAtLeast',
      default: null,
      unit: '0–10',
    });
    expect(experienceRules.find((r) => r.id === 'monitoring.experience-rating')!.title).toContain(
      'not a validated instrument',
    );
  });

  it('names each intention in its prompts and keeps the open prompts when there is none', () => {
    const none = journalPromptsFor([]);
    expect(none.map((p) => p.key)).toEqual(['carry-forward', 'body', 'support']);
    const prompts = journalPromptsFor(['  Be kind to myself ', '']);
    expect(prompts.map((p) => p.key)).toEqual([
      'intention-noticed',
      'intention-now',
      'carry-forward',
      'body',
      'support',
    ]);
    expect(prompts[0]!.text).toContain('“Be kind to myself”');
  });
});
