import { createHash } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { ManualClock } from '../../clock.ts';
import { loadConfig } from '../../config.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import { auditEvent, invitation, mailOutbox, userAccount } from '../../db/schema/index.ts';
import { createTestDatabase } from '../../testing/database.ts';
import {
  as,
  assignCareTeam,
  buildTestApp,
  createClinic,
  createPatient,
  createPatientUser,
  createStaffUser,
  type SignedIn,
  sessionCookieOf,
  signIn,
} from '../../testing/factories.ts';

const hour = 3_600_000;
let database: DatabaseHandle;
let app: FastifyInstance;
const clock = new ManualClock('2026-03-02T15:00:00Z');
let clinicId: string;
let frontDesk: SignedIn;
let admin: SignedIn;
let therapist: SignedIn;
let researcher: SignedIn;
let foreignFrontDesk: SignedIn;
let frontDeskId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, clock);
  clinicId = (await createClinic(database.db, { name: 'Lakeside Ketamine Care' })).id;
  const frontDeskUser = await createStaffUser(database.db, clinicId, ['frontdesk']);
  frontDeskId = frontDeskUser.id;
  frontDesk = await signIn(app, frontDeskUser.email);
  admin = await signIn(app, (await createStaffUser(database.db, clinicId, ['admin'])).email);
  therapist = await signIn(app, (await createStaffUser(database.db, clinicId, ['therapist'])).email);
  researcher = await signIn(app, (await createStaffUser(database.db, clinicId, ['researcher'])).email);
  const foreign = await createClinic(database.db, { name: 'Elsewhere Clinic' });
  foreignFrontDesk = await signIn(app, (await createStaffUser(database.db, foreign.id, ['frontdesk'])).email);
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

let serial = 0;
async function newPatient(overrides: { email?: string | null; givenName?: string } = {}) {
  serial++;
  return createPatient(database.db, clinicId, {
    givenName: overrides.givenName ?? 'Rowan',
    email: overrides.email === undefined ? `rowan.${serial}.${Date.now()}@mail.test` : overrides.email,
  });
}

const invite = (who: SignedIn, patientId: string, payload: Record<string, unknown> = {}) =>
  as(app, who)({ method: 'POST', url: `/api/v1/patients/${patientId}/invitations`, payload });

function tokenOf(link: string): string {
  const match = /\/invite\/([A-Za-z0-9_-]{43})$/.exec(link);
  if (!match) throw new Error(`not an invitation link: ${link}`);
  return match[1]!;
}

async function invited(patientId: string) {
  const response = await invite(frontDesk, patientId);
  expect(response.statusCode, response.body).toBe(201);
  const body = response.json();
  return { ...body, token: tokenOf(body.demoLink) } as {
    id: string;
    token: string;
    demoLink: string;
    mail: { id: string };
  };
}

const lookup = (token: string, remoteAddress?: string) =>
  app.inject({ method: 'GET', url: `/api/v1/invitations/${token}`, remoteAddress });
const accept = (token: string, password = 'a long enough patient password', remoteAddress?: string) =>
  app.inject({
    method: 'POST',
    url: '/api/v1/invitations/accept',
    payload: { token, password },
    remoteAddress,
  });

async function auditActions(patientId: string): Promise<string[]> {
  const rows = await database.db
    .select({ action: auditEvent.action })
    .from(auditEvent)
    .where(and(eq(auditEvent.clinicId, clinicId), eq(auditEvent.patientId, patientId)))
    .orderBy(asc(auditEvent.sequence));
  return rows.map((r) => r.action);
}

