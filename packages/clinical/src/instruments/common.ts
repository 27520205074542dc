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
 * Every index is visited, so a hole in a sparse array (`[1, , 2]`, or `answers[3] = 2` on an empty array) or
 * an `undefined` is rejected rather than silently skipped: a missing answer must be an explicit null, or a
 * form with unanswered items would score as complete and minimal.
 */
export function validateAnswers(
  definition: InstrumentDefinition,
  answers: ReadonlyArray<number | null>,
  optionalTrailing = 0,
): void {
  const max = definition.items.length;
  const min = max - optionalTrailing;
  if (!Array.isArray(answers)) {
    throw new RangeError(
      `${definition.shortName} takes an array of answers in item order, got ${typeof answers}`,
    );
  }
  if (answers.length < min || answers.length > max) {
    throw new RangeError(
      `${definition.shortName} takes ${min === max ? max : `${min} to ${max}`} answers in item order, got ${answers.length}`,
    );
  }
  for (let i = 0; i < answers.length; i++) {
    const answer: unknown = answers[i];
    if (answer === null) continue;
    const item = definition.items[i]!;
    if (answer === undefined) {
      throw new RangeError(
        `${definition.shortName} item ${item.number}: no answer given (use null for a skipped item)`,
      );
    }
    if (!item.options.some((option) => option.score === answer)) {
      throw new RangeError(
        `${definition.shortName} item ${item.number}: ${String(answer)} is not one of ${item.options.map((o) => o.score).join(', ')}`,
      );
    }
  }
}

export function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/**
 * A screening cut-off ("positive at or above"): the clinic's override when given, else the published default.
 * An override that is not a number inside the total's range is refused, since a NaN or out-of-range cut-off
 * would silently make every screen negative (or positive).
 */
export function screeningCutoff(
  definition: InstrumentDefinition,
  setting: string,
  override: number | undefined,
  fallback: number,
): number {
  if (override === undefined) return fallback;
  const { min, max } = definition.totalRange!;
  if (!Number.isFinite(override) || override <= min || override > max) {
    throw new RangeError(
      `${definition.shortName} cut-off ${setting} = ${String(override)} must be a number above ${min} and at most ${max}`,
    );
  }
  return override;
}

/** The band whose [min, max] holds the total. Bands are contiguous and cover the total's range. */
export function bandOf(definition: InstrumentDefinition, total: number): string {
  const band = definition.bands.find(
    (b) => (b.min === undefined || total >= b.min) && (b.max === undefined || total <= b.max),
  );
  if (!band) throw new RangeError(`${definition.shortName}: no band for total ${total}`);
  return band.id;
}

/**
 * The PHQ and GAD screeners' terms. Not stated in clinical-reference 1.1/1.3 (which notes only the Pfizer
 * copyright text on a GAD-7 Questionnaire); the wording is Pfizer's own, quoted by HL7 in the SDC
 * implementation guide's PHQ-9 example, and matches Pfizer's 2010 announcement of unrestricted access.
 */
export const pfizerScreenerLicence =
  '© Pfizer Inc.; no permission is required to reproduce, translate, display or distribute (Pfizer, as quoted in the HL7 SDC IG PHQ-9 example).';

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
