/**
 * Shapes of `/api/v1` as fixed in docs/api-contract.md (the OpenAPI document at /api/openapi.json is the
 * detailed form). Fields the server sends beyond the contract are marked optional so the app keeps working
 * against either.
 */

export type Role = 'prescriber' | 'nurse' | 'therapist' | 'frontdesk' | 'admin' | 'researcher';

/**
 * Permission names the UI may test. The first eight are in the contract; the `patient.clinical.*` and
 * `portal.self` names come from the server's permission matrix (packages/server/src/security/permissions.ts).
 */
export type Permission =
  | 'patient.read'
  | 'patient.create'
  | 'patient.update'
  | 'patient.break-glass'
  | 'audit.read'
  | 'break-glass.review'
  | 'staff.manage'
  | 'research.read'
  | 'patient.clinical.read'
  | 'patient.clinical.update'
  | 'portal.self';

export interface SessionView {
  user: { id: string; email: string; displayName: string; kind: 'staff' | 'patient' };
  clinic: { id: string; name: string; timeZone: string; demo: boolean };
  roles: Role[];
  permissions: string[];
  patientId: string | null;
  csrfToken: string;
  mfa: { enrolled: boolean; required: boolean };
  idleExpiresAt: string;
  absoluteExpiresAt: string;
}

export interface Meta {
  name: 'Kapstone';
  version: string;
  demo: boolean;
  demoLogins?: { email: string; role: string; clinic: string }[];
}

/** The half-open MFA session already needs the CSRF token for its own POSTs (verify, enrol, sign out). */
export type LoginOutcome =
  | { status: 'authenticated'; session: SessionView }
  | { status: 'mfa-required'; csrfToken: string }
  | { status: 'mfa-enrolment-required'; csrfToken: string };

export interface MfaEnrolment {
  secret: string;
  otpauthUri: string;
}

export interface MfaEnrolmentConfirmed {
  recoveryCodes: string[];
  session: SessionView;
}

/** RFC 9457 problem details as the server sends them. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  requestId?: string;
  errors?: { path: string; message: string }[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type SexAtBirth = 'female' | 'male' | 'intersex' | 'unknown';

export interface PatientSummary {
  id: string;
  mrn: string;
  givenName: string;
  familyName: string;
  preferredName: string | null;
  dateOfBirth: string;
  sexAtBirth: SexAtBirth;
  inCareTeam: boolean;
}

export interface Address {
  line1: string;
  line2?: string | null;
  city: string;
  region: string;
  postalCode: string;
  country: string;
}

export interface EmergencyContact {
  name: string;
  relationship: string;
  phone: string;
}

export type ConditionStatus = 'active' | 'resolved' | 'entered-in-error';
export type MedicationStatus = 'active' | 'stopped' | 'entered-in-error';
export type AllergyStatus = 'active' | 'inactive' | 'entered-in-error';
export type AllergySeverity = 'mild' | 'moderate' | 'severe';

export interface Condition {
  id: string;
  icd10: string;
  description: string;
  onsetDate: string | null;
  status: ConditionStatus | string;
  note?: string | null;
  recordedAt: string;
}

export interface Medication {
  id: string;
  name: string;
  rxnorm: string | null;
  dose: string | null;
  route: string | null;
  frequency: string | null;
  startDate?: string | null;
  status: MedicationStatus | string;
  note?: string | null;
  recordedAt: string;
}

export interface Allergy {
  id: string;
  substance: string;
  reaction: string | null;
  severity: AllergySeverity | string | null;
  status: AllergyStatus | string;
  note?: string | null;
  recordedAt: string;
}

export interface Patient extends PatientSummary {
  version: number;
  genderIdentity: string | null;
  pronouns: string | null;
  email: string | null;
  phone: string | null;
  address: Address | null;
  emergencyContact: EmergencyContact | null;
  /** False when the caller's roles see demographics only: the clinical lists are then empty, not absent. */
  clinicalDataIncluded?: boolean;
  conditions: Condition[];
  medications: Medication[];
  allergies: Allergy[];
  createdAt: string;
  updatedAt: string;
}

/** The demographic fields a registration or an amendment may carry. */
export interface Demographics {
  givenName: string;
  familyName: string;
  preferredName: string | null;
  dateOfBirth: string;
  sexAtBirth: SexAtBirth;
  genderIdentity: string | null;
  pronouns: string | null;
  email: string | null;
  phone: string | null;
  address: Address | null;
  emergencyContact: EmergencyContact | null;
}

export type PatientInput = Demographics & { mrn?: string };
export type PatientAmendment = { version: number } & Partial<Demographics>;

export interface ConditionInput {
  icd10: string;
  description: string;
  onsetDate?: string | null;
  note?: string | null;
}

export interface MedicationInput {
  name: string;
  rxnorm?: string | null;
  dose?: string | null;
  route?: string | null;
  frequency?: string | null;
  startDate?: string | null;
  note?: string | null;
}

export interface AllergyInput {
  substance: string;
  reaction?: string | null;
  severity?: AllergySeverity | null;
  note?: string | null;
}

export interface PatientHistoryEntry {
  version: number;
  changedAt: string;
  changedBy: { id: string; displayName: string } | null;
  changes: { field: string; from: unknown; to: unknown }[];
}

export interface BreakGlassGrantIssued {
  grantId: string;
  expiresAt: string;
}

export interface AuditEventView {
  id: string;
  occurredAt: string;
  sequence: number;
  actor: { id: string; displayName: string; email: string } | null;
  role: string | null;
  action: string;
  resourceType: string;
  resourceId: string | null;
  patient: { id: string; displayName: string } | null;
  outcome: 'success' | 'denied' | 'failure';
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
  breakGlass: boolean;
}

export interface AuditFilters {
  patientId?: string;
  actorId?: string;
  action?: string;
  from?: string;
  to?: string;
}

export interface BreakGlassGrantView {
  id: string;
  actor: { id: string; displayName: string; email: string };
  patient: { id: string; displayName: string; mrn?: string };
  reason: string;
  grantedAt: string;
  expiresAt: string;
}
