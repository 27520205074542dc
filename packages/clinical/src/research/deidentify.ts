import type { Citation, RuleMetadata } from '../types.ts';

/**
 * De-identification of research exports by the HIPAA Safe Harbor method, 45 CFR 164.514(b)(2): the 18 kinds
 * of identifier of the individual (and of relatives, employers and household members) are removed, and the
 * covered entity has no actual knowledge that what remains could identify the individual (164.514(b)(2)(ii)).
 *
 * The reference (clinical-reference 7, privacy) does not reproduce 164.514; the list below follows the
 * regulation's paragraphs (A) to (R). Verify the wording on eCFR before relying on it in a policy document.
 *
 * Pure functions: the caller passes the randomness (a whole-number source) and the dates, so the rules are
 * deterministic in tests.
 */

const safeHarborCitation: Citation = {
  section: 'clinical-reference 7',
  source:
    '45 CFR 164.514(b)(2)(i)(A)-(R), HIPAA Safe Harbor de-identification (not reproduced in the reference; verify on eCFR)',
  evidence: 'unconfirmed',
};

/** What Kapstone does with one kind of identifier in a research export. */
export type DeidentificationAction =
  /** The field is not exported at all. */
  | 'removed'
  /** Dates: replaced by days since the patient's first dose, plus a per-patient shifted date for sequence. */
  | 'dates-relative-and-shifted'
  /** Ages over 89 are exported as the single category "90+". */
  | 'age-grouped';

export interface SafeHarborIdentifier {
  /** The paragraph of 164.514(b)(2)(i), 'A' to 'R'. */
  paragraph: string;
  identifier: string;
  action: DeidentificationAction;
  /** What Kapstone holds of this kind and how the export treats it, in words a privacy officer reads. */
  kapstone: string;
}

/** The 18 Safe Harbor identifiers (45 CFR 164.514(b)(2)(i)(A)-(R)) and what Kapstone's export does with each. */
export const safeHarborIdentifiers: readonly SafeHarborIdentifier[] = [
  {
    paragraph: 'A',
    identifier: 'Names',
    action: 'removed',
    kapstone:
      'Given, family and preferred names, the emergency contact, ride-home and escort names, typed signature names and staff names are never exported.',
  },
  {
    paragraph: 'B',
    identifier:
      'All geographic subdivisions smaller than a state (street address, city, county, precinct, ZIP code and their equivalent geocodes)',
    action: 'removed',
    kapstone:
      'The whole postal address is dropped, ZIP code included. Safe Harbor would allow the first three ZIP digits where the area holds more than 20,000 people; Kapstone keeps none (the simplest choice that needs no census table). The clinic itself is not named either.',
  },
  {
    paragraph: 'C',
    identifier:
      'All elements of dates (except year) directly related to an individual (birth, admission, discharge, death), and all ages over 89 and elements of dates indicating such an age',
    action: 'dates-relative-and-shifted',
    kapstone:
      'The date of birth is never exported; the age at the first dose is, in whole years, with ages over 89 as "90+" (also when the patient passes 89 during the exported days). Event dates are exported as days since the first dose and as a date shifted by a random per-patient number of days (see dateShiftRange).',
  },
  {
    paragraph: 'D',
    identifier: 'Telephone numbers',
    action: 'removed',
    kapstone: "The patient's, the emergency contact's and the ride home's phone numbers are never exported.",
  },
  {
    paragraph: 'E',
    identifier: 'Fax numbers',
    action: 'removed',
    kapstone: 'Kapstone holds none; none is exported.',
  },
  {
    paragraph: 'F',
    identifier: 'Electronic mail addresses',
    action: 'removed',
    kapstone: "The patient's and the portal account's e-mail addresses are never exported.",
  },
  {
    paragraph: 'G',
    identifier: 'Social security numbers',
    action: 'removed',
    kapstone: 'Kapstone holds none; none is exported.',
  },
  {
    paragraph: 'H',
    identifier: 'Medical record numbers',
    action: 'removed',
    kapstone:
      'The MRN and every database id of the patient are replaced by a research id drawn at random for each export (not derived from the MRN or any id).',
  },
  {
    paragraph: 'I',
    identifier: 'Health plan beneficiary numbers',
    action: 'removed',
    kapstone: 'Kapstone holds none; none is exported.',
  },
  {
    paragraph: 'J',
    identifier: 'Account numbers',
    action: 'removed',
    kapstone: 'Portal account ids and sign-in names are never exported.',
  },
  {
    paragraph: 'K',
    identifier: 'Certificate/license numbers',
    action: 'removed',
    kapstone:
      'Staff licence and DEA registration numbers are never exported; Kapstone holds none of the patient.',
  },
  {
    paragraph: 'L',
    identifier: 'Vehicle identifiers and serial numbers, including license plate numbers',
    action: 'removed',
    kapstone: 'Kapstone holds none; none is exported.',
  },
  {
    paragraph: 'M',
    identifier: 'Device identifiers and serial numbers',
    action: 'removed',
    kapstone: 'Drug lot numbers and ledger ids are never exported (only the product, route and dose in mg).',
  },
  {
    paragraph: 'N',
    identifier: 'Web Universal Resource Locators (URLs)',
    action: 'removed',
    kapstone: 'Kapstone holds none of the patient; none is exported.',
  },
  {
    paragraph: 'O',
    identifier: 'Internet Protocol (IP) address numbers',
    action: 'removed',
    kapstone:
      'The IP addresses and browser strings kept with consent signatures and the audit log are never exported.',
  },
  {
    paragraph: 'P',
    identifier: 'Biometric identifiers, including finger and voice prints',
    action: 'removed',
    kapstone: 'Kapstone holds none; none is exported.',
  },
  {
    paragraph: 'Q',
    identifier: 'Full face photographic images and any comparable images',
    action: 'removed',
    kapstone: 'Kapstone holds none; none is exported.',
  },
  {
    paragraph: 'R',
    identifier: 'Any other unique identifying number, characteristic, or code',
    action: 'removed',
    kapstone:
      'No free text is exported at all (notes, reasons, descriptions, intentions, journal entries, psychotherapy notes, gender identity and pronouns as typed), since free text may hold any of the identifiers above. Only coded values, numbers and fixed lists leave Kapstone.',
  },
];

