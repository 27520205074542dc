import { randomUUID } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import { auditEvent, patientMedication, remsFormSubmission } from '../../db/schema/index.ts';
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

let database: DatabaseHandle;
let app: FastifyInstance;
let clinicId: string;
let nurseId: string;
let nurse: SignedIn;
let prescriber: SignedIn;
let admin: SignedIn;
let therapist: SignedIn;
let frontDesk: SignedIn;
let foreignNurse: SignedIn;
const clock = new ManualClock('2026-06-01T18:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, clock);
  clinicId = (await createClinic(database.db, { name: 'Harbor Clinic' })).id;
  const foreign = await createClinic(database.db, { name: 'Elsewhere' });
  const n = await createStaffUser(database.db, clinicId, ['nurse'], {
    displayName: 'Nia Nurse',
    email: `nia-${randomUUID()}@harbor.example`,
  });
  nurseId = n.id;
  nurse = await signIn(app, n.email);
  prescriber = await signIn(app, (await createStaffUser(database.db, clinicId, ['prescriber'])).email);
  admin = await signIn(app, (await createStaffUser(database.db, clinicId, ['admin'])).email);
  therapist = await signIn(app, (await createStaffUser(database.db, clinicId, ['therapist'])).email);
  frontDesk = await signIn(app, (await createStaffUser(database.db, clinicId, ['frontdesk'])).email);
  foreignNurse = await signIn(app, (await createStaffUser(database.db, foreign.id, ['nurse'])).email);
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

/** An esketamine session recorded start to finish: 84 mg, three BPs, sedation and dissociation that resolved. */
async function completedSpravatoSession(
  options: { start?: string; clinic?: string; patientId?: string; staffId?: string } = {},
) {
  const clinic = options.clinic ?? clinicId;
  const patientId =
    options.patientId ?? (await createPatient(database.db, clinic, { givenName: 'Rowan' })).id;
  const session = await createDosingSession(database.db, {
    clinicId: clinic,
    patientId,
    staffId: options.staffId ?? nurseId,
    dosingStartedAt: options.start ?? '2026-06-01T14:00:00Z',
    dischargedAfterMinutes: 125,
  });
  await session.moaas(-10, 5);
  await session.vitals(-5, 124, 80);
  await session.administer(0, 84, 'LOT-A1');
  await session.vitals(41, 150, 92);
  await session.moaas(40, 4);
  await session.cadss6(40, [2, 1, 0, 1, 0, 0]);
  await session.vitals(118, 126, 82);
  await session.moaas(115, 5);
  await session.cadss6(115, [0, 0, 0, 0, 0, 0]);
  await session.discharge();
  return { session, patientId };
}

const form = (who: SignedIn, sessionId: string) =>
  as(app, who)({ method: 'GET', url: `/api/v1/sessions/${sessionId}/rems-form` });
const answer = (who: SignedIn, sessionId: string, answers: Record<string, unknown>, id = randomUUID()) =>
  as(
    app,
    who,
  )({ method: 'POST', url: `/api/v1/sessions/${sessionId}/rems-form/answers`, payload: { id, answers } });
const submit = (who: SignedIn, sessionId: string, payload: Record<string, unknown>) =>
  as(app, who)({ method: 'POST', url: `/api/v1/sessions/${sessionId}/rems-form/submission`, payload });
const listForms = (who: SignedIn, query = '') =>
  as(app, who)({ method: 'GET', url: `/api/v1/rems/forms${query}` });

const clinicianAnswers = {
  enrolledInRems: true,
  readyToLeaveMinutes: 95,
  respiratoryDepression: false,
  monitoringHcp: { telephone: '(555) 010-0150' },
  setting: { address1: '12 Harbor Street', city: 'Boston', state: 'ma', zip: '02110' },
};

/** The text drawn on a PDF made by pdf-lib: inflate each content stream and decode its hex strings. */
function pdfText(bytes: Buffer): string {
  const raw = bytes.toString('latin1');
  const parts: string[] = [];
  for (const match of raw.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let content: string;
    try {
      content = inflateSync(Buffer.from(match[1]!, 'latin1')).toString('latin1');
    } catch {
      content = match[1]!;
    }
    for (const hex of content.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g))
      parts.push(Buffer.from(hex[1]!, 'hex').toString('latin1'));
  }
  return parts.join('\n');
}

