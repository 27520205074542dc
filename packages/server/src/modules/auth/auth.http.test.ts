import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import { loadConfig } from '../../config.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import { userAccount } from '../../db/schema/index.ts';
import { SecretBox } from '../../security/secret-box.ts';
import { currentTotp } from '../../security/totp.ts';
import { createTestDatabase } from '../../testing/database.ts';
import {
  as,
  buildTestApp,
  createClinic,
  createPatient,
  createStaffUser,
  sessionCookieOf,
  signIn,
  testPassword,
} from '../../testing/factories.ts';

let database: DatabaseHandle;
let app: FastifyInstance;
const clock = new ManualClock('2026-04-01T08:00:00Z');
let clinicId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, clock);
  clinicId = (await createClinic(database.db)).id;
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const login = (email: string, password: string, ip = '10.0.0.1') =>
  app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress: ip });

describe('sign-in', () => {
  it('signs in, sets an httpOnly SameSite=Strict cookie and returns the session view with permissions', async () => {
    const user = await createStaffUser(database.db, clinicId, ['nurse']);
    const response = await login(user.email.toUpperCase(), testPassword);
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((c) => c.name === 'kapstone_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    const body = response.json();
    expect(body.status).toBe('authenticated');
    expect(body.session.roles).toEqual(['nurse']);
    expect(body.session.permissions).toContain('patient.read');
    expect(body.session.permissions).not.toContain('audit.read');
    expect(body.session.idleExpiresAt).toBe('2026-04-01T08:15:00.000Z');
    expect(body.session.absoluteExpiresAt).toBe('2026-04-01T20:00:00.000Z');
  });

  it('gives one uniform error for an unknown email and a wrong password', async () => {
    const user = await createStaffUser(database.db, clinicId, ['nurse']);
    const unknown = await login('nobody@test.example', testPassword, '10.0.0.2');
    const wrong = await login(user.email, 'wrong password here', '10.0.0.2');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json().detail).toBe('Email or password is invalid.');
    expect(wrong.json().detail).toBe(unknown.json().detail);
  });

  it('locks an account after 5 consecutive failures for 15 minutes, then lets it in again', async () => {
    const user = await createStaffUser(database.db, clinicId, ['therapist']);
    for (let i = 0; i < 5; i++)
      expect((await login(user.email, `bad-${i}`, `10.1.0.${i}`)).statusCode).toBe(401);
    const locked = await login(user.email, testPassword, '10.1.0.9');
    expect(locked.statusCode).toBe(423);
    clock.advanceMinutes(16);
    expect((await login(user.email, testPassword, '10.1.0.9')).statusCode).toBe(200);
  });

  it('rate-limits an address after 20 failures across accounts', async () => {
    const ip = '10.2.0.1';
    for (let i = 0; i < 20; i++) await login(`stuffing-${i}@test.example`, 'x', ip);
    const user = await createStaffUser(database.db, clinicId, ['nurse']);
    const limited = await login(user.email, testPassword, ip);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await login(user.email, testPassword, '10.2.0.2')).statusCode).toBe(200);
  });
});

describe('sessions', () => {
  it('expires after 15 idle minutes, slides with activity, and ends at 12 hours regardless', async () => {
    const user = await createStaffUser(database.db, clinicId, ['nurse']);
    const session = await signIn(app, user.email);
    const probe = () => as(app, session)({ method: 'GET', url: '/api/v1/auth/session' });
    clock.advanceMinutes(14);
    expect((await probe()).statusCode).toBe(200);
    clock.advanceMinutes(14); // 28 minutes after sign-in, 14 after the last request
    expect((await probe()).statusCode).toBe(200);
    for (let elapsed = 28; elapsed < 12 * 60 - 10; elapsed += 10) {
      clock.advanceMinutes(10);
      expect((await probe()).statusCode).toBe(200);
    }
    clock.advanceMinutes(11); // past 12 hours, though active
    expect((await probe()).statusCode).toBe(401);

    const idle = await signIn(app, user.email);
    clock.advanceMinutes(15);
    expect((await as(app, idle)({ method: 'GET', url: '/api/v1/auth/session' })).statusCode).toBe(401);
  });

  it('refuses a state-changing request without the CSRF token, and with a wrong one', async () => {
    const user = await createStaffUser(database.db, clinicId, ['prescriber']);
    const session = await signIn(app, user.email);
    const payload = { givenName: 'Csrf', familyName: 'Check', dateOfBirth: '1980-01-01', sexAtBirth: 'male' };
    const missing = await app.inject({
      method: 'POST',
      url: '/api/v1/patients',
      headers: { cookie: session.cookie },
      payload,
    });
    expect(missing.statusCode).toBe(403);
    expect(missing.json().type).toMatch(/csrf$/);
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/patients',
      headers: { cookie: session.cookie, 'x-csrf-token': 'nope' },
      payload,
    });
    expect(wrong.statusCode).toBe(403);
    const right = await as(app, session)({ method: 'POST', url: '/api/v1/patients', payload });
    expect(right.statusCode).toBe(201);
    // Reads need no token.
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/patients', headers: { cookie: session.cookie } }))
        .statusCode,
    ).toBe(200);
  });

  it('revokes the session at logout', async () => {
    const user = await createStaffUser(database.db, clinicId, ['nurse']);
    const session = await signIn(app, user.email);
    expect((await as(app, session)({ method: 'POST', url: '/api/v1/auth/logout' })).statusCode).toBe(204);
    expect((await as(app, session)({ method: 'GET', url: '/api/v1/patients' })).statusCode).toBe(401);
  });

  it('changes the password only with the current one, and ends every other session', async () => {
    const user = await createStaffUser(database.db, clinicId, ['nurse']);
    const here = await signIn(app, user.email);
    const elsewhere = await signIn(app, user.email);
    const weak = await as(
      app,
      here,
    )({
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { currentPassword: testPassword, newPassword: 'short' },
    });
    expect(weak.statusCode).toBe(400);
    const wrongCurrent = await as(
      app,
      here,
    )({
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { currentPassword: 'not it at all', newPassword: 'a much longer new passphrase' },
    });
    expect(wrongCurrent.statusCode).toBe(400);
    const ok = await as(
      app,
      here,
    )({
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { currentPassword: testPassword, newPassword: 'a much longer new passphrase' },
    });
    expect(ok.statusCode).toBe(204);
    expect((await as(app, here)({ method: 'GET', url: '/api/v1/auth/session' })).statusCode).toBe(200);
    expect((await as(app, elsewhere)({ method: 'GET', url: '/api/v1/auth/session' })).statusCode).toBe(401);
    expect((await login(user.email, 'a much longer new passphrase', '10.3.0.1')).statusCode).toBe(200);
  });
});

