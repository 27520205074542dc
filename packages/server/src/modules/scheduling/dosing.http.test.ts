import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import { auditEvent, rideHomeConfirmation } from '../../db/schema/index.ts';
import { createTestDatabase } from '../../testing/database.ts';
import {
  as,
  buildTestApp,
  createClinic,
  createPatient,
  createPatientUser,
  createStaffUser,
  databaseError,
  type SignedIn,
  signIn,
} from '../../testing/factories.ts';
import {
  addDiagnosis,
  approveEligibility,
  completePathway,
  kapImPlan,
  type PathwayActors,
  signConsent,
  signPlan,
} from './pathway.fixture.ts';

let database: DatabaseHandle;
let app: FastifyInstance;
let clinicId: string;
let frontDesk: SignedIn;
let therapistSession: SignedIn;
let actors: PathwayActors;
let nurseId: string;
let therapistId: string;
let prescriberId: string;
let dosingRoom: string;
let therapyRoom: string;
const clock = new ManualClock('2026-06-01T08:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, clock);
  clinicId = (await createClinic(database.db)).id;
  const admin = await createStaffUser(database.db, clinicId, ['admin']);
  const prescriberUser = await createStaffUser(database.db, clinicId, ['prescriber']);
  prescriberId = prescriberUser.id;
  const nurseUser = await createStaffUser(database.db, clinicId, ['nurse']);
  nurseId = nurseUser.id;
  const therapistUser = await createStaffUser(database.db, clinicId, ['therapist']);
  therapistId = therapistUser.id;
  frontDesk = await signIn(app, (await createStaffUser(database.db, clinicId, ['frontdesk'])).email);
  therapistSession = await signIn(app, therapistUser.email);
  actors = {
    app,
    db: database.db,
    clinicId,
    prescriber: await signIn(app, prescriberUser.email),
    nurse: await signIn(app, nurseUser.email),
    adminUserId: admin.id,
  };
  const adminSession = await signIn(app, admin.email);
  const room = async (name: string, kind: string) =>
    (await as(app, adminSession)({ method: 'POST', url: '/api/v1/rooms', payload: { name, kind } })).json()
      .id as string;
  dosingRoom = await room('Chair A', 'dosing-room');
  therapyRoom = await room('Garden room', 'therapy-room');
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const book = (payload: Record<string, unknown>, who: SignedIn = frontDesk) =>
  as(app, who)({ method: 'POST', url: '/api/v1/appointments', payload });
const fullStaff = () => [
  { userId: nurseId, role: 'nurse' },
  { userId: therapistId, role: 'therapist' },
];
async function actions(patientId: string): Promise<string[]> {
  const rows = await database.db
    .select({ action: auditEvent.action })
    .from(auditEvent)
    .where(and(eq(auditEvent.clinicId, clinicId), eq(auditEvent.patientId, patientId)));
  return rows.map((r) => r.action);
}

describe('the pathway gate', () => {
  it('refuses dosing with 409 naming every missing step, one fewer after each, and books once all are done', async () => {
    const patient = await createPatient(database.db, clinicId);
    const attempt = () =>
      book({
        patientId: patient.id,
        kind: 'dosing',
        roomId: dosingRoom,
        startsAt: '2026-06-16T13:00:00Z',
        staff: fullStaff(),
      });

    const none = await attempt();
    expect(none.statusCode, none.body).toBe(409);
    expect(none.json().errors).toEqual([
      { path: 'kind', message: 'No signed eligibility approval (approve, or approve with conditions).' },
      { path: 'kind', message: expect.stringMatching(/^No valid consent/) },
      { path: 'kind', message: 'No active treatment plan: a prescriber must sign one.' },
    ]);
    expect(none.json().detail).toBe(
      `A dosing session cannot be booked yet. Missing: no signed eligibility approval (approve, or approve with conditions); ${none
        .json()
        .errors[1].message.replace(/^No/, 'no')
        .replace(/\.$/, '')}; no active treatment plan: a prescriber must sign one.`,
    );

    await addDiagnosis(actors, patient.id);
    await approveEligibility(actors, patient.id, 'im', 'ketamine-racemic');
    const afterEligibility = await attempt();
    expect(afterEligibility.statusCode).toBe(409);
    expect(afterEligibility.json().errors.map((e: { message: string }) => e.message)).toEqual([
      expect.stringMatching(/^No valid consent for the IM route/),
      'No active treatment plan: a prescriber must sign one.',
    ]);

    await signConsent(actors, patient, 'im');
    const afterConsent = await attempt();
    expect(afterConsent.statusCode).toBe(409);
    expect(afterConsent.json().errors).toEqual([
      { path: 'kind', message: 'No active treatment plan: a prescriber must sign one.' },
    ]);

    const { id: planId } = await signPlan(actors, patient.id, kapImPlan('2026-06-16'));
    const booked = await attempt();
    expect(booked.statusCode, booked.body).toBe(201);
    // The plan gives the route and product; IM sessions last 120 minutes by default (issue: 120–180).
    expect(booked.json()).toMatchObject({
      kind: 'dosing',
      planId,
      protocolId: 'kap-im',
      route: 'im',
      product: 'ketamine-racemic',
      startsAt: '2026-06-16T13:00:00.000Z',
      endsAt: '2026-06-16T15:00:00.000Z',
      rideHomeConfirmed: false,
      noDrivingAcknowledged: false,
    });
    expect(booked.json().warnings).toEqual(
      expect.arrayContaining([expect.stringContaining('no working hours recorded')]),
    );
    expect(await actions(patient.id)).toContain('appointment.create');
  });

  it('refuses a dosing session when the latest signed decision defers', async () => {
    const patient = await createPatient(database.db, clinicId);
    await addDiagnosis(actors, patient.id);
    await approveEligibility(actors, patient.id, 'im', 'ketamine-racemic', 'defer');
    const refused = await book({
      patientId: patient.id,
      kind: 'dosing',
      roomId: dosingRoom,
      startsAt: '2026-06-16T13:00:00Z',
      staff: fullStaff(),
    });
    expect(refused.statusCode).toBe(409);
    // The front desk learns that an approval is missing, not what the prescriber decided.
    expect(refused.json().errors[0]).toEqual({
      path: 'kind',
      message: 'No signed eligibility approval (approve, or approve with conditions).',
    });
    expect(refused.body).not.toContain('defer');
  });
});

describe('dosing sessions after the pathway', () => {
  let ready: Awaited<ReturnType<typeof createPatient>>;
  beforeAll(async () => {
    ready = await createPatient(database.db, clinicId);
    await completePathway(actors, ready, kapImPlan('2026-06-22'));
  });

  it('needs a dosing room, a prescriber or nurse, and a therapist for KAP: field-level 400s', async () => {
    const bare = await book({ patientId: ready.id, kind: 'dosing', startsAt: '2026-06-22T13:00:00Z' });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().errors).toEqual([
      { path: 'roomId', message: 'A dosing session needs a dosing room.' },
      { path: 'staff', message: 'A dosing session needs a prescriber or a nurse.' },
      { path: 'staff', message: 'A KAP dosing session needs a therapist.' },
    ]);
    const wrongRoom = await book({
      patientId: ready.id,
      kind: 'dosing',
      roomId: therapyRoom,
      startsAt: '2026-06-22T13:00:00Z',
      staff: [
        { userId: prescriberId, role: 'prescriber' },
        { userId: nurseId, role: 'monitor' },
      ],
    });
    expect(wrongRoom.json().errors).toEqual([
      { path: 'roomId', message: 'Choose a dosing room (this one is not for dosing).' },
      { path: 'staff', message: 'A KAP dosing session needs a therapist.' },
    ]);
    const wrongRole = await book({
      patientId: ready.id,
      kind: 'dosing',
      roomId: dosingRoom,
      startsAt: '2026-06-22T13:00:00Z',
      staff: [
        { userId: therapistId, role: 'nurse' },
        { userId: nurseId, role: 'therapist' },
      ],
    });
    expect(wrongRole.statusCode).toBe(400);
    expect(wrongRole.json().errors).toEqual([
      { path: 'staff.0.role', message: expect.stringContaining('does not hold the nurse role') },
      { path: 'staff.1.role', message: expect.stringContaining('does not hold the therapist role') },
    ]);
  });

  it('never books a session shorter than the clinic’s observation minimum, and proposes integration 1–3 days after', async () => {
    const admin = await signIn(app, (await createStaffUser(database.db, clinicId, ['admin'])).email);
    const saved = await as(
      app,
      admin,
    )({
      method: 'PUT',
      url: '/api/v1/scheduling/settings',
      payload: { lengths: { minimumObservationMinutes: 150 }, fastingHours: null },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const short = await book({
      patientId: ready.id,
      kind: 'dosing',
      roomId: dosingRoom,
      startsAt: '2026-06-22T13:00:00Z',
      endsAt: '2026-06-22T15:00:00Z',
      staff: fullStaff(),
    });
    expect(short.statusCode).toBe(400);
    expect(short.json().errors).toEqual([
      { path: 'endsAt', message: expect.stringMatching(/^At least 150 minutes/) },
    ]);

    // Therapist hours Monday–Friday 09:00–17:00 in the clinic's zone (New York, UTC−4 in June).
    const hours = await as(
      app,
      frontDesk,
    )({
      method: 'PUT',
      url: `/api/v1/staff/${therapistId}/working-hours`,
      payload: { spans: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startsAt: '09:00', endsAt: '17:00' })) },
    });
    expect(hours.statusCode, hours.body).toBe(200);
    const booked = await book({
      patientId: ready.id,
      kind: 'dosing',
      roomId: dosingRoom,
      startsAt: '2026-06-22T13:00:00Z', // Monday 09:00 local
      staff: fullStaff(),
    });
    expect(booked.statusCode, booked.body).toBe(201);
    expect(booked.json().endsAt).toBe('2026-06-22T15:30:00.000Z'); // the 150-minute minimum is the default now
    const proposals = booked.json().integrationProposals as {
      startsAt: string;
      endsAt: string;
      roomName: string;
      staff: { userId: string; role: string }[];
    }[];
    expect(proposals.map((p) => p.startsAt)).toEqual([
      '2026-06-23T13:00:00.000Z',
      '2026-06-24T13:00:00.000Z',
      '2026-06-25T13:00:00.000Z',
    ]);
    for (const p of proposals) {
      expect(Date.parse(p.endsAt) - Date.parse(p.startsAt)).toBe(60 * 60_000);
      expect(p.staff).toEqual([expect.objectContaining({ userId: therapistId, role: 'therapist' })]);
      expect(p.roomName).toBe('Garden room');
    }
    // Back to no clinic minimum for the other tests.
    await as(
      app,
      admin,
    )({
      method: 'PUT',
      url: '/api/v1/scheduling/settings',
      payload: { lengths: {}, fastingHours: null },
    });
  });

  it('refuses a booking outside a clinician’s recorded working hours', async () => {
    const outside = await book({
      patientId: ready.id,
      kind: 'integration',
      startsAt: '2026-06-23T22:00:00Z', // 18:00 local
      staff: [{ userId: therapistId, role: 'therapist' }],
    });
    expect(outside.statusCode).toBe(409);
    expect(outside.json().errors).toEqual([
      { path: 'staff', message: expect.stringContaining('works 09:00–17:00 on Tuesdays (America/New_York)') },
    ]);
    const saturday = await book({
      patientId: ready.id,
      kind: 'integration',
      startsAt: '2026-06-27T14:00:00Z',
      staff: [{ userId: therapistId, role: 'therapist' }],
    });
    expect(saturday.json().errors[0].message).toContain('no hours on Saturdays');
  });

  it("keeps a patient's dosing sessions at least 24 hours apart (the clinical minimum interval), even when booked at once", async () => {
    // A therapist without recorded hours, so only the spacing can refuse: 20 hours after Monday's dose began.
    const secondTherapist = (await createStaffUser(database.db, clinicId, ['therapist'])).id;
    const tooSoon = await book({
      patientId: ready.id,
      kind: 'dosing',
      roomId: dosingRoom,
      startsAt: '2026-06-23T09:00:00Z',
      endsAt: '2026-06-23T11:00:00Z',
      staff: [
        { userId: prescriberId, role: 'prescriber' },
        { userId: secondTherapist, role: 'therapist' },
      ],
    });
    expect(tooSoon.statusCode).toBe(409);
    expect(tooSoon.json().errors).toEqual([
      { path: 'startsAt', message: expect.stringContaining('24 hours') },
    ]);

    const other = await createPatient(database.db, clinicId);
    await completePathway(actors, other, kapImPlan('2026-07-01'));
    const racing = await Promise.all(
      ['2026-07-01T13:00:00Z', '2026-07-01T15:00:00Z', '2026-07-01T17:00:00Z', '2026-07-01T19:00:00Z'].map(
        (start) =>
          book({
            patientId: other.id,
            kind: 'dosing',
            roomId: dosingRoom,
            startsAt: start,
            endsAt: new Date(Date.parse(start) + 7_200_000).toISOString(),
            staff: [
              { userId: prescriberId, role: 'prescriber' },
              { userId: therapistId, role: 'therapist' },
            ],
          }),
      ),
    );
    expect(racing.filter((r) => r.statusCode === 201)).toHaveLength(1);
  });
});

