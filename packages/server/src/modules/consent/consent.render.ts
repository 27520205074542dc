import { createHash } from 'node:crypto';

/**
 * The text a patient signs is rendered by the server, never by the client: the template version's wording
 * with the patient's legal name, the clinic's name and the date filled in. The portal shows exactly this
 * string and sends back the SHA-256 of what it showed; the server recomputes it when the signature
 * arrives, so "the text the patient saw" and "the text on file" are provably the same bytes.
 */
export interface RenderInput {
  title: string;
  version: number;
  body: string;
  patientName: string;
  clinicName: string;
  /** The day of rendering, in the clinic's time zone, already formatted (see longDate). */
  date: string;
}

const placeholders: Record<string, (input: RenderInput) => string> = {
  patientName: (i) => i.patientName,
  clinicName: (i) => i.clinicName,
  date: (i) => i.date,
};

export function renderConsentText(input: RenderInput): string {
  const body = input.body
    .replace(/\r\n?/g, '\n')
    .replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => placeholders[name]?.(input) ?? whole)
    .trim();
  return [
    `${input.title} (version ${input.version})`,
    '',
    `Patient: ${input.patientName}`,
    `Clinic: ${input.clinicName}`,
    `Date: ${input.date}`,
    '',
    body,
    '',
  ].join('\n');
}

/** Placeholders a template body may use; anything else in double braces is left as written. */
export const consentPlaceholders = Object.keys(placeholders);

/** Unknown {{placeholders}} in a body, so an admin learns of a typo before patients see it. */
export function unknownPlaceholders(body: string): string[] {
  const found = [...body.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!);
  return [...new Set(found.filter((name) => !(name in placeholders)))];
}

/** SHA-256 of the UTF-8 bytes of the text, lower-case hex (what the browser's SubtleCrypto gives too). */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * A name compared the way a person would: case, accents, spacing and the kind of apostrophe do not matter
 * ("jose nunez" matches "José Núñez"; "O’Brien" matches "o'brien").
 */
export function normaliseName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/[\u2010-\u2015]/g, '-')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

export function namesMatch(typed: string, legal: string): boolean {
  return normaliseName(typed) === normaliseName(legal);
}

const months = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** The calendar day of an instant in a time zone, as "1 May 2026" (built by hand: no ICU differences). */
export function longDate(instant: Date, timeZone: string): string {
  const [year, month, day] = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  })
    .format(instant)
    .split('-')
    .map(Number) as [number, number, number];
  return `${day} ${months[month - 1]} ${year}`;
}

/** An instant in a time zone, as "1 May 2026, 10:04 (America/Denver)", for the signature block. */
export function longDateTime(instant: Date, timeZone: string): string {
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(instant);
  return `${longDate(instant, timeZone)}, ${time} (${timeZone})`;
}
