import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import { adverseEvent, alert, auditEvent } from '../../db/schema/index.ts';
import { runUnitOfWork } from '../../http/unit-of-work.ts';
import { createTestDatabase } from '../../testing/database.ts';
import {
  as,
  buildTestApp,
  createClinic,
  createPatient,
  createStaffUser,
  databaseError,
  type SignedIn,
  signIn,
} from '../../testing/factories.ts';
import { sessionAdverseEvents } from './adverse-events.service.ts';
import { createDosingSession } from './session.fixture.ts';

let database: DatabaseHandle;
let app: FastifyInstance;
let clinicId: string;
let nurseId: string;
let nurse: SignedIn;
let therapist: SignedIn;
let frontDesk: SignedIn;
let foreignNurse: SignedIn;
const clock = new ManualClock('2026-06-01T15:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, clock);
  clinicId = (await createClinic(database.db)).id;
  const foreign = await createClinic(database.db, { name: 'Elsewhere' });
  const n = await createStaffUser(database.db, clinicId, ['nurse'], { displayName: 'Nia Nurse' });
  nurseId = n.id;
  nurse = await signIn(app, n.email);
  therapist = await signIn(app, (await createStaffUser(database.db, clinicId, ['therapist'])).email);
  frontDesk = await signIn(app, (await createStaffUser(database.db, clinicId, ['frontdesk'])).email);
  foreignNurse = await signIn(app, (await createStaffUser(database.db, foreign.id, ['nurse'])).email);
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

async function newSession() {
  const patient = await createPatient(database.db, clinicId);
  const session = await createDosingSession(database.db, {
    clinicId,
    patientId: patient.id,
    staffId: nurseId,
  });
  return { patient, session };
}

const event = (overrides: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  category: 'nausea-vomiting',
  severity: 'mild',
  serious: false,
  description: 'Vomited once about 30 minutes after the second device.',
  actionTaken: 'Emesis bag, sips of water, reassurance.',
  outcome: 'resolved',
  onsetAt: '2026-06-01T14:30:00Z',
  ...overrides,
});
const record = (who: SignedIn, sessionId: string, payload: Record<string, unknown>) =>
  as(app, who)({ method: 'POST', url: `/api/v1/sessions/${sessionId}/adverse-events`, payload });
const amend = (who: SignedIn, sessionId: string, seriesId: string, payload: Record<string, unknown>) =>
  as(
    app,
    who,
  )({
    method: 'POST',
    url: `/api/v1/sessions/${sessionId}/adverse-events/${seriesId}/amendments`,
    payload,
  });
const list = (who: SignedIn, sessionId: string) =>
  as(app, who)({ method: 'GET', url: `/api/v1/sessions/${sessionId}/adverse-events` });

