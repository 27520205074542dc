import { protocols } from '../protocols/index.ts';
import type { Citation, ProtocolId, RuleMetadata } from '../types.ts';

/*
 * Integration adherence: each dose expects an integration (psychotherapy-only) session within a window of days
 * after it. The issue's default is 1–3 days (the protocols' `integrationWindowDays`); the cadence behind it is
 * clinical-reference 5.3 (Field Trip Health: integration visits after doses 1 and 2, then after every 2 doses;
 * Sage Integrative Health: at least 2 integration sessions after the first ketamine session) and 5.2 (Drozdz et
 * al. 2022: psychotherapy after the sessions may make the benefit last). No source gives a day count, so the
 * window is a default the clinic may replace (`integration.windowDays`).
 */

/**
 * - 'done': an integration took place no later than the window's last day (an earlier one counts too: the
 *   window says when it is due, not that an early session does not count).
 * - 'late': the only integration came after the window closed.
 * - 'due': the window is open today and no integration has taken place yet.
 * - 'missing': the window has closed and no integration took place.
 * - 'not-due-yet': the window opens on a later day.
 */
export type IntegrationAdherenceState = 'done' | 'late' | 'due' | 'missing' | 'not-due-yet';

export const integrationAdherenceStates: readonly IntegrationAdherenceState[] = [
  'done',
  'late',
  'due',
  'missing',
  'not-due-yet',
];

/** Days after a dose: [first, last], both inclusive, counted in the clinic's calendar days. */
export type IntegrationWindow = readonly [number, number];

export interface DoseForIntegration {
  sessionId: string;
  /** When the dose was given (ISO 8601 instant); orders two doses on one day. */
  dosedAt: string;
  /** The dose's calendar date in the clinic's time zone (YYYY-MM-DD). */
  localDate: string;
}

export interface IntegrationContact {
  /** The integration note that records the session, when it is a note. */
  noteId?: string;
  /** The integration appointment, when it is one. */
  appointmentId?: string;
  /** The dosing session it follows, when the record names it; otherwise it follows the latest earlier dose. */
  sessionId?: string;
  /** The calendar date it took place, in the clinic's time zone (YYYY-MM-DD). */
  date: string;
}

export interface IntegrationAdherence {
  sessionId: string;
  state: IntegrationAdherenceState;
  /** The window's first and last calendar dates (inclusive). */
  opensOn: string;
  closesOn: string;
  /** The integration that decided the state (the first in or before the window, else the first after). */
  integration: (IntegrationContact & { dayAfterDose: number }) | null;
}

const dayMs = 86_400_000;
const isoDate = /^\d{4}-\d{2}-\d{2}$/;

function dayNumber(date: string): number {
  if (!isoDate.test(date)) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${date}`);
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${date}`);
  return Math.round(ms / dayMs);
}

function dateOf(day: number): string {
  return new Date(day * dayMs).toISOString().slice(0, 10);
}

function checkWindow(window: IntegrationWindow): void {
  const [first, last] = window;
  if (!Number.isInteger(first) || !Number.isInteger(last) || first < 0 || last < first)
    throw new RangeError(
      `An integration window is [first, last] whole days with 0 ≤ first ≤ last: ${window}`,
    );
}

/**
 * The adherence of each dose to its integration window, in the order the doses were given. An integration
 * that names its dosing session counts for that dose; one that names none (an appointment) counts for the
 * latest dose on or before its date. `today` is the clinic's calendar date.
 */
