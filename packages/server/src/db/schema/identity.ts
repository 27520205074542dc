import {
  boolean,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { clinic } from './clinic.ts';
import { patient } from './patients.ts';

/**
 * A person who signs in: a staff member (with roles) or a patient (with exactly one patient record).
 * Email is unique across the deployment, compared lower-cased, so a sign-in names one account.
 */
export const userAccount = pgTable(
  'user_account',
  {
    id: uuid('id').primaryKey(),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinic.id),
    /** Stored lower-cased. */
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    kind: text('kind').$type<'staff' | 'patient'>().notNull(),
    /** For a patient account: the record it belongs to (same clinic). */
    patientId: uuid('patient_id'),
    /** argon2id PHC string. */
    passwordHash: text('password_hash').notNull(),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }).notNull(),
    /** Base32 TOTP secret once enrolment started; `mfaEnrolledAt` set when confirmed. */
    mfaSecret: text('mfa_secret'),
    mfaEnrolledAt: timestamp('mfa_enrolled_at', { withTimezone: true }),
    /** The last TOTP time step accepted, so a code cannot be replayed. */
    mfaLastStep: integer('mfa_last_step'),
    failedLoginCount: integer('failed_login_count').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('user_account_email_key').on(t.email),
    unique('user_account_clinic_id_key').on(t.clinicId, t.id),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patient.clinicId, patient.id] }),
  ],
);

export const roleAssignment = pgTable(
  'role_assignment',
  {
    clinicId: uuid('clinic_id').notNull(),
    userId: uuid('user_id').notNull(),
    role: text('role').notNull(),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.userId, t.role] }),
    foreignKey({ columns: [t.clinicId, t.userId], foreignColumns: [userAccount.clinicId, userAccount.id] }),
  ],
);

/** A server-side session. Only the SHA-256 of the cookie's token is stored. */
export const authSession = pgTable(
  'auth_session',
  {
    id: uuid('id').primaryKey(),
    tokenHash: text('token_hash').notNull(),
    clinicId: uuid('clinic_id').notNull(),
    userId: uuid('user_id').notNull(),
    csrfToken: text('csrf_token').notNull(),
    /** True until the second factor is verified: such a session reaches only the MFA routes. */
    mfaPending: boolean('mfa_pending').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    absoluteExpiresAt: timestamp('absolute_expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedReason: text('revoked_reason'),
  },
  (t) => [
    uniqueIndex('auth_session_token_key').on(t.tokenHash),
    index('auth_session_user_idx').on(t.userId),
    foreignKey({ columns: [t.clinicId, t.userId], foreignColumns: [userAccount.clinicId, userAccount.id] }),
  ],
);

/** Single-use MFA recovery codes, stored as SHA-256 hashes. */
export const mfaRecoveryCode = pgTable(
  'mfa_recovery_code',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => userAccount.id),
    codeHash: text('code_hash').notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.codeHash] })],
);

/** The staff assigned to a patient's care; in 'care-team' clinics they alone open the chart without break-glass. */
export const careTeamMember = pgTable(
  'care_team_member',
  {
    clinicId: uuid('clinic_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    userId: uuid('user_id').notNull(),
    role: text('role').notNull(),
    assignedAt: timestamp('assigned_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.patientId, t.userId] }),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patient.clinicId, patient.id] }),
    foreignKey({ columns: [t.clinicId, t.userId], foreignColumns: [userAccount.clinicId, userAccount.id] }),
    index('care_team_member_user_idx').on(t.clinicId, t.userId),
  ],
);

/** Time-boxed emergency access to a chart outside one's care team, with the reason given. */
export const breakGlassGrant = pgTable(
  'break_glass_grant',
  {
    id: uuid('id').primaryKey(),
    clinicId: uuid('clinic_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    userId: uuid('user_id').notNull(),
    reason: text('reason').notNull(),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patient.clinicId, patient.id] }),
    foreignKey({ columns: [t.clinicId, t.userId], foreignColumns: [userAccount.clinicId, userAccount.id] }),
    index('break_glass_grant_lookup_idx').on(t.clinicId, t.userId, t.patientId, t.expiresAt),
  ],
);

/** Failed sign-in attempts per client address, for rate limiting that survives restarts and spans app servers. */
export const loginAttempt = pgTable(
  'login_attempt',
  {
    ip: text('ip').notNull(),
    attemptedAt: timestamp('attempted_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('login_attempt_ip_idx').on(t.ip, t.attemptedAt)],
);
