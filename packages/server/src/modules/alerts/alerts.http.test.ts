import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { Actor } from '../../context.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import { auditEvent } from '../../db/schema/index.ts';
import { runUnitOfWork } from '../../http/unit-of-work.ts';
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
  signIn,
} from '../../testing/factories.ts';
import { raiseAlert } from './alerts.service.ts';

let database: DatabaseHandle;
let app: FastifyInstance;
let foreignPrescriber: SignedIn;
const clock = new ManualClock('2026-06-01T15:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, clock);
  const foreign = await createClinic(database.db);
  foreignPrescriber = await signIn(
    app,
    (await createStaffUser(database.db, foreign.id, ['prescriber'])).email,
  );
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const submit = (who: SignedIn, assignmentId: string, payload: Record<string, unknown>) =>
  as(app, who)({ method: 'POST', url: `/api/v1/me/measures/${assignmentId}/responses`, payload });
const phq9 = (item9: number) => [1, 2, 1, 1, 0, 1, 2, 0, item9, 1];

/** raiseAlert as another area would call it, inside a unit of work of a staff member. */
function raiseAs(actor: Actor, input: Parameters<typeof raiseAlert>[1]) {
  return runUnitOfWork(database.db, actor, { requestId: null, ip: null, userAgent: null }, clock, (ctx) =>
    raiseAlert(ctx, input),
  );
}

describe('alerts', () => {
  it('lists open alerts to the care team and acknowledges them with the action taken', async () => {
    const careTeamClinic = await createClinic(database.db, { settings: { careScope: 'care-team' } });
    const mine = await createStaffUser(database.db, careTeamClinic.id, ['prescriber']);
    const other = await createStaffUser(database.db, careTeamClinic.id, ['nurse']);
    const mineSignedIn = await signIn(app, mine.email);
    const otherSignedIn = await signIn(app, other.email);
    const front = await signIn(
      app,
      (await createStaffUser(database.db, careTeamClinic.id, ['frontdesk'])).email,
    );
    const patient = await createPatient(database.db, careTeamClinic.id);
    await assignCareTeam(database.db, careTeamClinic.id, patient.id, mine.id, 'prescriber');
    const account = await signIn(
      app,
      (await createPatientUser(database.db, careTeamClinic.id, patient.id)).email,
    );
    const assigned = await as(
      app,
      mineSignedIn,
    )({
      method: 'POST',
      url: `/api/v1/patients/${patient.id}/measure-assignments`,
      payload: { instruments: ['phq9'] },
    });
    await submit(account, assigned.json().assigned[0].id, { id: randomUUID(), answers: phq9(2) });

    const list = await as(app, mineSignedIn)({ method: 'GET', url: '/api/v1/alerts' });
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toHaveLength(1);
    const open = list.json().items[0];
    expect(open).toMatchObject({
      kind: 'suicide-risk',
      severity: 'high',
      status: 'open',
      owner: { id: mine.id },
      patient: { id: patient.id },
      acknowledgement: null,
    });
    // Outside the care team the alert is not listed and cannot be acknowledged.
    expect((await as(app, otherSignedIn)({ method: 'GET', url: '/api/v1/alerts' })).json().items).toEqual([]);
    const url = `/api/v1/alerts/${open.id}/acknowledge`;
    expect(
      (await as(app, otherSignedIn)({ method: 'POST', url, payload: { action: 'Called the patient' } }))
        .statusCode,
    ).toBe(404);
    expect((await as(app, front)({ method: 'GET', url: '/api/v1/alerts' })).statusCode).toBe(403);
    expect(
      (await as(app, foreignPrescriber)({ method: 'POST', url, payload: { action: 'Called the patient' } }))
        .statusCode,
    ).toBe(404);

    const noAction = await as(app, mineSignedIn)({ method: 'POST', url, payload: {} });
    expect(noAction.statusCode).toBe(400);
    expect(noAction.json().errors[0].path).toBe('action');
    const blank = await as(app, mineSignedIn)({ method: 'POST', url, payload: { action: '   ' } });
    expect(blank.statusCode).toBe(400);

    const done = await as(
      app,
      mineSignedIn,
    )({ method: 'POST', url, payload: { action: 'Called the patient; safety plan reviewed, no intent.' } });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({
      status: 'acknowledged',
      acknowledgement: {
        by: { id: mine.id },
        action: 'Called the patient; safety plan reviewed, no intent.',
      },
    });
    expect(
      (await as(app, mineSignedIn)({ method: 'POST', url, payload: { action: 'Again' } })).statusCode,
    ).toBe(409);
    expect((await as(app, mineSignedIn)({ method: 'GET', url: '/api/v1/alerts' })).json().items).toEqual([]);
    expect(
      (await as(app, mineSignedIn)({ method: 'GET', url: '/api/v1/alerts?status=acknowledged' })).json()
        .items,
    ).toHaveLength(1);
    const events = await database.db
      .select({ action: auditEvent.action })
      .from(auditEvent)
      .where(eq(auditEvent.clinicId, careTeamClinic.id));
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining(['alert.raise', 'alert.list', 'alert.acknowledge']),
    );
  });

  it('orders critical first, pages with a cursor, raises once per source, and shows break-glass patients', async () => {
    const careTeamClinic = await createClinic(database.db, { settings: { careScope: 'care-team' } });
    const nurse = await createStaffUser(database.db, careTeamClinic.id, ['nurse']);
    const nurseSignedIn = await signIn(app, nurse.email);
    const actor: Actor = {
      kind: 'staff',
      userId: nurse.id,
      clinicId: careTeamClinic.id,
      sessionId: randomUUID(),
      email: nurse.email,
      displayName: 'Nurse',
      roles: ['nurse'],
    };
    const patients = [
      await createPatient(database.db, careTeamClinic.id),
      await createPatient(database.db, careTeamClinic.id),
      await createPatient(database.db, careTeamClinic.id),
    ];
    for (const p of patients) await assignCareTeam(database.db, careTeamClinic.id, p.id, nurse.id, 'nurse');
    const source = { type: 'questionnaire-response', id: randomUUID() };
    const first = await raiseAs(actor, {
      patientId: patients[0]!.id,
      kind: 'suicide-risk',
      severity: 'high',
      summary: 'First',
      source,
    });
    clock.advance(60_000);
    const again = await raiseAs(actor, {
      patientId: patients[0]!.id,
      kind: 'suicide-risk',
      severity: 'high',
      summary: 'First',
      source,
    });
    expect(again.id).toBe(first.id);
    // No prescriber or therapist on the care team: unassigned, for the team as a whole.
    expect(first.owner).toBeNull();
    const critical = await raiseAs(actor, {
      patientId: patients[1]!.id,
      kind: 'suicide-risk',
      severity: 'critical',
      summary: 'Second',
      source: { type: 'questionnaire-response', id: randomUUID() },
    });
    const third = await raiseAs(actor, {
      patientId: patients[2]!.id,
      kind: 'suicide-risk',
      severity: 'high',
      summary: 'Third',
      source: { type: 'questionnaire-response', id: randomUUID() },
    });

    const page1 = await as(app, nurseSignedIn)({ method: 'GET', url: '/api/v1/alerts?limit=2' });
    expect(page1.json().items.map((a: { id: string }) => a.id)).toEqual([critical.id, first.id]);
    const page2 = await as(
      app,
      nurseSignedIn,
    )({ method: 'GET', url: `/api/v1/alerts?limit=2&cursor=${page1.json().nextCursor}` });
    expect(page2.json().items.map((a: { id: string }) => a.id)).toEqual([third.id]);
    expect(page2.json().nextCursor).toBeNull();
    expect(
      (await as(app, nurseSignedIn)({ method: 'GET', url: '/api/v1/alerts?cursor=not-a-cursor' })).statusCode,
    ).toBe(400);

    // A prescriber outside the care team sees none of them, until break-glass opens one chart.
    const outsider = await createStaffUser(database.db, careTeamClinic.id, ['prescriber']);
    const outsiderSignedIn = await signIn(app, outsider.email);
    expect((await as(app, outsiderSignedIn)({ method: 'GET', url: '/api/v1/alerts' })).json().items).toEqual(
      [],
    );
    const grant = await as(
      app,
      outsiderSignedIn,
    )({
      method: 'POST',
      url: `/api/v1/patients/${patients[1]!.id}/break-glass`,
      payload: { reason: 'Critical alert, the care team cannot be reached' },
    });
    expect(grant.statusCode).toBe(201);
    expect(
      (await as(app, outsiderSignedIn)({ method: 'GET', url: '/api/v1/alerts' }))
        .json()
        .items.map((a: { id: string }) => a.id),
    ).toEqual([critical.id]);
  });
});

describe('the inbox cursor', () => {
  it('is a 400, not a 500, when its sort key was tampered with', async () => {
    const cursor = (key: Record<string, unknown>) => Buffer.from(JSON.stringify(key)).toString('base64url');
    for (const key of [
      { rank: 1, raisedAt: 'not-a-date', id: randomUUID() },
      { rank: 'high', raisedAt: '2026-06-01T15:00:00.000Z', id: randomUUID() },
      { rank: 1.5, raisedAt: '2026-06-01T15:00:00.000Z', id: randomUUID() },
    ]) {
      const response = await as(
        app,
        foreignPrescriber,
      )({ method: 'GET', url: `/api/v1/alerts?cursor=${cursor(key)}` });
      expect(response.statusCode, JSON.stringify(key)).toBe(400);
    }
  });
});