describe('an esketamine (SPRAVATO) session', () => {
  it('lasts at least the 2-hour observation, allows a monitor instead of a therapist, and proposes no integration', async () => {
    const patient = await createPatient(database.db, clinicId);
    await completePathway(
      actors,
      patient,
      kapImPlan('2026-08-03', {
        protocolId: 'spravato-trd',
        route: 'intranasal',
        product: 'esketamine',
        dosingSessions: 12,
        weightKg: null,
        startingDose: { value: 56, unit: 'mg' },
        maximumDose: { value: 84, unit: 'mg' },
      }),
    );
    const staff = [
      { userId: prescriberId, role: 'prescriber' },
      { userId: nurseId, role: 'monitor' },
    ];
    const short = await book({
      patientId: patient.id,
      kind: 'dosing',
      roomId: dosingRoom,
      startsAt: '2026-08-03T13:00:00Z',
      endsAt: '2026-08-03T14:30:00Z',
      staff,
    });
    expect(short.statusCode).toBe(400);
    expect(short.json().errors).toEqual([
      {
        path: 'endsAt',
        message: expect.stringMatching(/^At least 120 minutes: Esketamine.*clinical-reference 2\.5/),
      },
    ]);
    const booked = await book({
      patientId: patient.id,
      kind: 'dosing',
      roomId: dosingRoom,
      startsAt: '2026-08-03T13:00:00Z',
      staff,
    });
    expect(booked.statusCode, booked.body).toBe(201);
    expect(booked.json()).toMatchObject({
      protocolId: 'spravato-trd',
      product: 'esketamine',
      endsAt: '2026-08-03T15:00:00.000Z',
      integrationProposals: [],
    });
    // The esketamine reminder is the label's fasting, whatever the clinic's own hours for racemic ketamine.
    const self = as(
      app,
      await signIn(app, (await createPatientUser(database.db, clinicId, patient.id)).email),
    );
    const mine = (await self({ method: 'GET', url: '/api/v1/me/appointments' })).json();
    expect(mine.items[0].preparation.fasting).toBe(
      'Do not eat for 2 hours, and do not drink anything for 30 minutes, before your session.',
    );
  });
});

