import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { PatientActor } from '../../context.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import { auditEvent, intake, intakeVersion } from '../../db/schema/index.ts';
import { NotFound } from '../../errors.ts';
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
  databaseError,
  type SignedIn,
  signIn,
} from '../../testing/factories.ts';
import { demoIntakeAnswers, seedDemoIntake } from './intake.demo.ts';
import { findCurrentIntake, readOwnIntake } from './intake.service.ts';

let database: DatabaseHandle;
let app: FastifyInstance;
const clock = new ManualClock('2026-06-01T08:00:00Z');
let clinicId: string;
let prescriber: SignedIn;
let prescriberId: string;
let nurse: SignedIn;
let therapist: SignedIn;
let frontDesk: SignedIn;
let admin: SignedIn;
let foreignPrescriber: SignedIn;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, clock);
  clinicId = (await createClinic(database.db)).id;
  const prescriberUser = await createStaffUser(database.db, clinicId, ['prescriber'], {
    displayName: 'Dr Rowan Prescriber',
  });
  prescriberId = prescriberUser.id;
  prescriber = await signIn(app, prescriberUser.email);
  nurse = await signIn(app, (await createStaffUser(database.db, clinicId, ['nurse'])).email);
  therapist = await signIn(app, (await createStaffUser(database.db, clinicId, ['therapist'])).email);
  frontDesk = await signIn(app, (await createStaffUser(database.db, clinicId, ['frontdesk'])).email);
  admin = await signIn(app, (await createStaffUser(database.db, clinicId, ['admin'])).email);
  const foreign = await createClinic(database.db, { name: 'Elsewhere' });
  foreignPrescriber = await signIn(
    app,
    (await createStaffUser(database.db, foreign.id, ['prescriber'])).email,
  );
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

async function newPatient() {
  const record = await createPatient(database.db, clinicId);
  const account = await createPatientUser(database.db, clinicId, record.id);
  return { id: record.id, userId: account.id, session: await signIn(app, account.email) };
}

const complete = demoIntakeAnswers();

describe('portal intake: drafts', () => {
  it('starts empty, saves a section at a time, and resumes where the patient left off', async () => {
    const patient = await newPatient();
    const me = as(app, patient.session);
    const empty = await me({ method: 'GET', url: '/api/v1/me/intake' });
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toMatchObject({
      status: 'not-started',
      version: 0,
      answers: {},
      resumeSection: 'medical',
      editableByPatient: true,
      submittedAt: null,
    });
    expect(empty.json().missing).toHaveLength(40);
    expect(empty.headers['cache-control']).toBe('no-store');

    const first = await me({
      method: 'PUT',
      url: '/api/v1/me/intake',
      payload: { version: 0, answers: { medical: complete.medical }, resumeSection: 'psychiatric' },
    });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ status: 'draft', version: 1, resumeSection: 'psychiatric' });
    expect(first.json().sections[0]).toEqual({ section: 'medical', complete: true });
    expect(first.json().sections[1]).toEqual({ section: 'psychiatric', complete: false });
    expect(first.json().lastSavedBy).toMatchObject({ id: patient.userId, kind: 'patient' });

    // A partial section is fine in a draft.
    const second = await me({
      method: 'PUT',
      url: '/api/v1/me/intake',
      payload: {
        version: 1,
        answers: { psychiatric: { psychosis: { answer: 'no' } } },
        resumeSection: 'psychiatric',
      },
    });
    expect(second.statusCode).toBe(200);
    expect(second.json().version).toBe(2);

    // Later (a new session, another device): everything saved is there, and the step it was on.
    const resumed = (await me({ method: 'GET', url: '/api/v1/me/intake' })).json();
    expect(resumed.version).toBe(2);
    expect(resumed.answers.medical).toEqual(complete.medical);
    expect(resumed.answers.psychiatric).toEqual({ psychosis: { answer: 'no' } });
    expect(resumed.resumeSection).toBe('psychiatric');
    expect(resumed.missing.map((m: { path: string }) => m.path)).toContain('answers.psychiatric.mania');
    expect(resumed.missing.map((m: { path: string }) => m.path)).not.toContain(
      'answers.medical.cardiovascular.stroke',
    );
  });

  it('moving between steps without changing an answer makes no version', async () => {
    const patient = await newPatient();
    const me = as(app, patient.session);
    await me({
      method: 'PUT',
      url: '/api/v1/me/intake',
      payload: { version: 0, answers: { goals: complete.goals } },
    });
    const moved = await me({
      method: 'PUT',
      url: '/api/v1/me/intake',
      payload: { version: 1, answers: { goals: complete.goals }, resumeSection: 'allergies' },
    });
    expect(moved.json()).toMatchObject({ version: 1, resumeSection: 'allergies' });
    const versions = await database.db
      .select()
      .from(intakeVersion)
      .where(and(eq(intakeVersion.clinicId, clinicId), eq(intakeVersion.patientId, patient.id)));
    expect(versions).toHaveLength(1);
  });

  it('answers a retried save (same client id) once, without a second version or a 409', async () => {
    const patient = await newPatient();
    const me = as(app, patient.session);
    const payload = {
      version: 0,
      answers: { emergencyContact: complete.emergencyContact },
      clientSaveId: randomUUID(),
    };
    const first = await me({ method: 'PUT', url: '/api/v1/me/intake', payload });
    const retry = await me({ method: 'PUT', url: '/api/v1/me/intake', payload });
    expect(first.statusCode).toBe(200);
    expect(retry.statusCode).toBe(200);
    expect(retry.json().version).toBe(1);
    expect(retry.json().answers).toEqual(first.json().answers);
  });

  it('refuses invalid answers with their field paths (400, never 500)', async () => {
    const patient = await newPatient();
    const me = as(app, patient.session);
    const cases = [
      { answers: { medical: { cardiovascular: { hypertension: { answer: 'maybe' } } } } },
      { answers: { medical: { cardiovascular: { hypertensio: { answer: 'no' } } } } },
      { answers: { nonsense: {} } },
      { answers: { medical: { reproductive: { lastMenstrualPeriod: '31/12/2025' } } } },
    ];
    const paths = [];
    for (const answers of cases) {
      const response = await me({
        method: 'PUT',
        url: '/api/v1/me/intake',
        payload: { version: 0, ...answers },
      });
      expect(response.statusCode, JSON.stringify(answers)).toBe(400);
      paths.push(response.json().errors[0].path);
    }
    expect(paths[0]).toBe('answers.medical.cardiovascular.hypertension.answer');
    expect(paths[1]).toBe('answers.medical.cardiovascular');
    expect((await me({ method: 'PUT', url: '/api/v1/me/intake', payload: { answers: {} } })).statusCode).toBe(
      400,
    );
    expect((await me({ method: 'GET', url: '/api/v1/me/intake' })).json().version).toBe(0);
  });
});

