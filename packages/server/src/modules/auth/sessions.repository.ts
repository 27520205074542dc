import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Role } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import type { ClinicSettings } from '../../db/schema/clinic.ts';
import { authSession } from '../../db/schema/index.ts';
import { absoluteTimeoutMs } from './session-rules.ts';

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export interface CreatedSession {
  id: string;
  token: string;
  csrfToken: string;
}

export async function createSession(
  db: Db,
  user: { id: string; clinicId: string },
  now: Date,
  mfaPending: boolean,
): Promise<CreatedSession> {
  const token = newToken();
  const session = { id: randomUUID(), token, csrfToken: newToken() };
  await db.insert(authSession).values({
    id: session.id,
    tokenHash: sha256(token),
    clinicId: user.clinicId,
    userId: user.id,
    csrfToken: session.csrfToken,
    mfaPending,
    createdAt: now,
    lastSeenAt: now,
    absoluteExpiresAt: new Date(now.getTime() + absoluteTimeoutMs),
  });
  return session;
}

export interface ResolvedSession {
  sessionId: string;
  csrfToken: string;
  mfaPending: boolean;
  lastSeenAt: Date;
  absoluteExpiresAt: Date;
  revokedAt: Date | null;
  user: {
    id: string;
    clinicId: string;
    email: string;
    displayName: string;
    kind: 'staff' | 'patient';
    patientId: string | null;
    mfaEnrolled: boolean;
    disabled: boolean;
  };
  roles: Role[];
  clinic: { id: string; name: string; timeZone: string; demo: boolean; settings: ClinicSettings };
}

interface SessionRow {
  session_id: string;
  csrf_token: string;
  mfa_pending: boolean;
  last_seen_at: string | Date;
  absolute_expires_at: string | Date;
  revoked_at: string | Date | null;
  user_id: string;
  clinic_id: string;
  email: string;
  display_name: string;
  kind: 'staff' | 'patient';
  patient_id: string | null;
  mfa_enrolled: boolean;
  disabled: boolean;
  roles: Role[] | null;
  clinic_name: string;
  time_zone: string;
  demo: boolean;
  settings: ClinicSettings;
}

const asDate = (value: string | Date): Date => (value instanceof Date ? value : new Date(value));

/** Everything a request needs about its session, user, roles and clinic, in one query. */
export async function findSessionByToken(db: Db, token: string): Promise<ResolvedSession | null> {
  const result = await db.execute(sql`
    SELECT s.id AS session_id, s.csrf_token, s.mfa_pending, s.last_seen_at, s.absolute_expires_at, s.revoked_at,
      u.id AS user_id, u.clinic_id, u.email, u.display_name, u.kind, u.patient_id,
      (u.mfa_enrolled_at IS NOT NULL) AS mfa_enrolled, (u.disabled_at IS NOT NULL) AS disabled,
      (SELECT array_agg(r.role ORDER BY r.role) FROM role_assignment r
        WHERE r.clinic_id = u.clinic_id AND r.user_id = u.id) AS roles,
      c.name AS clinic_name, c.time_zone, c.demo, c.settings
    FROM auth_session s
    JOIN user_account u ON u.id = s.user_id AND u.clinic_id = s.clinic_id
    JOIN clinic c ON c.id = u.clinic_id
    WHERE s.token_hash = ${sha256(token)}`);
  const row = (result as unknown as { rows: SessionRow[] }).rows[0];
  if (!row) return null;
  return {
    sessionId: row.session_id,
    csrfToken: row.csrf_token,
    mfaPending: row.mfa_pending,
    lastSeenAt: asDate(row.last_seen_at),
    absoluteExpiresAt: asDate(row.absolute_expires_at),
    revokedAt: row.revoked_at ? asDate(row.revoked_at) : null,
    user: {
      id: row.user_id,
      clinicId: row.clinic_id,
      email: row.email,
      displayName: row.display_name,
      kind: row.kind,
      patientId: row.patient_id,
      mfaEnrolled: row.mfa_enrolled,
      disabled: row.disabled,
    },
    roles: typeof row.roles === 'string' ? parsePgArray(row.roles) : (row.roles ?? []),
    clinic: {
      id: row.clinic_id,
      name: row.clinic_name,
      timeZone: row.time_zone,
      demo: row.demo,
      settings: typeof row.settings === 'string' ? JSON.parse(row.settings) : row.settings,
    },
  };
}

function parsePgArray(value: string): Role[] {
  return value
    .replace(/^\{|\}$/g, '')
    .split(',')
    .filter(Boolean) as Role[];
}

export async function touchSession(db: Db, sessionId: string, now: Date): Promise<void> {
  await db.update(authSession).set({ lastSeenAt: now }).where(eq(authSession.id, sessionId));
}

/**
 * The second factor passed: the session becomes a full one under a new token, since a session token is renewed
 * at every change of privilege (OWASP Session Management Cheat Sheet; ASVS 3.2.1). Returns the new token.
 */
export async function completeMfa(db: Db, sessionId: string, now: Date): Promise<string> {
  const token = newToken();
  await db
    .update(authSession)
    .set({ mfaPending: false, lastSeenAt: now, tokenHash: sha256(token) })
    .where(eq(authSession.id, sessionId));
  return token;
}

export async function revokeSession(db: Db, sessionId: string, now: Date, reason: string): Promise<void> {
  await db
    .update(authSession)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(eq(authSession.id, sessionId), isNull(authSession.revokedAt)));
}

/** Revokes the session a cookie token names, if it is still live (a sign-in replacing it). */
export async function revokeSessionByToken(db: Db, token: string, now: Date, reason: string): Promise<void> {
  await db
    .update(authSession)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(eq(authSession.tokenHash, sha256(token)), isNull(authSession.revokedAt)));
}

/** Revokes every live session of a user except, optionally, the one making the change. */
export async function revokeUserSessions(
  db: Db,
  userId: string,
  now: Date,
  reason: string,
  exceptSessionId?: string,
): Promise<void> {
  await db
    .update(authSession)
    .set({ revokedAt: now, revokedReason: reason })
    .where(
      and(
        eq(authSession.userId, userId),
        isNull(authSession.revokedAt),
        exceptSessionId ? ne(authSession.id, exceptSessionId) : undefined,
      ),
    );
}
