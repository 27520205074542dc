import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import { loadConfig } from '../../config.ts';
import type { Actor } from '../../context.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import type { ClinicAlertSettings } from '../../db/schema/clinic.ts';
import { alert, auditEvent, clinic, mailOutbox, userAccount } from '../../db/schema/index.ts';
import { runUnitOfWork } from '../../http/unit-of-work.ts';
import { runSystemWork } from '../../jobs/system-work.ts';
import type { JobEnvironment } from '../../jobs/types.ts';
import { createTestDatabase } from '../../testing/database.ts';
import {
  as,
  assignCareTeam,
  buildTestApp,
  createClinic,
  createPatient,
  createStaffUser,
  databaseError,
  type SignedIn,
  signIn,
} from '../../testing/factories.ts';
import { escalateOverdueAlerts, escalateOverdueAlertsInClinic } from './alerts.escalation.ts';
import { raiseAlert } from './alerts.service.ts';

let database: DatabaseHandle;
let app: FastifyInstance;
const clock = new ManualClock('2026-06-01T15:00:00Z');
let env: JobEnvironment;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, clock);
  env = {
    database: database.db,
    clock,
    config: loadConfig({}),
    log: { info: () => {}, warn: () => {}, error: () => {} },
  };
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

type Staff = Awaited<ReturnType<typeof createStaffUser>> & { signedIn: SignedIn };

async function staffOf(clinicId: string, roles: Parameters<typeof createStaffUser>[2], name?: string) {
  const user = await createStaffUser(database.db, clinicId, roles, name ? { displayName: name } : {});
  return { ...user, signedIn: await signIn(app, user.email) } as Staff;
}

function actorOf(user: Staff): Actor {
  return {
    kind: 'staff',
    userId: user.id,
    clinicId: user.clinicId,
    sessionId: randomUUID(),
    email: user.email,
    displayName: 'Raiser',
    roles: user.roles,
  };
}

const raise = (by: Staff, patientId: string, severity: 'critical' | 'high' | 'moderate' | 'low' = 'high') =>
  runUnitOfWork(database.db, actorOf(by), { requestId: null, ip: null, userAgent: null }, clock, (ctx) =>
    raiseAlert(ctx, {
      patientId,
      kind: 'suicide-risk',
      severity,
      summary: 'PHQ-9 item 9 positive.',
      source: { type: 'questionnaire-response', id: randomUUID() },
    }),
  );

/** Signs in again after the clock jumped past the session's idle timeout. */
async function again(...who: Staff[]) {
  for (const s of who) s.signedIn = await signIn(app, s.email);
}

const inClinic = (clinicId: string) =>
  runSystemWork(env, clinicId, 'test', (ctx) => escalateOverdueAlertsInClinic(ctx));

async function auditActions(clinicId: string) {
  return database.db
    .select({ action: auditEvent.action, actorId: auditEvent.actorId, actorRole: auditEvent.actorRole })
    .from(auditEvent)
    .where(eq(auditEvent.clinicId, clinicId));
}

async function mailTo(addresses: string[]) {
  return database.db
    .select({ to: mailOutbox.toAddress, subject: mailOutbox.subject, text: mailOutbox.textBody })
    .from(mailOutbox)
    .where(inArray(mailOutbox.toAddress, addresses));
}