export function integrationAdherence(input: {
  doses: readonly DoseForIntegration[];
  integrations: readonly IntegrationContact[];
  window: IntegrationWindow;
  today: string;
}): IntegrationAdherence[] {
  checkWindow(input.window);
  const [first, last] = input.window;
  const today = dayNumber(input.today);
  const doses = [...input.doses].sort(
    (a, b) => dayNumber(a.localDate) - dayNumber(b.localDate) || a.dosedAt.localeCompare(b.dosedAt),
  );
  const bySession = new Map<string, (IntegrationContact & { dayAfterDose: number })[]>();
  for (const contact of input.integrations) {
    const day = dayNumber(contact.date);
    const dose = contact.sessionId
      ? doses.find((d) => d.sessionId === contact.sessionId)
      : doses.findLast((d) => dayNumber(d.localDate) <= day);
    if (!dose) continue;
    const dayAfterDose = day - dayNumber(dose.localDate);
    if (dayAfterDose < 0) continue;
    bySession.set(dose.sessionId, [...(bySession.get(dose.sessionId) ?? []), { ...contact, dayAfterDose }]);
  }
  return doses.map((dose) => {
    const doseDay = dayNumber(dose.localDate);
    const opens = doseDay + first;
    const closes = doseDay + last;
    const contacts = (bySession.get(dose.sessionId) ?? []).sort((a, b) => a.dayAfterDose - b.dayAfterDose);
    const inTime = contacts.find((c) => c.dayAfterDose <= last);
    const after = contacts[0];
    const state: IntegrationAdherenceState = inTime
      ? 'done'
      : after
        ? 'late'
        : today > closes
          ? 'missing'
          : today >= opens
            ? 'due'
            : 'not-due-yet';
    return {
      sessionId: dose.sessionId,
      state,
      opensOn: dateOf(opens),
      closesOn: dateOf(closes),
      integration: inTime ?? after ?? null,
    };
  });
}

/**
 * The window a protocol's doses are held to: the clinic's own window when it set one, else the protocol's.
 * Null when the protocol schedules no integration (the SPRAVATO label protocols): nothing is expected.
 */
export function integrationWindowFor(
  protocolId: ProtocolId,
  clinicWindow?: IntegrationWindow | null,
): IntegrationWindow | null {
  const protocol = protocols[protocolId];
  if (!protocol) throw new RangeError(`Unknown protocol: ${String(protocolId)}`);
  if (!protocol.integrationWindowDays) return null;
  if (clinicWindow) {
    checkWindow(clinicWindow);
    return clinicWindow;
  }
  return protocol.integrationWindowDays;
}

/** The techniques an integration note can name (the list, with IFS for parts work). */
export const integrationTechniques = [
  'cbt',
  'mindfulness',
  'somatic',
  'parts-work-ifs',
  'act',
  'narrative',
  'motivational-interviewing',
  'other',
] as const;
export type IntegrationTechnique = (typeof integrationTechniques)[number];

export const integrationTechniqueLabels: Record<IntegrationTechnique, string> = {
  cbt: 'Cognitive behavioural therapy (CBT)',
  mindfulness: 'Mindfulness',
  somatic: 'Somatic',
  'parts-work-ifs': 'Parts work (IFS)',
  act: 'Acceptance and commitment therapy (ACT)',
  narrative: 'Narrative',
  'motivational-interviewing': 'Motivational interviewing',
  other: 'Other',
};

const cadence: Citation = {
  section: 'clinical-reference 5.3',
  source:
    'Field Trip Health preprint (integration visits after doses 1 and 2, then every 2 doses); Sage Integrative Health (≥2 integration sessions after the first ketamine session). The 1–3 day window is the issue’s default: no source gives a day count',
  evidence: 'unconfirmed',
};

export const integrationRules: RuleMetadata[] = [
  {
    id: 'integration.window',
    area: 'protocols',
    title:
      'Integration session expected 1–3 days after each dose of a KAP or IV protocol (inclusive; none for the SPRAVATO label protocols)',
    citation: cadence,
    setting: { key: 'integration.windowDays', default: '[1, 3]', unit: 'days after the dose' },
  },
  {
    id: 'integration.adherence',
    area: 'protocols',
    title:
      'Integration adherence per dose: done (by the window’s last day), late (only after it), due (window open, none yet), missing (window closed, none), not due yet',
    citation: {
      section: 'clinical-reference 5.2',
      source:
        'Drozdz SJ et al. J Pain Res 2022;15:1691-1706: psychotherapy before, during and after ketamine sessions may get the most from the benefit and make it last',
      evidence: 'primary',
    },
  },
];