describe('inviting a patient to the portal', () => {
  it('creates a single-use link, stores only its hash, and queues a mail with the link and no clinical detail', async () => {
    const patient = await newPatient({ givenName: 'Marguerite' });
    const response = await invite(frontDesk, patient.id);
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({
      email: patient.email,
      status: 'pending',
      createdAt: clock.now().toISOString(),
      expiresAt: new Date(clock.now().getTime() + 72 * hour).toISOString(),
      createdBy: { id: frontDeskId },
      acceptedAt: null,
      revokedAt: null,
      replacesId: null,
      mail: { status: 'queued', sentAt: null },
    });
    const token = tokenOf(body.demoLink);
    expect(body.demoLink).toBe(`http://localhost:3000/invite/${token}`);

    const [row] = await database.db.select().from(invitation).where(eq(invitation.id, body.id));
    expect(row!.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(token);

    const [mail] = await database.db.select().from(mailOutbox).where(eq(mailOutbox.id, body.mail.id));
    expect(mail).toMatchObject({ toAddress: patient.email, status: 'queued', attempts: 0, clinicId });
    expect(mail!.subject).toBe('Your invitation to the Lakeside Ketamine Care patient portal');
    expect(mail!.textBody).toContain(body.demoLink);
    expect(mail!.textBody).toContain('Lakeside Ketamine Care');
    expect(mail!.textBody).toContain('March 5, 2026'); // 72 h later, in the clinic's time zone
    expect(mail!.textBody).not.toContain('Marguerite');
    expect(mail!.textBody).not.toContain(patient.familyName);

    expect(await auditActions(patient.id)).toEqual(['invitation.create']);
  });

  it('sends to the address given when the chart has none, and asks for one when neither exists', async () => {
    const patient = await newPatient({ email: null });
    const missing = await invite(frontDesk, patient.id);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors).toEqual([{ path: 'email', message: expect.any(String) }]);

    const given = await invite(frontDesk, patient.id, { email: '  Rowan.Given@Mail.TEST ' });
    expect(given.statusCode).toBe(201);
    expect(given.json().email).toBe('rowan.given@mail.test');
  });

  it("uses the clinic's expiry setting", async () => {
    const short = await createClinic(database.db, { settings: { invitationExpiryHours: 24 } });
    const desk = await signIn(app, (await createStaffUser(database.db, short.id, ['frontdesk'])).email);
    const patient = await createPatient(database.db, short.id, { email: 'short.expiry@mail.test' });
    const response = await invite(desk, patient.id);
    expect(response.statusCode).toBe(201);
    expect(response.json().expiresAt).toBe(new Date(clock.now().getTime() + 24 * hour).toISOString());
  });

  it('refuses a second pending invitation, a patient with an account, and an address already in use', async () => {
    const patient = await newPatient();
    await invited(patient.id);
    const again = await invite(frontDesk, patient.id);
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toMatch(/resend or revoke/);

    const withAccount = await newPatient();
    await createPatientUser(database.db, clinicId, withAccount.id);
    const hasAccount = await invite(frontDesk, withAccount.id);
    expect(hasAccount.statusCode).toBe(409);
    expect(hasAccount.json().detail).toMatch(/already has a portal account/);

    const staffMember = await createStaffUser(database.db, clinicId, ['nurse']);
    const taken = await invite(frontDesk, (await newPatient()).id, { email: staffMember.email });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().errors[0].path).toBe('email');
  });

  it('lets the roles with portal.invite invite, and refuses the others with 403', async () => {
    for (const role of ['prescriber', 'nurse', 'admin'] as const) {
      const who = await signIn(app, (await createStaffUser(database.db, clinicId, [role])).email);
      expect((await invite(who, (await newPatient()).id)).statusCode, role).toBe(201);
    }
    const patient = await newPatient();
    for (const who of [therapist, researcher]) {
      expect((await invite(who, patient.id)).statusCode).toBe(403);
      const list = await as(app, who)({ method: 'GET', url: `/api/v1/patients/${patient.id}/invitations` });
      expect(list.statusCode).toBe(403);
    }
    const portalPatient = await newPatient();
    const portal = await signIn(
      app,
      (await createPatientUser(database.db, clinicId, portalPatient.id)).email,
    );
    expect((await invite(portal, patient.id)).statusCode).toBe(403);
    expect(
      (
        await as(
          app,
          null,
        )({ method: 'POST', url: `/api/v1/patients/${patient.id}/invitations`, payload: {} })
      ).statusCode,
    ).toBe(401);
  });

  it("answers another clinic's staff 404 for the patient and the invitation, and writes nothing", async () => {
    const patient = await newPatient();
    const sent = await invited(patient.id);
    const base = `/api/v1/patients/${patient.id}/invitations`;
    const foreign = as(app, foreignFrontDesk);
    for (const request of [
      { method: 'GET' as const, url: base },
      { method: 'POST' as const, url: base, payload: {} },
      { method: 'POST' as const, url: `${base}/${sent.id}/resend`, payload: {} },
      { method: 'POST' as const, url: `${base}/${sent.id}/revoke` },
    ]) {
      const response = await foreign(request);
      expect(response.statusCode, request.url).toBe(404);
      expect(response.body).not.toContain(patient.email!);
    }
    // An invitation id under the wrong patient is 404 too.
    const other = await newPatient();
    const wrong = await as(
      app,
      frontDesk,
    )({
      method: 'POST',
      url: `/api/v1/patients/${other.id}/invitations/${sent.id}/revoke`,
    });
    expect(wrong.statusCode).toBe(404);
    expect((await lookup(sent.token)).statusCode).toBe(200);
    expect(await auditActions(patient.id)).toEqual(['invitation.create', 'invitation.view']);
  });

  it('keeps a clinician outside the care team out in a care-team clinic (404), but not the front desk', async () => {
    const careTeam = await createClinic(database.db, { settings: { careScope: 'care-team' } });
    const nurse = await createStaffUser(database.db, careTeam.id, ['nurse']);
    const nurseIn = await signIn(app, nurse.email);
    const desk = await signIn(app, (await createStaffUser(database.db, careTeam.id, ['frontdesk'])).email);
    const patient = await createPatient(database.db, careTeam.id, { email: 'care.team@mail.test' });
    expect((await invite(nurseIn, patient.id)).statusCode).toBe(404);
    await assignCareTeam(database.db, careTeam.id, patient.id, nurse.id, 'nurse');
    expect((await invite(nurseIn, patient.id)).statusCode).toBe(201);
    const list = await as(app, desk)({ method: 'GET', url: `/api/v1/patients/${patient.id}/invitations` });
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toHaveLength(1);
  });

  it('rejects malformed input with 400 and field paths', async () => {
    const patient = await newPatient();
    const badId = await as(app, frontDesk)({ method: 'GET', url: '/api/v1/patients/not-a-uuid/invitations' });
    expect(badId.statusCode).toBe(400);
    const unknownField = await invite(frontDesk, patient.id, { email: 'x@mail.test', role: 'admin' });
    expect(unknownField.statusCode).toBe(400);
    const badEmail = await invite(frontDesk, patient.id, { email: 'not an address' });
    expect(badEmail.statusCode).toBe(400);
    expect(badEmail.json().errors[0].path).toBe('email');
    const badToken = await lookup('short');
    expect(badToken.statusCode).toBe(400);
    const badAccept = await app.inject({
      method: 'POST',
      url: '/api/v1/invitations/accept',
      payload: { token: 'x'.repeat(43), password: 'long enough password', extra: 1 },
    });
    expect(badAccept.statusCode).toBe(400);
  });
});