describe('portal intake: submission', () => {
  it('refuses an incomplete submission with the missing answers by path', async () => {
    const patient = await newPatient();
    const me = as(app, patient.session);
    const { medical, psychiatric, medications, allergies, emergencyContact, goals } = complete;
    await me({
      method: 'PUT',
      url: '/api/v1/me/intake',
      payload: {
        version: 0,
        answers: {
          medical,
          psychiatric,
          medications,
          allergies: { ...allergies, any: { answer: 'yes' } },
          emergencyContact,
          goals,
        },
      },
    });
    const response = await me({ method: 'POST', url: '/api/v1/me/intake/submit', payload: { version: 1 } });
    expect(response.statusCode).toBe(400);
    const paths = response.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toContain('answers.substances.alcohol');
    expect(paths).toContain('answers.substances.opioidUseDisorder');
    expect(paths).toContain('answers.allergies.items');
    expect(paths).toHaveLength(11);
    const after = (await me({ method: 'GET', url: '/api/v1/me/intake' })).json();
    expect(after).toMatchObject({ status: 'draft', version: 1 });
  });

  it('submits a complete intake; the patient can then no longer change it alone', async () => {
    const patient = await newPatient();
    const me = as(app, patient.session);
    await me({ method: 'PUT', url: '/api/v1/me/intake', payload: { version: 0, answers: complete } });
    clock.advance(60_000);
    const submitted = await me({ method: 'POST', url: '/api/v1/me/intake/submit', payload: { version: 1 } });
    expect(submitted.statusCode).toBe(200);
    expect(submitted.json()).toMatchObject({
      status: 'submitted',
      version: 2,
      submittedVersion: 2,
      editableByPatient: false,
      missing: [],
    });
    expect(submitted.json().submittedAt).toBe(clock.now().toISOString());

    // Submitting again (a retry, a double tap) returns it as it is.
    const again = await me({ method: 'POST', url: '/api/v1/me/intake/submit', payload: { version: 2 } });
    expect(again.statusCode).toBe(200);
    expect(again.json().version).toBe(2);

    const change = await me({
      method: 'PUT',
      url: '/api/v1/me/intake',
      payload: { version: 2, answers: { goals: { goals: 'Something else' } } },
    });
    expect(change.statusCode).toBe(409);
    expect(change.json().detail).toMatch(/contact your clinic/);

    const current = await runUnitOfWork(
      database.db,
      await staffActor(prescriberId),
      { requestId: null, ip: null, userAgent: null },
      clock,
      (ctx) => findCurrentIntake(ctx, patient.id),
    );
    expect(current).toMatchObject({ status: 'submitted', version: 2 });
    expect(current?.answers.medications.items[0]?.name).toBe('Sertraline');
    expect(current?.answers.goals.goals).toBe(complete.goals.goals);
  });

  it('a complete answer must also be valid to submit (a phone number too short to call)', async () => {
    const patient = await newPatient();
    const me = as(app, patient.session);
    await me({
      method: 'PUT',
      url: '/api/v1/me/intake',
      payload: {
        version: 0,
        answers: { ...complete, emergencyContact: { ...complete.emergencyContact, phone: '12' } },
      },
    });
    const response = await me({ method: 'POST', url: '/api/v1/me/intake/submit', payload: { version: 1 } });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([
      { path: 'answers.emergencyContact.phone', message: 'Enter a phone number' },
    ]);
  });

  it('does not keep a follow-up that no longer applies', async () => {
    const patient = await newPatient();
    const me = as(app, patient.session);
    const reproductive = { pregnancyPossible: { answer: 'unsure' }, pregnant: { answer: 'yes' } };
    await me({
      method: 'PUT',
      url: '/api/v1/me/intake',
      payload: { version: 0, answers: { medical: { ...complete.medical, reproductive } } },
    });
    const first = (await me({ method: 'GET', url: '/api/v1/me/intake' })).json();
    expect(first.flagged.map((f: { path: string }) => f.path)).toContain('medical.reproductive.pregnant');
    const changed = await me({
      method: 'PUT',
      url: '/api/v1/me/intake',
      payload: {
        version: 1,
        answers: {
          medical: {
            ...complete.medical,
            reproductive: { ...reproductive, pregnancyPossible: { answer: 'no' } },
          },
        },
      },
    });
    expect(changed.json().answers.medical.reproductive).toEqual({ pregnancyPossible: { answer: 'no' } });
    expect(changed.json().flagged.map((f: { path: string }) => f.path)).not.toContain(
      'medical.reproductive.pregnant',
    );
  });

  it('findCurrentIntake is null until the intake is submitted', async () => {
    const patient = await newPatient();
    const actor = await staffActor(prescriberId);
    const meta = { requestId: null, ip: null, userAgent: null };
    expect(
      await runUnitOfWork(database.db, actor, meta, clock, (ctx) => findCurrentIntake(ctx, patient.id)),
    ).toBe(null);
    await as(
      app,
      patient.session,
    )({ method: 'PUT', url: '/api/v1/me/intake', payload: { version: 0, answers: complete } });
    expect(
      await runUnitOfWork(database.db, actor, meta, clock, (ctx) => findCurrentIntake(ctx, patient.id)),
    ).toBe(null);
  });
});

