import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import { auditEvent, integrationNote, psychotherapyNote, treatmentPlan } from '../../db/schema/index.ts';
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
import { createDosingSession } from '../session-safety/session.fixture.ts';

// Wednesday 10 June 2026, noon in New York (the test clinics' time zone).
const clock = new ManualClock('2026-06-10T16:00:00Z');
let database: DatabaseHandle;
let app: FastifyInstance;
let clinicId: string;
let therapistId: string;
let therapist: SignedIn;
let otherTherapist: SignedIn;
let prescriber: SignedIn;
let nurse: SignedIn;
let admin: SignedIn;
let foreignTherapist: SignedIn;

const secretWords = 'She spoke of her brother’s funeral and the guilt she has never told anyone about';

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, clock);
  clinicId = (await createClinic(database.db)).id;
  const foreign = await createClinic(database.db, { name: 'Elsewhere' });
  const t = await createStaffUser(database.db, clinicId, ['therapist'], { displayName: 'Tess Therapist' });
  therapistId = t.id;
  therapist = await signIn(app, t.email);
  otherTherapist = await signIn(app, (await createStaffUser(database.db, clinicId, ['therapist'])).email);
  prescriber = await signIn(app, (await createStaffUser(database.db, clinicId, ['prescriber'])).email);
  nurse = await signIn(app, (await createStaffUser(database.db, clinicId, ['nurse'])).email);
  admin = await signIn(app, (await createStaffUser(database.db, clinicId, ['admin'])).email);
  foreignTherapist = await signIn(app, (await createStaffUser(database.db, foreign.id, ['therapist'])).email);
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

/** A completed (discharged) KAP IM session dosed at `dosedAt`, with the plan's intentions. */
async function dosed(patientId: string, dosedAt: string, intentions: string[] = [], targetClinic = clinicId) {
  const staff = await createStaffUser(database.db, targetClinic, ['nurse']);
  const session = await createDosingSession(database.db, {
    clinicId: targetClinic,
    patientId,
    staffId: staff.id,
    product: 'ketamine-racemic',
    route: 'im',
    dosingStartedAt: dosedAt,
    dischargedAfterMinutes: 120,
  });
  if (intentions.length > 0)
    await database.db
      .update(treatmentPlan)
      .set({
        intentions: intentions.map((text) => ({ text, preparationNoteId: null, preparationItemId: null })),
      })
      .where(eq(treatmentPlan.id, session.planId));
  return session;
}

const content = (overrides: Record<string, unknown> = {}) => ({
  themes: 'Reconnecting with her sense of agency at work',
  insights: 'Noticed she can hold grief without being swept away by it',
  emotions: 'Relief, some sadness',
  bodyExperience: 'Warmth in the chest; tension in the shoulders eased',
  intentionReflection: 'She met the intention to be gentler with herself in the second half of the session',
  techniques: ['mindfulness', 'parts-work-ifs'],
  actionItems: ['Ten minutes of breathing practice each morning', 'Write one page about the river image'],
  nextFocus: 'Boundaries with her manager',
  ...overrides,
});

const notesUrl = (patientId: string) => `/api/v1/patients/${patientId}/integration-notes`;
const write = (who: SignedIn, patientId: string, payload: Record<string, unknown>) =>
  as(app, who)({ method: 'POST', url: notesUrl(patientId), payload });
const amend = (who: SignedIn, patientId: string, noteId: string, payload: Record<string, unknown>) =>
  as(app, who)({ method: 'POST', url: `${notesUrl(patientId)}/${noteId}/amendments`, payload });
const list = (who: SignedIn, patientId: string) => as(app, who)({ method: 'GET', url: notesUrl(patientId) });
const ownPsychotherapyNotes = (who: SignedIn, patientId: string) =>
  as(app, who)({ method: 'GET', url: `/api/v1/psychotherapy-notes?patientId=${patientId}` });