describe('accepting an invitation', () => {
  it('shows the clinic and the given name only, then creates the account, signs the patient in and opens the portal', async () => {
    const patient = await newPatient({ givenName: 'Imogen' });
    const sent = await invited(patient.id);

    const shown = await lookup(sent.token);
    expect(shown.statusCode).toBe(200);
    expect(shown.json()).toEqual({
      clinicName: 'Lakeside Ketamine Care',
      givenName: 'Imogen',
      expiresAt: new Date(clock.now().getTime() + 72 * hour).toISOString(),
    });

    const accepted = await accept(sent.token, 'my own portal password');
    expect(accepted.statusCode, accepted.body).toBe(200);
    const { session } = accepted.json();
    expect(session).toMatchObject({
      user: { email: patient.email, kind: 'patient', displayName: `Imogen ${patient.familyName}` },
      patientId: patient.id,
      roles: [],
      permissions: ['portal.self'],
      clinic: { id: clinicId, name: 'Lakeside Ketamine Care' },
    });
    const cookie = sessionCookieOf(accepted);
    const me = await app.inject({ method: 'GET', url: '/api/v1/me/patient', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json().id).toBe(patient.id);

    // The account signs in with the password chosen; the staff view shows it and the invitation used.
    const again = await signIn(app, patient.email!, 'my own portal password');
    expect(again.csrfToken).toBeTruthy();
    const list = await as(
      app,
      frontDesk,
    )({ method: 'GET', url: `/api/v1/patients/${patient.id}/invitations` });
    expect(list.json().portalAccount).toEqual({ email: patient.email, createdAt: clock.now().toISOString() });
    expect(list.json().items[0]).toMatchObject({
      id: sent.id,
      status: 'accepted',
      acceptedAt: clock.now().toISOString(),
    });

    const accounts = await database.db
      .select({ kind: userAccount.kind, patientId: userAccount.patientId, hash: userAccount.passwordHash })
      .from(userAccount)
      .where(eq(userAccount.patientId, patient.id));
    expect(accounts).toHaveLength(1);
    expect(accounts[0]!.hash).toMatch(/^\$argon2id\$/);

    expect(await auditActions(patient.id)).toEqual([
      'invitation.create',
      'invitation.view',
      'invitation.accept',
      'patient.read',
      'invitation.list',
    ]);
    const [account] = await database.db
      .select({ id: userAccount.id })
      .from(userAccount)
      .where(eq(userAccount.patientId, patient.id));
    const logins = await database.db
      .select({ detail: auditEvent.detail, actorId: auditEvent.actorId })
      .from(auditEvent)
      .where(and(eq(auditEvent.action, 'auth.login'), eq(auditEvent.resourceId, account!.id)));
    expect(logins[0]).toEqual({ detail: { via: 'invitation' }, actorId: account!.id });
  });

  it('refuses a used link with 410, and keeps refusing', async () => {
    const patient = await newPatient();
    const sent = await invited(patient.id);
    expect((await accept(sent.token)).statusCode).toBe(200);
    const reused = await accept(sent.token, 'another password entirely');
    expect(reused.statusCode).toBe(410);
    expect(reused.json()).toMatchObject({
      type: 'https://kapstone.dev/problems/gone',
      title: 'Gone',
      detail: expect.stringMatching(/already been used/),
      errors: [{ path: 'token', message: 'accepted' }],
    });
    expect((await lookup(sent.token)).statusCode).toBe(410);
    expect((await invite(frontDesk, patient.id)).statusCode).toBe(409);
    const resend = await as(
      app,
      frontDesk,
    )({
      method: 'POST',
      url: `/api/v1/patients/${patient.id}/invitations/${sent.id}/resend`,
      payload: {},
    });
    expect(resend.statusCode).toBe(409);
    const revoke = await as(
      app,
      frontDesk,
    )({
      method: 'POST',
      url: `/api/v1/patients/${patient.id}/invitations/${sent.id}/revoke`,
    });
    expect(revoke.statusCode).toBe(409);
  });

  it('lets exactly one of many concurrent accepts win', async () => {
    const patient = await newPatient();
    const sent = await invited(patient.id);
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => accept(sent.token, `concurrent password number ${i}`)),
    );
    const codes = answers.map((a) => a.statusCode).sort();
    expect(codes).toEqual([200, 410, 410, 410, 410, 410, 410, 410]);
    const accounts = await database.db
      .select()
      .from(userAccount)
      .where(eq(userAccount.patientId, patient.id));
    expect(accounts).toHaveLength(1);
    const [row] = await database.db.select().from(invitation).where(eq(invitation.id, sent.id));
    expect(row!.acceptedUserId).toBe(accounts[0]!.id);
  });

  it('expires after the period: 410 when opened or accepted, and a resend sends a working link', async () => {
    const patient = await newPatient();
    const sent = await invited(patient.id);
    const expiry = new Date(clock.now().getTime() + 72 * hour);
    const started = clock.now();
    try {
      clock.set(new Date(expiry.getTime() - 1000));
      expect((await lookup(sent.token)).statusCode).toBe(200);
      clock.set(expiry);
      const opened = await lookup(sent.token);
      expect(opened.statusCode).toBe(410);
      expect(opened.json().detail).toMatch(/expired/);
      expect((await accept(sent.token)).statusCode).toBe(410);
      // Three days on, the morning's sessions are long gone: the front desk signs in again.
      const desk = await signIn(app, (await createStaffUser(database.db, clinicId, ['frontdesk'])).email);
      const list = await as(app, desk)({ method: 'GET', url: `/api/v1/patients/${patient.id}/invitations` });
      expect(list.json().items[0].status).toBe('expired');
      // An expired invitation does not block a fresh one.
      const resent = await as(
        app,
        desk,
      )({
        method: 'POST',
        url: `/api/v1/patients/${patient.id}/invitations/${sent.id}/resend`,
        payload: {},
      });
      expect(resent.statusCode).toBe(201);
      expect((await accept(tokenOf(resent.json().demoLink))).statusCode).toBe(200);
    } finally {
      clock.set(started);
    }
  });

  it('refuses a short password with 400 and leaves the link usable', async () => {
    const patient = await newPatient();
    const sent = await invited(patient.id);
    const short = await accept(sent.token, 'short');
    expect(short.statusCode).toBe(400);
    expect(short.json().errors).toEqual([{ path: 'password', message: expect.stringContaining('12') }]);
    expect((await accept(sent.token)).statusCode).toBe(200);
  });

  it('refuses with 409 when the address was taken by another account meanwhile, and keeps the link open', async () => {
    const patient = await newPatient();
    const sent = await invited(patient.id);
    await createStaffUser(database.db, clinicId, ['nurse'], { email: patient.email! });
    const refused = await accept(sent.token);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toMatch(/already belongs to an account/);
    const [row] = await database.db.select().from(invitation).where(eq(invitation.id, sent.id));
    expect(row!.acceptedAt).toBeNull();
    expect(await database.db.select().from(userAccount).where(eq(userAccount.patientId, patient.id))).toEqual(
      [],
    );
  });

  it('answers a token never issued with 404', async () => {
    const response = await lookup('A'.repeat(43));
    expect(response.statusCode).toBe(404);
    expect(response.json().detail).toMatch(/not valid/);
    expect((await accept('B'.repeat(43))).statusCode).toBe(404);
  });

  it('rate-limits an address after 20 failed look-ups, like sign-in', async () => {
    const address = '203.0.113.77';
    for (let i = 0; i < 20; i++)
      expect((await lookup(`${'C'.repeat(40)}${100 + i}`, address)).statusCode).toBe(404);
    const limited = await lookup('D'.repeat(43), address);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('900');
    expect((await accept('E'.repeat(43), 'long enough password', address)).statusCode).toBe(429);
    // Another address is not affected.
    expect((await lookup('F'.repeat(43), '203.0.113.78')).statusCode).toBe(404);
  });
});

