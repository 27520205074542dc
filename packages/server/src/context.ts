import type { Clock } from './clock.ts';
import type { Transaction } from './db/client.ts';

/** The roles of the blueprint (section 1). A staff member may hold several in one clinic. */
export const roles = ['prescriber', 'nurse', 'therapist', 'frontdesk', 'admin', 'researcher'] as const;
export type Role = (typeof roles)[number];

interface ActorBase {
  userId: string;
  clinicId: string;
  sessionId: string;
  email: string;
  displayName: string;
}
export interface StaffActor extends ActorBase {
  kind: 'staff';
  roles: Role[];
}
export interface PatientActor extends ActorBase {
  kind: 'patient';
  /** The patient record this account belongs to: the only one it may see. */
  patientId: string;
}
export type Actor = StaffActor | PatientActor;

export interface RequestMeta {
  /** Null for work that no HTTP request started (CLI, seed, jobs). */
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
}

export interface AuditEntry {
  /** Dotted verb, e.g. 'patient.read', 'patient.update', 'auth.login', 'auth.login-failed'. */
  action: string;
  resourceType: string;
  resourceId?: string | null;
  patientId?: string | null;
  outcome?: 'success' | 'denied' | 'failure';
  /** Access granted through break-glass rather than the care team. */
  breakGlass?: boolean;
  /** Non-PHI detail (field names changed, reason codes). Never values of clinical fields. */
  detail?: Record<string, unknown>;
}

/**
 * Collects the audit events of one unit of work and writes them, hash-chained, in the same transaction
 * just before it commits (so the per-clinic chain lock is held only for the insert and the commit).
 */
export interface AuditWriter {
  record(entry: AuditEntry): void;
}

/** What a service receives: who acts, in which clinic, inside which transaction, with what clock. */
export interface ServiceContext {
  actor: Actor;
  clinicId: string;
  tx: Transaction;
  audit: AuditWriter;
  clock: Clock;
  request: RequestMeta;
}
