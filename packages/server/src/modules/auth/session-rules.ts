/**
 * Session lifetime rules, pure so they can be tested with any clock.
 * 15 minutes idle and 12 hours absolute, as the foundation issue asks; HIPAA 45 CFR 164.312(a)(2)(iii)
 * requires automatic logoff after a period of inactivity, and OWASP's Session Management Cheat Sheet
 * recommends 15-30 minutes idle for high-value applications.
 */
export const idleTimeoutMs = 15 * 60_000;
export const absoluteTimeoutMs = 12 * 60 * 60_000;
/** Record activity at most this often, so a busy session does not write on every request. */
export const touchIntervalMs = 60_000;

export interface SessionTimes {
  lastSeenAt: Date;
  absoluteExpiresAt: Date;
  revokedAt: Date | null;
}

export type SessionState = 'active' | 'idle-expired' | 'absolute-expired' | 'revoked';

export function sessionState(session: SessionTimes, now: Date): SessionState {
  if (session.revokedAt) return 'revoked';
  if (now.getTime() >= session.absoluteExpiresAt.getTime()) return 'absolute-expired';
  if (now.getTime() - session.lastSeenAt.getTime() >= idleTimeoutMs) return 'idle-expired';
  return 'active';
}

export function needsTouch(session: SessionTimes, now: Date): boolean {
  return now.getTime() - session.lastSeenAt.getTime() >= touchIntervalMs;
}

export function idleExpiresAt(session: SessionTimes, now: Date): Date {
  const lastSeen = needsTouch(session, now) ? now : session.lastSeenAt;
  const idle = new Date(lastSeen.getTime() + idleTimeoutMs);
  return idle < session.absoluteExpiresAt ? idle : session.absoluteExpiresAt;
}

/**
 * Account lockout (OWASP Authentication Cheat Sheet, "Account Lockout"; NIST SP 800-63B 5.2.2 limits
 * consecutive failed attempts): after this many consecutive failures the account is locked for a while.
 * These are security settings, not clinical numbers.
 */
export const lockoutThreshold = 5;
export const lockoutDurationMs = 15 * 60_000;
/** Failed sign-ins allowed from one address per window, across all accounts (credential stuffing). */
export const ipFailureLimit = 20;
export const ipFailureWindowMs = 15 * 60_000;

/** Break-glass grants are time-boxed: long enough to handle an emergency, short enough to need renewal. */
export const breakGlassDurationMs = 60 * 60_000;
