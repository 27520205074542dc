import { and, count, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Clock } from '../../clock.ts';
import type { Actor, RequestMeta } from '../../context.ts';
import type { Database, Db } from '../../db/client.ts';
import { clinic, loginAttempt, mfaRecoveryCode, userAccount } from '../../db/schema/index.ts';
import { Invalid, Locked, TooManyRequests, Unauthenticated } from '../../errors.ts';
import { recordAuditEvents } from '../../http/unit-of-work.ts';
import {
  decoyPasswordHash,
  hashPassword,
  maximumPasswordLength,
  minimumPasswordLength,
  verifyPassword,
} from '../../security/passwords.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import {
  acceptTotp,
  newRecoveryCodes,
  newTotpSecret,
  normaliseRecoveryCode,
  totpUri,
} from '../../security/totp.ts';
import { appendAuditEvents } from '../audit/audit-chain.ts';
import { ipFailureLimit, ipFailureWindowMs, lockoutDurationMs, lockoutThreshold } from './session-rules.ts';
import {
  type CreatedSession,
  completeMfa,
  createSession,
  type ResolvedSession,
  revokeSession,
  revokeUserSessions,
  sha256,
} from './sessions.repository.ts';

export const invalidCredentials = 'Email or password is invalid.';

export type LoginOutcome =
  | { status: 'authenticated'; session: CreatedSession }
  | { status: 'mfa-required'; session: CreatedSession }
  | { status: 'mfa-enrolment-required'; session: CreatedSession };

interface AuthDeps {
  database: Database;
  clock: Clock;
  /** Encrypts TOTP seeds at rest. */
  secrets: SecretBox;
}

function actorFromAccount(account: typeof userAccount.$inferSelect, sessionId: string): Actor {
  const base = {
    userId: account.id,
    clinicId: account.clinicId,
    sessionId,
    email: account.email,
    displayName: account.displayName,
  };
  return account.kind === 'patient'
    ? { ...base, kind: 'patient', patientId: account.patientId! }
    : { ...base, kind: 'staff', roles: [] };
}

function lockedMessage(lockedUntil: Date, now: Date): string {
  const minutes = Math.ceil((lockedUntil.getTime() - now.getTime()) / 60_000);
  return `Sign-in is blocked for this account after repeated failed attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask your clinic admin.`;
}

/**
 * One more consecutive failure (a wrong password or a wrong second-factor code); at the threshold the
 * account locks for a while and the count starts again. Returns whether this failure locked it.
 */
async function countFailure(tx: Db, accountId: string, now: Date): Promise<boolean> {
  const [updated] = await tx
    .update(userAccount)
    .set({ failedLoginCount: sql`${userAccount.failedLoginCount} + 1` })
    .where(eq(userAccount.id, accountId))
    .returning({ failures: userAccount.failedLoginCount });
  if ((updated?.failures ?? 0) < lockoutThreshold) return false;
  await tx
    .update(userAccount)
    .set({ lockedUntil: new Date(now.getTime() + lockoutDurationMs), failedLoginCount: 0 })
    .where(eq(userAccount.id, accountId));
  return true;
}

/**
 * Sign-in: per-address rate limit, per-account lockout, one uniform error for every kind of wrong
 * credential (unknown email, wrong password, disabled account), and the same argon2 work on every path
 * so timing does not reveal which accounts exist.
 */
