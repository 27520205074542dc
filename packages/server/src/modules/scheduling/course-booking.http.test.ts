import { and, eq, ne } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import { appointment } from '../../db/schema/index.ts';
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
import { localParts } from './clinic-time.ts';
import { completePathway, kapImPlan, type PathwayActors } from './pathway.fixture.ts';

let database: DatabaseHandle;
let app: FastifyInstance;
let clinicId: string;
let frontDesk: SignedIn;
let therapistSession: SignedIn;
let actors: PathwayActors;
const staffIds: Record<string, string> = {};
const clock = new ManualClock('2026-06-01T08:00:00Z');
const zone = 'America/New_York';

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, clock);
  clinicId = (await createClinic(database.db)).id;
  const admin = await createStaffUser(database.db, clinicId, ['admin']);
  const prescriber = await createStaffUser(database.db, clinicId, ['prescriber']);
  const nurse = await createStaffUser(database.db, clinicId, ['nurse']);
  const therapist = await createStaffUser(database.db, clinicId, ['therapist']);
  Object.assign(staffIds, { prescriber: prescriber.id, nurse: nurse.id, therapist: therapist.id });
  frontDesk = await signIn(app, (await createStaffUser(database.db, clinicId, ['frontdesk'])).email);
  therapistSession = await signIn(app, therapist.email);
  actors = {
    app,
    db: database.db,
    clinicId,
    prescriber: await signIn(app, prescriber.email),
    nurse: await signIn(app, nurse.email),
    adminUserId: admin.id,
  };
  const adminSession = await signIn(app, admin.email);
  for (const [name, kind] of [
    ['Chair 1', 'dosing-room'],
    ['Counselling room', 'therapy-room'],
  ])
    await as(app, adminSession)({ method: 'POST', url: '/api/v1/rooms', payload: { name, kind } });
  await as(
    app,
    adminSession,
  )({
    method: 'PUT',
    url: '/api/v1/scheduling/settings',
    payload: { lengths: { followUpMinutes: 30 } },
  });
  // Everyone works Monday–Friday 09:00–17:00, clinic time.
  for (const id of Object.values(staffIds))
    await as(
      app,
      frontDesk,
    )({
      method: 'PUT',
      url: `/api/v1/staff/${id}/working-hours`,
      payload: { spans: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startsAt: '09:00', endsAt: '17:00' })) },
    });
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

interface ProposalItem {
  ref: number;
  kind: 'preparation' | 'dosing' | 'integration' | 'follow-up';
  note: string;
  window: { earliest: string; latest: string };
  startsAt: string | null;
  endsAt: string | null;
  roomId: string | null;
  staff: { userId: string; role: string }[];
  problem: string | null;
}
const propose = (patientId: string, who: SignedIn = frontDesk) =>
  as(app, who)({ method: 'POST', url: `/api/v1/patients/${patientId}/course-booking/proposal` });
const bookCourse = (patientId: string, items: unknown[], who: SignedIn = frontDesk) =>
  as(app, who)({ method: 'POST', url: `/api/v1/patients/${patientId}/course-booking`, payload: { items } });
const asBooking = (items: ProposalItem[]) =>
  items
    .filter((i) => i.startsAt)
    .map((i) => ({
      kind: i.kind,
      startsAt: i.startsAt,
      endsAt: i.endsAt,
      roomId: i.roomId,
      staff: i.staff.map((s) => ({ userId: s.userId, role: s.role })),
      note: i.note,
    }));
async function liveAppointments(patientId: string) {
  return database.db
    .select()
    .from(appointment)
    .where(
      and(
        eq(appointment.clinicId, clinicId),
        eq(appointment.patientId, patientId),
        ne(appointment.status, 'cancelled'),
      ),
    );
}

