import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import { createTestDatabase } from '../../testing/database.ts';
import {
  as,
  buildTestApp,
  createClinic,
  createPatient,
  createStaffUser,
  type SignedIn,
  signIn,
} from '../../testing/factories.ts';

let database: DatabaseHandle;
let app: FastifyInstance;
let clinicId: string;
let frontDesk: SignedIn;
let admin: SignedIn;
let nurseId: string;
let therapistId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, new ManualClock('2026-06-01T08:00:00Z'));
  clinicId = (await createClinic(database.db)).id;
  frontDesk = await signIn(app, (await createStaffUser(database.db, clinicId, ['frontdesk'])).email);
  admin = await signIn(app, (await createStaffUser(database.db, clinicId, ['admin'])).email);
  nurseId = (await createStaffUser(database.db, clinicId, ['nurse'])).id;
  therapistId = (await createStaffUser(database.db, clinicId, ['therapist'])).id;
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

async function newRoom(name: string): Promise<string> {
  const response = await as(
    app,
    admin,
  )({ method: 'POST', url: '/api/v1/rooms', payload: { name, kind: 'dosing-room' } });
  expect(response.statusCode).toBe(201);
  return response.json().id;
}
const book = (payload: Record<string, unknown>) =>
  as(app, frontDesk)({ method: 'POST', url: '/api/v1/appointments', payload });

