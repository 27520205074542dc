import { describe, expect, it } from 'vitest';
import {
  type AnswerMap,
  askedItems,
  isReadyToReview,
  nextStep,
  previousStep,
  progressOf,
  type QuestionnaireItem,
  toAnswerArray,
} from './questionnaire-flow.ts';

const yesNo = [
  { score: 0, label: 'No' },
  { score: 1, label: 'Yes' },
];
const item = (id: string, number: number, extra: Partial<QuestionnaireItem> = {}): QuestionnaireItem => ({
  id,
  number,
  text: id,
  options: yesNo,
  enableWhen: null,
  optional: false,
  ...extra,
});
// The C-SSRS screener's shape: 3-5 after yes to 2, 6b after yes to 6 (as the server sends it).
const cssrs = [
  item('q1', 1),
  item('q2', 2),
  item('q3', 3, { enableWhen: { item: 'q2', answers: [1] } }),
  item('q4', 4, { enableWhen: { item: 'q2', answers: [1] } }),
  item('q5', 5, { enableWhen: { item: 'q2', answers: [1] } }),
  item('q6', 6),
  item('q6b', 7, { enableWhen: { item: 'q6', answers: [1] } }),
];
const ids = (items: QuestionnaireItem[]) => items.map((i) => i.id);

describe('questionnaire flow', () => {
  it('skips questions 3-5 after "no" to question 2, and 6b after "no" to 6', () => {
    const answers: AnswerMap = { q1: 0, q2: 0, q6: 0 };
    expect(ids(askedItems(cssrs, answers))).toEqual(['q1', 'q2', 'q6']);
    expect(nextStep(cssrs, answers, 'q2')).toEqual({ kind: 'item', id: 'q6' });
    expect(nextStep(cssrs, answers, 'q6')).toEqual({ kind: 'review' });
    expect(previousStep(cssrs, answers, 'q6')).toBe('q2');
    expect(previousStep(cssrs, answers, null)).toBe('q6');
    expect(isReadyToReview(cssrs, answers)).toBe(true);
    expect(toAnswerArray(cssrs, answers)).toEqual([0, 0, null, null, null, 0, null]);
  });

  it('asks 3-5 after "yes" to question 2, and counts progress among the asked items', () => {
    const answers: AnswerMap = { q1: 1, q2: 1 };
    expect(nextStep(cssrs, answers, 'q2')).toEqual({ kind: 'item', id: 'q3' });
    expect(progressOf(cssrs, answers, 'q3')).toEqual({ position: 3, total: 6 });
    expect(isReadyToReview(cssrs, answers)).toBe(false);
  });

  it('drops answers to questions whose condition no longer holds', () => {
    // Yes to 2 then 3-5 answered; the patient goes back and changes 2 to no.
    const answers: AnswerMap = { q1: 1, q2: 0, q3: 1, q4: 1, q5: 0, q6: 1, q6b: 0 };
    expect(toAnswerArray(cssrs, answers)).toEqual([1, 0, null, null, null, 1, 0]);
  });

  it('lets an optional item be skipped (null) but not left unanswered', () => {
    const phq = [item('a', 1), item('b', 2, { optional: true })];
    expect(isReadyToReview(phq, { a: 2 })).toBe(false);
    expect(isReadyToReview(phq, { a: 2, b: null })).toBe(true);
    expect(toAnswerArray(phq, { a: 2, b: null })).toEqual([2, null]);
    expect(previousStep(phq, {}, 'a')).toBeNull();
  });
});