/**
 * Safe Harbor's age rule, 45 CFR 164.514(b)(2)(i)(C): ages over 89 are aggregated into one category, 90 or
 * older. Ages up to 89 may be given in whole years.
 */
export const safeHarborOldestExactAge = 89;

/**
 * The range of the per-patient date shift, in days. A design choice of Kapstone, not a Safe Harbor number:
 * Safe Harbor does not speak of shifting (it removes every date element but the year). The shift only hides
 * the calendar position of a patient's record from someone who knows when they were treated; analyses use
 * the relative days (days since the first dose), which carry no date at all.
 * Zero is never drawn, so no shifted date is ever the true date.
 */
export const dateShiftRange = { minDays: -180, maxDays: 180 } as const;

/** A source of whole numbers: `randomInt(min, max)` answers an integer in [min, max), uniformly (node:crypto's signature). */
export type RandomInt = (min: number, max: number) => number;

/**
 * A patient's date shift for one export: a whole number of days in dateShiftRange, never 0. Drawn once per
 * patient per export and kept with the export (never exported), so all of a patient's dates move together and
 * intervals between them stay true, while two exports of the same patient cannot be lined up.
 */
export function drawDateShiftDays(
  randomInt: RandomInt,
  range: { minDays: number; maxDays: number } = dateShiftRange,
): number {
  if (
    !Number.isInteger(range.minDays) ||
    !Number.isInteger(range.maxDays) ||
    range.minDays >= 0 ||
    range.maxDays <= 0
  )
    throw new RangeError('The shift range must be whole days, below and above zero.');
  // Draw from the range without zero: [min, -1] ∪ [1, max], mapped from [0, size).
  const size = range.maxDays - range.minDays;
  const drawn = randomInt(0, size);
  if (!Number.isInteger(drawn) || drawn < 0 || drawn >= size)
    throw new RangeError('randomInt broke its contract');
  const shift = range.minDays + drawn;
  return shift >= 0 ? shift + 1 : shift;
}

const researchIdAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Characters of a research id after its prefix: 10 of 32 symbols, 50 bits. */
export const researchIdLength = 10;

/**
 * A pseudonymous research id ('R-' and 10 Crockford base-32 symbols) drawn at random for one patient in one
 * export. It is a re-identification code in the sense of 45 CFR 164.514(c): not derived from anything about
 * the patient (the MRN, a database id, a name), and the link to the patient stays inside Kapstone.
 */
export function drawResearchId(randomInt: RandomInt): string {
  let id = 'R-';
  for (let i = 0; i < researchIdLength; i += 1)
    id += researchIdAlphabet[randomInt(0, researchIdAlphabet.length)];
  return id;
}