async function staffActor(userId: string) {
  return {
    kind: 'staff' as const,
    userId,
    clinicId,
    sessionId: randomUUID(),
    email: 'actor@test.example',
    displayName: 'Actor',
    roles: ['prescriber' as const],
  };
}

describe('concurrency', () => {
  it('refuses a stale save (409) so that a patient and staff cannot overwrite each other', async () => {
    const patient = await newPatient();
    const me = as(app, patient.session);
    await me({
      method: 'PUT',
      url: '/api/v1/me/intake',
      payload: { version: 0, answers: { goals: complete.goals } },
    });
    // The nurse, with the patient on the phone, saves version 2 from version 1.
    const byNurse = await as(
      app,
      nurse,
    )({
      method: 'PUT',
      url: `/api/v1/patients/${patient.id}/intake`,
      payload: { version: 1, answers: { substances: complete.substances } },
    });
    expect(byNurse.statusCode).toBe(200);
    expect(byNurse.json().lastSavedBy.kind).toBe('staff');
    // The patient's tab still holds version 1.
    const stale = await me({
      method: 'PUT',
      url: '/api/v1/me/intake',
      payload: { version: 1, answers: { substances: { alcohol: { answer: 'no' } } } },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().errors).toEqual([{ path: 'version', message: 'The intake is now at version 2.' }]);
    const now = (await me({ method: 'GET', url: '/api/v1/me/intake' })).json();
    expect(now.answers.substances).toEqual(complete.substances);
  });

  it('of two saves racing from the same version, exactly one wins', async () => {
    const patient = await newPatient();
    const me = as(app, patient.session);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        me({
          method: 'PUT',
          url: '/api/v1/me/intake',
          payload: { version: 0, answers: { goals: { goals: `Goal ${i}` } } },
        }),
      ),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, 409, 409, 409, 409, 409]);
    const rows = await database.db
      .select()
      .from(intakeVersion)
      .where(and(eq(intakeVersion.clinicId, clinicId), eq(intakeVersion.patientId, patient.id)));
    expect(rows).toHaveLength(1);
  });
});