export async function login(
  deps: AuthDeps,
  input: { email: string; password: string },
  request: RequestMeta,
): Promise<LoginOutcome> {
  const { database, clock } = deps;
  const now = clock.now();
  const ip = request.ip ?? 'unknown';
  const windowStart = new Date(now.getTime() - ipFailureWindowMs);
  const [recent] = await database
    .select({ failures: count() })
    .from(loginAttempt)
    .where(and(eq(loginAttempt.ip, ip), gt(loginAttempt.attemptedAt, windowStart)));
  if ((recent?.failures ?? 0) >= ipFailureLimit) {
    throw new TooManyRequests(
      'Too many failed sign-ins from this address. Wait a few minutes and try again.',
      Math.ceil(ipFailureWindowMs / 1000),
    );
  }

  const email = input.email.trim().toLowerCase();
  const [account] = await database.select().from(userAccount).where(eq(userAccount.email, email));
  const noteFailure = async () => {
    // Rows older than the window no longer count: dropping them keeps the table to recent failures only.
    await database.delete(loginAttempt).where(lt(loginAttempt.attemptedAt, windowStart));
    await database.insert(loginAttempt).values({ ip, attemptedAt: now });
  };

  if (!account || account.disabledAt) {
    await verifyPassword(await decoyPasswordHash(), input.password);
    await noteFailure();
    if (account) {
      await recordAuditEvents(
        database,
        account.clinicId,
        null,
        [
          {
            action: 'auth.login-failed',
            resourceType: 'user_account',
            resourceId: account.id,
            outcome: 'failure',
            detail: { reason: 'disabled' },
          },
        ],
        request,
        clock,
      );
    }
    throw new Unauthenticated(invalidCredentials);
  }
  if (account.lockedUntil && account.lockedUntil > now) {
    await noteFailure();
    throw new Locked(lockedMessage(account.lockedUntil, now));
  }

  const passwordOk = await verifyPassword(account.passwordHash, input.password);
  if (!passwordOk) {
    await noteFailure();
    await database.transaction(async (tx) => {
      const lockNow = await countFailure(tx, account.id, now);
      await appendAuditEvents(
        tx,
        account.clinicId,
        null,
        [
          {
            action: 'auth.login-failed',
            resourceType: 'user_account',
            resourceId: account.id,
            outcome: 'failure',
            detail: { reason: 'password' },
          },
          ...(lockNow
            ? [
                {
                  action: 'auth.lockout',
                  resourceType: 'user_account',
                  resourceId: account.id,
                  outcome: 'failure' as const,
                },
              ]
            : []),
        ],
        request,
        now,
      );
    });
    throw new Unauthenticated(invalidCredentials);
  }

  const [clinicRow] = await database.select().from(clinic).where(eq(clinic.id, account.clinicId));
  const mfaNeeded =
    account.kind === 'staff' && (account.mfaEnrolledAt !== null || clinicRow?.settings.mfaRequired === true);
  return database.transaction(async (tx) => {
    // With a second factor still to pass, the count of failures is not reset yet: wrong codes add to it
    // (see verifyMfa), so entering the password again does not buy a fresh round of guesses.
    if (!mfaNeeded) {
      await tx
        .update(userAccount)
        .set({ failedLoginCount: 0, lockedUntil: null })
        .where(eq(userAccount.id, account.id));
    }
    const session = await createSession(tx, account, now, mfaNeeded);
    const actor = actorFromAccount(account, session.id);
    await appendAuditEvents(
      tx,
      account.clinicId,
      actor,
      [
        {
          action: mfaNeeded ? 'auth.password-verified' : 'auth.login',
          resourceType: 'user_account',
          resourceId: account.id,
        },
      ],
      request,
      now,
    );
    if (!mfaNeeded) return { status: 'authenticated', session } as const;
    return { status: account.mfaEnrolledAt ? 'mfa-required' : 'mfa-enrolment-required', session } as const;
  });
}

export async function logout(deps: AuthDeps, session: ResolvedSession, request: RequestMeta): Promise<void> {
  const now = deps.clock.now();
  await deps.database.transaction(async (tx) => {
    await revokeSession(tx, session.sessionId, now, 'logout');
    await appendAuditEvents(
      tx,
      session.user.clinicId,
      null,
      [
        {
          action: 'auth.logout',
          resourceType: 'user_account',
          resourceId: session.user.id,
          detail: { sessionId: session.sessionId },
        },
      ],
      request,
      now,
    );
  });
}

/** Starts (or restarts, while unconfirmed) TOTP enrolment. */
export async function beginMfaEnrolment(
  deps: AuthDeps,
  session: ResolvedSession,
): Promise<{ secret: string; otpauthUri: string }> {
  if (session.user.kind !== 'staff') throw new Invalid('Multi-factor enrolment is for staff accounts.');
  if (session.user.mfaEnrolled)
    throw new Invalid('Multi-factor authentication is already set up for this account.');
  const secret = newTotpSecret();
  await deps.database
    .update(userAccount)
    .set({ mfaSecret: deps.secrets.seal(secret) })
    .where(eq(userAccount.id, session.user.id));
  return { secret, otpauthUri: totpUri(secret, session.user.email) };
}