describe('resending and revoking', () => {
  it('resends with a new token: the old link says it was replaced, the new one works', async () => {
    const patient = await newPatient();
    const first = await invited(patient.id);
    clock.advanceMinutes(1);
    const resent = await as(
      app,
      frontDesk,
    )({
      method: 'POST',
      url: `/api/v1/patients/${patient.id}/invitations/${first.id}/resend`,
      payload: { email: 'corrected.address@mail.test' },
    });
    expect(resent.statusCode).toBe(201);
    const second = resent.json();
    expect(second).toMatchObject({
      status: 'pending',
      replacesId: first.id,
      email: 'corrected.address@mail.test',
    });
    const newToken = tokenOf(second.demoLink);
    expect(newToken).not.toBe(first.token);

    const old = await lookup(first.token);
    expect(old.statusCode).toBe(410);
    expect(old.json().errors[0].message).toBe('replaced');
    expect((await lookup(newToken)).statusCode).toBe(200);

    const list = await as(
      app,
      frontDesk,
    )({ method: 'GET', url: `/api/v1/patients/${patient.id}/invitations` });
    expect(list.json().items.map((i: { id: string; status: string }) => [i.id, i.status])).toEqual([
      [second.id, 'pending'],
      [first.id, 'replaced'],
    ]);
    const mails = await database.db
      .select({ to: mailOutbox.toAddress, status: mailOutbox.status })
      .from(mailOutbox)
      .where(eq(mailOutbox.id, second.mail.id));
    expect(mails).toEqual([{ to: 'corrected.address@mail.test', status: 'queued' }]);
    // The first mail had not gone out yet: it is withdrawn, so the old address never gets the dead link.
    const [withdrawn] = await database.db.select().from(mailOutbox).where(eq(mailOutbox.id, first.mail.id));
    expect(withdrawn).toMatchObject({
      status: 'cancelled',
      textBody: null,
      lastError: 'Withdrawn before delivery.',
    });
    expect(await auditActions(patient.id)).toEqual([
      'invitation.create',
      'invitation.resend',
      'invitation.view',
      'invitation.list',
    ]);
  });

  it('revokes: the link stops working at once; revoking again changes nothing', async () => {
    const patient = await newPatient();
    const sent = await invited(patient.id);
    const url = `/api/v1/patients/${patient.id}/invitations/${sent.id}/revoke`;
    const revoked = await as(app, frontDesk)({ method: 'POST', url });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({
      id: sent.id,
      status: 'revoked',
      revokedAt: clock.now().toISOString(),
    });
    const gone = await accept(sent.token);
    expect(gone.statusCode).toBe(410);
    expect(gone.json().detail).toMatch(/withdrawn/);
    expect(revoked.json().mail.status).toBe('cancelled');
    const again = await as(app, frontDesk)({ method: 'POST', url });
    expect(again.statusCode).toBe(200);
    expect(again.json().status).toBe('revoked');
    const actions = await auditActions(patient.id);
    expect(actions.filter((a) => a === 'invitation.revoke')).toHaveLength(1);
    expect(actions).toContain('invitation.accept-refused');
    // A revoked invitation no longer blocks a new one.
    const fresh = await invite(frontDesk, patient.id);
    expect(fresh.statusCode).toBe(201);
    // Mail already delivered stays as it was: revoking records the fact, it does not rewrite history.
    const sentAt = clock.now();
    await database.db
      .update(mailOutbox)
      .set({ status: 'sent', sentAt, attempts: 1 })
      .where(eq(mailOutbox.id, fresh.json().mail.id));
    const revokedAfterSending = await as(
      app,
      frontDesk,
    )({
      method: 'POST',
      url: `/api/v1/patients/${patient.id}/invitations/${fresh.json().id}/revoke`,
    });
    expect(revokedAfterSending.json().mail).toEqual({
      id: fresh.json().mail.id,
      status: 'sent',
      sentAt: sentAt.toISOString(),
    });
  });
});

