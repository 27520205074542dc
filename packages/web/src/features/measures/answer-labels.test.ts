import { describe, expect, it } from 'vitest';
import { answeredItems, instrumentChoices } from './answer-labels.ts';

describe('answer labels', () => {
  it('reads a PHQ-9 back with the instrument’s own labels', () => {
    const items = answeredItems('phq9', [0, 1, 2, 3, 0, 0, 0, 0, 1, null]);
    expect(items).toHaveLength(10);
    expect(items[8]).toEqual({
      number: 9,
      text: 'Thoughts that you would be better off dead, or of hurting yourself in some way',
      answer: 'Several days',
    });
    expect(items[3]!.answer).toBe('Nearly every day');
    expect(items[9]!.answer).toBeNull();
  });

  it('marks C-SSRS questions the skip logic did not ask as unanswered, and ignores unknown instruments', () => {
    const items = answeredItems('cssrs-screener', [1, 0, null, null, null, 0, null]);
    expect(items.map((i) => i.answer)).toEqual(['Yes', 'No', null, null, null, 'No', null]);
    expect(answeredItems('bdi', [1])).toEqual([]);
  });

  it('offers every instrument of the package to assign', () => {
    expect(instrumentChoices().map((c) => c.value)).toContain('madrs');
  });
});