describe('integration notes and psychotherapy notes (contract 6, clinical-reference 7.1)', () => {
  it('keeps the progress content in the record and the psychotherapy words with their author only', async () => {
    const patient = await createPatient(database.db, clinicId);
    const session = await dosed(patient.id, '2026-06-08T14:00:00Z', ['To be gentler with myself']);
    const adherence = await as(
      app,
      therapist,
    )({ method: 'GET', url: `/api/v1/patients/${patient.id}/integration-adherence` });
    expect(adherence.json().items).toEqual([
      expect.objectContaining({
        sessionId: session.id,
        state: 'due',
        intentions: ['To be gentler with myself'],
      }),
    ]);
    const id = randomUUID();
    const payload = {
      id,
      dosingSessionId: session.id,
      heldOn: '2026-06-09',
      content: content(),
      psychotherapyNotes: secretWords,
    };
    const saved = await write(therapist, patient.id, payload);
    expect(saved.statusCode).toBe(201);
    expect(saved.body).not.toContain('funeral');
    const note = saved.json();
    expect(note).toMatchObject({
      id,
      dosingSession: { id: session.id, dosedOn: '2026-06-08' },
      hasPsychotherapyNote: true,
      current: {
        version: 1,
        heldOn: '2026-06-09',
        content: {
          sessionIntentions: ['To be gentler with myself'],
          techniques: ['mindfulness', 'parts-work-ifs'],
        },
        writtenBy: { id: therapistId, displayName: 'Tess Therapist' },
      },
    });
    expect(note.ownPsychotherapyNoteSeriesId).toEqual(expect.any(String));

    // A retry of the same save answers the same note and writes nothing twice.
    const retried = await write(therapist, patient.id, payload);
    expect(retried.statusCode).toBe(200);
    expect(retried.json().id).toBe(id);
    const stored = await database.db
      .select()
      .from(integrationNote)
      .where(eq(integrationNote.patientId, patient.id));
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain('funeral');
    const sealed = await database.db
      .select()
      .from(psychotherapyNote)
      .where(eq(psychotherapyNote.patientId, patient.id));
    expect(sealed).toHaveLength(1);
    expect(sealed[0]!.authorId).toBe(therapistId);
    expect(sealed[0]!.bodySealed).not.toContain('funeral');
    // The same id with other words is a conflict, not a silent second note.
    const reused = await write(therapist, patient.id, { ...payload, content: content({ themes: 'Other' }) });
    expect(reused.statusCode).toBe(409);

    // Another clinician reads the progress content and the flag, never the words.
    for (const reader of [prescriber, otherTherapist, nurse]) {
      const read = await list(reader, patient.id);
      expect(read.statusCode).toBe(200);
      expect(read.body).not.toContain('funeral');
      expect(read.json().items).toEqual([
        expect.objectContaining({
          id,
          hasPsychotherapyNote: true,
          ownPsychotherapyNoteSeriesId: null,
          current: expect.objectContaining({
            content: expect.objectContaining({ themes: 'Reconnecting with her sense of agency at work' }),
          }),
        }),
      ]);
    }
    // …and cannot open them through the psychotherapy-notes routes either.
    for (const reader of [prescriber, otherTherapist]) {
      const theirs = await ownPsychotherapyNotes(reader, patient.id);
      expect(theirs.statusCode).toBe(200);
      expect(theirs.json().items).toEqual([]);
    }
    expect((await ownPsychotherapyNotes(nurse, patient.id)).statusCode).toBe(403);
    // The author does.
    const mine = await ownPsychotherapyNotes(therapist, patient.id);
    expect(mine.json().items).toEqual([
      expect.objectContaining({
        seriesId: note.ownPsychotherapyNoteSeriesId,
        current: expect.objectContaining({ body: secretWords }),
      }),
    ]);

    const events = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.clinicId, clinicId), eq(auditEvent.patientId, patient.id)));
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'integration-note.create',
        'psychotherapy-note.create',
        'integration-note.list',
      ]),
    );
    expect(JSON.stringify(events)).not.toContain('funeral');
  });

  it('answers a "retry" whose psychotherapy words changed with 409, never a 200 that drops the new words', async () => {
    const patient = await createPatient(database.db, clinicId);
    const session = await dosed(patient.id, '2026-06-08T14:00:00Z');
    const id = randomUUID();
    const payload = {
      id,
      dosingSessionId: session.id,
      heldOn: '2026-06-09',
      content: content(),
      psychotherapyNotes: 'First words',
    };
    expect((await write(therapist, patient.id, payload)).statusCode).toBe(201);
    expect((await write(therapist, patient.id, payload)).statusCode).toBe(200);
    const edited = await write(therapist, patient.id, { ...payload, psychotherapyNotes: 'Edited words' });
    expect(edited.statusCode).toBe(409);
    const v2 = randomUUID();
    const amendment = {
      id: v2,
      amendsId: id,
      reason: 'Homework added',
      heldOn: '2026-06-09',
      content: content({ nextFocus: 'Sleep' }),
      psychotherapyNotes: 'Second words',
    };
    expect((await amend(therapist, patient.id, id, amendment)).statusCode).toBe(201);
    expect((await amend(therapist, patient.id, id, amendment)).statusCode).toBe(200);
    const editedAmendment = await amend(therapist, patient.id, id, {
      ...amendment,
      psychotherapyNotes: 'Edited second words',
    });
    expect(editedAmendment.statusCode).toBe(409);
    const mine = (await ownPsychotherapyNotes(therapist, patient.id)).json().items;
    expect(mine[0].current.body).toBe('Second words');
  });

  it('amends by a new version that keeps the old words, once per version', async () => {
    const patient = await createPatient(database.db, clinicId);
    const session = await dosed(patient.id, '2026-06-08T14:00:00Z');
    const id = randomUUID();
    expect(
      (
        await write(therapist, patient.id, {
          id,
          dosingSessionId: session.id,
          heldOn: '2026-06-09',
          content: content(),
        })
      ).statusCode,
    ).toBe(201);
    const v2 = randomUUID();
    const amendment = {
      id: v2,
      amendsId: id,
      reason: 'Added the homework agreed at the end of the session',
      heldOn: '2026-06-09',
      content: content({
        actionItems: ['Walk by the river twice this week'],
        techniques: ['other'],
        techniquesOther: 'Expressive art',
      }),
      psychotherapyNotes: 'The river again; her father’s voice',
    };
    const amended = await amend(therapist, patient.id, id, amendment);
    expect(amended.statusCode).toBe(201);
    const view = amended.json();
    expect(view.current).toMatchObject({
      id: v2,
      version: 2,
      amendsId: id,
      amendmentReason: 'Added the homework agreed at the end of the session',
      content: { actionItems: ['Walk by the river twice this week'], techniquesOther: 'Expressive art' },
    });
    expect(view.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(view.versions[1].content.actionItems).toEqual(content().actionItems);
    expect(view.hasPsychotherapyNote).toBe(true);
    expect(view.id).toBe(id);
    // Retry: the same version back.
    expect((await amend(therapist, patient.id, id, amendment)).statusCode).toBe(200);
    // Amending version 1 again (it was amended): 409. A version of another note: 400.
    const again = await amend(therapist, patient.id, id, { ...amendment, id: randomUUID() });
    expect(again.statusCode).toBe(409);
    const stranger = await amend(therapist, patient.id, id, {
      ...amendment,
      id: randomUUID(),
      amendsId: randomUUID(),
    });
    expect(stranger.statusCode).toBe(400);
    expect(stranger.json().errors[0].path).toBe('amendsId');
    // The correction's psychotherapy words went to the author's own note as a revision, not a second note.
    const mine = (await ownPsychotherapyNotes(therapist, patient.id)).json().items;
    expect(mine).toHaveLength(1);
    expect(mine[0].current).toMatchObject({ version: 1, body: 'The river again; her father’s voice' });
    // Another therapist's correction with psychotherapy words starts their own note; the flag stays.
    const theirs = await amend(otherTherapist, patient.id, id, {
      id: randomUUID(),
      amendsId: v2,
      reason: 'Co-therapist’s observations added',
      heldOn: '2026-06-09',
      content: content(),
      psychotherapyNotes: 'Co-therapist’s own process notes',
    });
    expect(theirs.statusCode).toBe(201);
    expect(theirs.json().ownPsychotherapyNoteSeriesId).not.toBe(view.ownPsychotherapyNoteSeriesId);
    expect((await ownPsychotherapyNotes(therapist, patient.id)).json().items).toHaveLength(1);
    // The table refuses an edit in place.
    const error = await databaseError(
      database.db.execute(sql`UPDATE integration_note SET held_on = '2026-06-10' WHERE id = ${id}`),
    );
    expect(error).toMatch(/append-only|not allowed|reject/i);
    const [first] = await database.db.select().from(integrationNote).where(eq(integrationNote.id, id));
    expect(first!.content.actionItems).toEqual(content().actionItems);
  });

  it('links only a discharged dosing session of the same patient, and a day from the dose to today', async () => {
    const patient = await createPatient(database.db, clinicId);
    const other = await createPatient(database.db, clinicId);
    const session = await dosed(patient.id, '2026-06-08T14:00:00Z');
    const othersSession = await dosed(other.id, '2026-06-08T14:00:00Z');
    const staff = await createStaffUser(database.db, clinicId, ['nurse']);
    const ongoing = await createDosingSession(database.db, {
      clinicId,
      patientId: patient.id,
      staffId: staff.id,
      product: 'ketamine-racemic',
      dosingStartedAt: '2026-06-10T15:00:00Z',
    });
    const base = { heldOn: '2026-06-09', content: content() };
    const problem = async (payload: Record<string, unknown>) => {
      const answer = await write(therapist, patient.id, { id: randomUUID(), ...base, ...payload });
      expect(answer.statusCode).toBe(400);
      return answer.json().errors.map((e: { path: string }) => e.path);
    };
    expect(await problem({ dosingSessionId: othersSession.id })).toEqual(['dosingSessionId']);
    expect(await problem({ dosingSessionId: ongoing.id, heldOn: '2026-06-10' })).toEqual(['dosingSessionId']);
    expect(await problem({ dosingSessionId: session.id, heldOn: '2026-06-07' })).toEqual(['heldOn']);
    expect(await problem({ dosingSessionId: session.id, heldOn: '2026-06-11' })).toEqual(['heldOn']);
    expect(await problem({ dosingSessionId: session.id, appointmentId: session.appointmentId })).toEqual([
      'appointmentId',
    ]);
    expect(
      await problem({ dosingSessionId: session.id, content: content({ techniques: ['other'] }) }),
    ).toContain('content.techniquesOther');
    // A nurse reads integration notes but does not write them.
    const byNurse = await write(nurse, patient.id, {
      id: randomUUID(),
      dosingSessionId: session.id,
      ...base,
    });
    expect(byNurse.statusCode).toBe(403);
  });

  it('answers another clinic’s patient with 404 and nothing of the patient', async () => {
    const patient = await createPatient(database.db, clinicId, { familyName: 'Hiddenname' });
    const session = await dosed(patient.id, '2026-06-08T14:00:00Z');
    const payload = {
      id: randomUUID(),
      dosingSessionId: session.id,
      heldOn: '2026-06-09',
      content: content(),
    };
    for (const answer of [
      await write(foreignTherapist, patient.id, payload),
      await list(foreignTherapist, patient.id),
      await as(
        app,
        foreignTherapist,
      )({ method: 'GET', url: `/api/v1/patients/${patient.id}/integration-adherence` }),
      await amend(foreignTherapist, patient.id, randomUUID(), {
        id: randomUUID(),
        heldOn: '2026-06-09',
        content: content(),
        amendsId: randomUUID(),
        reason: 'No way',
      }),
    ]) {
      expect(answer.statusCode).toBe(404);
      expect(answer.body).not.toContain('Hiddenname');
    }
    const consoleList = await as(
      app,
      foreignTherapist,
    )({ method: 'GET', url: '/api/v1/integration/adherence' });
    expect(consoleList.statusCode).toBe(200);
    expect(consoleList.body).not.toContain(patient.id);
  });
});

