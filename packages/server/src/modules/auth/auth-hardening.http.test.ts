import { createHash } from 'node:crypto';
import { and, asc, eq, lt } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { ManualClock } from '../../clock.ts';
import { loadConfig } from '../../config.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import { auditEvent, authSession, loginAttempt, userAccount } from '../../db/schema/index.ts';
import { SecretBox } from '../../security/secret-box.ts';
import { currentTotp } from '../../security/totp.ts';
import { createTestDatabase } from '../../testing/database.ts';
import {
  as,
  assignCareTeam,
  buildTestApp,
  createClinic,
  createPatient,
  createStaffUser,
  sessionCookieOf,
  signIn,
  testPassword,
} from '../../testing/factories.ts';

/**
 * The sign-in and session rules at their edges: lockout reset, disabled accounts, what the audit trail
 * records, CSRF around the half-open MFA session, brute force of the second factor, and break-glass audit.
 */
let database: DatabaseHandle;
let app: FastifyInstance;
const clock = new ManualClock('2026-06-01T08:00:00Z');
let clinicId: string;
let ipCounter = 0;
/** A fresh client address per call, so the per-address limit does not mix into what a test looks at. */
const freshIp = () => `10.77.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, clock);
  clinicId = (await createClinic(database.db)).id;
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const login = (email: string, password: string, ip = freshIp(), headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password },
    remoteAddress: ip,
    headers,
  });

const auditOf = (userId: string) =>
  database.db
    .select()
    .from(auditEvent)
    .where(eq(auditEvent.resourceId, userId))
    .orderBy(asc(auditEvent.clinicId), asc(auditEvent.sequence));

describe('lockout', () => {
  it('counts consecutive failures only: a successful sign-in starts the count again', async () => {
    const user = await createStaffUser(database.db, clinicId, ['nurse']);
    for (let i = 0; i < 4; i++) expect((await login(user.email, `wrong-${i}`)).statusCode).toBe(401);
    expect((await login(user.email, testPassword)).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login(user.email, `wrong-again-${i}`)).statusCode).toBe(401);
    expect((await login(user.email, testPassword)).statusCode).toBe(200);

    for (let i = 0; i < 5; i++) expect((await login(user.email, `wrong-third-${i}`)).statusCode).toBe(401);
    const locked = await login(user.email, testPassword);
    expect(locked.statusCode).toBe(423);
    expect(locked.json().detail).toMatch(/Try again in 15 minutes/);
    clock.advanceMinutes(10);
    expect((await login(user.email, testPassword)).json().detail).toMatch(/Try again in 5 minutes/);
    clock.advanceMinutes(5);
    expect((await login(user.email, testPassword)).statusCode).toBe(200);
  });

  it('does not let anyone in while locked, even with the right password', async () => {
    const user = await createStaffUser(database.db, clinicId, ['therapist']);
    for (let i = 0; i < 5; i++) await login(user.email, `wrong-${i}`);
    for (let i = 0; i < 3; i++) expect((await login(user.email, testPassword)).statusCode).toBe(423);
  });
});

describe('rate limit per address', () => {
  it('forgets an address’s failures once the window has passed, and keeps no older rows', async () => {
    const ip = '10.99.0.1';
    for (let i = 0; i < 20; i++) await login(`stuffing-${i}@test.example`, 'x', ip);
    const user = await createStaffUser(database.db, clinicId, ['nurse']);
    expect((await login(user.email, testPassword, ip)).statusCode).toBe(429);
    clock.advanceMinutes(16);
    expect((await login(user.email, testPassword, ip)).statusCode).toBe(200);
    await login('someone-else@test.example', 'x', '10.99.0.2');
    const stale = await database.db
      .select({ ip: loginAttempt.ip })
      .from(loginAttempt)
      .where(lt(loginAttempt.attemptedAt, new Date(clock.now().getTime() - 15 * 60_000)));
    expect(stale).toEqual([]);
  });
});

describe('password change', () => {
  it('counts wrong current passwords toward the lockout, and ends every session at the lock', async () => {
    const user = await createStaffUser(database.db, clinicId, ['nurse']);
    const here = await signIn(app, user.email);
    const elsewhere = await signIn(app, user.email);
    const attempt = (currentPassword: string) =>
      as(
        app,
        here,
      )({
        method: 'POST',
        url: '/api/v1/auth/password',
        payload: { currentPassword, newPassword: 'an entirely new passphrase' },
      });
    for (let i = 0; i < 4; i++) expect((await attempt(`guess number ${i}`)).statusCode).toBe(400);
    const fifth = await attempt('guess number 4');
    expect(fifth.statusCode).toBe(423);
    for (const session of [here, elsewhere])
      expect((await as(app, session)({ method: 'GET', url: '/api/v1/auth/session' })).statusCode).toBe(401);
    expect((await login(user.email, testPassword)).statusCode).toBe(423);
    const trail = await auditOf(user.id);
    expect(trail.filter((e) => e.action === 'auth.password-change-failed')).toHaveLength(5);
    expect(trail.at(-1)!.action).toBe('auth.lockout');
    expect(JSON.stringify(trail)).not.toContain('guess number');
  });

  it('starts the failure count again after a successful change', async () => {
    const user = await createStaffUser(database.db, clinicId, ['nurse']);
    const session = await signIn(app, user.email);
    const change = (currentPassword: string, newPassword: string) =>
      as(
        app,
        session,
      )({ method: 'POST', url: '/api/v1/auth/password', payload: { currentPassword, newPassword } });
    for (let i = 0; i < 4; i++)
      expect((await change(`typo ${i}`, 'the next passphrase')).statusCode).toBe(400);
    expect((await change(testPassword, 'the next passphrase')).statusCode).toBe(204);
    for (let i = 0; i < 4; i++)
      expect((await change(`typo again ${i}`, 'x'.repeat(12))).statusCode).toBe(400);
    expect((await as(app, session)({ method: 'GET', url: '/api/v1/auth/session' })).statusCode).toBe(200);
  });
});

describe('uniform refusal', () => {
  it('refuses a disabled account with the same words as a wrong password, and audits why', async () => {
    const user = await createStaffUser(database.db, clinicId, ['prescriber']);
    await database.db.update(userAccount).set({ disabledAt: clock.now() }).where(eq(userAccount.id, user.id));
    const disabled = await login(user.email, testPassword);
    const unknown = await login('no-such-person@test.example', testPassword);
    expect(disabled.statusCode).toBe(401);
    expect(disabled.json().detail).toBe('Email or password is invalid.');
    expect(disabled.json().detail).toBe(unknown.json().detail);
    expect(disabled.cookies).toEqual([]);
    const trail = await auditOf(user.id);
    expect(trail.map((e) => [e.action, e.outcome, e.detail])).toEqual([
      ['auth.login-failed', 'failure', { reason: 'disabled' }],
    ]);
  });

  it('ends a disabled account’s live sessions at the next request', async () => {
    const user = await createStaffUser(database.db, clinicId, ['nurse']);
    const session = await signIn(app, user.email);
    await database.db.update(userAccount).set({ disabledAt: clock.now() }).where(eq(userAccount.id, user.id));
    expect((await as(app, session)({ method: 'GET', url: '/api/v1/patients' })).statusCode).toBe(401);
  });
});

describe('session storage and cookie', () => {
  it('stores only the SHA-256 of the token, never the token', async () => {
    const user = await createStaffUser(database.db, clinicId, ['nurse']);
    const response = await login(user.email, testPassword);
    const token = response.cookies.find((c) => c.name === 'kapstone_session')!.value;
    expect(Buffer.from(token, 'base64url')).toHaveLength(32); // 256 bits
    const rows = await database.db.select().from(authSession).where(eq(authSession.userId, user.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(rows[0])).not.toContain(token);
  });

  it('marks the cookie Secure when Kapstone is served over https', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      WEB_DIST_DIR: '/nonexistent-kapstone-web',
      PUBLIC_URL: 'https://kap.example.org',
    });
    const httpsApp = await buildApp({ config, database, clock, logger: false });
    try {
      const user = await createStaffUser(database.db, clinicId, ['nurse']);
      const response = await httpsApp.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: user.email, password: testPassword },
        remoteAddress: freshIp(),
      });
      expect(response.statusCode).toBe(200);
      expect(response.cookies.find((c) => c.name === 'kapstone_session')).toMatchObject({
        secure: true,
        httpOnly: true,
        sameSite: 'Strict',
        path: '/',
      });
    } finally {
      await httpsApp.close();
    }
  });

  it('clears a dead cookie and treats the caller as signed out', async () => {
    const user = await createStaffUser(database.db, clinicId, ['nurse']);
    const session = await signIn(app, user.email);
    clock.advanceMinutes(16);
    const response = await as(app, session)({ method: 'GET', url: '/api/v1/auth/session' });
    expect(response.statusCode).toBe(401);
    const cleared = response.cookies.find((c) => c.name === 'kapstone_session');
    expect(cleared?.value).toBe('');
  });
});

describe('audit of sign-in events', () => {
  it('records sign-in, failure, lockout, sign-out and password change against the account', async () => {
    const user = await createStaffUser(database.db, clinicId, ['prescriber']);
    const ip = '10.88.0.1';
    await login(user.email, 'wrong password one', ip);
    const session = await signIn(app, user.email);
    await as(
      app,
      session,
    )({
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { currentPassword: testPassword, newPassword: 'a brand new passphrase' },
    });
    await as(app, session)({ method: 'POST', url: '/api/v1/auth/logout' });
    for (let i = 0; i < 5; i++) await login(user.email, `bad guess ${i}`, ip);

    const trail = await auditOf(user.id);
    expect(trail.map((e) => `${e.action}:${e.outcome}`)).toEqual([
      'auth.login-failed:failure',
      'auth.login:success',
      'auth.password-changed:success',
      'auth.logout:success',
      'auth.login-failed:failure',
      'auth.login-failed:failure',
      'auth.login-failed:failure',
      'auth.login-failed:failure',
      'auth.login-failed:failure',
      'auth.lockout:failure',
    ]);
    const first = trail[0]!;
    expect(first.ip).toBe(ip);
    expect(first.clinicId).toBe(clinicId);
    expect(trail[1]!.actorId).toBe(user.id);
    // Nothing secret in the trail: neither passwords nor session tokens.
    const everything = JSON.stringify(trail);
    for (const secret of [testPassword, 'a brand new passphrase', 'bad guess', session.cookie.split('=')[1]!])
      expect(everything).not.toContain(secret);
  });
});

describe('CSRF', () => {
  it('requires the token on the MFA routes too, and on sign-out', async () => {
    const strict = await createClinic(database.db, { settings: { mfaRequired: true } });
    const user = await createStaffUser(database.db, strict.id, ['nurse']);
    const first = await login(user.email, testPassword);
    const cookie = sessionCookieOf(first);
    for (const url of ['/api/v1/auth/mfa/enrolment', '/api/v1/auth/logout']) {
      const response = await app.inject({ method: 'POST', url, headers: { cookie } });
      expect(response.statusCode, url).toBe(403);
      expect(response.json().type, url).toMatch(/csrf$/);
    }
  });

  it('lets a person sign in again while the browser still holds a half-open MFA session', async () => {
    // The page was reloaded during the MFA step: the cookie is alive, the CSRF token (kept in memory) is gone.
    const strict = await createClinic(database.db, { settings: { mfaRequired: true } });
    const user = await createStaffUser(database.db, strict.id, ['nurse']);
    const first = await login(user.email, testPassword);
    expect(first.json().status).toBe('mfa-enrolment-required');
    const again = await login(user.email, testPassword, freshIp(), { cookie: sessionCookieOf(first) });
    expect(again.statusCode).toBe(200);
    expect(again.json().status).toBe('mfa-enrolment-required');
    expect(sessionCookieOf(again)).not.toBe(sessionCookieOf(first));
    // The replaced half-open session is over.
    const stale = await as(app, { cookie: sessionCookieOf(first), csrfToken: first.json().csrfToken })({
      method: 'POST',
      url: '/api/v1/auth/mfa/enrolment',
    });
    expect(stale.statusCode).toBe(401);
  });
});

describe('second factor', () => {
  async function enrolled() {
    const strict = await createClinic(database.db, { settings: { mfaRequired: true } });
    const user = await createStaffUser(database.db, strict.id, ['prescriber']);
    const first = await login(user.email, testPassword);
    const halfOpen = { cookie: sessionCookieOf(first), csrfToken: first.json().csrfToken };
    const { secret } = (
      await as(app, halfOpen)({ method: 'POST', url: '/api/v1/auth/mfa/enrolment' })
    ).json();
    const confirmed = await as(
      app,
      halfOpen,
    )({
      method: 'POST',
      url: '/api/v1/auth/mfa/enrolment/confirm',
      payload: { code: currentTotp(secret, clock.now()) },
    });
    expect(confirmed.statusCode).toBe(200);
    clock.advanceMinutes(1);
    return { user, secret: secret as string, clinicId: strict.id };
  }

  it('audits enrolment, the password step and the second factor separately', async () => {
    const { user, secret } = await enrolled();
    const second = await login(user.email, testPassword);
    const pending = { cookie: sessionCookieOf(second), csrfToken: second.json().csrfToken };
    await as(app, pending)({ method: 'POST', url: '/api/v1/auth/mfa/verify', payload: { code: '000000' } });
    const ok = await as(
      app,
      pending,
    )({
      method: 'POST',
      url: '/api/v1/auth/mfa/verify',
      payload: { code: currentTotp(secret, clock.now()) },
    });
    expect(ok.statusCode).toBe(200);
    const trail = await auditOf(user.id);
    expect(trail.map((e) => `${e.action}:${e.outcome}`)).toEqual([
      'auth.password-verified:success',
      'auth.mfa-enrolled:success',
      'auth.password-verified:success',
      'auth.mfa-failed:failure',
      'auth.login:success',
    ]);
    expect(trail.at(-1)!.detail).toEqual({ mfa: 'totp' });
    expect(JSON.stringify(trail)).not.toContain(secret);
  });

  it('stops guessing of the second factor: after 5 wrong codes the account locks like after wrong passwords', async () => {
    const { user, secret } = await enrolled();
    const second = await login(user.email, testPassword);
    const pending = { cookie: sessionCookieOf(second), csrfToken: second.json().csrfToken };
    const guess = (code: string) =>
      as(app, pending)({ method: 'POST', url: '/api/v1/auth/mfa/verify', payload: { code } });
    for (let i = 0; i < 5; i++) expect((await guess(`00000${i}`)).statusCode).toBe(400);
    // The half-open session is over, and a fresh password sign-in meets the lock.
    expect((await guess(currentTotp(secret, clock.now()))).statusCode).toBe(401);
    expect((await login(user.email, testPassword)).statusCode).toBe(423);
    const trail = await auditOf(user.id);
    expect(trail.map((e) => e.action)).toContain('auth.lockout');
  });

  it('does not reset the count of wrong codes when the password is entered again', async () => {
    const { user, secret } = await enrolled();
    for (let round = 0; round < 2; round++) {
      const attempt = await login(user.email, testPassword);
      const pending = { cookie: sessionCookieOf(attempt), csrfToken: attempt.json().csrfToken };
      for (let i = 0; i < 3; i++) {
        const response = await as(
          app,
          pending,
        )({ method: 'POST', url: '/api/v1/auth/mfa/verify', payload: { code: `11111${i}` } });
        if (round === 1 && i === 2)
          expect(response.statusCode).toBe(401); // locked after the fifth
        else expect(response.statusCode).toBe(400);
      }
    }
    expect((await login(user.email, testPassword)).statusCode).toBe(423);
    clock.advanceMinutes(16);
    const later = await login(user.email, testPassword);
    const pending = { cookie: sessionCookieOf(later), csrfToken: later.json().csrfToken };
    const ok = await as(
      app,
      pending,
    )({
      method: 'POST',
      url: '/api/v1/auth/mfa/verify',
      payload: { code: currentTotp(secret, clock.now()) },
    });
    expect(ok.statusCode).toBe(200);
  });

  it('keeps the TOTP seed out of the database in the clear', async () => {
    const { user, secret } = await enrolled();
    const [account] = await database.db.select().from(userAccount).where(eq(userAccount.id, user.id));
    expect(account!.mfaSecret).not.toContain(secret);
    expect(new SecretBox(loadConfig({ NODE_ENV: 'test' }).secretKey).open(account!.mfaSecret!)).toBe(secret);
  });
});

describe('break-glass audit', () => {
  it('marks every access a grant enables as break-glass: read, history, amendment and new entries', async () => {
    const careTeamClinic = await createClinic(database.db, { settings: { careScope: 'care-team' } });
    const nurseUser = await createStaffUser(database.db, careTeamClinic.id, ['nurse']);
    const mine = await createPatient(database.db, careTeamClinic.id);
    const theirs = await createPatient(database.db, careTeamClinic.id);
    await assignCareTeam(database.db, careTeamClinic.id, mine.id, nurseUser.id, 'nurse');
    const nurse = await signIn(app, nurseUser.email);
    const call = as(app, nurse);
    const grant = await call({
      method: 'POST',
      url: `/api/v1/patients/${theirs.id}/break-glass`,
      payload: { reason: 'Called by EMS about this patient' },
    });
    expect(grant.statusCode).toBe(201);
    const base = `/api/v1/patients/${theirs.id}`;
    expect((await call({ method: 'GET', url: base })).statusCode).toBe(200);
    expect((await call({ method: 'GET', url: `${base}/history` })).statusCode).toBe(200);
    expect(
      (await call({ method: 'PATCH', url: base, payload: { version: 1, pronouns: 'they/them' } })).statusCode,
    ).toBe(200);
    expect(
      (await call({ method: 'POST', url: `${base}/allergies`, payload: { substance: 'Latex' } })).statusCode,
    ).toBe(201);
    // ...while the nurse's own patient is an ordinary access.
    expect((await call({ method: 'GET', url: `/api/v1/patients/${mine.id}` })).statusCode).toBe(200);

    const events = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.clinicId, careTeamClinic.id), eq(auditEvent.actorId, nurseUser.id)))
      .orderBy(asc(auditEvent.sequence));
    const onTheirs = events.filter((e) => e.patientId === theirs.id);
    expect(onTheirs.map((e) => e.action)).toEqual([
      'patient.break-glass',
      'patient.read',
      'patient.history.read',
      'patient.update',
      'patient.allergy.add',
    ]);
    for (const event of onTheirs) expect(event.breakGlass, event.action).toBe(true);
    const onMine = events.filter((e) => e.patientId === mine.id);
    expect(onMine.length).toBeGreaterThan(0);
    for (const event of onMine) expect(event.breakGlass, event.action).toBe(false);
  });
});
