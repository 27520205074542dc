import type { Actor, Role } from '../context.ts';

/**
 * The one permission matrix (blueprint section 4): role -> permissions. Deny by default: a permission not
 * listed for any of the actor's roles is refused. Routes name the permission they need.
 */
export const permissions = [
  /** Find a patient and read demographics. */
  'patient.read',
  /** Read the clinical part of a chart (diagnoses, medications, allergies). */
  'patient.clinical.read',
  'patient.create',
  /** Edit demographics and contacts. */
  'patient.update',
  /** Add to or change the problem list, medication list and allergies. */
  'patient.clinical.update',
  /** Open a chart outside one's care team for an emergency, with a reason. */
  'patient.break-glass',
  /** See the clinic's calendar and rooms. */
  'schedule.read',
  /** Book and cancel appointments. */
  'schedule.manage',
  /** Set up rooms and chairs. */
  'rooms.manage',
  'audit.read',
  'break-glass.review',
  'staff.manage',
  /** De-identified, aggregate data only: never identities. */
  'research.read',
  /** Invite a patient to the portal (a single-use, expiring link by email). */
  'portal.invite',
  /** See the outbox: mail the clinic sent or will send (the "sent mail" view in demo mode). */
  'mail.read',
  /** Assign instruments (questionnaires) to a patient. */
  'measures.assign',
  /** Record vital signs (screening and sessions). */
  'vitals.record',
  /** Sign (and amend) the eligibility decision. */
  'eligibility.decide',
  /** Write and sign treatment plans. */
  'plan.write',
  /** Write preparation session notes. */
  'preparation.write',
  /** See consent status and signed copies. */
  'consent.read',
  /** Countersign a patient's consent as the clinic's witness. */
  'consent.countersign',
  /** Author consent templates and publish new versions. */
  'consent.templates.manage',
  /** See and acknowledge risk alerts of the patients in one's care. */
  'alerts.read',
  'alerts.acknowledge',
  /** See the dosing-session board and a session's record (checklist, doses, vitals, observations). */
  'session.read',
  /** Check a patient in for a dosing session (front desk at arrival, or the nurse). */
  'session.check-in',
  /** Run a session: pre-dose checks, vitals, observations, side effects, adverse events; abort with a reason. */
  'session.monitor',
  /** Give a dose under the plan's order (draws from the ledger in the same transaction). */
  'session.administer',
  /** Discharge a patient who meets the discharge criteria. */
  'session.discharge',
  /** A prescriber's override, with a rationale: a pre-dose caution, or discharge against an unmet criterion. */
  'session.override',
  /** Write (and read back) one's own psychotherapy notes: author-only, kept apart from the record. */
  'psychotherapy-notes.write',
  /** See SPRAVATO REMS monitoring forms and the forms due; mark one submitted. */
  'rems.read',
  'rems.submit',
  /** See the controlled-substance ledger: balances, entries, inventories, the dispensing log. */
  'ledger.read',
  /** Record receipts, wastes (and witness them), transfers, returns, losses, counts and inventories. */
  'ledger.record',
  /** Adjust a balance, with a reason and an admin's signature. */
  'ledger.adjust',
  /** Set up the clinic's registered locations (DEA registration) and the ledger's retention. */
  'ledger.locations.manage',
  /** Write integration session notes (the progress-note part; psychotherapy notes stay author-only). */
  'integration.write',
  /** Set the clinic's care settings: alert escalation and on-call, measure reminders, integration window. */
  'care.settings.manage',
  /** The practice outcomes dashboard: cohort aggregates only, never identities. */
  'outcomes.read',
  /** Run and download de-identified research exports (Safe Harbor), research-consented patients only. */
  'research.export',
  /** Delete the files of a research export (retention); the export record stays. */
  'research.export.delete',
  /** A patient reading their own record in the portal. */
  'portal.self',
] as const;
export type Permission = (typeof permissions)[number];

