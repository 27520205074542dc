/**
 * The portal questionnaire as a sequence of screens: one question per screen, then a review. Pure, so the
 * skip logic is tested without a browser. The rules are the definition's own (`enableWhen`, `optional`, sent
 * by the server from @kapstone/clinical); nothing is scored here.
 */

export interface QuestionnaireItem {
  id: string;
  number: number;
  text: string;
  options: { score: number; label: string }[];
  enableWhen: { item: string; answers: number[] } | null;
  optional: boolean;
}

/** Answers by item id; undefined = not answered yet, null = skipped (an optional item). */
export type AnswerMap = Record<string, number | null | undefined>;

/** An item is asked when it has no condition, or the item it depends on got one of the listed answers. */
export function isAsked(item: QuestionnaireItem, answers: AnswerMap): boolean {
  if (!item.enableWhen) return true;
  const given = answers[item.enableWhen.item];
  return typeof given === 'number' && item.enableWhen.answers.includes(given);
}

/** The items asked, given the answers so far, in order. */
export function askedItems(items: QuestionnaireItem[], answers: AnswerMap): QuestionnaireItem[] {
  return items.filter((item) => isAsked(item, answers));
}

/** Every asked item answered (or, if optional, explicitly skipped). */
export function isReadyToReview(items: QuestionnaireItem[], answers: AnswerMap): boolean {
  return askedItems(items, answers).every((item) => {
    const given = answers[item.id];
    return typeof given === 'number' || (item.optional && given === null);
  });
}

/**
 * The answer array the server expects: one entry per item in item order, the chosen score, or null for an
 * item not asked (its condition unmet) or skipped. An answer given before a condition changed is dropped.
 */
export function toAnswerArray(items: QuestionnaireItem[], answers: AnswerMap): (number | null)[] {
  return items.map((item) => {
    if (!isAsked(item, answers)) return null;
    const given = answers[item.id];
    return typeof given === 'number' ? given : null;
  });
}

/** Where a step goes next: the following asked item, or the review once none is left. */
export function nextStep(
  items: QuestionnaireItem[],
  answers: AnswerMap,
  currentId: string,
): { kind: 'item'; id: string } | { kind: 'review' } {
  const asked = askedItems(items, answers);
  const index = asked.findIndex((item) => item.id === currentId);
  const next = asked[index + 1];
  return next ? { kind: 'item', id: next.id } : { kind: 'review' };
}

/** The asked item before the current one (or the last asked item, from the review); null at the start. */
export function previousStep(
  items: QuestionnaireItem[],
  answers: AnswerMap,
  currentId: string | null,
): string | null {
  const asked = askedItems(items, answers);
  if (currentId === null) return asked.at(-1)?.id ?? null;
  const index = asked.findIndex((item) => item.id === currentId);
  return index > 0 ? asked[index - 1]!.id : null;
}

/** "3 of 9": the position among the items asked so far (the count may change as answers open or skip items). */
export function progressOf(
  items: QuestionnaireItem[],
  answers: AnswerMap,
  currentId: string,
): { position: number; total: number } {
  const asked = askedItems(items, answers);
  return { position: asked.findIndex((item) => item.id === currentId) + 1, total: asked.length };
}
