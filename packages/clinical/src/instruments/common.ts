import type {
  AnswerOption,
  Citation,
  InstrumentDefinition,
  InstrumentItem,
  InstrumentScore,
} from '../types.ts';

/** "Over the last 2 weeks, how often…" answers of the PHQ family, with their LOINC answer codes (LL358-3). */
export const phqFrequency: readonly AnswerOption[] = [
  { score: 0, label: 'Not at all', loinc: 'LA6568-5' },
  { score: 1, label: 'Several days', loinc: 'LA6569-3' },
  { score: 2, label: 'More than half the days', loinc: 'LA6570-1' },
  { score: 3, label: 'Nearly every day', loinc: 'LA6571-9' },
];

/** Yes/no items are scored 1/0. LA32-8 (No) is confirmed; the Yes code LA33-6 is UNCONFIRMED (reference 1.5), so omitted. */
export const yesNo: readonly AnswerOption[] = [
  { score: 0, label: 'No', loinc: 'LA32-8' },
  { score: 1, label: 'Yes' },
];

export function scale(labels: readonly string[], start = 0): AnswerOption[] {
  return labels.map((label, i) => ({ score: start + i, label }));
}

export function items(
  prefix: string,
  texts: readonly string[],
  options: readonly AnswerOption[],
  loinc: readonly (string | undefined)[] = [],
): InstrumentItem[] {
  return texts.map((text, i) => ({
    id: `${prefix}-${i + 1}`,
    number: i + 1,
    text,
    options,
    ...(loinc[i] ? { loinc: loinc[i] } : {}),
  }));
}

/**
 * Checks the answer array against the instrument: the right length (optional trailing items may be left
 * off), and every answer null or one of the item's scores. Anything else is a caller's error, not a score.
 */
export function validateAnswers(
  definition: InstrumentDefinition,
  answers: ReadonlyArray<number | null>,
  optionalTrailing = 0,
): void {
  const max = definition.items.length;
  const min = max - optionalTrailing;
  if (!Array.isArray(answers) || answers.length < min || answers.length > max) {
    throw new RangeError(
      `${definition.shortName} takes ${min === max ? max : `${min} to ${max}`} answers in item order, got ${Array.isArray(answers) ? answers.length : typeof answers}`,
    );
  }
  answers.forEach((answer, i) => {
    if (answer === null) return;
    const item = definition.items[i]!;
    if (!item.options.some((option) => option.score === answer)) {
      throw new RangeError(
        `${definition.shortName} item ${item.number}: ${String(answer)} is not one of ${item.options.map((o) => o.score).join(', ')}`,
      );
    }
  });
}

export function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** The band whose [min, max] holds the total. Bands are contiguous and cover the total's range. */
export function bandOf(definition: InstrumentDefinition, total: number): string {
  const band = definition.bands.find(
    (b) => (b.min === undefined || total >= b.min) && (b.max === undefined || total <= b.max),
  );
  if (!band) throw new RangeError(`${definition.shortName}: no band for total ${total}`);
  return band.id;
}

/** The band id used when an instrument is not complete: no severity is invented from partial answers. */
export const incompleteBand = 'incomplete';

export function incomplete(instrument: InstrumentScore['instrument'], flags: string[] = []): InstrumentScore {
  return { instrument, total: null, band: incompleteBand, complete: false, flags };
}

export const cite = (
  section: string,
  source: string,
  evidence: Citation['evidence'] = 'primary',
): Citation => ({
  section: `clinical-reference ${section}`,
  source,
  evidence,
});