export const rolePermissions: Record<Role, readonly Permission[]> = {
  prescriber: [
    'patient.read',
    'patient.clinical.read',
    'patient.create',
    'patient.update',
    'patient.clinical.update',
    'patient.break-glass',
    'schedule.read',
    'schedule.manage',
    'portal.invite',
    'measures.assign',
    'vitals.record',
    'eligibility.decide',
    'plan.write',
    'preparation.write',
    'consent.read',
    'consent.countersign',
    'alerts.read',
    'alerts.acknowledge',
    'session.read',
    'session.check-in',
    'session.monitor',
    'session.administer',
    'session.discharge',
    'session.override',
    'psychotherapy-notes.write',
    'rems.read',
    'rems.submit',
    'ledger.read',
    'ledger.record',
    'integration.write',
    'outcomes.read',
  ],
  nurse: [
    'patient.read',
    'patient.clinical.read',
    'patient.create',
    'patient.update',
    'patient.clinical.update',
    'patient.break-glass',
    'schedule.read',
    'schedule.manage',
    'portal.invite',
    'measures.assign',
    'vitals.record',
    'consent.read',
    'consent.countersign',
    'alerts.read',
    'alerts.acknowledge',
    'session.read',
    'session.check-in',
    'session.monitor',
    'session.administer',
    'session.discharge',
    'rems.read',
    'rems.submit',
    'ledger.read',
    'ledger.record',
  ],
  therapist: [
    'patient.read',
    'patient.clinical.read',
    'patient.break-glass',
    'schedule.read',
    'measures.assign',
    'preparation.write',
    'consent.read',
    'consent.countersign',
    'alerts.read',
    'alerts.acknowledge',
    'session.read',
    'psychotherapy-notes.write',
    'integration.write',
  ],
  frontdesk: [
    'patient.read',
    'patient.create',
    'patient.update',
    'schedule.read',
    'schedule.manage',
    'portal.invite',
    'consent.read',
    'session.check-in',
  ],
  admin: [
    'patient.read',
    'schedule.read',
    'schedule.manage',
    'rooms.manage',
    'audit.read',
    'break-glass.review',
    'staff.manage',
    'portal.invite',
    'mail.read',
    'consent.read',
    'consent.templates.manage',
    'rems.read',
    'rems.submit',
    'ledger.read',
    'ledger.record',
    'ledger.adjust',
    'ledger.locations.manage',
    'care.settings.manage',
    'outcomes.read',
    'research.export',
    'research.export.delete',
  ],
  researcher: ['research.read', 'outcomes.read', 'research.export'],
};

const patientPermissions: readonly Permission[] = ['portal.self'];

/**
 * Roles whose view of a chart is bound to the care team in a 'care-team' clinic. Front desk and admins
 * see demographics clinic-wide (scheduling, registration, audits) but never clinical data.
 */
export const careTeamBoundRoles: readonly Role[] = ['prescriber', 'nurse', 'therapist'];

export function permissionsOf(actor: Actor): Set<Permission> {
  if (actor.kind === 'patient') return new Set(patientPermissions);
  return new Set(actor.roles.flatMap((role) => rolePermissions[role]));
}

export function hasPermission(actor: Actor, permission: Permission): boolean {
  return permissionsOf(actor).has(permission);
}

export type ChartAccess = 'none' | 'demographics' | 'clinical';

export interface ChartAccessFacts {
  careScope: 'clinic' | 'care-team';
  /** The chart belongs to the actor's clinic (a chart of another clinic is never visible). */
  sameClinic: boolean;
  inCareTeam: boolean;
  breakGlassActive: boolean;
  /** For a patient actor: the chart is their own. */
  ownRecord: boolean;
}

/**
 * What of a chart the actor may see. 'none' is answered 404, so a chart's existence does not leak.
 * A pure policy over facts gathered in one query (see care-scope.ts).
 */
export function chartAccess(actor: Actor, facts: ChartAccessFacts): ChartAccess {
  if (!facts.sameClinic) return 'none';
  if (actor.kind === 'patient') return facts.ownRecord ? 'clinical' : 'none';
  const granted = permissionsOf(actor);
  if (!granted.has('patient.read')) return 'none';
  const clinicalRoles = actor.roles.filter((role) => rolePermissions[role].includes('patient.clinical.read'));
  const clinicalAllowed =
    clinicalRoles.length > 0 &&
    (facts.careScope === 'clinic' ||
      facts.inCareTeam ||
      facts.breakGlassActive ||
      clinicalRoles.some((role) => !careTeamBoundRoles.includes(role)));
  if (clinicalAllowed) return 'clinical';
  const demographicsClinicWide = actor.roles.some(
    (role) => rolePermissions[role].includes('patient.read') && !careTeamBoundRoles.includes(role),
  );
  if (facts.careScope === 'clinic' || demographicsClinicWide) return 'demographics';
  return 'none';
}
