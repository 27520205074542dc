import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { StaffActor } from '../../context.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import { auditEvent, preparationNote, preparationNoteVersion } from '../../db/schema/index.ts';
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
import { findLatestPreparation } from './preparation.service.ts';

let database: DatabaseHandle;
let app: FastifyInstance;
const clock = new ManualClock('2026-06-01T08:00:00Z');
let clinicId: string;
let therapistUser: { id: string; email: string };
let therapist: SignedIn;
let prescriber: SignedIn;
let nurse: SignedIn;
let frontDesk: SignedIn;
let foreignTherapist: SignedIn;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, clock);
  clinicId = (await createClinic(database.db)).id;
  therapistUser = await createStaffUser(database.db, clinicId, ['therapist']);
  therapist = await signIn(app, therapistUser.email);
  prescriber = await signIn(app, (await createStaffUser(database.db, clinicId, ['prescriber'])).email);
  nurse = await signIn(app, (await createStaffUser(database.db, clinicId, ['nurse'])).email);
  frontDesk = await signIn(app, (await createStaffUser(database.db, clinicId, ['frontdesk'])).email);
  const foreign = await createClinic(database.db, { name: 'Elsewhere' });
  foreignTherapist = await signIn(app, (await createStaffUser(database.db, foreign.id, ['therapist'])).email);
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const goalId = randomUUID();
const intentionId = randomUUID();
const content = (overrides: Record<string, unknown> = {}) => ({
  sessionDate: '2026-06-01',
  goals: [{ id: goalId, text: 'Feel able to return to work' }],
  intentions: [{ id: intentionId, text: 'Stay curious about whatever comes up' }],
  concerns: 'Worried about nausea and about losing control.',
  psychoeducation: [
    { topic: 'what-it-feels-like', covered: true },
    { topic: 'dissociation', covered: true, note: 'Explained that time and body sense may shift.' },
    { topic: 'nausea', covered: true },
    { topic: 'blood-pressure', covered: true },
    { topic: 'no-driving', covered: true },
    { topic: 'right-to-stop', covered: true },
    { topic: 'integration', covered: false },
  ],
  setAndSetting: { music: 'Instrumental, no lyrics', eyeMask: true, lighting: 'dim', blanket: true },
  supportPerson: { name: 'Jordan Lee', relationship: 'partner', phone: '555-0100' },
  rideHome: { name: 'Jordan Lee', phone: '555-0100', relationship: 'partner' },
  ...overrides,
});

const notesUrl = (patientId: string) => `/api/v1/patients/${patientId}/preparation-notes`;

async function newNote(patientId: string, who = therapist, body = content()) {
  return as(app, who)({ method: 'POST', url: notesUrl(patientId), payload: { content: body } });
}

async function latestOf(patientId: string) {
  const actor: StaffActor = {
    kind: 'staff',
    userId: therapistUser.id,
    clinicId,
    sessionId: randomUUID(),
    email: therapistUser.email,
    displayName: 'Test therapist',
    roles: ['therapist'],
  };
  return runUnitOfWork(database.db, actor, { requestId: null, ip: null, userAgent: null }, clock, (ctx) =>
    findLatestPreparation(ctx, patientId),
  );
}