describe('booking the planned course', () => {
  it('proposes every appointment of the course within its window, in working hours, with free rooms and staff', async () => {
    const patient = await createPatient(database.db, clinicId);
    await completePathway(actors, patient, kapImPlan('2026-06-22'));
    // The nurse is busy the morning of the first planned dose: the proposal books the prescriber instead.
    const other = await createPatient(database.db, clinicId);
    const busy = await as(
      app,
      frontDesk,
    )({
      method: 'POST',
      url: '/api/v1/appointments',
      payload: {
        patientId: other.id,
        kind: 'screening',
        startsAt: '2026-06-22T13:00:00Z',
        endsAt: '2026-06-22T16:00:00Z',
        staff: [{ userId: staffIds.nurse, role: 'nurse' }],
      },
    });
    expect(busy.statusCode, busy.body).toBe(201);

    const response = await propose(patient.id);
    expect(response.statusCode, response.body).toBe(200);
    const { items, protocolId, pathwayMissing } = response.json() as {
      items: ProposalItem[];
      protocolId: string;
      pathwayMissing: unknown[];
    };
    expect(protocolId).toBe('kap-im');
    expect(pathwayMissing).toEqual([]);
    const kinds = items.map((i) => i.kind);
    expect(kinds.filter((k) => k === 'preparation')).toHaveLength(3);
    expect(kinds.filter((k) => k === 'dosing')).toHaveLength(4);
    expect(kinds.filter((k) => k === 'integration')).toHaveLength(4);
    expect(kinds.filter((k) => k === 'follow-up')).toHaveLength(4);
    for (const item of items) {
      expect(item.problem, item.note).toBeNull();
      const start = localParts(new Date(item.startsAt!), zone);
      const end = localParts(new Date(item.endsAt!), zone);
      expect(start.date >= item.window.earliest && start.date <= item.window.latest, item.note).toBe(true);
      expect(start.weekday).toBeLessThanOrEqual(5);
      expect(start.minutes).toBeGreaterThanOrEqual(9 * 60);
      expect(end.minutes).toBeLessThanOrEqual(17 * 60);
    }
    // No two proposed appointments overlap (the patient, a room or a person).
    const sorted = [...items].sort((a, b) => Date.parse(a.startsAt!) - Date.parse(b.startsAt!));
    for (let i = 1; i < sorted.length; i++)
      expect(Date.parse(sorted[i]!.startsAt!)).toBeGreaterThanOrEqual(Date.parse(sorted[i - 1]!.endsAt!));
    const doses = items.filter((i) => i.kind === 'dosing');
    // 09:00 local on the planned day; the nurse is busy then, so the prescriber administers.
    expect(doses[0]!.startsAt).toBe('2026-06-22T13:00:00.000Z');
    expect(doses[0]!.staff.map((s) => s.userId)).not.toContain(staffIds.nurse);
    for (const dose of doses) {
      expect(dose.roomId).not.toBeNull();
      const roles = dose.staff.map((s) => s.role);
      expect(roles).toContain('therapist');
      expect(roles.some((r) => r === 'nurse' || r === 'prescriber')).toBe(true);
      expect(Date.parse(dose.endsAt!) - Date.parse(dose.startsAt!)).toBe(120 * 60_000);
    }
    // Each integration falls 1–3 days after its dose as proposed.
    const integrations = items.filter((i) => i.kind === 'integration');
    integrations.forEach((integration, n) => {
      const days =
        (Date.parse(`${localParts(new Date(integration.startsAt!), zone).date}T00:00:00Z`) -
          Date.parse(`${localParts(new Date(doses[n]!.startsAt!), zone).date}T00:00:00Z`)) /
        86_400_000;
      expect(days).toBeGreaterThanOrEqual(1);
      expect(days).toBeLessThanOrEqual(3);
    });
    // Nothing was booked.
    expect(await liveAppointments(patient.id)).toHaveLength(0);

    // The front desk books the proposal as it is (a proposal it may adjust): all of it at once.
    const booked = await bookCourse(patient.id, asBooking(items));
    expect(booked.statusCode, booked.body).toBe(201);
    expect(booked.json().items).toHaveLength(15);
    expect(await liveAppointments(patient.id)).toHaveLength(15);

    // Proposing again shows the course as booked, event by event, and proposes nothing twice.
    const again = (await propose(patient.id)).json().items as (ProposalItem & {
      bookedAppointmentId: string;
    })[];
    const bookedIds = (await liveAppointments(patient.id)).map((a) => a.id).sort();
    expect(again.map((i) => i.bookedAppointmentId).sort()).toEqual(bookedIds);
    expect(again.map((i) => i.kind)).toEqual(items.map((i) => i.kind));
  });

  it('books all or none: a clash names the appointment and its field, and nothing of the course is kept', async () => {
    const patient = await createPatient(database.db, clinicId);
    await completePathway(actors, patient, kapImPlan('2026-07-06'));
    const items = (await propose(patient.id)).json().items as ProposalItem[];
    const course = asBooking(items);
    // Someone else takes the therapist at the time of the fifth proposed appointment.
    const fifth = course[4]!;
    const other = await createPatient(database.db, clinicId);
    const taken = await as(
      app,
      frontDesk,
    )({
      method: 'POST',
      url: '/api/v1/appointments',
      payload: {
        patientId: other.id,
        kind: 'preparation',
        startsAt: fifth.startsAt,
        endsAt: fifth.endsAt,
        staff: [{ userId: fifth.staff.find((s) => s.role === 'therapist')!.userId, role: 'therapist' }],
      },
    });
    expect(taken.statusCode, taken.body).toBe(201);
    const refused = await bookCourse(patient.id, course);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().errors).toEqual([
      { path: 'items.4.staff', message: 'A staff member is already booked at an overlapping time.' },
    ]);
    expect(refused.json().detail).toMatch(/^Appointment 5 \(/);
    expect(await liveAppointments(patient.id)).toHaveLength(0);

    // A field problem in one item is a 400 with its item's path.
    const bad = course.map((c, i) => (i === 1 ? { ...c, roomId: null, kind: 'dosing' as const } : c));
    const invalid = await bookCourse(patient.id, bad);
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().errors[0].path).toMatch(/^items\.1\./);
    expect(await liveAppointments(patient.id)).toHaveLength(0);
  });

  it('refuses dosing in a course before the pathway is complete, says what is missing in the proposal, and scopes to the clinic', async () => {
    const patient = await createPatient(database.db, clinicId);
    const proposal = (await propose(patient.id)).json();
    expect(proposal.planId).toBeNull();
    expect(proposal.items).toEqual([]);
    expect(proposal.pathwayMissing.map((m: { message: string }) => m.message)).toContain(
      'No active treatment plan: a prescriber must sign one.',
    );
    const refused = await bookCourse(patient.id, [
      {
        kind: 'dosing',
        startsAt: '2026-06-23T14:00:00Z',
        staff: [
          { userId: staffIds.nurse, role: 'nurse' },
          { userId: staffIds.therapist, role: 'therapist' },
        ],
      },
    ]);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().errors).toHaveLength(3);
    expect((await propose(patient.id, therapistSession)).statusCode).toBe(403);
    expect((await bookCourse(patient.id, [], frontDesk)).statusCode).toBe(400);
    const foreign = await createClinic(database.db);
    const foreignDesk = await signIn(
      app,
      (await createStaffUser(database.db, foreign.id, ['frontdesk'])).email,
    );
    expect((await propose(patient.id, foreignDesk)).statusCode).toBe(404);
    expect(
      (
        await bookCourse(
          patient.id,
          [{ kind: 'preparation', startsAt: '2026-06-23T14:00:00Z', endsAt: '2026-06-23T15:00:00Z' }],
          foreignDesk,
        )
      ).statusCode,
    ).toBe(404);
  });
});
