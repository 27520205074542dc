/**
 * What changed between two versions of intake answers, as dot paths to the leaves (e.g.
 * `medical.cardiovascular.hypertension.answer`, `medications.items.1.dose`). Pure. The paths go into the
 * version row and the audit trail; the values only into the clinical history view.
 */
type Leaf = string | number | boolean | null;

export function flattenAnswers(
  value: unknown,
  prefix = '',
  out = new Map<string, Leaf>(),
): Map<string, Leaf> {
  if (Array.isArray(value)) {
    value.forEach((element, index) => {
      flattenAnswers(element, prefix ? `${prefix}.${index}` : String(index), out);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      if (child === undefined) continue;
      flattenAnswers(child, prefix ? `${prefix}.${key}` : key, out);
    }
  } else if (value !== undefined && prefix) {
    out.set(prefix, value as Leaf);
  }
  return out;
}

export interface AnswerChange {
  path: string;
  from: Leaf | undefined;
  to: Leaf | undefined;
}

export function answerChanges(before: unknown, after: unknown): AnswerChange[] {
  const a = flattenAnswers(before);
  const b = flattenAnswers(after);
  const paths = [...a.keys(), ...[...b.keys()].filter((path) => !a.has(path))];
  return paths
    .filter((path) => a.get(path) !== b.get(path))
    .map((path) => ({ path, from: a.get(path), to: b.get(path) }));
}

export function changedAnswerPaths(before: unknown, after: unknown): string[] {
  return answerChanges(before, after).map((change) => change.path);
}