describe('preparation notes', () => {
  it('saves a draft, signs it as version 1, and amends it with new signed versions', async () => {
    const patient = await createPatient(database.db, clinicId);
    const created = await newNote(patient.id);
    expect(created.statusCode).toBe(201);
    const note = created.json();
    expect(note).toMatchObject({ status: 'draft', revision: 1, versions: [] });
    expect(note.content.setAndSetting).toEqual({
      music: 'Instrumental, no lyrics',
      eyeMask: true,
      lighting: 'dim',
      blanket: true,
      other: null,
    });
    expect(note.content.psychoeducation).toHaveLength(7);
    expect(await latestOf(patient.id)).toBeNull();

    const url = `${notesUrl(patient.id)}/${note.id}`;
    const edited = await as(
      app,
      therapist,
    )({ method: 'PUT', url, payload: { revision: 1, content: content({ concerns: 'Nausea.' }) } });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ revision: 2, status: 'draft', content: { concerns: 'Nausea.' } });
    const stale = await as(
      app,
      therapist,
    )({ method: 'PUT', url, payload: { revision: 1, content: content() } });
    expect(stale.statusCode).toBe(409);

    const signatureId = randomUUID();
    const signed = await as(
      app,
      therapist,
    )({ method: 'POST', url: `${url}/signature`, payload: { signatureId, revision: 2 } });
    expect(signed.statusCode).toBe(200);
    expect(signed.json()).toMatchObject({ status: 'signed', revision: 3 });
    expect(signed.json().versions).toEqual([
      expect.objectContaining({
        version: 1,
        amendmentReason: null,
        signedBy: { id: therapistUser.id, displayName: expect.any(String) },
        content: expect.objectContaining({ concerns: 'Nausea.' }),
      }),
    ]);
    // A retried signature answers with the signed note; signing again is refused.
    const retried = await as(
      app,
      therapist,
    )({ method: 'POST', url: `${url}/signature`, payload: { signatureId, revision: 2 } });
    expect(retried.statusCode).toBe(200);
    expect(retried.json().versions).toHaveLength(1);
    const again = await as(
      app,
      therapist,
    )({ method: 'POST', url: `${url}/signature`, payload: { signatureId: randomUUID(), revision: 3 } });
    expect(again.statusCode).toBe(409);

    // After signing, a save without a reason is refused; with one it is a new signed version.
    const noReason = await as(
      app,
      therapist,
    )({ method: 'PUT', url, payload: { revision: 3, content: content({ concerns: 'Nausea; flying.' }) } });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors[0].path).toBe('amendmentReason');
    const saveId = randomUUID();
    const amended = await as(
      app,
      prescriber,
    )({
      method: 'PUT',
      url,
      payload: {
        revision: 3,
        saveId,
        amendmentReason: 'Patient added a concern by phone',
        content: content({ concerns: 'Nausea; flying.' }),
      },
    });
    expect(amended.statusCode).toBe(200);
    expect(
      amended.json().versions.map((v: { version: number; amendmentReason: string | null }) => v),
    ).toEqual([
      expect.objectContaining({ version: 1, content: expect.objectContaining({ concerns: 'Nausea.' }) }),
      expect.objectContaining({
        version: 2,
        amendmentReason: 'Patient added a concern by phone',
        content: expect.objectContaining({ concerns: 'Nausea; flying.' }),
      }),
    ]);
    const retriedSave = await as(
      app,
      prescriber,
    )({
      method: 'PUT',
      url,
      payload: {
        revision: 3,
        saveId,
        amendmentReason: 'Patient added a concern by phone',
        content: content(),
      },
    });
    expect(retriedSave.statusCode).toBe(200);
    expect(retriedSave.json().versions).toHaveLength(2);

    const latest = await latestOf(patient.id);
    expect(latest).toMatchObject({ noteId: note.id, version: 2, content: { concerns: 'Nausea; flying.' } });
    expect(latest!.content.rideHome).toEqual({
      name: 'Jordan Lee',
      phone: '555-0100',
      relationship: 'partner',
    });

    const actions = (
      await database.db
        .select({ action: auditEvent.action })
        .from(auditEvent)
        .where(and(eq(auditEvent.clinicId, clinicId), eq(auditEvent.patientId, patient.id)))
    ).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'preparation-note.create',
        'preparation-note.update',
        'preparation-note.sign',
        'preparation-note.amend',
      ]),
    );
  });

  it('keeps signed versions append-only in the database', async () => {
    const patient = await createPatient(database.db, clinicId);
    const note = (await newNote(patient.id)).json();
    await as(
      app,
      therapist,
    )({
      method: 'POST',
      url: `${notesUrl(patient.id)}/${note.id}/signature`,
      payload: { signatureId: randomUUID(), revision: 1 },
    });
    const [version] = await database.db
      .select()
      .from(preparationNoteVersion)
      .where(eq(preparationNoteVersion.noteId, note.id));
    expect(
      await databaseError(
        database.db
          .update(preparationNoteVersion)
          .set({ amendmentReason: 'rewritten' })
          .where(eq(preparationNoteVersion.id, version!.id)),
      ),
    ).toContain('append-only');
    expect(
      await databaseError(database.db.delete(preparationNote).where(eq(preparationNote.id, note.id))),
    ).toContain('append-only');
    expect(
      await databaseError(
        database.db.update(preparationNote).set({ status: 'draft' }).where(eq(preparationNote.id, note.id)),
      ),
    ).toContain('only be amended');
  });

  it('lists the notes with their versions for clinical readers', async () => {
    const patient = await createPatient(database.db, clinicId);
    await newNote(patient.id);
    const listed = await as(app, nurse)({ method: 'GET', url: notesUrl(patient.id) });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items).toHaveLength(1);
    expect(listed.json().items[0].content.goals).toEqual([
      { id: goalId, text: 'Feel able to return to work' },
    ]);
  });

  it('lets therapists and prescribers write, answers 403 to others and 404 across clinics', async () => {
    const patient = await createPatient(database.db, clinicId);
    expect((await newNote(patient.id, prescriber)).statusCode).toBe(201);
    expect((await newNote(patient.id, nurse)).statusCode).toBe(403);
    expect((await newNote(patient.id, frontDesk)).statusCode).toBe(403);
    expect((await as(app, frontDesk)({ method: 'GET', url: notesUrl(patient.id) })).statusCode).toBe(403);
    const note = (await newNote(patient.id)).json();
    const foreign = as(app, foreignTherapist);
    for (const response of [
      await foreign({ method: 'GET', url: notesUrl(patient.id) }),
      await foreign({ method: 'POST', url: notesUrl(patient.id), payload: { content: content() } }),
      await foreign({
        method: 'PUT',
        url: `${notesUrl(patient.id)}/${note.id}`,
        payload: { revision: 1, content: content() },
      }),
      await foreign({
        method: 'POST',
        url: `${notesUrl(patient.id)}/${note.id}/signature`,
        payload: { signatureId: randomUUID(), revision: 1 },
      }),
    ]) {
      expect(response.statusCode).toBe(404);
      expect(response.body).not.toContain('Jordan');
    }
  });

  it('rejects malformed notes with field paths', async () => {
    const patient = await createPatient(database.db, clinicId);
    const badTopic = await newNote(
      patient.id,
      therapist,
      content({ psychoeducation: [{ topic: 'astrology', covered: true }] }),
    );
    expect(badTopic.statusCode).toBe(400);
    const twice = await newNote(
      patient.id,
      therapist,
      content({
        psychoeducation: [
          { topic: 'nausea', covered: true },
          { topic: 'nausea', covered: false },
        ],
      }),
    );
    expect(twice.statusCode).toBe(400);
    expect(JSON.stringify(twice.json().errors)).toContain('psychoeducation');
    const noPhone = await newNote(
      patient.id,
      therapist,
      content({ rideHome: { name: 'Sam', relationship: 'friend' } }),
    );
    expect(noPhone.statusCode).toBe(400);
    expect(JSON.stringify(noPhone.json().errors)).toContain('rideHome');
  });
});

