import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import { appointment, auditEvent } from '../../db/schema/index.ts';
import { createTestDatabase } from '../../testing/database.ts';
import {
  as,
  buildTestApp,
  createClinic,
  createPatient,
  createPatientUser,
  createStaffUser,
  type SignedIn,
  signIn,
} from '../../testing/factories.ts';
import { createDosingSession } from '../session-safety/session.fixture.ts';

let database: DatabaseHandle;
let app: FastifyInstance;
let clinicId: string;
let staffId: string;
let admin: SignedIn;
let prescriber: SignedIn;
let frontDesk: SignedIn;
let therapist: SignedIn;
let generalVersionId: string;
// Monday 1 June 2026, 11:00 in New York (the test clinic's zone).
const clock = new ManualClock('2026-06-01T15:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, clock);
  clinicId = (
    await createClinic(database.db, { name: 'Juniper Clinic', settings: { crisisPhone: '(555) 010-0142' } })
  ).id;
  admin = await signIn(app, (await createStaffUser(database.db, clinicId, ['admin'])).email);
  const p = await createStaffUser(database.db, clinicId, ['prescriber']);
  staffId = p.id;
  prescriber = await signIn(app, p.email);
  frontDesk = await signIn(app, (await createStaffUser(database.db, clinicId, ['frontdesk'])).email);
  therapist = await signIn(app, (await createStaffUser(database.db, clinicId, ['therapist'])).email);
  const general = await as(
    app,
    admin,
  )({
    method: 'POST',
    url: '/api/v1/consent-templates',
    payload: {
      kind: 'general',
      title: 'General KAP consent',
      required: true,
      body: 'I, {{patientName}}, agree to ketamine-assisted psychotherapy at {{clinicName}}.',
    },
  });
  expect(general.statusCode, general.body).toBe(201);
  generalVersionId = general.json().currentVersion.id;
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

async function newPatient(givenName: string, familyName: string) {
  const patient = await createPatient(database.db, clinicId, { givenName, familyName });
  const account = await signIn(app, (await createPatientUser(database.db, clinicId, patient.id)).email);
  return { patient, self: as(app, account) };
}

async function book(
  patientId: string,
  kind: 'dosing' | 'integration' | 'screening',
  startsAt: string,
  minutes = 120,
  extra: Partial<typeof appointment.$inferInsert> = {},
) {
  const id = randomUUID();
  const start = new Date(startsAt);
  await database.db.insert(appointment).values({
    id,
    clinicId,
    patientId,
    kind,
    startsAt: start,
    endsAt: new Date(start.getTime() + minutes * 60_000),
    createdAt: new Date('2026-05-01T00:00:00Z'),
    ...(kind === 'dosing' ? { route: 'intranasal', product: 'esketamine', protocolId: 'spravato-trd' } : {}),
    ...extra,
  });
  return id;
}

/** A psychotherapy note about the appointment, written by the therapist through the API. */
async function writeNote(patientId: string, appointmentId: string, body: string) {
  const saved = await as(
    app,
    therapist,
  )({
    method: 'POST',
    url: '/api/v1/psychotherapy-notes',
    payload: { id: randomUUID(), patientId, appointmentId, body },
  });
  expect(saved.statusCode, saved.body).toBe(201);
}

type Item = { id: string; state: string; action: { to: string } | null; detail: string };
const itemOf = (body: { preparation: { items: Item[] } }, id: string) =>
  body.preparation.items.find((i) => i.id === id)!;

describe('GET /api/v1/me/home', () => {
  it('composes the next session, its checklist and the to-dos, and follows each item to done', async () => {
    const { patient, self } = await newPatient('Rowan', 'Homefirst');
    const other = await newPatient('Sasha', 'Elsewhere');
    // The other patient's dosing session is sooner: it must never be "my next session".
    await book(other.patient.id, 'dosing', '2026-06-02T13:00:00Z');
    const dosingId = await book(patient.id, 'dosing', '2026-06-03T14:00:00Z');
    await book(patient.id, 'integration', '2026-06-04T14:00:00Z', 60);
    await book(patient.id, 'screening', '2026-05-20T14:00:00Z', 60); // over: not next
    await book(patient.id, 'screening', '2026-06-02T09:00:00Z', 60, {
      status: 'cancelled',
      cancelledAt: new Date('2026-05-25T00:00:00Z'),
    });
    // PHQ-9 due before the session, GAD-7 after it.
    const assign = (instruments: string[], dueDate: string) =>
      as(
        app,
        prescriber,
      )({
        method: 'POST',
        url: `/api/v1/patients/${patient.id}/measure-assignments`,
        payload: { instruments, dueDate },
      });
    expect((await assign(['phq9'], '2026-06-02')).statusCode).toBe(201);
    expect((await assign(['gad7'], '2026-06-10')).statusCode).toBe(201);
    const psychotherapyText = 'Spoke of the lake house and her brother Casimir; grief surfaced twice.';
    await writeNote(patient.id, dosingId, psychotherapyText);

    const first = await self({ method: 'GET', url: '/api/v1/me/home' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers['cache-control']).toBe('no-store');
    const home = first.json();
    expect(home).toMatchObject({
      greetingName: 'Rowan',
      clinicName: 'Juniper Clinic',
      crisisPhone: '(555) 010-0142',
      nextSession: {
        appointmentId: dosingId,
        kind: 'dosing',
        title: 'Ketamine session',
        date: '2026-06-03',
        route: 'intranasal',
        routeName: 'nasal spray',
        location: { clinicName: 'Juniper Clinic', roomName: null },
      },
      preparation: { appointmentId: dosingId, date: '2026-06-03' },
    });
    expect(home.nextSession.whatToBring[0]).toContain('take you home');
    expect(home.preparation.items.map((i: Item) => [i.id, i.state])).toEqual([
      ['ride-home', 'to-do'],
      ['no-driving', 'to-do'],
      ['fasting', 'info'],
      ['consents', 'to-do'],
      ['questionnaires', 'to-do'],
    ]);
    // SPRAVATO label: no food for 2 hours, no liquids for 30 minutes (clinical-reference 2.5).
    expect(itemOf(home, 'fasting').detail).toBe(
      'Do not eat for 2 hours, and do not drink anything for 30 minutes, before your session.',
    );
    expect(itemOf(home, 'no-driving').action).toEqual({
      label: 'Agree not to drive',
      to: '/portal/appointments',
    });
    expect(itemOf(home, 'consents').action?.to).toBe(`/portal/consents/${generalVersionId}`);
    const phq9 = home.todos.find((t: { action: { label: string } }) => t.action.label === 'Start PHQ-9');
    expect(itemOf(home, 'questionnaires').action?.to).toBe(phq9.action.to);
    expect(home.todos.map((t: { kind: string }) => t.kind)).toEqual([
      'questionnaire',
      'questionnaire',
      'consent',
      'intake',
    ]);
    expect(home.todos[0]).toMatchObject({
      dueDate: '2026-06-02',
      detail: '10 questions · Due by 2026-06-02',
    });
    expect(home.todos[2]).toMatchObject({ label: 'Sign “General KAP consent”' });
    expect(home.todos[3]).toMatchObject({ label: 'Start your intake', action: { to: '/portal/intake' } });
    expect(first.body).not.toContain('Casimir');
    expect(first.body).not.toContain('Elsewhere');

    // The clinic confirms the ride, the patient agrees not to drive and signs; the clinic countersigns.
    const ride = await as(
      app,
      frontDesk,
    )({
      method: 'POST',
      url: `/api/v1/appointments/${dosingId}/ride-home`,
      payload: {
        clientId: randomUUID(),
        status: 'confirmed',
        escortName: 'Jordan Homefirst',
        escortPhone: '555-010-0177',
        escortRelationship: 'partner',
      },
    });
    expect(ride.statusCode, ride.body).toBeLessThan(300);
    expect(
      (
        await self({
          method: 'POST',
          url: `/api/v1/me/appointments/${dosingId}/no-driving-acknowledgement`,
          payload: { acknowledged: true },
        })
      ).statusCode,
    ).toBe(200);
    const shown = (await self({ method: 'GET', url: `/api/v1/me/consents/${generalVersionId}` })).json();
    const signed = await self({
      method: 'POST',
      url: `/api/v1/me/consents/${generalVersionId}/signatures`,
      payload: { id: randomUUID(), typedName: 'Rowan Homefirst', agreed: true, textSha256: shown.textSha256 },
    });
    expect(signed.statusCode, signed.body).toBe(201);

    const waiting = (await self({ method: 'GET', url: '/api/v1/me/home' })).json();
    expect(itemOf(waiting, 'ride-home')).toMatchObject({
      state: 'done',
      detail: 'Jordan Homefirst will take you home.',
    });
    expect(itemOf(waiting, 'no-driving').state).toBe('done');
    expect(itemOf(waiting, 'consents').state).toBe('waiting');
    expect(waiting.todos.map((t: { kind: string }) => t.kind)).toEqual([
      'questionnaire',
      'questionnaire',
      'intake',
    ]);

    const counter = await as(
      app,
      prescriber,
    )({
      method: 'POST',
      url: `/api/v1/patients/${patient.id}/consents/${signed.json().id}/countersignature`,
    });
    expect(counter.statusCode, counter.body).toBe(201);
    const done = (await self({ method: 'GET', url: '/api/v1/me/home' })).json();
    expect(itemOf(done, 'consents').state).toBe('done');
    // The patient answers the PHQ-9 due before the session.
    const phq9Id = phq9.action.to.split('/').pop();
    const answered = await self({
      method: 'POST',
      url: `/api/v1/me/measures/${phq9Id}/responses`,
      payload: { id: randomUUID(), answers: [0, 0, 1, 1, 0, 0, 0, 0, 0, 0] },
    });
    expect(answered.statusCode, answered.body).toBe(201);
    const after = (await self({ method: 'GET', url: '/api/v1/me/home' })).json();
    expect(itemOf(after, 'questionnaires').state).toBe('done');
    // GAD-7 is due after the session: a to-do, not on the session's checklist.
    expect(after.todos.map((t: { label: string }) => t.label)).toEqual([
      'Fill in the Generalized Anxiety Disorder-7',
      'Start your intake',
    ]);

    const actions = (
      await database.db
        .select({ action: auditEvent.action })
        .from(auditEvent)
        .where(and(eq(auditEvent.clinicId, clinicId), eq(auditEvent.patientId, patient.id)))
    ).map((e) => e.action);
    expect(actions.filter((a) => a === 'portal.home.read')).toHaveLength(4);
  });

  it('is one audited read per view, naming the record sets it composed', async () => {
    const { patient, self } = await newPatient('Lane', 'Oneread');
    await book(patient.id, 'dosing', '2026-06-03T14:00:00Z');
    expect((await self({ method: 'GET', url: '/api/v1/me/home' })).statusCode).toBe(200);
    const events = await database.db
      .select({ action: auditEvent.action, detail: auditEvent.detail })
      .from(auditEvent)
      .where(and(eq(auditEvent.clinicId, clinicId), eq(auditEvent.patientId, patient.id)));
    expect(events.map((e) => e.action)).toEqual(['portal.home.read']);
    expect(events[0]!.detail).toMatchObject({
      composed: ['measures.portal-list', 'consent.list', 'intake.read', 'experience-rating.list-own'],
    });
  });

  it('has no next session and no checklist when nothing is booked', async () => {
    const { self } = await newPatient('Quinn', 'Unbooked');
    const home = (await self({ method: 'GET', url: '/api/v1/me/home' })).json();
    expect(home).toMatchObject({ nextSession: null, preparation: null });
  });

  it('asks for the rating of yesterday’s session, and not of today’s', async () => {
    const { patient, self } = await newPatient('Avery', 'Rater');
    const yesterday = await createDosingSession(database.db, {
      clinicId,
      patientId: patient.id,
      staffId,
      dosingStartedAt: '2026-05-31T14:00:00Z',
      dischargedAfterMinutes: 125,
    });
    // Today's session (discharged already): its rating opens tomorrow.
    await createDosingSession(database.db, {
      clinicId,
      patientId: patient.id,
      staffId,
      dosingStartedAt: '2026-06-01T12:00:00Z',
      dischargedAfterMinutes: 125,
    });
    const home = (await self({ method: 'GET', url: '/api/v1/me/home' })).json();
    const ratings = home.todos.filter((t: { kind: string }) => t.kind === 'experience-rating');
    expect(ratings).toEqual([
      {
        kind: 'experience-rating',
        label: 'Rate your session of 2026-05-31',
        detail: 'A few questions on how the session went for you.',
        dueDate: null,
        action: { label: 'Rate the session', to: `/portal/experience/${yesterday.id}` },
      },
    ]);
  });

  it('is the patient portal’s: staff are refused, unknown query parameters are a 400', async () => {
    const { self } = await newPatient('Morgan', 'Strict');
    expect((await as(app, prescriber)({ method: 'GET', url: '/api/v1/me/home' })).statusCode).toBe(403);
    expect((await as(app, null)({ method: 'GET', url: '/api/v1/me/home' })).statusCode).toBe(401);
    const bad = await self({ method: 'GET', url: '/api/v1/me/home?patientId=someone-else' });
    expect(bad.statusCode).toBe(400);
  });
});

describe('GET /api/v1/me/sessions', () => {
  it('lists my dosing and integration sessions with their times, never another patient’s, never note text', async () => {
    const { patient, self } = await newPatient('Ellis', 'Historian');
    const other = await newPatient('Devon', 'Neighbour');
    const earlier = await createDosingSession(database.db, {
      clinicId,
      patientId: patient.id,
      staffId,
      dosingStartedAt: '2026-05-12T14:00:00Z',
      dischargedAfterMinutes: 125,
    });
    await earlier.discharge('Jordan Historian');
    const stopped = await createDosingSession(database.db, {
      clinicId,
      patientId: patient.id,
      staffId,
      state: 'aborted',
      dosingStartedAt: '2026-05-19T14:00:00Z',
    });
    const theirs = await createDosingSession(database.db, {
      clinicId,
      patientId: other.patient.id,
      staffId,
      dosingStartedAt: '2026-05-13T14:00:00Z',
      dischargedAfterMinutes: 120,
    });
    const integrationId = await book(patient.id, 'integration', '2026-05-13T15:00:00Z', 60);
    await book(patient.id, 'integration', '2026-06-05T15:00:00Z', 60); // not yet: not attended
    await book(patient.id, 'integration', '2026-05-20T15:00:00Z', 60, {
      status: 'cancelled',
      cancelledAt: new Date('2026-05-19T00:00:00Z'),
    });
    await book(other.patient.id, 'integration', '2026-05-14T15:00:00Z', 60);
    const secret = 'Talked through the recurring dream of the red staircase and Aunt Philippa.';
    await writeNote(patient.id, earlier.appointmentId, secret);
    await writeNote(patient.id, integrationId, `${secret} Integration follow-up.`);
    // The therapist's integration notes: one held in the booked appointment (with a psychotherapy part), one
    // documented without an appointment. Their progress content stays in the chart, not in this history.
    const integrationNote = (payload: Record<string, unknown>) =>
      as(
        app,
        therapist,
      )({
        method: 'POST',
        url: `/api/v1/patients/${patient.id}/integration-notes`,
        payload: { id: randomUUID(), dosingSessionId: earlier.id, ...payload },
      });
    const held = await integrationNote({
      appointmentId: integrationId,
      heldOn: '2026-05-13',
      content: { themes: 'Themes of the lighthouse keeper and forgiveness' },
      psychotherapyNotes: 'Aunt Philippa again; the staircase dream as a threshold.',
    });
    expect(held.statusCode, held.body).toBe(201);
    const unbooked = await integrationNote({
      heldOn: '2026-05-15',
      content: { insights: 'Insight about the orchard and her father' },
    });
    expect(unbooked.statusCode, unbooked.body).toBe(201);

    const reply = await self({ method: 'GET', url: '/api/v1/me/sessions' });
    expect(reply.statusCode, reply.body).toBe(200);
    const body = reply.json();
    expect(body.dosingSessions).toEqual([
      expect.objectContaining({
        sessionId: stopped.id,
        state: 'aborted',
        stateLabel: 'Ended early',
        dosingStartedAt: '2026-05-19T14:00:00.000Z',
        dischargedAt: null,
        dischargeInstructions: null,
      }),
      {
        sessionId: earlier.id,
        date: '2026-05-12',
        route: 'intranasal',
        routeName: 'nasal spray',
        state: 'discharged',
        stateLabel: 'Completed',
        checkedInAt: '2026-05-12T13:35:00.000Z',
        dosingStartedAt: '2026-05-12T14:00:00.000Z',
        dischargedAt: '2026-05-12T16:05:00.000Z',
        endedAt: '2026-05-12T16:05:00.000Z',
        roomName: null,
        dischargeInstructions: {
          page: `/portal/sessions/${earlier.id}/instructions`,
          pdf: `/api/v1/me/sessions/${earlier.id}/discharge-instructions.pdf`,
        },
      },
    ]);
    const followsEarlier = { sessionId: earlier.id, date: '2026-05-12' };
    expect(body.integrationSessions).toEqual([
      {
        appointmentId: null,
        date: '2026-05-15',
        startsAt: null,
        endsAt: null,
        roomName: null,
        followsSession: followsEarlier,
      },
      {
        appointmentId: integrationId,
        date: '2026-05-13',
        startsAt: '2026-05-13T15:00:00.000Z',
        endsAt: '2026-05-13T16:00:00.000Z',
        roomName: null,
        followsSession: followsEarlier,
      },
    ]);
    for (const words of ['lighthouse', 'orchard', 'threshold']) expect(reply.body).not.toContain(words);
    expect(reply.body).not.toContain(theirs.id);
    expect(reply.body).not.toContain('red staircase');
    expect(reply.body).not.toContain('Philippa');
    // The abort reason is the staff's words, not part of the patient's history view.
    expect(reply.body).not.toContain('Walking the test');

    const theirsView = (await other.self({ method: 'GET', url: '/api/v1/me/sessions' })).json();
    expect(theirsView.dosingSessions.map((s: { sessionId: string }) => s.sessionId)).toEqual([theirs.id]);
    expect(theirsView.integrationSessions.map((i: { followsSession: unknown }) => i.followsSession)).toEqual([
      null,
    ]);

    const [event] = await database.db
      .select()
      .from(auditEvent)
      .where(
        and(
          eq(auditEvent.clinicId, clinicId),
          eq(auditEvent.patientId, patient.id),
          eq(auditEvent.action, 'portal.sessions.read'),
        ),
      );
    expect(event).toMatchObject({ resourceType: 'dosing_session', outcome: 'success' });
    expect(event!.detail).toEqual({ dosing: 2, integration: 2 });
  });

  it('refuses staff and bad query parameters', async () => {
    const { self } = await newPatient('Harper', 'Refused');
    expect((await as(app, therapist)({ method: 'GET', url: '/api/v1/me/sessions' })).statusCode).toBe(403);
    expect((await self({ method: 'GET', url: '/api/v1/me/sessions?limit=5' })).statusCode).toBe(400);
  });
});

describe('GET /api/v1/me/crisis-resources', () => {
  it('gives 988, 911 and the clinic’s crisis phone, or none when the clinic has not set one', async () => {
    const { self } = await newPatient('Kai', 'Crisis');
    expect((await self({ method: 'GET', url: '/api/v1/me/crisis-resources' })).json()).toEqual({
      lifeline: { name: '988 Suicide & Crisis Lifeline', call: '988', text: '988' },
      emergency: '911',
      clinicName: 'Juniper Clinic',
      clinicPhone: '(555) 010-0142',
    });
    const bare = await createClinic(database.db, { name: 'Bare Clinic' });
    const patient = await createPatient(database.db, bare.id);
    const account = await signIn(app, (await createPatientUser(database.db, bare.id, patient.id)).email);
    const lines = (await as(app, account)({ method: 'GET', url: '/api/v1/me/crisis-resources' })).json();
    expect(lines).toMatchObject({ clinicPhone: null, emergency: '911', clinicName: 'Bare Clinic' });
  });
});