describe('ride home and the no-driving acknowledgement', () => {
  let patient: Awaited<ReturnType<typeof createPatient>>;
  let appointmentId: string;
  let self: ReturnType<typeof as>;
  beforeAll(async () => {
    patient = await createPatient(database.db, clinicId);
    await completePathway(actors, patient, kapImPlan('2026-07-06'));
    const booked = await book({
      patientId: patient.id,
      kind: 'dosing',
      roomId: dosingRoom,
      startsAt: '2026-07-06T13:00:00Z',
      staff: [
        { userId: prescriberId, role: 'prescriber' },
        { userId: therapistId, role: 'therapist' },
      ],
    });
    expect(booked.statusCode, booked.body).toBe(201);
    appointmentId = booked.json().id;
    self = as(app, await signIn(app, (await createPatientUser(database.db, clinicId, patient.id)).email));
  });
  const ride = (payload: Record<string, unknown>, who: SignedIn = frontDesk) =>
    as(app, who)({ method: 'POST', url: `/api/v1/appointments/${appointmentId}/ride-home`, payload });
  const escort = {
    status: 'confirmed',
    escortName: 'Jordan Lee',
    escortPhone: '+1 555 010 0199',
    escortRelationship: 'partner',
  };

  it('records the escort confirmed by the front desk, append-only, idempotent by client id, and exposes it on the appointment', async () => {
    const clientId = randomUUID();
    const first = await ride({ ...escort, clientId });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ rideHomeConfirmed: true, noDrivingAcknowledged: false });
    expect(first.json().rideHome).toHaveLength(1);
    expect(first.json().rideHome[0]).toMatchObject({
      escortName: 'Jordan Lee',
      confirmedAt: clock.now().toISOString(),
    });
    expect((await ride({ ...escort, clientId })).json().rideHome).toHaveLength(1);

    const changed = await ride({
      ...escort,
      clientId: randomUUID(),
      escortName: 'Sam Lee',
      escortRelationship: 'sibling',
    });
    expect(changed.json().rideHome.map((r: { escortName: string }) => r.escortName)).toEqual([
      'Sam Lee',
      'Jordan Lee',
    ]);
    expect(changed.json().rideHome[0].supersedesId).toBe(first.json().rideHome[0].id);

    const withdrawn = await ride({ status: 'withdrawn', clientId: randomUUID() });
    expect(withdrawn.json().rideHomeConfirmed).toBe(false);
    const view = (
      await as(app, frontDesk)({ method: 'GET', url: `/api/v1/appointments/${appointmentId}` })
    ).json();
    expect(view).toMatchObject({ rideHomeConfirmed: false, rideHome: { status: 'withdrawn' } });
    await ride({ ...escort, clientId: randomUUID() });
    const again = (
      await as(app, frontDesk)({ method: 'GET', url: `/api/v1/appointments/${appointmentId}` })
    ).json();
    expect(again).toMatchObject({
      rideHomeConfirmed: true,
      rideHome: { escortName: 'Jordan Lee', status: 'confirmed' },
    });

    // The database refuses to edit or delete a confirmation.
    expect(
      await databaseError(
        database.db
          .update(rideHomeConfirmation)
          .set({ escortName: 'Someone else' })
          .where(eq(rideHomeConfirmation.appointmentId, appointmentId)),
      ),
    ).toMatch(/append-only/);
    expect(
      await databaseError(
        database.db.delete(rideHomeConfirmation).where(eq(rideHomeConfirmation.appointmentId, appointmentId)),
      ),
    ).toMatch(/append-only/);
    expect(await actions(patient.id)).toEqual(
      expect.arrayContaining(['ride-home.confirm', 'ride-home.withdraw', 'appointment.read']),
    );
  });

  it('refuses bad input, the wrong role, other clinics and appointments that are not dosing sessions', async () => {
    expect(
      (await ride({ ...escort, clientId: randomUUID(), escortPhone: 'call me' })).json().errors[0].path,
    ).toBe('escortPhone');
    expect((await ride({ ...escort, clientId: randomUUID() }, therapistSession)).statusCode).toBe(403);
    const foreignClinic = await createClinic(database.db);
    const foreignDesk = await signIn(
      app,
      (await createStaffUser(database.db, foreignClinic.id, ['frontdesk'])).email,
    );
    expect((await ride({ ...escort, clientId: randomUUID() }, foreignDesk)).statusCode).toBe(404);
    const prep = await book({
      patientId: patient.id,
      kind: 'preparation',
      startsAt: '2026-07-02T13:00:00Z',
      staff: [{ userId: therapistId, role: 'therapist' }],
    });
    const notDosing = await as(
      app,
      frontDesk,
    )({
      method: 'POST',
      url: `/api/v1/appointments/${prep.json().id}/ride-home`,
      payload: { ...escort, clientId: randomUUID() },
    });
    expect(notDosing.statusCode).toBe(409);
  });

  it('takes the patient’s acknowledgement in the portal (own sessions only), or from staff on their behalf, saying so', async () => {
    const other = await createPatient(database.db, clinicId);
    const otherSelf = as(
      app,
      await signIn(app, (await createPatientUser(database.db, clinicId, other.id)).email),
    );
    const url = `/api/v1/me/appointments/${appointmentId}/no-driving-acknowledgement`;
    expect((await otherSelf({ method: 'POST', url, payload: { acknowledged: true } })).statusCode).toBe(404);
    expect((await self({ method: 'POST', url, payload: {} })).statusCode).toBe(400);
    const acknowledged = await self({ method: 'POST', url, payload: { acknowledged: true } });
    expect(acknowledged.statusCode, acknowledged.body).toBe(200);
    expect(acknowledged.json()).toMatchObject({ noDrivingAcknowledged: true });
    expect((await self({ method: 'POST', url, payload: { acknowledged: true } })).statusCode).toBe(200);
    const check = (
      await as(app, frontDesk)({ method: 'GET', url: `/api/v1/appointments/${appointmentId}/pre-check-in` })
    ).json();
    expect(check).toMatchObject({
      rideHomeConfirmed: true,
      noDrivingAcknowledged: true,
      noDriving: { via: 'portal', statement: expect.stringContaining('until the next day') },
    });

    // Staff on the patient's behalf, for another session.
    const second = await book({
      patientId: patient.id,
      kind: 'dosing',
      roomId: dosingRoom,
      startsAt: '2026-07-13T13:00:00Z',
      staff: [
        { userId: prescriberId, role: 'prescriber' },
        { userId: therapistId, role: 'therapist' },
      ],
    });
    const onBehalf = await as(
      app,
      frontDesk,
    )({
      method: 'POST',
      url: `/api/v1/appointments/${second.json().id}/no-driving-acknowledgement`,
      payload: { patientAcknowledged: true },
    });
    expect(onBehalf.statusCode, onBehalf.body).toBe(200);
    expect(onBehalf.json().noDriving).toMatchObject({ via: 'staff-on-behalf' });
    expect(await actions(patient.id)).toEqual(expect.arrayContaining(['no-driving.acknowledge']));
  });

  it('lists only the patient’s own upcoming sessions in the portal, with reminders and nothing about staff', async () => {
    const mine = await self({ method: 'GET', url: '/api/v1/me/appointments' });
    expect(mine.statusCode).toBe(200);
    const body = mine.json();
    expect(body.items.map((i: { id: string }) => i.id)).toContain(appointmentId);
    const dosing = body.items.find((i: { id: string }) => i.id === appointmentId);
    expect(dosing).toMatchObject({
      kind: 'dosing',
      title: 'Ketamine session',
      roomName: 'Chair A',
      noDrivingAcknowledged: true,
      preparation: {
        fasting: 'Eat and drink before your session as your clinic tells you.',
        noDriving: expect.stringContaining('until the next day'),
        rideHome: expect.stringContaining('responsible adult'),
      },
    });
    expect(Object.keys(dosing)).not.toContain('staff');
    expect(mine.body).not.toContain(therapistId);
    expect(mine.body).not.toContain('note');
    const other = await createPatient(database.db, clinicId);
    const otherSelf = as(
      app,
      await signIn(app, (await createPatientUser(database.db, clinicId, other.id)).email),
    );
    expect((await otherSelf({ method: 'GET', url: '/api/v1/me/appointments' })).json().items).toEqual([]);
    expect((await as(app, frontDesk)({ method: 'GET', url: '/api/v1/me/appointments' })).statusCode).toBe(
      403,
    );

    // With the clinic's own fasting rule, the reminder says it.
    const admin = await signIn(app, (await createStaffUser(database.db, clinicId, ['admin'])).email);
    await as(app, admin)({ method: 'PUT', url: '/api/v1/scheduling/settings', payload: { fastingHours: 4 } });
    const withFasting = (await self({ method: 'GET', url: '/api/v1/me/appointments' })).json();
    expect(withFasting.items.find((i: { id: string }) => i.id === appointmentId).preparation.fasting).toBe(
      'Do not eat for 4 hours before your session (your clinic’s instruction).',
    );
    await as(
      app,
      admin,
    )({ method: 'PUT', url: '/api/v1/scheduling/settings', payload: { fastingHours: null } });
  });
});