describe('staff: completing and correcting', () => {
  it('completes the intake with the patient and submits it on their behalf', async () => {
    const patient = await newPatient();
    const response = await as(
      app,
      nurse,
    )({
      method: 'PUT',
      url: `/api/v1/patients/${patient.id}/intake`,
      payload: { version: 0, answers: complete, submit: true },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'submitted',
      version: 1,
      lastSavedBy: { kind: 'staff' },
    });
  });

  it('a correction after submission needs a reason, stays complete, and is kept with who and why', async () => {
    const patient = await newPatient();
    const me = as(app, patient.session);
    await me({ method: 'PUT', url: '/api/v1/me/intake', payload: { version: 0, answers: complete } });
    await me({ method: 'POST', url: '/api/v1/me/intake/submit', payload: { version: 1 } });
    const url = `/api/v1/patients/${patient.id}/intake`;
    const corrected = {
      ...complete.medications,
      items: [
        ...complete.medications.items,
        { name: 'Lamotrigine', dose: '100 mg', frequency: 'twice a day' },
      ],
    };

    const noReason = await as(
      app,
      prescriber,
    )({
      method: 'PUT',
      url,
      payload: { version: 2, answers: { medications: corrected } },
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors).toEqual([expect.objectContaining({ path: 'reason' })]);
    const blankReason = await as(
      app,
      prescriber,
    )({
      method: 'PUT',
      url,
      payload: { version: 2, answers: { medications: corrected }, reason: '   ' },
    });
    expect(blankReason.statusCode).toBe(400);

    const incomplete = await as(
      app,
      prescriber,
    )({
      method: 'PUT',
      url,
      payload: { version: 2, answers: { goals: { goals: '' } }, reason: 'Patient rephrased' },
    });
    expect(incomplete.statusCode).toBe(400);
    expect(incomplete.json().errors).toEqual([expect.objectContaining({ path: 'answers.goals.goals' })]);

    const ok = await as(
      app,
      prescriber,
    )({
      method: 'PUT',
      url,
      payload: {
        version: 2,
        answers: { medications: corrected },
        reason: 'Patient recalled lamotrigine at the screening visit',
      },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'submitted', version: 3, submittedVersion: 3 });

    const history = await as(app, prescriber)({ method: 'GET', url: `${url}/versions` });
    expect(history.statusCode).toBe(200);
    const items = history.json().items;
    expect(items.map((v: { kind: string }) => v.kind)).toEqual(['correction', 'submission', 'draft']);
    expect(items[0]).toMatchObject({
      version: 3,
      savedBy: { id: prescriberId, displayName: 'Dr Rowan Prescriber', kind: 'staff' },
      reason: 'Patient recalled lamotrigine at the screening visit',
      changedPaths: ['medications.items.1.name', 'medications.items.1.dose', 'medications.items.1.frequency'],
    });
    expect(items[0].changes[0]).toEqual({ path: 'medications.items.1.name', from: null, to: 'Lamotrigine' });
    expect(items[1]).toMatchObject({ kind: 'submission', changedPaths: [], savedBy: { kind: 'patient' } });
    expect(items[2].savedBy).toMatchObject({ id: patient.userId, kind: 'patient' });
    expect(items[2].changedPaths.length).toBeGreaterThan(40);

    // The screening view and the engine see the corrected answers.
    const current = await runUnitOfWork(
      database.db,
      await staffActor(prescriberId),
      { requestId: null, ip: null, userAgent: null },
      clock,
      (ctx) => findCurrentIntake(ctx, patient.id),
    );
    expect(current?.version).toBe(3);
    expect(current?.answers.medications.items.map((m) => m.name)).toEqual(['Sertraline', 'Lamotrigine']);
  });

  it('shows the staff view with the contraindication answers flagged', async () => {
    const patient = await newPatient();
    const answers = demoIntakeAnswers({
      psychiatric: { ...complete.psychiatric, psychosis: { answer: 'yes', details: 'One episode in 2015' } },
    });
    await as(
      app,
      patient.session,
    )({ method: 'PUT', url: '/api/v1/me/intake', payload: { version: 0, answers } });
    const view = await as(app, therapist)({ method: 'GET', url: `/api/v1/patients/${patient.id}/intake` });
    expect(view.statusCode).toBe(200);
    expect(view.json().status).toBe('draft');
    expect(view.json().flagged).toEqual([
      { path: 'psychiatric.psychosis', reference: 'clinical-reference 3.2, 3.4, 3.5', answer: 'yes' },
      { path: 'substances.alcohol', reference: 'clinical-reference 3.2, 3.3', answer: 'yes' },
    ]);
  });
});

describe('append-only versions', () => {
  it('the database refuses to change or delete a version, delete an intake, or return it to draft', async () => {
    const patient = await newPatient();
    await seedDemoIntake(database.db, {
      clinicId,
      patientId: patient.id,
      userId: patient.userId,
      savedByKind: 'patient',
      at: clock.now(),
    });
    const where = and(eq(intakeVersion.clinicId, clinicId), eq(intakeVersion.patientId, patient.id));
    expect(
      await databaseError(database.db.update(intakeVersion).set({ reason: 'rewritten' }).where(where)),
    ).toMatch(/append-only/);
    expect(await databaseError(database.db.delete(intakeVersion).where(where))).toMatch(/append-only/);
    const head = and(eq(intake.clinicId, clinicId), eq(intake.patientId, patient.id));
    expect(await databaseError(database.db.delete(intake).where(head))).toMatch(/append-only/);
    expect(
      await databaseError(
        database.db
          .update(intake)
          .set({ status: 'draft', submittedAt: null, submittedVersion: null })
          .where(head),
      ),
    ).toMatch(/cannot return to draft/);
    expect(await databaseError(database.db.update(intake).set({ version: 0 }).where(head))).toMatch(
      /cannot go back/,
    );
    expect(await databaseError(database.db.execute(sql`TRUNCATE intake_version`))).toMatch(/append-only/);
    // A correction without a reason cannot even be stored.
    const [row] = await database.db.select().from(intake).where(head);
    expect(
      await databaseError(
        database.db.insert(intakeVersion).values({
          id: randomUUID(),
          clinicId,
          intakeId: row!.id,
          patientId: patient.id,
          version: 2,
          kind: 'correction',
          answers: {},
          changedPaths: [],
          savedBy: prescriberId,
          savedByKind: 'staff',
          savedAt: clock.now(),
        }),
      ),
    ).toMatch(/intake_version_correction_reason_check/);
  });
});

describe('access', () => {
  it('a patient sees only their own intake', async () => {
    const alice = await newPatient();
    const bob = await newPatient();
    await as(
      app,
      alice.session,
    )({
      method: 'PUT',
      url: '/api/v1/me/intake',
      payload: { version: 0, answers: { goals: complete.goals } },
    });
    const bobs = (await as(app, bob.session)({ method: 'GET', url: '/api/v1/me/intake' })).json();
    expect(bobs).toMatchObject({ patientId: bob.id, status: 'not-started', answers: {} });
    // The staff route is not the portal's: refused by permission before any lookup.
    const staffRoute = await as(
      app,
      bob.session,
    )({ method: 'GET', url: `/api/v1/patients/${alice.id}/intake` });
    expect(staffRoute.statusCode).toBe(403);
    // And the service itself answers NotFound for another patient's record.
    const actor: PatientActor = {
      kind: 'patient',
      userId: bob.userId,
      clinicId,
      sessionId: randomUUID(),
      email: 'bob@test.example',
      displayName: 'Bob',
      patientId: bob.id,
    };
    await expect(
      runUnitOfWork(database.db, actor, { requestId: null, ip: null, userAgent: null }, clock, (ctx) =>
        readOwnIntake(ctx, alice.id),
      ),
    ).rejects.toBeInstanceOf(NotFound);
  });

  it('another clinic gets 404 and nothing of the patient on every intake route', async () => {
    const patient = await newPatient();
    await as(
      app,
      patient.session,
    )({ method: 'PUT', url: '/api/v1/me/intake', payload: { version: 0, answers: complete } });
    const base = `/api/v1/patients/${patient.id}/intake`;
    const requests = [
      { method: 'GET' as const, url: base },
      { method: 'GET' as const, url: `${base}/versions` },
      { method: 'PUT' as const, url: base, payload: { version: 1, answers: { goals: { goals: 'x' } } } },
    ];
    for (const request of requests) {
      const response = await as(app, foreignPrescriber)(request);
      expect(response.statusCode, `${request.method} ${request.url}`).toBe(404);
      expect(response.body.replaceAll(request.url, '')).not.toContain(patient.id);
      expect(response.body).not.toContain('Sertraline');
    }
    const [head] = await database.db
      .select()
      .from(intake)
      .where(and(eq(intake.clinicId, clinicId), eq(intake.patientId, patient.id)));
    expect(head?.version).toBe(1);
  });

  it('roles without clinical access get 403; a chart outside the care team is 404', async () => {
    const patient = await newPatient();
    const base = `/api/v1/patients/${patient.id}/intake`;
    for (const who of [frontDesk, admin]) {
      expect((await as(app, who)({ method: 'GET', url: base })).statusCode).toBe(403);
      expect((await as(app, who)({ method: 'GET', url: `${base}/versions` })).statusCode).toBe(403);
    }
    // A therapist reads the intake but does not edit it.
    expect((await as(app, therapist)({ method: 'GET', url: base })).statusCode).toBe(200);
    expect(
      (await as(app, therapist)({ method: 'PUT', url: base, payload: { version: 0, answers: {} } }))
        .statusCode,
    ).toBe(403);
    // Staff cannot use the portal route.
    expect((await as(app, prescriber)({ method: 'GET', url: '/api/v1/me/intake' })).statusCode).toBe(403);

    const teamClinic = await createClinic(database.db, { settings: { careScope: 'care-team' } });
    const inside = await createStaffUser(database.db, teamClinic.id, ['nurse']);
    const outside = await createStaffUser(database.db, teamClinic.id, ['nurse']);
    const teamPatient = await createPatient(database.db, teamClinic.id);
    await assignCareTeam(database.db, teamClinic.id, teamPatient.id, inside.id, 'nurse');
    const url = `/api/v1/patients/${teamPatient.id}/intake`;
    expect((await as(app, await signIn(app, inside.email))({ method: 'GET', url })).statusCode).toBe(200);
    expect((await as(app, await signIn(app, outside.email))({ method: 'GET', url })).statusCode).toBe(404);
  });
});

describe('audit', () => {
  it('records every read and change, with answer paths but never answers', async () => {
    const patient = await newPatient();
    const me = as(app, patient.session);
    await me({ method: 'GET', url: '/api/v1/me/intake' });
    await me({ method: 'PUT', url: '/api/v1/me/intake', payload: { version: 0, answers: complete } });
    await me({ method: 'POST', url: '/api/v1/me/intake/submit', payload: { version: 1 } });
    const base = `/api/v1/patients/${patient.id}/intake`;
    await as(app, prescriber)({ method: 'GET', url: base });
    await as(
      app,
      prescriber,
    )({
      method: 'PUT',
      url: base,
      payload: {
        version: 2,
        answers: { goals: { ...complete.goals, goals: 'Sleep through the night' } },
        reason: 'Patient asked to reword the goal',
      },
    });
    await as(app, prescriber)({ method: 'GET', url: `${base}/versions` });
    await as(app, foreignPrescriber)({ method: 'GET', url: base });

    const events = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.clinicId, clinicId), eq(auditEvent.patientId, patient.id)))
      .orderBy(asc(auditEvent.sequence));
    expect(events.map((e) => [e.action, e.actorId === prescriberId ? 'staff' : 'patient'])).toEqual([
      ['intake.read', 'patient'],
      ['intake.save', 'patient'],
      ['intake.submit', 'patient'],
      ['intake.read', 'staff'],
      ['intake.correct', 'staff'],
      ['intake.history.read', 'staff'],
    ]);
    expect(events[4]?.detail).toEqual({
      version: 3,
      kind: 'correction',
      savedBy: 'staff',
      changedPaths: ['goals.goals'],
      reasonGiven: true,
    });
    const details = JSON.stringify(events.map((e) => e.detail));
    expect(details).not.toContain('Sertraline');
    expect(details).not.toContain('Sleep through the night');
    expect(details).not.toContain('reword');
    // The foreign clinic's refused attempt is recorded in its own clinic, not this one.
    expect(events.some((e) => e.outcome === 'denied')).toBe(false);
  });
});
