import {
  type Draft,
  type IntakeSection,
  type IntakeSectionDef,
  intakeQuestionSections,
  intakeSections,
  setAt,
  valueAt,
} from './intake-questions.ts';

/**
 * Pure helpers of the intake form: what to send for a section, and where server messages go. No clinical
 * rule lives here: completeness and flags come from the server.
 */

export function sectionDef(section: IntakeSection): IntakeSectionDef {
  const def = intakeQuestionSections.find((s) => s.id === section);
  if (!def) throw new Error(`unknown intake section ${section}`);
  return def;
}

/**
 * The section's answers as they will be saved: follow-ups that are no longer shown (pregnancy questions after
 * "No", a medicines list after "No") are dropped, so an answer the person can no longer see is never kept.
 */
export function sectionToSave(draft: Draft, section: IntakeSection): Draft {
  let value: Draft = { [section]: (draft[section] as Draft | undefined) ?? {} };
  for (const group of sectionDef(section).groups) {
    for (const item of group.items) {
      if (item.showWhen && !item.showWhen(draft) && valueAt(value, item.path) !== undefined) {
        value = setAt(value, item.path, undefined);
      }
    }
  }
  return value;
}

/** Every section, pruned as above (the staff form saves the whole intake at once). */
export function wholeDraftToSave(draft: Draft): Draft {
  return Object.assign(
    {},
    ...intakeSections.filter((s) => draft[s] !== undefined).map((s) => sectionToSave(draft, s)),
  ) as Draft;
}

/** Server field paths (`answers.medical.x`) → messages keyed by answer path (`medical.x`). */
export function answerErrors(fieldMessages: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(fieldMessages)) {
    if (path.startsWith('answers.')) out[path.slice('answers.'.length)] = message;
  }
  return out;
}

/** The first section with a message, to take the person there. */
export function firstSectionWithError(errors: Record<string, string>): IntakeSection | undefined {
  return intakeSections.find((s) => Object.keys(errors).some((p) => p === s || p.startsWith(`${s}.`)));
}

/** The messages that concern one item (its own path or anything under it). */
export function errorsUnder(errors: Record<string, string>, path: string): string | undefined {
  if (errors[path]) return errors[path];
  const nested = Object.keys(errors).find((p) => p.startsWith(`${path}.`));
  return nested ? errors[nested] : undefined;
}