/** Whole years between a date of birth and a day (both YYYY-MM-DD): the age on that day. */
export function ageInYears(dateOfBirth: string, onDay: string): number {
  const [by, bm, bd] = parseDay(dateOfBirth);
  const [y, m, d] = parseDay(onDay);
  let age = y - by;
  if (m < bm || (m === bm && d < bd)) age -= 1;
  if (age < 0) throw new RangeError('The day is before the date of birth.');
  return age;
}

/**
 * The exported age: whole years up to 89, else "90+" (45 CFR 164.514(b)(2)(i)(C)). A string in both cases,
 * so a column holds one type.
 */
export function safeHarborAge(age: number): string {
  if (!Number.isInteger(age) || age < 0) throw new RangeError('An age is a whole number of years.');
  return age > safeHarborOldestExactAge ? '90+' : String(age);
}

/**
 * The age a research export gives for a patient: whole years on day zero, or "90+" when the patient is over 89
 * on day zero or on any later exported day. An "89" at day zero next to a score at day 400 would tell the
 * reader the patient was 90 then: an age over 89 that 164.514(b)(2)(i)(C) asks to aggregate into 90 or older.
 * `lastDay` is the latest exported day of the patient (day zero when there is none later).
 */
export function exportedAge(dateOfBirth: string, dayZero: string, lastDay: string): string {
  const atDayZero = ageInYears(dateOfBirth, dayZero);
  const atLastDay = ageInYears(dateOfBirth, lastDay > dayZero ? lastDay : dayZero);
  return atLastDay > safeHarborOldestExactAge ? '90+' : safeHarborAge(atDayZero);
}

/** Days from one calendar day to another (YYYY-MM-DD), negative when `day` is before `from`. */
export function daysBetween(from: string, day: string): number {
  return Math.round((dayNumber(day) - dayNumber(from)) / 86_400_000);
}

/** A calendar day moved by whole days (YYYY-MM-DD in, YYYY-MM-DD out). */
export function shiftDay(day: string, days: number): string {
  if (!Number.isInteger(days)) throw new RangeError('A shift is whole days.');
  return new Date(dayNumber(day) + days * 86_400_000).toISOString().slice(0, 10);
}

function parseDay(day: string): [number, number, number] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) throw new RangeError(`Not a calendar day (YYYY-MM-DD): ${day}`);
  const parts: [number, number, number] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2]));
  if (check.getUTCMonth() !== parts[1] - 1 || check.getUTCDate() !== parts[2])
    throw new RangeError(`Not a calendar day (YYYY-MM-DD): ${day}`);
  return parts;
}

function dayNumber(day: string): number {
  const [y, m, d] = parseDay(day);
  return Date.UTC(y, m - 1, d);
}

export const deidentificationRules: RuleMetadata[] = [
  {
    id: 'research.safe-harbor-identifiers',
    area: 'research',
    title:
      'Research exports remove the 18 Safe Harbor identifiers: names, geography below the state (the whole address, ZIP included), dates (relative days and shifted dates instead), phone, fax, e-mail, SSN, MRN, plan and account numbers, licences, vehicle and device ids, URLs, IP addresses, biometrics, photographs and any other unique code; no free text is exported',
    citation: safeHarborCitation,
  },
  {
    id: 'research.age-90-plus',
    area: 'research',
    title: 'Age at the first dose in whole years; over 89 exported as "90+"',
    citation: safeHarborCitation,
  },
  {
    id: 'research.date-shift',
    area: 'research',
    title: `Per-patient date shift of ${dateShiftRange.minDays} to +${dateShiftRange.maxDays} days (never 0), drawn per export and never exported; a Kapstone design choice, not a Safe Harbor number: analyses use days since the first dose`,
    citation: {
      section: 'clinical-reference 7',
      source:
        'Kapstone design choice. Safe Harbor (45 CFR 164.514(b)(2)(i)(C)) removes date elements; it sets no shift range',
      evidence: 'unconfirmed',
    },
  },
  {
    id: 'research.pseudonym',
    area: 'research',
    title:
      'A random research id per patient per export, not derived from the MRN or any other information about the patient',
    citation: {
      section: 'clinical-reference 7',
      source: '45 CFR 164.514(c): a re-identification code not derived from information about the individual',
      evidence: 'unconfirmed',
    },
  },
];