describe('outside demo mode', () => {
  it('never shows the link to staff, and the Sent mail view hides mail bodies', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      WEB_DIST_DIR: '/nonexistent-kapstone-web',
      KAPSTONE_DEMO: 'false',
      PUBLIC_URL: 'https://portal.clinic.test',
    });
    const live = await buildApp({ config, database, clock, logger: false });
    try {
      const desk = await signIn(live, (await createStaffUser(database.db, clinicId, ['frontdesk'])).email);
      const adminLive = await signIn(live, (await createStaffUser(database.db, clinicId, ['admin'])).email);
      const patient = await newPatient();
      const response = await as(
        live,
        desk,
      )({
        method: 'POST',
        url: `/api/v1/patients/${patient.id}/invitations`,
        payload: {},
      });
      expect(response.statusCode).toBe(201);
      expect(response.json().demoLink).toBeNull();
      const [mail] = await database.db
        .select()
        .from(mailOutbox)
        .where(eq(mailOutbox.id, response.json().mail.id));
      expect(mail!.textBody).toMatch(/https:\/\/portal\.clinic\.test\/invite\/[A-Za-z0-9_-]{43}\n/);
      const outbox = await as(live, adminLive)({ method: 'GET', url: '/api/v1/mail/outbox' });
      expect(outbox.statusCode).toBe(200);
      expect(outbox.json().demo).toBe(false);
      const listed = outbox.json().items.find((m: { id: string }) => m.id === mail!.id);
      expect(listed).toMatchObject({ to: patient.email, status: 'queued', text: null });
    } finally {
      await live.close();
    }
  });
});