describe('adverse events of a dosing session', () => {
  it('records an event, lists it for the session and the chart, and audits both', async () => {
    const { patient, session } = await newSession();
    const payload = event();
    const created = await record(nurse, session.id, payload);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      seriesId: payload.id,
      sessionId: session.id,
      patientId: patient.id,
      current: {
        id: payload.id,
        version: 1,
        severity: 'mild',
        serious: false,
        outcome: 'resolved',
        recordedBy: { id: nurseId, displayName: 'Nia Nurse' },
        amendmentReason: null,
      },
      alert: null,
    });
    const listed = await list(therapist, session.id);
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items.map((e: { seriesId: string }) => e.seriesId)).toEqual([payload.id]);
    const chart = await as(
      app,
      therapist,
    )({ method: 'GET', url: `/api/v1/patients/${patient.id}/adverse-events` });
    expect(chart.json().items).toHaveLength(1);
    const actions = (
      await database.db
        .select({ action: auditEvent.action })
        .from(auditEvent)
        .where(and(eq(auditEvent.clinicId, clinicId), eq(auditEvent.patientId, patient.id)))
    ).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['adverse-event.record', 'adverse-event.list']));
  });

  it('flags a serious event for follow-up with one alert for the care team, critical when severe', async () => {
    const { patient, session } = await newSession();
    const payload = event({
      category: 'blood-pressure',
      severity: 'severe',
      serious: true,
      description: 'BP 212/118 with sudden severe headache at 40 minutes.',
      actionTaken: 'Prescriber at bedside, emergency services called, transferred to the ED.',
      outcome: 'ongoing',
    });
    const created = await record(nurse, session.id, payload);
    expect(created.statusCode).toBe(201);
    expect(created.json().alert).toMatchObject({ status: 'open', severity: 'critical' });
    const alerts = await database.db
      .select()
      .from(alert)
      .where(and(eq(alert.clinicId, clinicId), eq(alert.patientId, patient.id)));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      kind: 'serious-adverse-event',
      sourceType: 'adverse-event',
      sourceId: payload.id,
    });
    expect(alerts[0]!.summary).not.toContain('212');
    // Amending it (outcome now resolved) keeps the one alert.
    const amended = await amend(nurse, session.id, payload.id, {
      ...payload,
      id: randomUUID(),
      expectedVersion: 1,
      outcome: 'resolved',
      reason: 'Discharged from the ED the same evening',
    });
    expect(amended.statusCode).toBe(201);
    expect(amended.json().alert.id).toBe(alerts[0]!.id);
    expect(
      await database.db.$count(alert, and(eq(alert.clinicId, clinicId), eq(alert.patientId, patient.id))),
    ).toBe(1);
  });

  it('raises the follow-up alert when an amendment makes an event serious', async () => {
    const { session } = await newSession();
    const payload = event();
    await record(nurse, session.id, payload);
    const amended = await amend(nurse, session.id, payload.id, {
      ...payload,
      id: randomUUID(),
      expectedVersion: 1,
      serious: true,
      severity: 'moderate',
      reason: 'Admitted overnight for dehydration',
    });
    expect(amended.statusCode).toBe(201);
    expect(amended.json().alert).toMatchObject({ status: 'open', severity: 'high' });
  });

  it('amends by adding a version with a reason; a stale amendment is a conflict; rows never change', async () => {
    const { session } = await newSession();
    const payload = event();
    await record(nurse, session.id, payload);
    const second = {
      ...payload,
      id: randomUUID(),
      expectedVersion: 1,
      outcome: 'recovering',
      reason: 'Nausea came back',
    };
    const amended = await amend(nurse, session.id, payload.id, second);
    expect(amended.statusCode).toBe(201);
    expect(amended.json().current).toMatchObject({
      id: second.id,
      version: 2,
      outcome: 'recovering',
      amendmentReason: 'Nausea came back',
    });
    expect(
      amended.json().versions.map((v: { version: number; outcome: string }) => [v.version, v.outcome]),
    ).toEqual([
      [2, 'recovering'],
      [1, 'resolved'],
    ]);
    // The same amendment again is a replay; another one against version 1 is stale.
    expect((await amend(nurse, session.id, payload.id, second)).statusCode).toBe(200);
    const stale = await amend(nurse, session.id, payload.id, {
      ...second,
      id: randomUUID(),
      outcome: 'ongoing',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().errors[0].path).toBe('expectedVersion');
    // An amendment that changes nothing is refused.
    const unchanged = await amend(nurse, session.id, payload.id, {
      ...second,
      id: randomUUID(),
      expectedVersion: 2,
    });
    expect(unchanged.statusCode).toBe(400);
    // Two parallel amendments of version 2: one stands.
    const answers = await Promise.all(
      ['ongoing', 'resolved-with-sequelae', 'unknown'].map((outcome) =>
        amend(nurse, session.id, payload.id, {
          ...second,
          id: randomUUID(),
          expectedVersion: 2,
          outcome,
          reason: 'Race',
        }),
      ),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409, 409]);
    const message = await databaseError(
      database.db.execute(sql`UPDATE adverse_event SET outcome = 'fatal' WHERE id = ${payload.id}`),
    );
    expect(message).toMatch(/append-only|not allowed|cannot|reject/i);
    expect(await database.db.$count(adverseEvent, eq(adverseEvent.seriesId, payload.id))).toBe(3);
  });

  it('is idempotent by the client id, also in parallel; other content with the id is a conflict', async () => {
    const { session } = await newSession();
    const payload = event();
    const answers = await Promise.all(Array.from({ length: 5 }, () => record(nurse, session.id, payload)));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(await database.db.$count(adverseEvent, eq(adverseEvent.seriesId, payload.id))).toBe(1);
    const other = await record(nurse, session.id, { ...payload, severity: 'moderate' });
    expect(other.statusCode).toBe(409);
    expect(other.json().errors).toEqual([{ path: 'id', message: expect.any(String) }]);
    const { session: another } = await newSession();
    expect((await record(nurse, another.id, payload)).statusCode).toBe(409);
  });

  it('validates with field paths', async () => {
    const { session } = await newSession();
    const bad = await record(
      nurse,
      session.id,
      event({ severity: 'catastrophic', description: '', outcome: 'gone' }),
    );
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['description', 'outcome', 'severity']);
    const future = await record(nurse, session.id, event({ onsetAt: '2026-06-01T16:00:00Z' }));
    expect(future.statusCode).toBe(400);
    expect(future.json().errors[0].path).toBe('onsetAt');
    const noReason = await amend(nurse, session.id, randomUUID(), { ...event(), expectedVersion: 1 });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors.map((e: { path: string }) => e.path)).toEqual(['reason']);
    const missing = await amend(nurse, session.id, randomUUID(), {
      ...event(),
      expectedVersion: 1,
      reason: 'Correct it',
    });
    expect(missing.statusCode).toBe(404);
  });

  it('refuses roles without the permission (403) and another clinic (404, nothing of the patient)', async () => {
    const { patient, session } = await newSession();
    expect((await record(therapist, session.id, event())).statusCode).toBe(403);
    expect((await record(frontDesk, session.id, event())).statusCode).toBe(403);
    expect((await list(frontDesk, session.id)).statusCode).toBe(403);
    const foreign = await record(foreignNurse, session.id, event());
    expect(foreign.statusCode).toBe(404);
    const foreignList = await list(foreignNurse, session.id);
    expect(foreignList.statusCode).toBe(404);
    expect(foreignList.body).not.toContain(patient.familyName);
    const foreignChart = await as(
      app,
      foreignNurse,
    )({ method: 'GET', url: `/api/v1/patients/${patient.id}/adverse-events` });
    expect(foreignChart.statusCode).toBe(404);
  });

  it('exports sessionAdverseEvents for the session view', async () => {
    const { session } = await newSession();
    const first = event({ onsetAt: '2026-06-01T14:40:00Z' });
    const second = event({ onsetAt: '2026-06-01T14:10:00Z', category: 'anxiety-agitation' });
    await record(nurse, session.id, first);
    await record(nurse, session.id, second);
    const events = await runUnitOfWork(
      database.db,
      {
        kind: 'staff',
        userId: nurseId,
        clinicId,
        sessionId: randomUUID(),
        email: 'n@x',
        displayName: 'N',
        roles: ['nurse'],
      },
      { requestId: null, ip: null, userAgent: null },
      clock,
      (ctx) => sessionAdverseEvents(ctx, session.id),
    );
    expect(events.map((e) => e.seriesId)).toEqual([second.id, first.id]);
  });
});