describe('SPRAVATO REMS monitoring form (clinical-reference 2.6)', () => {
  it('assembles the form from the session record and names what only a clinician can answer', async () => {
    const { session, patientId } = await completedSpravatoSession();
    await database.db.insert(patientMedication).values({
      id: randomUUID(),
      clinicId,
      patientId,
      name: 'Adderall XR 20 mg',
      recordedAt: new Date('2026-05-01T00:00:00Z'),
      recordedBy: nurseId,
    } as typeof patientMedication.$inferInsert);
    const answerNow = await form(nurse, session.id);
    expect(answerNow.statusCode).toBe(200);
    const view = answerNow.json();
    expect(view).toMatchObject({
      sessionId: session.id,
      status: 'due',
      deadline: { dueDate: '2026-06-08', daysLeft: 7, overdue: false },
      submission: null,
      pdfUrl: `/api/v1/sessions/${session.id}/rems-form.pdf`,
    });
    expect(view.form.patient).toMatchObject({
      firstName: 'Rowan',
      dateOfBirth: '1985-04-12',
      sex: 'female',
      firstTreatment: true,
      enrolledInRems: null,
    });
    expect(view.form.concomitantMedications).toEqual({
      benzodiazepines: false,
      nonBenzodiazepineSedativeHypnotics: false,
      psychostimulants: true,
      maois: false,
      opioids: false,
    });
    expect(view.form.monitoringHcp).toMatchObject({ firstName: 'Nia', lastName: 'Nurse', telephone: null });
    expect(view.form.setting).toMatchObject({ name: 'Harbor Clinic', address1: null });
    expect(view.form.session).toEqual({
      treatmentDate: '2026-06-01',
      doseMg: 84,
      lotNumbers: ['LOT-A1'],
      totalMinutes: 125,
      readyToLeaveMinutes: null,
    });
    expect(view.form.vitals).toEqual({
      acceptableBeforeAdministration: true,
      // 150/92 at 41 min is a warning, 126/82 before completion is normal.
      acceptableBeforeCompletion: true,
      beforeAdministration: { systolic: 124, diastolic: 80, atMinutes: -5 },
      fortyMinutesAfter: { systolic: 150, diastolic: 92, atMinutes: 41 },
      beforeCompletion: { systolic: 126, diastolic: 82, atMinutes: 118 },
    });
    expect(view.form.observed).toEqual({ sedation: true, dissociation: true, respiratoryDepression: null });
    expect(view.form.seriousAdverseEvents).toEqual({ occurred: false, descriptions: [] });
    expect(view.completeness.complete).toBe(false);
    expect(view.completeness.missing.map((m: { field: string }) => m.field)).toEqual([
      'patient.enrolledInRems',
      'monitoringHcp.telephone',
      'setting.address1',
      'setting.city',
      'setting.state',
      'setting.zip',
      'session.readyToLeaveMinutes',
      'observed.respiratoryDepression',
    ]);
    expect(view.completeness.citation.section).toBe('clinical-reference 2.6');
    expect(view.sources).toMatchObject({ 'session.doseMg': 'record', 'observed.sedation': 'record' });
  });

  it('takes the clinician’s answers, carries the setting to the next form, and lists forms due', async () => {
    const { session } = await completedSpravatoSession();
    const saved = await answer(nurse, session.id, clinicianAnswers);
    expect(saved.statusCode).toBe(201);
    expect(saved.json().completeness).toMatchObject({ complete: true, missing: [] });
    expect(saved.json().form.setting).toMatchObject({ state: 'MA', zip: '02110' });
    expect(saved.json().sources['setting.city']).toBe('clinician');
    // A correction of a derived field, then clearing it again (null: the record counts).
    const corrected = await answer(nurse, session.id, { dissociation: false });
    expect(corrected.json().form.observed.dissociation).toBe(false);
    expect(corrected.json().form.patient.enrolledInRems).toBe(true);
    const cleared = await answer(nurse, session.id, { dissociation: null });
    expect(cleared.json().form.observed.dissociation).toBe(true);
    expect(cleared.json().sources['observed.dissociation']).toBe('record');

    const next = await completedSpravatoSession({ start: '2026-06-01T15:00:00Z' });
    const carried = (await form(nurse, next.session.id)).json();
    expect(carried.form.setting).toMatchObject({ address1: '12 Harbor Street', city: 'Boston', state: 'MA' });
    expect(carried.sources['setting.address1']).toBe('previous-form');

    const due = await listForms(nurse, '?status=due&limit=50');
    expect(due.statusCode).toBe(200);
    const mine = due.json().items.find((i: { sessionId: string }) => i.sessionId === session.id);
    expect(mine).toMatchObject({
      status: 'due',
      complete: true,
      missing: [],
      deadline: { dueDate: '2026-06-08' },
    });
    const other = due.json().items.find((i: { sessionId: string }) => i.sessionId === next.session.id);
    expect(other.missing).toEqual([
      'Patient enrolled in the REMS',
      'Monitoring HCP telephone',
      'Without the 2-hour minimum, when the patient would have been ready to leave (minutes)',
      'Respiratory depression observed (yes/no)',
    ]);
    expect(due.json().today).toBe('2026-06-01');
  });

  it('marks the form submitted once, keeps it as submitted, and moves it off the due list', async () => {
    const { session } = await completedSpravatoSession();
    const submission = {
      id: randomUUID(),
      submittedAt: '2026-06-01T17:30:00Z',
      method: 'online',
      confirmation: 'REMS-123',
    };
    const incomplete = await submit(nurse, session.id, submission);
    expect(incomplete.statusCode).toBe(400);
    expect(incomplete.json().errors[0].path).toBe('acknowledgeIncomplete');
    await answer(nurse, session.id, clinicianAnswers);
    const done = await submit(nurse, session.id, submission);
    expect(done.statusCode).toBe(201);
    expect(done.json()).toMatchObject({
      status: 'submitted',
      submission: {
        id: submission.id,
        method: 'online',
        confirmation: 'REMS-123',
        complete: true,
        late: false,
      },
    });
    expect((await submit(nurse, session.id, submission)).statusCode).toBe(200);
    const again = await submit(prescriber, session.id, { ...submission, id: randomUUID() });
    expect(again.statusCode).toBe(409);
    const late = await answer(nurse, session.id, { readyToLeaveMinutes: 60 });
    expect(late.statusCode).toBe(409);
    expect(await database.db.$count(remsFormSubmission, eq(remsFormSubmission.sessionId, session.id))).toBe(
      1,
    );
    const due = (await listForms(nurse, '?status=due&limit=50'))
      .json()
      .items.map((i: { sessionId: string }) => i.sessionId);
    expect(due).not.toContain(session.id);
    const submitted = (await listForms(nurse, '?status=submitted&limit=50')).json().items;
    expect(submitted.find((i: { sessionId: string }) => i.sessionId === session.id)).toMatchObject({
      status: 'submitted',
      submittedAt: '2026-06-01T17:30:00.000Z',
    });
    const events = await database.db
      .select({ action: auditEvent.action, detail: auditEvent.detail })
      .from(auditEvent)
      .where(
        and(
          eq(auditEvent.clinicId, clinicId),
          eq(auditEvent.action, 'rems-form.submit'),
          eq(auditEvent.resourceId, session.id),
        ),
      );
    expect(events).toHaveLength(1);
    const message = await databaseError(
      database.db.execute(sql`UPDATE rems_form_submission SET method = 'fax' WHERE id = ${submission.id}`),
    );
    expect(message).toMatch(/append-only|not allowed|cannot|reject/i);
  });

  it('records an incomplete form completed on the REMS site only when told so', async () => {
    const { session } = await completedSpravatoSession();
    const done = await submit(nurse, session.id, {
      id: randomUUID(),
      submittedAt: '2026-06-01T17:00:00Z',
      method: 'fax',
      acknowledgeIncomplete: true,
    });
    expect(done.statusCode).toBe(201);
    expect(done.json().submission).toMatchObject({ method: 'fax', complete: false });
  });

  it('counts the 7 days in the clinic’s calendar: a form from 10 days ago is overdue, and late when submitted', async () => {
    const { session } = await completedSpravatoSession({ start: '2026-05-22T14:00:00Z' });
    const overduePage = (await listForms(nurse, '?status=overdue&limit=50')).json();
    expect(overduePage.counts.overdue).toBe(overduePage.items.length);
    expect(overduePage.counts.due).toBeGreaterThanOrEqual(overduePage.counts.overdue);
    const overdue = overduePage.items;
    expect(overdue.map((i: { sessionId: string }) => i.sessionId)).toContain(session.id);
    expect(overdue.find((i: { sessionId: string }) => i.sessionId === session.id).deadline).toEqual({
      dueDate: '2026-05-29',
      daysLeft: -3,
      overdue: true,
    });
    const fresh = (await listForms(nurse, '?status=overdue&limit=50'))
      .json()
      .items.map((i: { sessionId: string }) => i.sessionId);
    const today = await completedSpravatoSession();
    expect(fresh).not.toContain(today.session.id);
    await answer(nurse, session.id, clinicianAnswers);
    const late = await submit(nurse, session.id, {
      id: randomUUID(),
      submittedAt: '2026-06-01T12:00:00Z',
      method: 'online',
    });
    expect(late.json().submission.late).toBe(true);
  });

  it('has no form for racemic ketamine, and no submission before the session ends', async () => {
    const patient = await createPatient(database.db, clinicId);
    const racemic = await createDosingSession(database.db, {
      clinicId,
      patientId: patient.id,
      staffId: nurseId,
      product: 'ketamine-racemic',
      dischargedAfterMinutes: 90,
    });
    expect((await form(nurse, racemic.id)).statusCode).toBe(404);
    const other = await createPatient(database.db, clinicId);
    const running = await createDosingSession(database.db, {
      clinicId,
      patientId: other.id,
      staffId: nurseId,
    });
    await running.administer(0, 56, 'LOT-B');
    const inProgress = (await form(nurse, running.id)).json();
    expect(inProgress).toMatchObject({ status: 'in-progress', sessionState: 'monitoring' });
    expect(inProgress.form.session.totalMinutes).toBeNull();
    const early = await submit(nurse, running.id, {
      id: randomUUID(),
      submittedAt: '2026-06-01T17:00:00Z',
      method: 'online',
    });
    expect(early.statusCode).toBe(409);
    const list = (await listForms(nurse, '?status=in-progress&limit=50')).json().items;
    expect(list.map((i: { sessionId: string }) => i.sessionId)).toContain(running.id);
  });

  it('prints a form-like PDF with the values and the missing fields marked', async () => {
    const { session } = await completedSpravatoSession();
    const pdf = await as(app, nurse)({ method: 'GET', url: `/api/v1/sessions/${session.id}/rems-form.pdf` });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['cache-control']).toBe('no-store');
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(pdf.rawPayload);
    expect(text).toContain('SPRAVATO (esketamine) REMS - Patient Monitoring Form');
    expect(text).toContain('84 mg');
    expect(text).toContain('LOT-A1');
    expect(text).toContain('150/92 mmHg (at 41 min)');
    expect(text).toContain('MISSING');
    expect(text).toContain('Not submitted yet - due by 2026-06-08');
  });

  it('validates with field paths', async () => {
    const { session } = await completedSpravatoSession();
    const bad = await answer(nurse, session.id, {
      readyToLeaveMinutes: -3,
      setting: { zip: 'ABCDE', state: 'Mass' },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['answers.readyToLeaveMinutes', 'answers.setting.state', 'answers.setting.zip']);
    const future = await submit(nurse, session.id, {
      id: randomUUID(),
      submittedAt: '2026-06-02T12:00:00Z',
      method: 'online',
      acknowledgeIncomplete: true,
    });
    expect(future.statusCode).toBe(400);
    expect(future.json().errors[0].path).toBe('submittedAt');
    expect(
      (await submit(nurse, session.id, { id: randomUUID(), submittedAt: 'x', method: 'post' })).statusCode,
    ).toBe(400);
    expect((await listForms(nurse, '?status=lost')).statusCode).toBe(400);
    expect((await listForms(nurse, '?cursor=nonsense')).statusCode).toBe(400);
  });

  it('is idempotent: the same answers id again is answered, with other content it is a conflict', async () => {
    const { session } = await completedSpravatoSession();
    const id = randomUUID();
    expect((await answer(nurse, session.id, { enrolledInRems: true }, id)).statusCode).toBe(201);
    expect((await answer(nurse, session.id, { enrolledInRems: true }, id)).statusCode).toBe(200);
    expect((await answer(nurse, session.id, { enrolledInRems: false }, id)).statusCode).toBe(409);
  });

  it('keeps one line of answers when clinicians save at the same time (a loser is told to reload)', async () => {
    const { session } = await completedSpravatoSession();
    const answers = await Promise.all(
      [60, 70, 80, 90].map((minutes) => answer(nurse, session.id, { readyToLeaveMinutes: minutes })),
    );
    const codes = answers.map((a) => a.statusCode);
    for (const code of codes) expect([201, 409]).toContain(code);
    const rows = await database.db.execute(
      sql`SELECT revision FROM rems_form_answer WHERE session_id = ${session.id} ORDER BY revision`,
    );
    const revisions = (rows as unknown as { rows: { revision: number }[] }).rows.map((r) => r.revision);
    expect(revisions).toEqual(revisions.map((_, i) => i + 1));
    expect(revisions).toHaveLength(codes.filter((c) => c === 201).length);
  });

  it('pages the list with a cursor', async () => {
    const ids = [];
    for (const hour of [10, 11, 12])
      ids.push((await completedSpravatoSession({ start: `2026-05-31T${hour}:00:00Z` })).session.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { sessionId: string }[]; nextCursor: string | null } = (
        await listForms(nurse, `?status=due&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i: { sessionId: string }) => i.sessionId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of ids) expect(seen).toContain(id);
  });

  it('refuses roles without REMS permission, lets the office (admin) work forms, hides other clinics', async () => {
    const { session } = await completedSpravatoSession();
    expect((await form(therapist, session.id)).statusCode).toBe(403);
    expect((await form(frontDesk, session.id)).statusCode).toBe(403);
    expect((await listForms(therapist)).statusCode).toBe(403);
    expect((await form(admin, session.id)).statusCode).toBe(200);
    expect((await answer(therapist, session.id, { enrolledInRems: true })).statusCode).toBe(403);
    const foreign = await form(foreignNurse, session.id);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.body).not.toContain('Rowan');
    expect((await listForms(foreignNurse, '?status=all&limit=50')).json().items).toEqual([]);
    expect(
      (await as(app, foreignNurse)({ method: 'GET', url: `/api/v1/sessions/${session.id}/rems-form.pdf` }))
        .statusCode,
    ).toBe(404);
  });

  it('lists, in a care-team clinic, only the forms of the nurse’s own patients; the admin sees all', async () => {
    const teamClinic = (await createClinic(database.db, { settings: { careScope: 'care-team' } })).id;
    const teamNurse = await createStaffUser(database.db, teamClinic, ['nurse']);
    const otherNurse = await createStaffUser(database.db, teamClinic, ['nurse']);
    const teamAdmin = await createStaffUser(database.db, teamClinic, ['admin']);
    const mine = await createPatient(database.db, teamClinic);
    const theirs = await createPatient(database.db, teamClinic);
    await assignCareTeam(database.db, teamClinic, mine.id, teamNurse.id, 'nurse');
    await assignCareTeam(database.db, teamClinic, theirs.id, otherNurse.id, 'nurse');
    const a = await completedSpravatoSession({
      clinic: teamClinic,
      patientId: mine.id,
      staffId: teamNurse.id,
    });
    const b = await completedSpravatoSession({
      clinic: teamClinic,
      patientId: theirs.id,
      staffId: otherNurse.id,
    });
    const nurseList = (await listForms(await signIn(app, teamNurse.email), '?status=all')).json().items;
    expect(nurseList.map((i: { sessionId: string }) => i.sessionId)).toEqual([a.session.id]);
    const adminList = (await listForms(await signIn(app, teamAdmin.email), '?status=all')).json().items;
    expect(adminList.map((i: { sessionId: string }) => i.sessionId).sort()).toEqual(
      [a.session.id, b.session.id].sort(),
    );
    expect((await form(await signIn(app, teamNurse.email), b.session.id)).statusCode).toBe(404);
  });
});