describe('alert routing and reassignment', () => {
  it('routes to the prescriber, else the therapist, else the team, and records why', async () => {
    const c = await createClinic(database.db, { settings: { careScope: 'care-team' } });
    const prescriber = await staffOf(c.id, ['prescriber'], 'Dr Rowan');
    const therapist = await staffOf(c.id, ['therapist'], 'Sam Therapist');
    const nurse = await staffOf(c.id, ['nurse']);
    const both = await createPatient(database.db, c.id);
    const therapyOnly = await createPatient(database.db, c.id);
    const nobody = await createPatient(database.db, c.id);
    await assignCareTeam(database.db, c.id, both.id, therapist.id, 'therapist');
    await assignCareTeam(database.db, c.id, both.id, prescriber.id, 'prescriber');
    await assignCareTeam(database.db, c.id, both.id, nurse.id, 'nurse');
    await assignCareTeam(database.db, c.id, therapyOnly.id, therapist.id, 'therapist');
    await assignCareTeam(database.db, c.id, therapyOnly.id, nurse.id, 'nurse');
    await assignCareTeam(database.db, c.id, nobody.id, nurse.id, 'nurse');

    const a1 = await raise(nurse, both.id);
    const a2 = await raise(nurse, therapyOnly.id);
    const a3 = await raise(nurse, nobody.id);
    expect([a1.owner?.id, a2.owner?.id, a3.owner]).toEqual([prescriber.id, therapist.id, null]);

    const detail = await as(app, nurse.signedIn)({ method: 'GET', url: `/api/v1/alerts/${a1.id}` });
    expect(detail.statusCode).toBe(200);
    expect(detail.json().events).toEqual([
      expect.objectContaining({ kind: 'raised', actor: null }),
      expect.objectContaining({
        kind: 'routed',
        actor: null,
        owner: { id: prescriber.id, displayName: 'Dr Rowan' },
        note: 'The patient’s assigned prescriber.',
      }),
    ]);
    const routedTherapist = (
      await as(app, nurse.signedIn)({ method: 'GET', url: `/api/v1/alerts/${a2.id}` })
    ).json().events[1];
    expect(routedTherapist).toMatchObject({
      owner: { id: therapist.id },
      note: expect.stringContaining('therapist'),
    });
    const routedTeam = (
      await as(app, nurse.signedIn)({ method: 'GET', url: `/api/v1/alerts/${a3.id}` })
    ).json().events[1];
    expect(routedTeam).toMatchObject({ owner: null, note: expect.stringContaining('care team as a whole') });

    // Another clinic's clinician, and one of this clinic outside the care team, get 404 for the alert.
    const foreign = await staffOf((await createClinic(database.db)).id, ['prescriber']);
    const outsider = await staffOf(c.id, ['prescriber']);
    for (const who of [foreign, outsider]) {
      expect(
        (await as(app, who.signedIn)({ method: 'GET', url: `/api/v1/alerts/${a1.id}` })).statusCode,
      ).toBe(404);
    }
    const actions = (await auditActions(c.id)).map((e) => e.action);
    expect(actions.filter((a) => a === 'alert.route')).toHaveLength(3);
    expect(actions).toContain('alert.read');

    // The trail is append-only in the database itself.
    expect(
      await databaseError(
        database.db.execute(sql`UPDATE alert_event SET note = 'x' WHERE alert_id = ${a1.id}`),
      ),
    ).toMatch(/append-only|not allowed|cannot/i);
  });

  it('reassigns to clinical staff who can open the chart, with a reason, and refuses anyone else', async () => {
    const c = await createClinic(database.db, { settings: { careScope: 'care-team' } });
    const prescriber = await staffOf(c.id, ['prescriber']);
    const nurse = await staffOf(c.id, ['nurse'], 'Nurse Kim');
    const outsideTeam = await staffOf(c.id, ['therapist']);
    const front = await staffOf(c.id, ['frontdesk']);
    const gone = await staffOf(c.id, ['nurse']);
    const foreignNurse = await staffOf((await createClinic(database.db)).id, ['nurse']);
    const p = await createPatient(database.db, c.id);
    for (const s of [prescriber, nurse, gone])
      await assignCareTeam(database.db, c.id, p.id, s.id, s.roles[0]!);
    await database.db.update(userAccount).set({ disabledAt: clock.now() }).where(eq(userAccount.id, gone.id));
    const raised = await raise(prescriber, p.id);
    const url = `/api/v1/alerts/${raised.id}/reassign`;
    const send = (who: Staff, toUserId: string, reason = 'On leave this week; Kim covers.') =>
      as(app, who.signedIn)({ method: 'POST', url, payload: { toUserId, reason } });

    for (const target of [front, outsideTeam, gone, foreignNurse]) {
      const refused = await send(prescriber, target.id);
      expect(refused.statusCode, target.roles.join()).toBe(400);
      expect(refused.json().errors[0].path).toBe('toUserId');
    }
    expect((await send(prescriber, prescriber.id)).statusCode).toBe(400);
    const noReason = await as(
      app,
      prescriber.signedIn,
    )({ method: 'POST', url, payload: { toUserId: nurse.id } });
    expect(noReason.json().errors[0].path).toBe('reason');
    expect((await send(front, nurse.id)).statusCode).toBe(403);
    expect((await send(outsideTeam, nurse.id)).statusCode).toBe(404);

    const done = await send(prescriber, nurse.id);
    expect(done.statusCode).toBe(200);
    expect(done.json().owner).toEqual({ id: nurse.id, displayName: 'Nurse Kim' });
    expect(done.json().events.at(-1)).toMatchObject({
      kind: 'reassigned',
      actor: { id: prescriber.id },
      owner: { id: nurse.id },
      previousOwner: { id: prescriber.id },
      note: 'On leave this week; Kim covers.',
    });
    // The new owner is told by mail, without naming the patient.
    const mails = await mailTo([nurse.email]);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).not.toContain(p.familyName);

    // Mine: the nurse has it now, the prescriber no longer does.
    const mine = (who: Staff) =>
      as(app, who.signedIn)({ method: 'GET', url: '/api/v1/alerts?scope=mine' }).then((r) => r.json().items);
    expect((await mine(nurse)).map((a: { id: string }) => a.id)).toEqual([raised.id]);
    expect(await mine(prescriber)).toEqual([]);

    await as(
      app,
      nurse.signedIn,
    )({
      method: 'POST',
      url: `/api/v1/alerts/${raised.id}/acknowledge`,
      payload: { action: 'Called the patient; safety plan reviewed.' },
    });
    expect((await send(nurse, prescriber.id)).statusCode).toBe(409);
    const trail = (
      await as(app, nurse.signedIn)({ method: 'GET', url: `/api/v1/alerts/${raised.id}` })
    ).json().events;
    expect(trail.map((e: { kind: string }) => e.kind)).toEqual([
      'raised',
      'routed',
      'reassigned',
      'acknowledged',
    ]);
    expect(trail.at(-1)).toMatchObject({
      actor: { id: nurse.id },
      note: 'Called the patient; safety plan reviewed.',
    });
    const events = await auditActions(c.id);
    expect(events.filter((e) => e.action === 'alert.reassign')).toEqual([
      expect.objectContaining({ actorId: prescriber.id }),
    ]);
    expect(events.map((e) => e.action)).toContain('alert.acknowledge');
  });

  it('filters the inbox by scope and kind', async () => {
    const c = await createClinic(database.db);
    const prescriber = await staffOf(c.id, ['prescriber']);
    const other = await staffOf(c.id, ['prescriber']);
    const mineP = await createPatient(database.db, c.id);
    const otherP = await createPatient(database.db, c.id);
    const teamP = await createPatient(database.db, c.id);
    await assignCareTeam(database.db, c.id, mineP.id, prescriber.id, 'prescriber');
    await assignCareTeam(database.db, c.id, otherP.id, other.id, 'prescriber');
    const mine = await raise(prescriber, mineP.id);
    const theirs = await raise(prescriber, otherP.id);
    const team = await raise(prescriber, teamP.id);
    const vitals = await runUnitOfWork(
      database.db,
      actorOf(prescriber),
      { requestId: null, ip: null, userAgent: null },
      clock,
      (ctx) =>
        raiseAlert(ctx, {
          patientId: mineP.id,
          kind: 'session-vitals',
          severity: 'moderate',
          summary: 'Blood pressure above the gate.',
          source: { type: 'dosing-session', id: randomUUID() },
        }),
    );
    const ids = (query: string) =>
      as(
        app,
        prescriber.signedIn,
      )({ method: 'GET', url: `/api/v1/alerts?${query}` }).then((r) =>
        r.json().items.map((a: { id: string }) => a.id),
      );
    expect(await ids('scope=mine')).toEqual([mine.id, vitals.id]);
    expect(await ids('scope=unassigned')).toEqual([team.id]);
    expect((await ids('scope=all')).sort()).toEqual([mine.id, theirs.id, team.id, vitals.id].sort());
    expect(await ids('scope=escalated')).toEqual([]);
    expect(await ids('scope=mine&kind=session-vitals')).toEqual([vitals.id]);
    expect(await ids('kind=worsening')).toEqual([]);
    expect(
      (await as(app, prescriber.signedIn)({ method: 'GET', url: '/api/v1/alerts?kind=DROP TABLE' }))
        .statusCode,
    ).toBe(400);
  });
});

