import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import { auditEvent, vitalSigns } from '../../db/schema/index.ts';
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

let database: DatabaseHandle;
let app: FastifyInstance;
let clinicId: string;
let nurse: SignedIn;
let therapist: SignedIn;
let frontDesk: SignedIn;
let foreignNurse: SignedIn;
const clock = new ManualClock('2026-06-01T14:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, clock);
  clinicId = (await createClinic(database.db)).id;
  const foreign = await createClinic(database.db, { name: 'Elsewhere' });
  nurse = await signIn(app, (await createStaffUser(database.db, clinicId, ['nurse'])).email);
  therapist = await signIn(app, (await createStaffUser(database.db, clinicId, ['therapist'])).email);
  frontDesk = await signIn(app, (await createStaffUser(database.db, clinicId, ['frontdesk'])).email);
  foreignNurse = await signIn(app, (await createStaffUser(database.db, foreign.id, ['nurse'])).email);
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const reading = (overrides: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  measuredAt: '2026-06-01T13:50:00Z',
  systolic: 128,
  diastolic: 82,
  heartRate: 72,
  spo2: 98,
  weightKg: 70.5,
  heightCm: 172,
  ...overrides,
});
const record = (who: SignedIn, patientId: string, payload: Record<string, unknown>) =>
  as(app, who)({ method: 'POST', url: `/api/v1/patients/${patientId}/vitals`, payload });
const list = async (who: SignedIn, patientId: string) =>
  as(app, who)({ method: 'GET', url: `/api/v1/patients/${patientId}/vitals` });