export async function confirmMfaEnrolment(
  deps: AuthDeps,
  session: ResolvedSession,
  code: string,
  request: RequestMeta,
): Promise<{ recoveryCodes: string[]; token: string }> {
  const now = deps.clock.now();
  const [account] = await deps.database.select().from(userAccount).where(eq(userAccount.id, session.user.id));
  if (!account?.mfaSecret || account.mfaEnrolledAt) throw new Invalid('Start the enrolment first.');
  const step = acceptTotp(deps.secrets.open(account.mfaSecret), code, now, account.mfaLastStep);
  if (step === null)
    throw new Invalid('The code is not valid.', [{ path: 'code', message: 'The code is not valid.' }]);
  const recoveryCodes = newRecoveryCodes();
  const token = await deps.database.transaction(async (tx) => {
    await tx
      .update(userAccount)
      .set({ mfaEnrolledAt: now, mfaLastStep: step })
      .where(eq(userAccount.id, account.id));
    await tx
      .insert(mfaRecoveryCode)
      .values(recoveryCodes.map((c) => ({ userId: account.id, codeHash: sha256(normaliseRecoveryCode(c)) })));
    const renewed = await completeMfa(tx, session.sessionId, now);
    await appendAuditEvents(
      tx,
      account.clinicId,
      actorFromAccount(account, session.sessionId),
      [{ action: 'auth.mfa-enrolled', resourceType: 'user_account', resourceId: account.id }],
      request,
      now,
    );
    return renewed;
  });
  return { recoveryCodes, token };
}

/**
 * The second factor: a current TOTP code, or one unused recovery code. A six-digit code falls to guessing
 * unless attempts are limited (NIST SP 800-63B 5.2.2; OWASP MFA Cheat Sheet), so a wrong code counts as a
 * failed sign-in: the same lockout as wrong passwords applies, and the half-open session ends with it.
 */
export async function verifyMfa(
  deps: AuthDeps,
  session: ResolvedSession,
  code: string,
  request: RequestMeta,
): Promise<{ token: string }> {
  const now = deps.clock.now();
  const [account] = await deps.database.select().from(userAccount).where(eq(userAccount.id, session.user.id));
  if (!account?.mfaSecret || !account.mfaEnrolledAt)
    throw new Invalid('Multi-factor authentication is not set up.');
  if (account.lockedUntil && account.lockedUntil > now) {
    // A half-open session opened before the lock (e.g. a second one in parallel) ends too.
    await revokeSession(deps.database, session.sessionId, now, 'locked');
    throw new Locked(lockedMessage(account.lockedUntil, now));
  }
  const trimmed = code.trim();
  const outcome = await deps.database.transaction(async (tx) => {
    let accepted: 'totp' | 'recovery-code' | null = null;
    const step = acceptTotp(deps.secrets.open(account.mfaSecret!), trimmed, now, account.mfaLastStep);
    if (step !== null) {
      await tx.update(userAccount).set({ mfaLastStep: step }).where(eq(userAccount.id, account.id));
      accepted = 'totp';
    } else {
      const used = await tx
        .update(mfaRecoveryCode)
        .set({ usedAt: now })
        .where(
          and(
            eq(mfaRecoveryCode.userId, account.id),
            eq(mfaRecoveryCode.codeHash, sha256(normaliseRecoveryCode(trimmed))),
            isNull(mfaRecoveryCode.usedAt),
          ),
        )
        .returning({ userId: mfaRecoveryCode.userId });
      if (used.length === 1) accepted = 'recovery-code';
    }
    const actor = actorFromAccount(account, session.sessionId);
    let lockNow = false;
    let token: string | null = null;
    if (accepted) {
      token = await completeMfa(tx, session.sessionId, now);
      await tx
        .update(userAccount)
        .set({ failedLoginCount: 0, lockedUntil: null })
        .where(eq(userAccount.id, account.id));
    } else {
      lockNow = await countFailure(tx, account.id, now);
      if (lockNow) await revokeSession(tx, session.sessionId, now, 'locked');
    }
    await appendAuditEvents(
      tx,
      account.clinicId,
      actor,
      [
        accepted
          ? {
              action: 'auth.login',
              resourceType: 'user_account',
              resourceId: account.id,
              detail: { mfa: accepted },
            }
          : {
              action: 'auth.mfa-failed',
              resourceType: 'user_account',
              resourceId: account.id,
              outcome: 'failure',
            },
        ...(lockNow
          ? [
              {
                action: 'auth.lockout',
                resourceType: 'user_account',
                resourceId: account.id,
                outcome: 'failure' as const,
              },
            ]
          : []),
      ],
      request,
      now,
    );
    return token;
  });
  if (!outcome)
    throw new Invalid('The code is not valid.', [{ path: 'code', message: 'The code is not valid.' }]);
  return { token: outcome };
}

/**
 * Changing a password needs the current one, and ends every other session of the account. A wrong current
 * password counts toward the lockout like a failed sign-in, so a session left open cannot be used to guess
 * the password; at the lock, every session of the account ends.
 */