describe('escalation settings', () => {
  it('has no default, validates the on-call staff, and is audited', async () => {
    const c = await createClinic(database.db);
    const admin = await staffOf(c.id, ['admin']);
    const prescriber = await staffOf(c.id, ['prescriber'], 'Dr On Call');
    const nurse = await staffOf(c.id, ['nurse']);
    const disabled = await staffOf(c.id, ['prescriber']);
    await database.db
      .update(userAccount)
      .set({ disabledAt: clock.now() })
      .where(eq(userAccount.id, disabled.id));
    const foreign = await staffOf((await createClinic(database.db)).id, ['prescriber']);
    const url = '/api/v1/care-settings/alerts';

    const initial = await as(app, prescriber.signedIn)({ method: 'GET', url });
    expect(initial.statusCode).toBe(200);
    expect(initial.json()).toEqual({
      settings: { escalateAfterMinutes: {}, onCallRole: null, onCallUserIds: [] },
      onCall: [],
      notConfigured: ['critical', 'high', 'moderate', 'low'],
    });
    const p = await createPatient(database.db, c.id);
    const raised = await raise(prescriber, p.id, 'critical');
    expect(raised.escalation).toEqual({ state: 'not-configured' });

    const put = (payload: Record<string, unknown>, who: Staff = admin) =>
      as(app, who.signedIn)({ method: 'PUT', url, payload });
    expect((await put({ escalateAfterMinutes: { critical: 15 } }, prescriber)).statusCode).toBe(403);
    const noRole = await put({ escalateAfterMinutes: { critical: 15 } });
    expect(noRole.statusCode).toBe(400);
    expect(noRole.json().errors[0].path).toBe('onCallRole');
    const zero = await put({ escalateAfterMinutes: { critical: 0 }, onCallRole: 'prescriber' });
    expect(zero.statusCode).toBe(400);
    const wrongPeople = await put({
      escalateAfterMinutes: { critical: 15 },
      onCallRole: 'prescriber',
      onCallUserIds: [prescriber.id, nurse.id, disabled.id, foreign.id],
    });
    expect(wrongPeople.statusCode).toBe(400);
    expect(wrongPeople.json().errors.map((e: { path: string }) => e.path)).toEqual([
      'onCallUserIds.1',
      'onCallUserIds.2',
      'onCallUserIds.3',
    ]);
    const saved = await put({
      escalateAfterMinutes: { critical: 15, high: 60 },
      onCallRole: 'prescriber',
      onCallUserIds: [prescriber.id],
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toEqual({
      settings: {
        escalateAfterMinutes: { critical: 15, high: 60 },
        onCallRole: 'prescriber',
        onCallUserIds: [prescriber.id],
      },
      onCall: [{ id: prescriber.id, displayName: 'Dr On Call' }],
      notConfigured: ['moderate', 'low'],
    });
    // Other settings of the clinic are untouched.
    const [row] = await database.db
      .select({ settings: clinic.settings })
      .from(clinic)
      .where(eq(clinic.id, c.id));
    expect(row!.settings.careScope).toBe('clinic');
    expect(row!.settings.alerts).toEqual({
      escalateAfterMinutes: { critical: 15, high: 60 },
      onCallRole: 'prescriber',
      onCallUserIds: [prescriber.id],
    } satisfies ClinicAlertSettings);

    const listed = (await as(app, prescriber.signedIn)({ method: 'GET', url: '/api/v1/alerts' })).json()
      .items;
    expect(listed.find((a: { id: string }) => a.id === raised.id).escalation).toEqual({
      state: 'scheduled',
      dueAt: new Date(new Date(raised.raisedAt).getTime() + 15 * 60_000).toISOString(),
    });

    const form = await as(app, admin.signedIn)({ method: 'GET', url: `${url}/admin` });
    expect(form.statusCode).toBe(200);
    expect(
      form
        .json()
        .candidates.map((s: { id: string }) => s.id)
        .sort(),
    ).toEqual([prescriber.id, nurse.id].sort());
    expect((await as(app, prescriber.signedIn)({ method: 'GET', url: `${url}/admin` })).statusCode).toBe(403);
    expect((await as(app, admin.signedIn)({ method: 'GET', url })).statusCode).toBe(403);
    const audited = (await auditActions(c.id)).filter((e) => e.action === 'alert-settings.update');
    expect(audited).toEqual([expect.objectContaining({ actorId: admin.id })]);
  });
});

describe('escalation', () => {
  async function setUp(settings: ClinicAlertSettings) {
    const c = await createClinic(database.db, { settings: { careScope: 'care-team', alerts: settings } });
    const owner = await staffOf(c.id, ['prescriber']);
    const onCall = await staffOf(c.id, ['prescriber']);
    const notOnCall = await staffOf(c.id, ['prescriber']);
    const onCallNurse = await staffOf(c.id, ['nurse']);
    const p = await createPatient(database.db, c.id, { familyName: 'Quietly' });
    await assignCareTeam(database.db, c.id, p.id, owner.id, 'prescriber');
    return { c, owner, onCall, notOnCall, onCallNurse, p };
  }

  it('escalates an unacknowledged alert once, at its severity’s time, to the named on-call staff', async () => {
    const start = clock.now();
    const placeholder = randomUUID();
    const { c, owner, onCall, notOnCall, p } = await setUp({
      escalateAfterMinutes: { critical: 30 },
      onCallRole: 'prescriber',
      onCallUserIds: [placeholder],
    });
    // Name the on-call prescriber (created after the clinic).
    await database.db
      .update(clinic)
      .set({
        settings: sql`jsonb_set(${clinic.settings}, '{alerts,onCallUserIds}', ${JSON.stringify([onCall.id])}::jsonb)`,
      })
      .where(eq(clinic.id, c.id));
    const critical = await raise(owner, p.id, 'critical');
    const high = await raise(owner, p.id, 'high');
    const acknowledgedInTime = await raise(owner, p.id, 'critical');
    await as(
      app,
      owner.signedIn,
    )({
      method: 'POST',
      url: `/api/v1/alerts/${acknowledgedInTime.id}/acknowledge`,
      payload: { action: 'Seen in clinic today; safety plan in place.' },
    });

    clock.set(new Date(start.getTime() + 29 * 60_000 + 59_000));
    expect(await inClinic(c.id)).toEqual({ escalated: 0 });
    clock.set(new Date(start.getTime() + 30 * 60_000));
    await escalateOverdueAlerts(env);
    expect(await inClinic(c.id)).toEqual({ escalated: 0 });
    clock.advance(24 * 60 * 60_000);
    expect(await inClinic(c.id)).toEqual({ escalated: 0 });

    const rows = await database.db
      .select({ id: alert.id, escalatedAt: alert.escalatedAt, role: alert.escalatedToRole })
      .from(alert)
      .where(eq(alert.clinicId, c.id));
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(critical.id)).toMatchObject({
      escalatedAt: new Date(start.getTime() + 30 * 60_000),
      role: 'prescriber',
    });
    // A severity without a time never escalates; an acknowledged alert does not either.
    expect(byId.get(high.id)!.escalatedAt).toBeNull();
    expect(byId.get(acknowledgedInTime.id)!.escalatedAt).toBeNull();

    // One notice, to the named on-call prescriber only, naming no patient.
    const mails = await mailTo([onCall.email, notOnCall.email]);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to: onCall.email, subject: expect.stringContaining('escalated') });
    expect(mails[0]!.text).not.toContain('Quietly');
    expect(mails[0]!.text).not.toContain('suicide');

    const escalations = (await auditActions(c.id)).filter((e) => e.action === 'alert.escalate');
    expect(escalations).toEqual([{ action: 'alert.escalate', actorId: null, actorRole: 'system' }]);

    await again(owner, onCall, notOnCall);
    // The on-call prescriber, outside the care team, sees it in Mine and Escalated, opens its trail and
    // acknowledges it; the chart itself still needs break-glass. A prescriber not on call sees nothing.
    const list = (who: Staff, scope: string) =>
      as(
        app,
        who.signedIn,
      )({ method: 'GET', url: `/api/v1/alerts?scope=${scope}` }).then((r) =>
        r.json().items.map((a: { id: string }) => a.id),
      );
    expect(await list(onCall, 'mine')).toEqual([critical.id]);
    expect(await list(onCall, 'escalated')).toEqual([critical.id]);
    expect(await list(notOnCall, 'all')).toEqual([]);
    expect(await list(owner, 'escalated')).toEqual([critical.id]);
    // The inbox shows the patient's name, MRN and summary to someone outside the care team: the read names
    // the patient in the audit trail, as opening the alert does.
    const listed = await database.db
      .select({ patientId: auditEvent.patientId, detail: auditEvent.detail })
      .from(auditEvent)
      .where(
        and(
          eq(auditEvent.clinicId, c.id),
          eq(auditEvent.actorId, onCall.id),
          eq(auditEvent.action, 'alert.list'),
        ),
      );
    expect(listed.map((e) => e.patientId)).toEqual([p.id, p.id]);
    expect(listed[0]!.detail).toMatchObject({ alertIds: [critical.id] });
    const detail = await as(app, onCall.signedIn)({ method: 'GET', url: `/api/v1/alerts/${critical.id}` });
    expect(detail.json().escalation).toEqual({
      state: 'escalated',
      at: new Date(start.getTime() + 30 * 60_000).toISOString(),
      toRole: 'prescriber',
    });
    expect(detail.json().events.at(-1)).toMatchObject({
      kind: 'escalated',
      actor: null,
      role: 'prescriber',
      notifiedCount: 1,
    });
    expect(
      (await as(app, onCall.signedIn)({ method: 'GET', url: `/api/v1/patients/${p.id}/measures` }))
        .statusCode,
    ).toBe(404);
    expect(
      (await as(app, notOnCall.signedIn)({ method: 'GET', url: `/api/v1/alerts/${critical.id}` })).statusCode,
    ).toBe(404);
    const ack = await as(
      app,
      onCall.signedIn,
    )({
      method: 'POST',
      url: `/api/v1/alerts/${critical.id}/acknowledge`,
      payload: { action: 'Phoned the patient; no plan or intent; seen tomorrow.' },
    });
    expect(ack.statusCode).toBe(200);
    expect(ack.json().escalation.state).toBe('escalated');

    // What was escalated stays as it was.
    expect(
      await databaseError(
        database.db.update(alert).set({ escalatedToRole: 'nurse' }).where(eq(alert.id, critical.id)),
      ),
    ).toMatch(/escalation cannot be changed/);
  });

  it('without named staff, tells everyone active in the on-call role; two servers escalate once', async () => {
    const { c, owner, onCall, notOnCall, onCallNurse, p } = await setUp({
      escalateAfterMinutes: { high: 10 },
      onCallRole: 'prescriber',
    });
    const raised = await raise(owner, p.id, 'high');
    const alongside = await raise(owner, p.id, 'high');
    clock.advance(10 * 60_000);
    await again(owner);
    const [a, b] = await Promise.all([inClinic(c.id), inClinic(c.id)]);
    // Both alerts by one server (one trail event each), none by the other.
    expect([a.escalated, b.escalated].sort()).toEqual([0, 2]);
    const mails = await mailTo([owner.email, onCall.email, notOnCall.email, onCallNurse.email]);
    // The owner's own routing mail, plus one escalation notice per active prescriber.
    const notices = mails.filter((m) => m.subject.includes('escalated'));
    expect(notices.map((m) => m.to).sort()).toEqual([owner.email, onCall.email, notOnCall.email].sort());
    const events = (
      await as(app, owner.signedIn)({ method: 'GET', url: `/api/v1/alerts/${raised.id}` })
    ).json().events;
    expect(events.filter((e: { kind: string }) => e.kind === 'escalated')).toHaveLength(1);
    const alongsideEvents = (
      await as(app, owner.signedIn)({ method: 'GET', url: `/api/v1/alerts/${alongside.id}` })
    ).json().events;
    expect(alongsideEvents.filter((e: { kind: string }) => e.kind === 'escalated')).toMatchObject([
      { role: 'prescriber', notifiedCount: 3 },
    ]);
  });

  it('after the clinic moves on call to another role, only those told of an escalation still see it', async () => {
    const placeholder = randomUUID();
    const { c, owner, onCall, notOnCall, onCallNurse, p } = await setUp({
      escalateAfterMinutes: { high: 5 },
      onCallRole: 'prescriber',
      onCallUserIds: [placeholder],
    });
    const setAlerts = (alerts: ClinicAlertSettings) =>
      database.db
        .update(clinic)
        .set({ settings: sql`jsonb_set(${clinic.settings}, '{alerts}', ${JSON.stringify(alerts)}::jsonb)` })
        .where(eq(clinic.id, c.id));
    await setAlerts({
      escalateAfterMinutes: { high: 5 },
      onCallRole: 'prescriber',
      onCallUserIds: [onCall.id],
    });
    const raised = await raise(owner, p.id, 'high');
    clock.advance(5 * 60_000);
    expect(await inClinic(c.id)).toEqual({ escalated: 1 });
    await setAlerts({ escalateAfterMinutes: { high: 5 }, onCallRole: 'nurse' });
    await again(onCall, notOnCall, onCallNurse);
    const ids = (who: Staff) =>
      as(
        app,
        who.signedIn,
      )({ method: 'GET', url: '/api/v1/alerts' }).then((r) =>
        r.json().items.map((a: { id: string }) => a.id),
      );
    const detail = (who: Staff) =>
      as(app, who.signedIn)({ method: 'GET', url: `/api/v1/alerts/${raised.id}` }).then((r) => r.statusCode);
    // A prescriber outside the care team who was never on call sees nothing of it, by list or by id.
    expect(await ids(notOnCall)).toEqual([]);
    expect(await detail(notOnCall)).toBe(404);
    // The prescriber who was told keeps it until it is dealt with; the new on-call nurse was not told of it.
    expect(await ids(onCall)).toEqual([raised.id]);
    expect(await detail(onCall)).toBe(200);
    expect(await ids(onCallNurse)).toEqual([]);
  });

  it('alerts of another clinic are neither escalated nor visible', async () => {
    const { c, owner, p } = await setUp({ escalateAfterMinutes: { high: 5 }, onCallRole: 'prescriber' });
    const other = await setUp({});
    const raised = await raise(owner, p.id, 'high');
    const otherAlert = await raise(other.owner, other.p.id, 'high');
    clock.advance(60 * 60_000);
    await escalateOverdueAlerts(env);
    await again(other.onCall);
    const rows = await database.db
      .select({ id: alert.id, escalatedAt: alert.escalatedAt })
      .from(alert)
      .where(and(inArray(alert.id, [raised.id, otherAlert.id])));
    expect(rows.find((r) => r.id === raised.id)!.escalatedAt).not.toBeNull();
    expect(rows.find((r) => r.id === otherAlert.id)!.escalatedAt).toBeNull();
    expect(
      (await as(app, other.onCall.signedIn)({ method: 'GET', url: `/api/v1/alerts/${raised.id}` }))
        .statusCode,
    ).toBe(404);
    expect(c.id).not.toBe(other.c.id);
  });
});