describe('screening vital signs', () => {
  it('records a reading, classifies it with @kapstone/clinical, and lists it', async () => {
    const patient = await createPatient(database.db, clinicId);
    const payload = reading({ systolic: 150, diastolic: 85 });
    const created = await record(nurse, patient.id, payload);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      id: payload.id,
      context: 'screening',
      systolic: 150,
      diastolic: 85,
      weightKg: 70.5,
      heightCm: 172,
      status: 'current',
      classification: { level: 'warning' },
    });
    expect(created.json().classification.reasons[0]).toMatch(/150\/85/);
    const listed = await list(therapist, patient.id);
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items.map((r: { id: string }) => r.id)).toEqual([payload.id]);
  });

  it('is idempotent by the client id: a retry returns the same reading, other values with that id are refused', async () => {
    const patient = await createPatient(database.db, clinicId);
    const payload = reading();
    expect((await record(nurse, patient.id, payload)).statusCode).toBe(201);
    const retry = await record(nurse, patient.id, payload);
    expect(retry.statusCode).toBe(200);
    expect(retry.json().id).toBe(payload.id);
    const rows = await database.db
      .select()
      .from(vitalSigns)
      .where(and(eq(vitalSigns.clinicId, clinicId), eq(vitalSigns.patientId, patient.id)));
    expect(rows).toHaveLength(1);
    const different = await record(nurse, patient.id, { ...payload, systolic: 140 });
    expect(different.statusCode).toBe(409);
    expect(different.json().errors).toEqual([{ path: 'id', message: expect.any(String) }]);
    // The same id sent for another patient is not that patient's reading either.
    const other = await createPatient(database.db, clinicId);
    expect((await record(nurse, other.id, payload)).statusCode).toBe(409);
  });

  it('keeps one reading when the same request is retried in parallel', async () => {
    const patient = await createPatient(database.db, clinicId);
    const payload = reading();
    const answers = await Promise.all(Array.from({ length: 8 }, () => record(nurse, patient.id, payload)));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.json().id))).toEqual(new Set([payload.id]));
    const rows = await database.db
      .select({ id: vitalSigns.id })
      .from(vitalSigns)
      .where(and(eq(vitalSigns.clinicId, clinicId), eq(vitalSigns.patientId, patient.id)));
    expect(rows).toHaveLength(1);
  });

  it('lets only one of two parallel corrections of a reading stand', async () => {
    const patient = await createPatient(database.db, clinicId);
    const first = reading();
    await record(nurse, patient.id, first);
    const answers = await Promise.all(
      [121, 122, 123, 124].map((systolic) =>
        record(nurse, patient.id, reading({ supersedesId: first.id, correctionReason: 'Recheck', systolic })),
      ),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409, 409, 409]);
  });

  it('corrects by superseding, once; marks entered in error; never updates a row', async () => {
    const patient = await createPatient(database.db, clinicId);
    const first = reading({ systolic: 210, diastolic: 85 });
    await record(nurse, patient.id, first);
    const correction = reading({
      supersedesId: first.id,
      correctionReason: 'Typed 210 for 120',
      systolic: 120,
      diastolic: 85,
    });
    const corrected = await record(nurse, patient.id, correction);
    expect(corrected.statusCode).toBe(201);
    expect(corrected.json()).toMatchObject({ supersedesId: first.id, status: 'current' });
    const again = await record(
      nurse,
      patient.id,
      reading({ supersedesId: first.id, correctionReason: 'Second try', systolic: 121, diastolic: 80 }),
    );
    expect(again.statusCode).toBe(409);
    expect(again.json().errors[0].path).toBe('supersedesId');

    const retraction = reading({
      supersedesId: correction.id,
      correctionReason: 'Wrong patient',
      enteredInError: true,
      systolic: undefined,
      diastolic: undefined,
      heartRate: undefined,
      spo2: undefined,
      weightKg: undefined,
      heightCm: undefined,
    });
    expect((await record(nurse, patient.id, retraction)).statusCode).toBe(201);
    const items = (await list(nurse, patient.id)).json().items as { id: string; status: string }[];
    const status = Object.fromEntries(items.map((i) => [i.id, i.status]));
    expect(status).toEqual({
      [first.id]: 'superseded',
      [correction.id]: 'entered-in-error',
      [retraction.id]: 'retraction',
    });
    // Another clinic's or another patient's reading cannot be superseded.
    const other = await createPatient(database.db, clinicId);
    const foreignTarget = await record(
      nurse,
      other.id,
      reading({ supersedesId: first.id, correctionReason: 'Not theirs' }),
    );
    expect(foreignTarget.statusCode).toBe(400);
  });

  it('refuses implausible or incomplete input with field paths', async () => {
    const patient = await createPatient(database.db, clinicId);
    const cases: [Record<string, unknown>, string][] = [
      [{ systolic: 1200 }, 'systolic'],
      [{ spo2: 101 }, 'spo2'],
      [{ heartRate: 72.5 }, 'heartRate'],
      [{ diastolic: null }, 'diastolic'],
      [{ systolic: 80, diastolic: 90 }, 'diastolic'],
      [{ weightKg: 70.55 }, 'weightKg'],
      [{ correctionReason: 'no target' }, 'supersedesId'],
      [{ unknownField: 1 }, ''],
    ];
    for (const [change, path] of cases) {
      const response = await record(nurse, patient.id, reading(change));
      expect(response.statusCode, JSON.stringify(change)).toBe(400);
      if (path) expect(response.body, JSON.stringify(change)).toContain(path);
    }
    const empty = await record(nurse, patient.id, {
      id: randomUUID(),
      measuredAt: '2026-06-01T13:00:00Z',
    });
    expect(empty.statusCode).toBe(400);
    const future = await record(nurse, patient.id, reading({ measuredAt: '2026-06-01T15:00:00Z' }));
    expect(future.statusCode).toBe(400);
    expect(future.json().errors[0].path).toBe('measuredAt');
  });

  it('lets nurses record, therapists read, front desk neither; another clinic gets 404', async () => {
    const patient = await createPatient(database.db, clinicId);
    expect((await record(therapist, patient.id, reading())).statusCode).toBe(403);
    expect((await list(frontDesk, patient.id)).statusCode).toBe(403);
    const foreign = await record(foreignNurse, patient.id, reading());
    expect(foreign.statusCode).toBe(404);
    expect((await list(foreignNurse, patient.id)).statusCode).toBe(404);
    expect(foreign.body).not.toContain(patient.familyName);
  });

  it('audits each reading and each read, naming no values', async () => {
    const patient = await createPatient(database.db, clinicId);
    const payload = reading();
    await record(nurse, patient.id, payload);
    await list(nurse, patient.id);
    const events = await database.db
      .select({ action: auditEvent.action, resourceId: auditEvent.resourceId, detail: auditEvent.detail })
      .from(auditEvent)
      .where(and(eq(auditEvent.clinicId, clinicId), eq(auditEvent.patientId, patient.id)));
    expect(events.map((e) => e.action)).toEqual(['vitals.record', 'vitals.list']);
    expect(events[0]!.resourceId).toBe(payload.id);
    expect(JSON.stringify(events)).not.toContain('128');
  });

  it('is append-only in the database: UPDATE and DELETE are refused by a trigger', async () => {
    const patient = await createPatient(database.db, clinicId);
    const payload = reading();
    await record(nurse, patient.id, payload);
    expect(
      await databaseError(
        database.db.execute(sql`UPDATE vital_signs SET systolic = 100 WHERE id = ${payload.id}`),
      ),
    ).toMatch(/append-only/);
    expect(
      await databaseError(database.db.execute(sql`DELETE FROM vital_signs WHERE id = ${payload.id}`)),
    ).toMatch(/append-only/);
  });
});
