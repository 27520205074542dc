import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import { auditEvent, psychotherapyNote } from '../../db/schema/index.ts';
import { createTestDatabase } from '../../testing/database.ts';
import {
  as,
  assignCareTeam,
  buildTestApp,
  createClinic,
  createPatient,
  createPatientUser,
  createStaffUser,
  databaseError,
  type SignedIn,
  signIn,
} from '../../testing/factories.ts';

let database: DatabaseHandle;
let app: FastifyInstance;
let clinicId: string;
let careTeamClinicId: string;
let therapist: SignedIn;
let therapistId: string;
let otherTherapist: SignedIn;
let prescriber: SignedIn;
let nurse: SignedIn;
let foreignTherapist: SignedIn;
const clock = new ManualClock('2026-06-01T14:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, clock);
  clinicId = (await createClinic(database.db)).id;
  careTeamClinicId = (await createClinic(database.db, { settings: { careScope: 'care-team' } })).id;
  const foreign = await createClinic(database.db, { name: 'Elsewhere' });
  const t = await createStaffUser(database.db, clinicId, ['therapist'], { displayName: 'Tess Therapist' });
  therapistId = t.id;
  therapist = await signIn(app, t.email);
  otherTherapist = await signIn(app, (await createStaffUser(database.db, clinicId, ['therapist'])).email);
  prescriber = await signIn(app, (await createStaffUser(database.db, clinicId, ['prescriber'])).email);
  nurse = await signIn(app, (await createStaffUser(database.db, clinicId, ['nurse'])).email);
  foreignTherapist = await signIn(app, (await createStaffUser(database.db, foreign.id, ['therapist'])).email);
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const write = (who: SignedIn, payload: Record<string, unknown>) =>
  as(app, who)({ method: 'POST', url: '/api/v1/psychotherapy-notes', payload });
const list = (who: SignedIn, patientId: string, extra = '') =>
  as(app, who)({ method: 'GET', url: `/api/v1/psychotherapy-notes?patientId=${patientId}${extra}` });

describe('psychotherapy notes (clinical-reference 7.1)', () => {
  it('saves a note its author reads back, sealed at rest, audited without its words', async () => {
    const patient = await createPatient(database.db, clinicId);
    const id = randomUUID();
    const body = 'Patient spoke about the loss of her father and the dream imagery during the session.';
    const saved = await write(therapist, { id, patientId: patient.id, body });
    expect(saved.statusCode).toBe(201);
    expect(saved.json()).toMatchObject({
      seriesId: id,
      patientId: patient.id,
      appointmentId: null,
      author: { id: therapistId, displayName: 'Tess Therapist' },
      current: { id, version: 1, body },
    });
    const mine = await list(therapist, patient.id);
    expect(mine.statusCode).toBe(200);
    expect(mine.json().items.map((n: { current: { body: string } }) => n.current.body)).toEqual([body]);

    const [row] = await database.db.select().from(psychotherapyNote).where(eq(psychotherapyNote.id, id));
    expect(row!.bodySealed.startsWith('v1.')).toBe(true);
    expect(row!.bodySealed).not.toContain('father');

    const events = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.clinicId, clinicId), eq(auditEvent.patientId, patient.id)));
    const actions = events.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['psychotherapy-note.create', 'psychotherapy-note.list']));
    expect(JSON.stringify(events)).not.toContain('father');
  });

  it('is readable by nobody but its author: other clinicians, break-glass and the patient see nothing', async () => {
    const patient = await createPatient(database.db, careTeamClinicId);
    const author = await createStaffUser(database.db, careTeamClinicId, ['therapist']);
    await assignCareTeam(database.db, careTeamClinicId, patient.id, author.id, 'therapist');
    const authorIn = await signIn(app, author.email);
    const colleague = await createStaffUser(database.db, careTeamClinicId, ['prescriber']);
    await assignCareTeam(database.db, careTeamClinicId, patient.id, colleague.id, 'prescriber');
    const colleagueIn = await signIn(app, colleague.email);
    const outsider = await signIn(
      app,
      (await createStaffUser(database.db, careTeamClinicId, ['therapist'])).email,
    );
    expect(
      (await write(authorIn, { id: randomUUID(), patientId: patient.id, body: 'Private words' })).statusCode,
    ).toBe(201);

    // The prescriber on the care team may write notes too, but reads none of the therapist's.
    const colleagueList = await list(colleagueIn, patient.id);
    expect(colleagueList.statusCode).toBe(200);
    expect(colleagueList.json().items).toEqual([]);
    // Break-glass opens the chart, not the notes.
    expect((await list(outsider, patient.id)).statusCode).toBe(404);
    const glass = await as(
      app,
      outsider,
    )({
      method: 'POST',
      url: `/api/v1/patients/${patient.id}/break-glass`,
      payload: { reason: 'Covering an emergency call tonight' },
    });
    expect(glass.statusCode).toBe(201);
    const throughGlass = await list(outsider, patient.id);
    expect(throughGlass.statusCode).toBe(200);
    expect(throughGlass.json().items).toEqual([]);

    // Nurses and front desk have no psychotherapy-note permission; the patient neither (no HIPAA right of access).
    expect((await list(nurse, patient.id)).statusCode).toBe(403);
    const account = await signIn(
      app,
      (await createPatientUser(database.db, careTeamClinicId, patient.id)).email,
    );
    expect((await list(account, patient.id)).statusCode).toBe(403);
    // The chart's other routes never carry the note.
    const chart = await as(app, colleagueIn)({ method: 'GET', url: `/api/v1/patients/${patient.id}` });
    expect(chart.body).not.toContain('Private words');
  });

  it('answers another clinic’s patient with 404 and nothing of the patient', async () => {
    const patient = await createPatient(database.db, clinicId, { familyName: 'Hiddenname' });
    const answer = await list(foreignTherapist, patient.id);
    expect(answer.statusCode).toBe(404);
    expect(answer.body.replaceAll(patient.id, '')).not.toContain('Hiddenname');
    const writeAnswer = await write(foreignTherapist, { id: randomUUID(), patientId: patient.id, body: 'x' });
    expect(writeAnswer.statusCode).toBe(404);
  });

  it('revises by adding a version, once per version; the first stays as written', async () => {
    const patient = await createPatient(database.db, clinicId);
    const first = randomUUID();
    await write(therapist, { id: first, patientId: patient.id, body: 'First thoughts' });
    const second = randomUUID();
    const revised = await write(therapist, {
      id: second,
      patientId: patient.id,
      amendsId: first,
      body: 'First thoughts, and what came after',
    });
    expect(revised.statusCode).toBe(201);
    expect(revised.json()).toMatchObject({
      seriesId: first,
      current: { id: second, version: 2, body: 'First thoughts, and what came after' },
    });
    expect(revised.json().versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    // Revising the old version again is refused: revise the latest.
    const stale = await write(therapist, {
      id: randomUUID(),
      patientId: patient.id,
      amendsId: first,
      body: 'Other',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().errors[0].path).toBe('amendsId');
    // Another author cannot revise it (it is not theirs to name).
    const foreignRevision = await write(otherTherapist, {
      id: randomUUID(),
      patientId: patient.id,
      amendsId: second,
      body: 'Hijack',
    });
    expect(foreignRevision.statusCode).toBe(400);
    expect(foreignRevision.json().errors[0].path).toBe('amendsId');
    // One series in the list, with both versions.
    const mine = (await list(therapist, patient.id)).json().items;
    expect(mine).toHaveLength(1);
    expect(mine[0].versions).toHaveLength(2);
    // The database refuses any change of a saved version.
    const message = await databaseError(
      database.db.execute(sql`UPDATE psychotherapy_note SET body_sealed = 'x' WHERE id = ${first}`),
    );
    expect(message).toMatch(/append-only|not allowed|cannot|reject/i);
  });

  it('is idempotent by the client id; the same id with other words, or by someone else, is a conflict', async () => {
    const patient = await createPatient(database.db, clinicId);
    const payload = { id: randomUUID(), patientId: patient.id, body: 'Retry me' };
    expect((await write(therapist, payload)).statusCode).toBe(201);
    const retry = await write(therapist, payload);
    expect(retry.statusCode).toBe(200);
    expect(retry.json().current.id).toBe(payload.id);
    expect((await write(therapist, { ...payload, body: 'Other words' })).statusCode).toBe(409);
    expect((await write(prescriber, payload)).statusCode).toBe(409);
    const rows = await database.db
      .select()
      .from(psychotherapyNote)
      .where(eq(psychotherapyNote.patientId, patient.id));
    expect(rows).toHaveLength(1);
  });

  it('links a note to one of the patient’s appointments only, and filters by it', async () => {
    const patient = await createPatient(database.db, clinicId);
    const other = await createPatient(database.db, clinicId);
    const booked = await as(
      app,
      prescriber,
    )({
      method: 'POST',
      url: '/api/v1/appointments',
      payload: {
        patientId: patient.id,
        kind: 'integration',
        startsAt: '2026-06-03T16:00:00Z',
        endsAt: '2026-06-03T17:00:00Z',
      },
    });
    expect(booked.statusCode).toBe(201);
    const appointmentId = booked.json().id;
    const wrong = await write(therapist, { id: randomUUID(), patientId: other.id, appointmentId, body: 'x' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].path).toBe('appointmentId');
    await write(therapist, { id: randomUUID(), patientId: patient.id, appointmentId, body: 'In session' });
    await write(therapist, { id: randomUUID(), patientId: patient.id, body: 'Between sessions' });
    const filtered = (await list(therapist, patient.id, `&appointmentId=${appointmentId}`)).json().items;
    expect(filtered.map((n: { current: { body: string } }) => n.current.body)).toEqual(['In session']);
  });

  it('validates the body with field paths', async () => {
    const patient = await createPatient(database.db, clinicId);
    const empty = await write(therapist, { id: randomUUID(), patientId: patient.id, body: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors.map((e: { path: string }) => e.path)).toEqual(['body']);
    const badId = await write(therapist, { id: 'nope', patientId: patient.id, body: 'x' });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().errors.map((e: { path: string }) => e.path)).toEqual(['id']);
    expect((await as(app, therapist)({ method: 'GET', url: '/api/v1/psychotherapy-notes' })).statusCode).toBe(
      400,
    );
  });
});