describe('treatment plan goals from a preparation note', () => {
  it('links a plan goal to a note’s goal by id, and refuses an unknown one', async () => {
    const patient = await createPatient(database.db, clinicId);
    const note = (await newNote(patient.id)).json();
    const plan = {
      indication: { icd10: 'F33.1', description: 'MDD', notOnProblemList: true },
      protocolId: 'kap-sublingual',
      route: 'sublingual',
      product: 'ketamine-racemic',
      startDate: '2026-06-20',
      dosingSessions: 4,
      startingDose: { value: 100, unit: 'mg' },
      maximumDose: { value: 300, unit: 'mg' },
      intentions: [],
    };
    const url = `/api/v1/patients/${patient.id}/treatment-plans`;
    const linked = await as(
      app,
      prescriber,
    )({
      method: 'POST',
      url,
      payload: {
        ...plan,
        goals: [
          { text: 'Feel able to return to work', preparationNoteId: note.id, preparationItemId: goalId },
        ],
      },
    });
    expect(linked.statusCode).toBe(201);
    expect(linked.json().goals).toEqual([
      { text: 'Feel able to return to work', preparationNoteId: note.id, preparationItemId: goalId },
    ]);
    const unknown = await as(
      app,
      prescriber,
    )({
      method: 'POST',
      url,
      payload: {
        ...plan,
        goals: [{ text: 'x', preparationNoteId: note.id, preparationItemId: randomUUID() }],
      },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].path).toBe('goals.0.preparationItemId');
  });
});
