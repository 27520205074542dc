import type { Citation, RuleMetadata } from '../types.ts';

/**
 * The life of one dosing session (issue 5): booked, the patient arrives, the pre-dose checks pass, the dose is
 * given, the patient is observed, and leaves; or the session stops early with a reason. A pure function of the
 * state and the event with the facts the event needs, so every allowed and refused step can be tested and the
 * server only stores what this decides.
 */
export const sessionStates = [
  'scheduled',
  'checked-in',
  'cleared-to-dose',
  'dosing',
  'monitoring',
  'discharged',
  'aborted',
] as const;
export type SessionState = (typeof sessionStates)[number];

export const sessionEventKinds = [
  'check-in',
  'clear-to-dose',
  'reopen-checks',
  'administer',
  'start-monitoring',
  'discharge',
  'abort',
] as const;
export type SessionEventKind = (typeof sessionEventKinds)[number];

export type SessionEvent =
  | { kind: 'check-in' }
  /**
   * The pre-dose gate's result (preDoseGate) and the cautions a prescriber overrode with a rationale. Blockers
   * can never be overridden; every caution must be overridden for the gate to clear.
   */
  | {
      kind: 'clear-to-dose';
      gate: { blockers: readonly string[]; cautions: readonly string[] };
      overriddenCautions: readonly string[];
    }
  /**
   * A fact recorded after clearance and before the dose (a new baseline reading, a new MOAA/S) makes the gate
   * say something the clearance did not cover: back to the checklist, with the reasons.
   */
  | { kind: 'reopen-checks'; reasons: readonly string[] }
  /** A dose (the first, or an additional dose within the plan's limits). */
  | { kind: 'administer' }
  /** Dosing is complete (the injection given, the infusion ended, the last device used): observe. */
  | { kind: 'start-monitoring' }
  /** dischargeReadiness' result, and a prescriber's rationale when a criterion is unmet. */
  | {
      kind: 'discharge';
      readiness: { ready: boolean; unmet: readonly string[] };
      overrideRationale?: string | null;
    }
  | { kind: 'abort'; reason: string };

export type SessionTransition = { allowed: true; to: SessionState } | { allowed: false; reasons: string[] };

const terminal: readonly SessionState[] = ['discharged', 'aborted'];

/** Which events each state accepts at all (the facts of the event may still refuse it). */
const accepts: Record<SessionState, readonly SessionEventKind[]> = {
  scheduled: ['check-in', 'abort'],
  'checked-in': ['clear-to-dose', 'abort'],
  'cleared-to-dose': ['reopen-checks', 'administer', 'abort'],
  dosing: ['administer', 'start-monitoring', 'abort'],
  monitoring: ['administer', 'discharge', 'abort'],
  discharged: [],
  aborted: [],
};

const stateLabels: Record<SessionState, string> = {
  scheduled: 'scheduled',
  'checked-in': 'checked in',
  'cleared-to-dose': 'cleared to dose',
  dosing: 'dosing',
  monitoring: 'in monitoring',
  discharged: 'discharged',
  aborted: 'aborted',
};

/** The events a session in this state accepts (for the console to offer only what can happen). */
export function allowedSessionEvents(state: SessionState): readonly SessionEventKind[] {
  return accepts[state];
}

/**
 * Decides one step of the lifecycle. Refusals name their reasons in a clinician's words:
 * - dosing needs the pre-dose gate cleared: no blocker, and every caution overridden (clinical-reference 4.6);
 *   a new fact before the dose that the clearance did not cover sends the session back to the checks;
 * - a dose is given only once cleared, and additional doses only during dosing or monitoring;
 * - discharge only from monitoring, when dischargeReadiness is met or a prescriber gives a rationale for the
 *   unmet criteria (clinical-reference 4.5);
 * - a session that has ended (discharged or aborted) never moves again; an abort needs a reason.
 */
export function sessionTransition(state: SessionState, event: SessionEvent): SessionTransition {
  if (terminal.includes(state))
    return { allowed: false, reasons: [`The session is ${stateLabels[state]}: it cannot change.`] };
  if (!accepts[state].includes(event.kind))
    return {
      allowed: false,
      reasons: [`A session that is ${stateLabels[state]} cannot ${describe(event.kind)}.`],
    };
  switch (event.kind) {
    case 'check-in':
      return { allowed: true, to: 'checked-in' };
    case 'clear-to-dose': {
      const reasons = event.gate.blockers.map((b) => `Blocker: ${b}`);
      const overridden = new Set(event.overriddenCautions);
      for (const caution of event.gate.cautions)
        if (!overridden.has(caution)) reasons.push(`Caution not overridden by a prescriber: ${caution}`);
      for (const o of event.overriddenCautions)
        if (event.gate.blockers.includes(o)) reasons.push(`A blocker cannot be overridden: ${o}`);
      return reasons.length > 0 ? { allowed: false, reasons } : { allowed: true, to: 'cleared-to-dose' };
    }
    case 'reopen-checks':
      if (event.reasons.length === 0)
        return { allowed: false, reasons: ['Nothing new for the pre-dose checks: the clearance stands.'] };
      return { allowed: true, to: 'checked-in' };
    case 'administer':
      return { allowed: true, to: state === 'cleared-to-dose' ? 'dosing' : state };
    case 'start-monitoring':
      return { allowed: true, to: 'monitoring' };
    case 'discharge': {
      if (event.readiness.ready) return { allowed: true, to: 'discharged' };
      if (!event.overrideRationale?.trim())
        return {
          allowed: false,
          reasons: [
            ...event.readiness.unmet.map((u) => `Discharge criterion not met: ${u}`),
            'Only a prescriber may discharge against an unmet criterion, with a rationale.',
          ],
        };
      return { allowed: true, to: 'discharged' };
    }
    case 'abort':
      if (!event.reason.trim()) return { allowed: false, reasons: ['Say why the session is stopped.'] };
      return { allowed: true, to: 'aborted' };
  }
}