describe('multi-factor authentication', () => {
  it('enrols when the clinic requires it, then asks for a code at every sign-in; recovery codes work once', async () => {
    const strict = await createClinic(database.db, { settings: { mfaRequired: true } });
    const user = await createStaffUser(database.db, strict.id, ['prescriber']);
    const patient = await createPatient(database.db, strict.id);

    const first = await login(user.email, testPassword, '10.4.0.1');
    expect(first.json()).toEqual({ status: 'mfa-enrolment-required', csrfToken: expect.any(String) });
    const halfOpen = { cookie: sessionCookieOf(first), csrfToken: first.json().csrfToken };
    // A half-open session reaches nothing but the MFA routes.
    expect(
      (await as(app, halfOpen)({ method: 'GET', url: `/api/v1/patients/${patient.id}` })).statusCode,
    ).toBe(401);

    const enrolment = (await as(app, halfOpen)({ method: 'POST', url: '/api/v1/auth/mfa/enrolment' })).json();
    expect(enrolment.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    const bad = await as(
      app,
      halfOpen,
    )({ method: 'POST', url: '/api/v1/auth/mfa/enrolment/confirm', payload: { code: '000000' } });
    expect(bad.statusCode).toBe(400);
    const confirmed = await as(
      app,
      halfOpen,
    )({
      method: 'POST',
      url: '/api/v1/auth/mfa/enrolment/confirm',
      payload: { code: currentTotp(enrolment.secret, clock.now()) },
    });
    expect(confirmed.statusCode).toBe(200);
    const { recoveryCodes } = confirmed.json();
    expect(recoveryCodes).toHaveLength(10);
    // Passing the second factor renews the session token: the half-open one is worthless from now on.
    const full = { cookie: sessionCookieOf(confirmed), csrfToken: confirmed.json().session.csrfToken };
    expect(full.cookie).not.toBe(halfOpen.cookie);
    expect((await as(app, full)({ method: 'GET', url: `/api/v1/patients/${patient.id}` })).statusCode).toBe(
      200,
    );
    expect(
      (await as(app, halfOpen)({ method: 'GET', url: `/api/v1/patients/${patient.id}` })).statusCode,
    ).toBe(401);

    clock.advanceMinutes(1);
    const second = await login(user.email, testPassword, '10.4.0.1');
    expect(second.json()).toEqual({ status: 'mfa-required', csrfToken: expect.any(String) });
    const pending = await app.inject({
      method: 'GET',
      url: '/api/v1/auth/session',
      headers: { cookie: sessionCookieOf(second) },
    });
    expect(pending.statusCode).toBe(401);
    const [account] = await database.db.select().from(userAccount).where(eq(userAccount.id, user.id));
    // The TOTP seed is encrypted at rest: the database never holds the secret the authenticator got.
    expect(account!.mfaSecret).not.toContain(enrolment.secret);
    expect(account!.mfaSecret).toMatch(/^v1\./);
    const seed = new SecretBox(loadConfig({ NODE_ENV: 'test' }).secretKey).open(account!.mfaSecret!);
    expect(seed).toBe(enrolment.secret);
    const secondSession = { cookie: sessionCookieOf(second), csrfToken: second.json().csrfToken };
    const replay = await as(
      app,
      secondSession,
    )({
      method: 'POST',
      url: '/api/v1/auth/mfa/verify',
      payload: { code: currentTotp(seed, new Date(clock.now().getTime() - 60_000)) },
    });
    expect(replay.statusCode).toBe(400); // the code of the step used at enrolment cannot be replayed
    const recovery = await as(
      app,
      secondSession,
    )({ method: 'POST', url: '/api/v1/auth/mfa/verify', payload: { code: recoveryCodes[0] } });
    expect(recovery.statusCode).toBe(200);
    expect(recovery.json().status).toBe('authenticated');
    const afterRecovery = { cookie: sessionCookieOf(recovery), csrfToken: recovery.json().session.csrfToken };
    expect(afterRecovery.cookie).not.toBe(secondSession.cookie);
    expect((await as(app, afterRecovery)({ method: 'GET', url: '/api/v1/auth/session' })).statusCode).toBe(
      200,
    );
    expect((await as(app, secondSession)({ method: 'GET', url: '/api/v1/auth/session' })).statusCode).toBe(
      401,
    );

    const third = await login(user.email, testPassword, '10.4.0.1');
    const reused = await as(app, { cookie: sessionCookieOf(third), csrfToken: third.json().csrfToken })({
      method: 'POST',
      url: '/api/v1/auth/mfa/verify',
      payload: { code: recoveryCodes[0] },
    });
    expect(reused.statusCode).toBe(400);
  });
});
