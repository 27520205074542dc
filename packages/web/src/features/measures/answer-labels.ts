import { type InstrumentId, instruments, isInstrumentId } from '@kapstone/clinical';

export interface AnsweredItem {
  number: number;
  text: string;
  /** The option's label as the instrument words it; null when the item was not asked or was skipped. */
  answer: string | null;
}

/**
 * A stored response read back against its instrument: each item's wording and the label of the chosen
 * option (display only; the score is the server's, computed by @kapstone/clinical).
 */
export function answeredItems(instrument: string, answers: (number | null)[]): AnsweredItem[] {
  if (!isInstrumentId(instrument)) return [];
  return instruments[instrument].items.map((item, i) => {
    const given = answers[i];
    const option =
      given === null || given === undefined ? undefined : item.options.find((o) => o.score === given);
    return { number: item.number, text: item.text, answer: option?.label ?? null };
  });
}

/** Instruments a clinician may assign, for a picker: id and the instrument's own name. */
export function instrumentChoices(): { value: InstrumentId; label: string }[] {
  return (Object.keys(instruments) as InstrumentId[]).map((id) => ({
    value: id,
    label: `${instruments[id].shortName} — ${instruments[id].name}`,
  }));
}
