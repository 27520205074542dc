import { describe, expect, it } from 'vitest';
// The server's schema is the source of truth for the answers: the form must ask exactly its questions.
import {
  contraindicationQuestions,
  intakeDraftSchema,
  missingIntakeFields,
} from '../../../../server/src/modules/intake/intake.schemas.ts';
import {
  answerErrors,
  errorsUnder,
  firstSectionWithError,
  sectionToSave,
  wholeDraftToSave,
} from './intake-form-model.ts';
import {
  describePath,
  intakeQuestionSections,
  itemForPath,
  sectionOfPath,
  setAt,
} from './intake-questions.ts';

const allItems = intakeQuestionSections.flatMap((s) => s.groups.flatMap((g) => g.items));

describe('the form asks the server’s questions', () => {
  it('has an item for every answer the server requires, and for every follow-up and flag', () => {
    const everyFollowUpAsked = {
      medical: {
        cardiovascular: { hypertension: { answer: 'yes' } },
        reproductive: { pregnancyPossible: { answer: 'yes' } },
      },
      psychiatric: { antidepressants: { tried: { answer: 'yes' } } },
      medications: { taking: { answer: 'yes' } },
      allergies: { any: { answer: 'yes' } },
    } as const;
    const required = [...missingIntakeFields({}), ...missingIntakeFields(everyFollowUpAsked)].map(
      (m) => m.path,
    );
    const formPaths = new Set(allItems.map((i) => i.path));
    for (const path of required) expect(formPaths.has(path), path).toBe(true);
    for (const question of contraindicationQuestions)
      expect(formPaths.has(question.path), question.path).toBe(true);
  });

  it('every form path is accepted by the server’s draft schema', () => {
    for (const item of allItems) {
      const value =
        item.kind === 'question'
          ? { answer: 'unsure' }
          : item.kind === 'list'
            ? []
            : item.inputType === 'date'
              ? '2026-01-15'
              : 'text';
      const draft = setAt({}, item.path, value);
      expect(intakeDraftSchema.safeParse(draft).success, item.path).toBe(true);
    }
  });
});

describe('intake form model', () => {
  it('sets values by path without touching the original', () => {
    const before = { medical: { eyes: { glaucoma: { answer: 'no' } } } };
    const after = setAt(before, 'medical.eyes.glaucoma', { answer: 'yes' });
    expect(after).toEqual({ medical: { eyes: { glaucoma: { answer: 'yes' } } } });
    expect(before.medical.eyes.glaucoma.answer).toBe('no');
    const list = setAt({ medications: { items: [{ name: 'A' }] } }, 'medications.items.0.dose', '5 mg');
    expect(list).toEqual({ medications: { items: [{ name: 'A', dose: '5 mg' }] } });
    expect(setAt({ goals: { goals: 'x', concerns: 'y' } }, 'goals.concerns', undefined)).toEqual({
      goals: { goals: 'x' },
    });
  });

  it('saves a section without the follow-ups that are no longer shown', () => {
    const draft = {
      medical: {
        reproductive: { pregnancyPossible: { answer: 'no' }, pregnant: { answer: 'yes' } },
        cardiovascular: { hypertension: { answer: 'yes' }, hypertensionControlled: { answer: 'no' } },
      },
      medications: { taking: { answer: 'no' }, items: [{ name: 'Old entry' }] },
    };
    expect(sectionToSave(draft, 'medical')).toEqual({
      medical: {
        reproductive: { pregnancyPossible: { answer: 'no' } },
        cardiovascular: { hypertension: { answer: 'yes' }, hypertensionControlled: { answer: 'no' } },
      },
    });
    expect(sectionToSave(draft, 'medications')).toEqual({ medications: { taking: { answer: 'no' } } });
    expect(sectionToSave({}, 'goals')).toEqual({ goals: {} });
    expect(Object.keys(wholeDraftToSave(draft))).toEqual(['medical', 'medications']);
  });

  it('maps server field paths to answer paths and finds the section to show', () => {
    const errors = answerErrors({
      'answers.substances.alcohol': 'Answer yes, no or not sure',
      'answers.goals.goals': 'Required',
      reason: 'Say why',
    });
    expect(errors).toEqual({ 'substances.alcohol': 'Answer yes, no or not sure', 'goals.goals': 'Required' });
    expect(firstSectionWithError(errors)).toBe('substances');
    expect(errorsUnder({ 'medications.items.0.dose': 'Required' }, 'medications.items')).toBe('Required');
    expect(sectionOfPath('answers.allergies.items')).toBe('allergies');
  });

  it('names answer paths the way a clinician reads them', () => {
    expect(describePath('medical.cardiovascular.stroke.answer')).toBe(
      'Have you had a stroke or a “mini-stroke” (TIA)?',
    );
    expect(describePath('goals.goals')).toBe('What would you like treatment to help you with?');
    expect(describePath('medications.items.1.dose')).toBe(
      'Medicines you take: medicine 2, dose (for example 50 mg)',
    );
    expect(itemForPath('nonsense.path')).toBeUndefined();
    expect(describePath('nonsense.path')).toBe('nonsense.path');
  });
});