describe('integration adherence', () => {
  it('gives each completed dose its state from the real notes: done, late, due, missing, not due yet', async () => {
    const patient = await createPatient(database.db, clinicId, { familyName: 'Adherence' });
    const onTime = await dosed(patient.id, '2026-06-01T14:00:00Z');
    const late = await dosed(patient.id, '2026-06-02T14:00:00Z');
    const missing = await dosed(patient.id, '2026-06-05T14:00:00Z');
    const due = await dosed(patient.id, '2026-06-08T14:00:00Z');
    const today = await dosed(patient.id, '2026-06-10T13:00:00Z');
    const staff = await createStaffUser(database.db, clinicId, ['nurse']);
    await createDosingSession(database.db, {
      clinicId,
      patientId: patient.id,
      staffId: staff.id,
      product: 'ketamine-racemic',
      dosingStartedAt: '2026-06-09T20:00:00Z',
    }); // still monitoring: not a completed dose
    const spravato = await createDosingSession(database.db, {
      clinicId,
      patientId: patient.id,
      staffId: staff.id,
      dosingStartedAt: '2026-06-03T14:00:00Z',
      dischargedAfterMinutes: 130,
    }); // SPRAVATO: the label protocol expects no integration
    await assignCareTeam(database.db, clinicId, patient.id, therapistId, 'therapist');
    for (const [session, heldOn] of [
      [onTime, '2026-06-04'], // day 3: the window's last day
      [late, '2026-06-06'], // day 4
    ] as const)
      expect(
        (
          await write(therapist, patient.id, {
            id: randomUUID(),
            dosingSessionId: session.id,
            heldOn,
            content: content(),
          })
        ).statusCode,
      ).toBe(201);

    const answer = await as(
      app,
      prescriber,
    )({ method: 'GET', url: `/api/v1/patients/${patient.id}/integration-adherence` });
    expect(answer.statusCode).toBe(200);
    const body = answer.json();
    expect(body.today).toBe('2026-06-10');
    const states = Object.fromEntries(
      body.items.map((i: { sessionId: string; state: string }) => [i.sessionId, i.state]),
    );
    expect(states).toEqual({
      [today.id]: 'not-due-yet',
      [due.id]: 'due',
      [missing.id]: 'missing',
      [late.id]: 'late',
      [onTime.id]: 'done',
    });
    expect(states[spravato.id]).toBeUndefined();
    expect(body.items.find((i: { sessionId: string }) => i.sessionId === onTime.id)).toMatchObject({
      dosedOn: '2026-06-01',
      window: [1, 3],
      opensOn: '2026-06-02',
      closesOn: '2026-06-04',
      integration: { heldOn: '2026-06-04', dayAfterDose: 3 },
      therapist: { id: therapistId, displayName: 'Tess Therapist' },
    });

    // The console: missing, late and due by default; one state when asked.
    const consoleList = await as(app, therapist)({ method: 'GET', url: '/api/v1/integration/adherence' });
    expect(consoleList.statusCode).toBe(200);
    const mine = consoleList
      .json()
      .items.filter((i: { patient: { id: string } }) => i.patient.id === patient.id)
      .map((i: { sessionId: string; state: string }) => [i.sessionId, i.state]);
    expect(mine).toEqual([
      [due.id, 'due'],
      [missing.id, 'missing'],
      [late.id, 'late'],
    ]);
    const onlyMissing = await as(
      app,
      therapist,
    )({ method: 'GET', url: '/api/v1/integration/adherence?state=missing' });
    expect(new Set(onlyMissing.json().items.map((i: { state: string }) => i.state))).toEqual(
      new Set(['missing']),
    );
    expect(
      (await as(app, therapist)({ method: 'GET', url: '/api/v1/integration/adherence?state=soon' }))
        .statusCode,
    ).toBe(400);

    // The clinic's own window (2–7 days) makes day 4 on time and the 8 June dose not yet due.
    const setWindow = (windowDays: [number, number] | null) =>
      as(app, admin)({ method: 'PUT', url: '/api/v1/care-settings/integration', payload: { windowDays } });
    const set = await setWindow([2, 7]);
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({
      windowDays: [2, 7],
      effective: { 'kap-im': [2, 7], 'spravato-trd': null },
    });
    const wider = await as(
      app,
      prescriber,
    )({ method: 'GET', url: `/api/v1/patients/${patient.id}/integration-adherence` });
    const widerStates = Object.fromEntries(
      wider.json().items.map((i: { sessionId: string; state: string }) => [i.sessionId, i.state]),
    );
    expect(widerStates).toMatchObject({
      [late.id]: 'done',
      [due.id]: 'due',
      [missing.id]: 'due',
      [today.id]: 'not-due-yet',
    });
    expect((await setWindow(null)).json()).toMatchObject({
      windowDays: null,
      effective: { 'kap-im': [1, 3] },
    });
  });

  it('lists only the patients in the caller’s care in a care-team clinic', async () => {
    const careTeamClinic = await createClinic(database.db, { settings: { careScope: 'care-team' } });
    const patient = await createPatient(database.db, careTeamClinic.id);
    await dosed(patient.id, '2026-06-05T14:00:00Z', [], careTeamClinic.id);
    const onTeam = await createStaffUser(database.db, careTeamClinic.id, ['therapist']);
    await assignCareTeam(database.db, careTeamClinic.id, patient.id, onTeam.id, 'therapist');
    const offTeam = await createStaffUser(database.db, careTeamClinic.id, ['therapist']);
    const seen = async (email: string) =>
      (await as(app, await signIn(app, email))({ method: 'GET', url: '/api/v1/integration/adherence' }))
        .json()
        .items.map((i: { patient: { id: string } }) => i.patient.id);
    expect(await seen(onTeam.email)).toEqual([patient.id]);
    expect(await seen(offTeam.email)).toEqual([]);

    // Break-glass opens the chart, and the console's list then shows the patient: that read is the
    // patient's, flagged as break-glass, in the audit trail.
    const granted = await as(
      app,
      await signIn(app, offTeam.email),
    )({
      method: 'POST',
      url: `/api/v1/patients/${patient.id}/break-glass`,
      payload: { reason: 'Covering for the therapist, who is away today' },
    });
    expect(granted.statusCode, granted.body).toBe(201);
    expect(await seen(offTeam.email)).toEqual([patient.id]);
    const reads = await database.db
      .select({ actorId: auditEvent.actorId, breakGlass: auditEvent.breakGlass })
      .from(auditEvent)
      .where(
        and(
          eq(auditEvent.clinicId, careTeamClinic.id),
          eq(auditEvent.patientId, patient.id),
          eq(auditEvent.action, 'integration-adherence.list'),
        ),
      );
    expect(reads).toEqual([{ actorId: offTeam.id, breakGlass: true }]);
  });

  it('validates the clinic window and lets only care-settings managers change it', async () => {
    const put = (who: SignedIn, payload: unknown) =>
      as(app, who)({ method: 'PUT', url: '/api/v1/care-settings/integration', payload: payload as object });
    expect((await put(admin, { windowDays: [3, 1] })).statusCode).toBe(400);
    expect((await put(admin, { windowDays: [0, 31] })).statusCode).toBe(400);
    expect((await put(admin, { windowDays: [1] })).statusCode).toBe(400);
    expect((await put(therapist, { windowDays: [1, 3] })).statusCode).toBe(403);
    expect(
      (await as(app, therapist)({ method: 'GET', url: '/api/v1/care-settings/integration' })).statusCode,
    ).toBe(403);
    const read = await as(app, admin)({ method: 'GET', url: '/api/v1/care-settings/integration' });
    expect(read.json()).toMatchObject({
      windowDays: null,
      effective: { 'iv-series': [1, 3], 'kap-sublingual': [1, 3] },
    });
  });
});