describe('scheduling', () => {
  it('books an appointment with a room and staff, and lists it on the calendar with the patient’s name', async () => {
    const roomId = await newRoom('Chair 1');
    const patient = await createPatient(database.db, clinicId);
    const response = await book({
      patientId: patient.id,
      kind: 'preparation',
      roomId,
      startsAt: '2026-06-02T09:00:00Z',
      endsAt: '2026-06-02T11:00:00Z',
      staff: [
        { userId: nurseId, role: 'nurse' },
        { userId: therapistId, role: 'therapist' },
      ],
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({
      kind: 'preparation',
      roomId,
      roomName: 'Chair 1',
      status: 'scheduled',
      patient: { displayName: `Avery ${patient.familyName}`, mrn: patient.mrn },
      rideHomeConfirmed: null,
      noDrivingAcknowledged: null,
    });
    expect(response.json().staff).toHaveLength(2);
    const calendar = (
      await as(
        app,
        frontDesk,
      )({
        method: 'GET',
        url: `/api/v1/appointments?from=2026-06-02T00:00:00Z&to=2026-06-03T00:00:00Z&roomId=${roomId}`,
      })
    ).json();
    expect(calendar.items.map((a: { id: string }) => a.id)).toEqual([response.json().id]);
    expect(calendar.timeZone).toBe('America/New_York');
  });

  it('refuses to double-book a room, a staff member or a patient, saying which', async () => {
    const roomId = await newRoom('Chair 2');
    const [a, b, c] = [
      await createPatient(database.db, clinicId),
      await createPatient(database.db, clinicId),
      await createPatient(database.db, clinicId),
    ];
    expect(
      (
        await book({
          patientId: a.id,
          kind: 'preparation',
          roomId,
          startsAt: '2026-06-03T09:00:00Z',
          endsAt: '2026-06-03T11:00:00Z',
          staff: [{ userId: nurseId, role: 'nurse' }],
        })
      ).statusCode,
    ).toBe(201);

    const room = await book({
      patientId: b.id,
      kind: 'preparation',
      roomId,
      startsAt: '2026-06-03T10:59:00Z',
      endsAt: '2026-06-03T12:00:00Z',
    });
    expect(room.statusCode).toBe(409);
    expect(room.json().errors).toEqual([{ path: 'roomId', message: expect.stringContaining('room') }]);

    const staff = await book({
      patientId: c.id,
      kind: 'integration',
      startsAt: '2026-06-03T10:00:00Z',
      endsAt: '2026-06-03T10:30:00Z',
      staff: [{ userId: nurseId, role: 'nurse' }],
    });
    expect(staff.json().errors[0].path).toBe('staff');

    const patient = await book({
      patientId: a.id,
      kind: 'integration',
      startsAt: '2026-06-03T10:00:00Z',
      endsAt: '2026-06-03T10:30:00Z',
    });
    expect(patient.json().errors[0].path).toBe('patientId');

    // Back to back is not an overlap (half-open ranges).
    expect(
      (
        await book({
          patientId: b.id,
          kind: 'preparation',
          roomId,
          startsAt: '2026-06-03T11:00:00Z',
          endsAt: '2026-06-03T13:00:00Z',
        })
      ).statusCode,
    ).toBe(201);
  });

  it('frees the slot when an appointment is cancelled, and keeps the cancelled one', async () => {
    const roomId = await newRoom('Chair 3');
    const [a, b] = [await createPatient(database.db, clinicId), await createPatient(database.db, clinicId)];
    const first = (
      await book({
        patientId: a.id,
        kind: 'preparation',
        roomId,
        startsAt: '2026-06-04T09:00:00Z',
        endsAt: '2026-06-04T11:00:00Z',
        staff: [{ userId: therapistId, role: 'therapist' }],
      })
    ).json();
    const cancelled = await as(
      app,
      frontDesk,
    )({
      method: 'POST',
      url: `/api/v1/appointments/${first.id}/cancel`,
      payload: { reason: 'Patient unwell' },
    });
    expect(cancelled.json().status).toBe('cancelled');
    expect(
      (
        await as(
          app,
          frontDesk,
        )({ method: 'POST', url: `/api/v1/appointments/${first.id}/cancel`, payload: { reason: 'again' } })
      ).statusCode,
    ).toBe(409);
    expect(
      (
        await book({
          patientId: b.id,
          kind: 'preparation',
          roomId,
          startsAt: '2026-06-04T09:00:00Z',
          endsAt: '2026-06-04T11:00:00Z',
          staff: [{ userId: therapistId, role: 'therapist' }],
        })
      ).statusCode,
    ).toBe(201);
    const all = (
      await as(
        app,
        frontDesk,
      )({
        method: 'GET',
        url: `/api/v1/appointments?from=2026-06-04T00:00:00Z&to=2026-06-05T00:00:00Z&roomId=${roomId}&includeCancelled=true`,
      })
    ).json();
    expect(all.items.map((x: { status: string }) => x.status).sort()).toEqual(['cancelled', 'scheduled']);
  });

  it('lets exactly one of many concurrent bookings of the same room slot win', async () => {
    const roomId = await newRoom('Chair 4');
    const patients = await Promise.all(
      Array.from({ length: 12 }, () => createPatient(database.db, clinicId)),
    );
    const responses = await Promise.all(
      patients.map((p) =>
        book({
          patientId: p.id,
          kind: 'preparation',
          roomId,
          startsAt: '2026-06-05T09:00:00Z',
          endsAt: '2026-06-05T11:00:00Z',
        }),
      ),
    );
    const statuses = responses.map((r) => r.statusCode).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(11);
    const calendar = (
      await as(
        app,
        frontDesk,
      )({
        method: 'GET',
        url: `/api/v1/appointments?from=2026-06-05T00:00:00Z&to=2026-06-06T00:00:00Z&roomId=${roomId}`,
      })
    ).json();
    expect(calendar.items).toHaveLength(1);
  });

  it('validates times, rooms and staff of the clinic, and scopes everything to the clinic', async () => {
    const patient = await createPatient(database.db, clinicId);
    expect(
      (
        await book({
          patientId: patient.id,
          kind: 'preparation',
          startsAt: '2026-06-06T11:00:00Z',
          endsAt: '2026-06-06T10:00:00Z',
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await book({
          patientId: patient.id,
          kind: 'preparation',
          startsAt: '2026-06-06T08:00:00Z',
          endsAt: '2026-06-06T21:00:00Z',
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await book({
          patientId: patient.id,
          kind: 'preparation',
          roomId: crypto.randomUUID(),
          startsAt: '2026-06-06T08:00:00Z',
          endsAt: '2026-06-06T09:00:00Z',
        })
      ).json().errors[0].path,
    ).toBe('roomId');
    const otherClinic = await createClinic(database.db);
    const outsider = await createStaffUser(database.db, otherClinic.id, ['nurse']);
    expect(
      (
        await book({
          patientId: patient.id,
          kind: 'preparation',
          startsAt: '2026-06-06T08:00:00Z',
          endsAt: '2026-06-06T09:00:00Z',
          staff: [{ userId: outsider.id, role: 'nurse' }],
        })
      ).json().errors[0].path,
    ).toBe('staff.0.userId');
    const foreignPatient = await createPatient(database.db, otherClinic.id);
    expect(
      (
        await book({
          patientId: foreignPatient.id,
          kind: 'preparation',
          startsAt: '2026-06-06T08:00:00Z',
          endsAt: '2026-06-06T09:00:00Z',
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await as(
          app,
          frontDesk,
        )({ method: 'GET', url: '/api/v1/appointments?from=2026-06-01T00:00:00Z&to=2026-09-01T00:00:00Z' })
      ).statusCode,
    ).toBe(400);
  });
});