describe('the Sent mail view', () => {
  it("lists the clinic's mail newest first with their text in demo mode, pages, and is audited", async () => {
    const own = await createClinic(database.db, { name: 'Outbox Clinic' });
    const desk = await signIn(app, (await createStaffUser(database.db, own.id, ['frontdesk'])).email);
    const ownAdmin = await signIn(app, (await createStaffUser(database.db, own.id, ['admin'])).email);
    const sent: { id: string; email: string; link: string }[] = [];
    for (let i = 0; i < 3; i++) {
      const patient = await createPatient(database.db, own.id, { email: `outbox.${i}@mail.test` });
      const response = await invite(desk, patient.id);
      expect(response.statusCode).toBe(201);
      sent.push({ id: response.json().mail.id, email: patient.email!, link: response.json().demoLink });
      clock.advanceMinutes(1);
    }
    const first = await as(app, ownAdmin)({ method: 'GET', url: '/api/v1/mail/outbox?limit=2' });
    expect(first.statusCode).toBe(200);
    const page = first.json();
    expect(page.demo).toBe(true);
    expect(page.items.map((m: { id: string }) => m.id)).toEqual([sent[2]!.id, sent[1]!.id]);
    expect(page.items[0]).toMatchObject({
      to: 'outbox.2@mail.test',
      status: 'queued',
      attempts: 0,
      sentAt: null,
    });
    expect(page.items[0].text).toContain(sent[2]!.link);
    const next = await as(
      app,
      ownAdmin,
    )({
      method: 'GET',
      url: `/api/v1/mail/outbox?limit=2&cursor=${page.nextCursor}`,
    });
    expect(next.json().items.map((m: { id: string }) => m.id)).toEqual([sent[0]!.id]);
    expect(next.json().nextCursor).toBeNull();
    const sentOnly = await as(app, ownAdmin)({ method: 'GET', url: '/api/v1/mail/outbox?status=sent' });
    expect(sentOnly.json().items).toEqual([]);

    // Another clinic's admin sees none of them; the front desk may not look; a forged cursor is a 400.
    const foreign = await as(app, admin)({ method: 'GET', url: '/api/v1/mail/outbox?limit=100' });
    const foreignIds = foreign.json().items.map((m: { id: string }) => m.id);
    for (const mail of sent) expect(foreignIds).not.toContain(mail.id);
    expect((await as(app, desk)({ method: 'GET', url: '/api/v1/mail/outbox' })).statusCode).toBe(403);
    const forged = await as(app, ownAdmin)({ method: 'GET', url: '/api/v1/mail/outbox?cursor=nonsense' });
    expect(forged.statusCode).toBe(400);
    const listed = await database.db
      .select({ detail: auditEvent.detail })
      .from(auditEvent)
      .where(and(eq(auditEvent.clinicId, own.id), eq(auditEvent.action, 'mail.list')));
    expect(listed[0]!.detail).toEqual({ count: 2, bodiesShown: true });
  });
});