function describe(kind: SessionEventKind): string {
  switch (kind) {
    case 'check-in':
      return 'be checked in';
    case 'clear-to-dose':
      return 'be cleared to dose';
    case 'reopen-checks':
      return 'go back to the pre-dose checks';
    case 'administer':
      return 'receive a dose';
    case 'start-monitoring':
      return 'move to monitoring';
    case 'discharge':
      return 'be discharged';
    case 'abort':
      return 'be aborted';
  }
}

/**
 * Dissociation is rated per session at baseline, at about 40 minutes (when it peaks after the dose) and before
 * discharge (clinical-reference 4.4, 1.11). This says when the ~40-minute CADSS-6 is due: at 40 minutes after
 * the start of the dose, satisfied by a rating from 30 minutes on. The rating before discharge is required by
 * dischargeReadiness itself.
 */
export function dissociationRatingDue(
  minutesSinceDoseStart: number,
  ratedAtMinutes: readonly number[],
): { dueAtMinutes: number | null; overdue: boolean } {
  if (ratedAtMinutes.some((m) => m >= peakRatingWindowStart)) return { dueAtMinutes: null, overdue: false };
  return { dueAtMinutes: peakRatingMinutes, overdue: minutesSinceDoseStart > peakRatingMinutes };
}

const peakRatingMinutes = 40;
const peakRatingWindowStart = 30;

const cite = (section: string, source: string, evidence: Citation['evidence'] = 'primary'): Citation => ({
  section: `clinical-reference ${section}`,
  source,
  evidence,
});

export const sessionLifecycleRules: RuleMetadata[] = [
  {
    id: 'session.gate-clears-dosing',
    area: 'monitoring',
    title:
      'Dosing starts only when the pre-dose gate has no blocker and every caution is overridden by a prescriber',
    citation: cite(
      '4.6',
      'Pre-dose checks: baseline BP and MOAA/S, medications, suicidality screen, ride home (SPRAVATO PI; Ketalar outpatient note)',
    ),
  },
  {
    id: 'session.discharge-override',
    area: 'monitoring',
    title: 'Discharge against an unmet criterion only by a prescriber, with a rationale',
    citation: cite(
      '4.5',
      'SPRAVATO PI and REMS: a clinician judges the patient clinically stable before leaving',
    ),
  },
  {
    id: 'session.second-signer',
    area: 'monitoring',
    title: 'A second staff signature on each dose (a local policy; absent = not required)',
    citation: cite(
      '6',
      '21 CFR 1304.22(c): the name or initials of who administered; a second signer is local policy (UNCONFIRMED as a federal rule)',
      'unconfirmed',
    ),
    setting: { key: 'sessions.secondSignerRequired', default: false },
  },
  {
    id: 'session.esketamine-device-interval',
    area: 'monitoring',
    title: 'Esketamine: each further device at least 5 minutes after the previous one',
    citation: cite('2.5', 'SPRAVATO US PI: wait 5 minutes after each device'),
  },
  {
    id: 'session.iv-infusion-minutes',
    area: 'monitoring',
    title: 'IV racemic ketamine: infusion over 40 minutes',
    citation: cite('2.1', 'Fava M et al. Mol Psychiatry 2020: 0.5 mg/kg over 40 min'),
  },
  {
    id: 'session.dissociation-40-minutes',
    area: 'monitoring',
    title:
      'CADSS-6 at about 40 minutes after the dose (a rating from 30 minutes on counts) and before discharge',
    citation: cite(
      '4.4',
      'Track dissociation per session (baseline, ~40 min, before discharge); peak ~40 min after the spray',
      'secondary',
    ),
  },
  {
    id: 'session.reading-interval',
    area: 'monitoring',
    title: 'Reading interval after the published readings, by route (none in the reference for IM/SL)',
    citation: cite('4.1', 'ASA moderate sedation: e.g. every 5–15 min until fit for discharge', 'secondary'),
    setting: { key: 'sessions.readingIntervalMinutes', default: null, unit: 'minutes' },
  },
];