export async function changePassword(
  deps: AuthDeps,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
  request: RequestMeta,
): Promise<void> {
  const now = deps.clock.now();
  const [account] = await deps.database.select().from(userAccount).where(eq(userAccount.id, actor.userId));
  if (!account) throw new Unauthenticated('Sign in to continue.');
  if (!(await verifyPassword(account.passwordHash, input.currentPassword))) {
    const locked = await recordWrongPassword(
      deps,
      account,
      actor,
      'auth.password-change-failed',
      request,
      now,
    );
    if (locked) throw new Locked(lockedMessage(new Date(now.getTime() + lockoutDurationMs), now));
    throw new Invalid('The current password is not right.', [
      { path: 'currentPassword', message: 'The current password is not right.' },
    ]);
  }
  if (input.newPassword.length < minimumPasswordLength || input.newPassword.length > maximumPasswordLength) {
    throw new Invalid('Choose a longer password.', [
      { path: 'newPassword', message: `Use at least ${minimumPasswordLength} characters.` },
    ]);
  }
  if (input.newPassword === input.currentPassword) {
    throw new Invalid('The new password is the same as the current one.', [
      { path: 'newPassword', message: 'Choose a password you have not used here.' },
    ]);
  }
  const passwordHash = await hashPassword(input.newPassword);
  await deps.database.transaction(async (tx) => {
    await tx
      .update(userAccount)
      .set({ passwordHash, passwordChangedAt: now, failedLoginCount: 0 })
      .where(eq(userAccount.id, account.id));
    await revokeUserSessions(tx, account.id, now, 'password-changed', actor.sessionId);
    await appendAuditEvents(
      tx,
      account.clinicId,
      actor,
      [{ action: 'auth.password-changed', resourceType: 'user_account', resourceId: account.id }],
      request,
      now,
    );
  });
}

/**
 * An electronic signature's proof of identity (21 CFR 11.200(a)-style: the signer re-enters their password at
 * the moment of signing). A wrong password counts toward the account lockout exactly as a wrong sign-in or a
 * wrong current password does (see changePassword): at the threshold the account locks and every session of
 * the user ends. Failures are recorded in a transaction of their own, so they stand when the signing request
 * fails. A right password resets the count, as a sign-in does. `path` names the field in the 400.
 */
export async function confirmPasswordForSignature(
  deps: Pick<AuthDeps, 'database' | 'clock'>,
  actor: Actor,
  password: string,
  request: RequestMeta,
  path = 'password',
): Promise<void> {
  const now = deps.clock.now();
  const [account] = await deps.database
    .select()
    .from(userAccount)
    .where(and(eq(userAccount.id, actor.userId), eq(userAccount.clinicId, actor.clinicId)));
  if (!account || account.disabledAt) throw new Unauthenticated('Sign in to continue.');
  if (account.lockedUntil && account.lockedUntil > now)
    throw new Locked(lockedMessage(account.lockedUntil, now));
  if (await verifyPassword(account.passwordHash, password)) {
    if (account.failedLoginCount > 0)
      await deps.database
        .update(userAccount)
        .set({ failedLoginCount: 0 })
        .where(eq(userAccount.id, account.id));
    return;
  }
  const locked = await recordWrongPassword(
    deps,
    account,
    actor,
    'auth.signature-password-failed',
    request,
    now,
  );
  if (locked) throw new Locked(lockedMessage(new Date(now.getTime() + lockoutDurationMs), now));
  throw new Invalid('The password is not right: the signature was not applied.', [
    { path, message: 'The password is not right.' },
  ]);
}

/**
 * A wrong password given by a signed-in user (password change, electronic signature): counted toward the
 * lockout like a failed sign-in, audited, and at the threshold every session of the account ends. Written in
 * a transaction of its own, so it stands when the request that asked for the password fails. True when the
 * account is now locked.
 */
async function recordWrongPassword(
  deps: Pick<AuthDeps, 'database'>,
  account: { id: string; clinicId: string },
  actor: Actor,
  action: 'auth.password-change-failed' | 'auth.signature-password-failed',
  request: RequestMeta,
  now: Date,
): Promise<boolean> {
  return deps.database.transaction(async (tx) => {
    const lockNow = await countFailure(tx, account.id, now);
    if (lockNow) await revokeUserSessions(tx, account.id, now, 'locked');
    const failure = { resourceType: 'user_account', resourceId: account.id, outcome: 'failure' as const };
    await appendAuditEvents(
      tx,
      account.clinicId,
      actor,
      [{ action, ...failure }, ...(lockNow ? [{ action: 'auth.lockout', ...failure }] : [])],
      request,
      now,
    );
    return lockNow;
  });
}
