import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import { auditEvent, eligibilityDecision, userAccount } from '../../db/schema/index.ts';
import { runUnitOfWork } from '../../http/unit-of-work.ts';
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
  testPassword,
} from '../../testing/factories.ts';
import { demoIntakeAnswers } from '../intake/intake.demo.ts';
import { ageOn } from './eligibility.facts.ts';
import { effectiveEligibility } from './eligibility.service.ts';

let database: DatabaseHandle;
let app: FastifyInstance;
let clinicId: string;
let prescriber: SignedIn;
let prescriberAccount: { id: string; email: string };
let nurse: SignedIn;
let foreignPrescriber: SignedIn;
const clock = new ManualClock('2026-06-01T14:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, clock);
  clinicId = (await createClinic(database.db)).id;
  const foreign = await createClinic(database.db, { name: 'Elsewhere' });
  prescriberAccount = await createStaffUser(database.db, clinicId, ['prescriber'], {
    displayName: 'Dr Rowan Vale',
  });
  prescriber = await signIn(app, prescriberAccount.email);
  nurse = await signIn(app, (await createStaffUser(database.db, clinicId, ['nurse'])).email);
  foreignPrescriber = await signIn(
    app,
    (await createStaffUser(database.db, foreign.id, ['prescriber'])).email,
  );
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const route = 'im';
const product = 'ketamine-racemic';
const assessment = async (patientId: string, who: SignedIn = prescriber) =>
  as(
    app,
    who,
  )({
    method: 'GET',
    url: `/api/v1/patients/${patientId}/eligibility/assessment?route=${route}&product=${product}`,
  });
const addCondition = (patientId: string, icd10: string, description: string) =>
  as(
    app,
    prescriber,
  )({
    method: 'POST',
    url: `/api/v1/patients/${patientId}/conditions`,
    payload: { icd10, description },
  });
const addVitals = (patientId: string, systolic: number, diastolic: number) =>
  as(
    app,
    nurse,
  )({
    method: 'POST',
    url: `/api/v1/patients/${patientId}/vitals`,
    payload: { id: randomUUID(), measuredAt: clock.now().toISOString(), systolic, diastolic, heartRate: 70 },
  });
const sign = (patientId: string, payload: Record<string, unknown>, who: SignedIn = prescriber) =>
  as(
    app,
    who,
  )({
    method: 'POST',
    url: `/api/v1/patients/${patientId}/eligibility/decisions`,
    payload: { id: randomUUID(), route, product, password: testPassword, ...payload },
  });
const amend = (patientId: string, decisionId: string, payload: Record<string, unknown>) =>
  as(
    app,
    prescriber,
  )({
    method: 'POST',
    url: `/api/v1/patients/${patientId}/eligibility/decisions/${decisionId}/amendments`,
    payload: { id: randomUUID(), password: testPassword, ...payload },
  });
const overview = (patientId: string, who: SignedIn = prescriber) =>
  as(app, who)({ method: 'GET', url: `/api/v1/patients/${patientId}/eligibility` });

async function newPatient() {
  const patient = await createPatient(database.db, clinicId, { dateOfBirth: '1984-06-02' });
  await as(
    app,
    prescriber,
  )({
    method: 'POST',
    url: `/api/v1/patients/${patient.id}/conditions`,
    payload: { icd10: 'F33.2', description: 'Major depressive disorder, recurrent, severe' },
  });
  return patient;
}

describe('eligibility assessment from the chart', () => {
  it('builds the profile from chart facts and lets @kapstone/clinical decide', async () => {
    const patient = await newPatient();
    await as(
      app,
      prescriber,
    )({
      method: 'POST',
      url: `/api/v1/patients/${patient.id}/medications`,
      payload: { name: 'Alprazolam', dose: '0.5 mg' },
    });
    const first = await assessment(patient.id);
    expect(first.statusCode).toBe(200);
    const body = first.json();
    // Born 1984-06-02, assessed 2026-06-01 (New York): 41, not yet 42.
    expect(body.profile).toMatchObject({
      ageYears: 41,
      sex: 'female',
      route,
      product,
      conditions: [{ icd10: 'F33.2' }],
      medications: [{ name: 'Alprazolam' }],
    });
    expect(body.assessment.decision).toBe('review');
    expect(body.assessment.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual([
      'eligibility.benzodiazepines',
    ]);
    expect(body.assessment.findings[0].source).toMatch(/^clinical-reference 3\.3/);
    expect(body.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(body.rationale.approve).toEqual({ required: true, reason: expect.stringContaining('1 caution') });
    expect(body.rationale.defer.required).toBe(false);
    // Nothing changed: the same fingerprint.
    expect((await assessment(patient.id)).json().fingerprint).toBe(body.fingerprint);
  });

  it('a contraindicated diagnosis gives excluded', async () => {
    const patient = await newPatient();
    await addCondition(patient.id, 'I67.1', 'Cerebral aneurysm, nonruptured');
    const body = (await assessment(patient.id)).json();
    expect(body.assessment.decision).toBe('excluded');
    expect(body.assessment.findings[0]).toMatchObject({
      ruleId: 'eligibility.aneurysm-or-avm',
      kind: 'contraindication',
    });
  });

  it('reads the latest standing screening BP: uncontrolled excludes, a correction changes it', async () => {
    const patient = await newPatient();
    const high = await addVitals(patient.id, 186, 104);
    expect(high.statusCode).toBe(201);
    const excluded = (await assessment(patient.id)).json();
    expect(excluded.profile.vitals).toEqual({ systolic: 186, diastolic: 104, heartRate: 70 });
    expect(excluded.assessment.decision).toBe('excluded');
    expect(excluded.assessment.findings[0].ruleId).toBe('eligibility.severe-hypertension');
    expect(excluded.sources.vitalSignsId).toBe(high.json().id);

    clock.advanceMinutes(5);
    await addVitals(patient.id, 150, 88);
    const review = (await assessment(patient.id)).json();
    expect(review.assessment.decision).toBe('review');
    expect(review.assessment.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual([
      'eligibility.elevated-bp',
    ]);
    const latestId = review.sources.vitalSignsId;
    // The latest reading is marked entered in error: the earlier one stands again.
    await as(
      app,
      nurse,
    )({
      method: 'POST',
      url: `/api/v1/patients/${patient.id}/vitals`,
      payload: {
        id: randomUUID(),
        measuredAt: clock.now().toISOString(),
        supersedesId: latestId,
        correctionReason: 'Cuff too small',
        enteredInError: true,
      },
    });
    expect((await assessment(patient.id)).json().profile.vitals.systolic).toBe(186);
  });

  it('carries the submitted intake: pregnancy, and self-reported history that the chart lacks', async () => {
    const patient = await newPatient();
    const answers = demoIntakeAnswers();
    answers.psychiatric.psychosis = { answer: 'yes', details: 'One episode at 19' };
    answers.medical.reproductive = {
      pregnancyPossible: { answer: 'yes' },
      pregnant: { answer: 'no' },
      breastfeeding: { answer: 'unsure' },
      preEclampsia: { answer: 'no' },
    };
    const saved = await as(
      app,
      prescriber,
    )({
      method: 'PUT',
      url: `/api/v1/patients/${patient.id}/intake`,
      payload: { version: 0, answers, submit: true },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const body = (await assessment(patient.id)).json();
    expect(body.profile.selfReported).toMatchObject({ psychosis: 'yes', breastfeeding: 'unsure' });
    expect(body.profile.pregnant).toBeUndefined();
    expect(body.sources.intakeSubmittedAt).not.toBeNull();
    const ids = body.assessment.findings.map((f: { ruleId: string }) => f.ruleId);
    expect(ids).toEqual(
      expect.arrayContaining([
        'eligibility.self-reported-psychosis',
        'eligibility.self-reported-breastfeeding-unsure',
      ]),
    );
    expect(body.assessment.decision).toBe('review');
  });

  it('reads the latest instrument scores: a positive PHQ-9 item 9 needs review', async () => {
    const patient = await newPatient();
    const assigned = await as(
      app,
      prescriber,
    )({
      method: 'POST',
      url: `/api/v1/patients/${patient.id}/measure-assignments`,
      payload: { instruments: ['phq9'] },
    });
    const assignmentId = assigned.json().assigned[0].id;
    const answered = await as(
      app,
      prescriber,
    )({
      method: 'POST',
      url: `/api/v1/patients/${patient.id}/measure-assignments/${assignmentId}/responses`,
      payload: { id: randomUUID(), answers: [2, 2, 2, 2, 1, 1, 1, 1, 1, 1] },
    });
    expect(answered.statusCode, answered.body).toBe(201);
    const body = (await assessment(patient.id)).json();
    expect(body.profile.scores.phq9).toMatchObject({ total: 13, band: 'moderate' });
    expect(body.profile.scores.phq9.flags).toContain('suicidal-ideation');
    expect(body.sources.scores).toEqual([{ instrument: 'phq9', respondedAt: expect.any(String) }]);
    expect(body.assessment.decision).toBe('review');
    expect(body.assessment.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual([
      'eligibility.suicide-risk',
    ]);
  });

  it('answers 404 to another clinic and 403 to a patient account', async () => {
    const patient = await newPatient();
    expect((await assessment(patient.id, foreignPrescriber)).statusCode).toBe(404);
    const portal = await signIn(app, (await createPatientUser(database.db, clinicId, patient.id)).email);
    expect((await assessment(patient.id, portal)).statusCode).toBe(403);
    const bad = await as(
      app,
      prescriber,
    )({
      method: 'GET',
      url: `/api/v1/patients/${patient.id}/eligibility/assessment?route=nasal&product=${product}`,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('route');
  });

  it('computes age in whole years', () => {
    expect(ageOn('1984-06-02', '2026-06-01')).toBe(41);
    expect(ageOn('1984-06-02', '2026-06-02')).toBe(42);
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
  });
});

describe('signing the eligibility decision', () => {
  it('signs with the password, keeps what the prescriber saw, and is locked', async () => {
    const patient = await newPatient();
    const shown = (await assessment(patient.id)).json();
    expect(shown.assessment.decision).toBe('eligible');
    clock.advanceMinutes(1);
    const id = randomUUID();
    const signed = await sign(patient.id, { id, decision: 'approve', fingerprint: shown.fingerprint });
    expect(signed.statusCode, signed.body).toBe(201);
    expect(signed.json()).toMatchObject({
      id,
      decision: 'approve',
      engineDecision: 'eligible',
      assessment: shown.assessment,
      profile: shown.profile,
      fingerprint: shown.fingerprint,
      signedBy: { displayName: 'Dr Rowan Vale', roles: ['prescriber'] },
      signedAt: clock.now().toISOString(),
      locked: true,
    });
    expect(signed.json().signatureMeaning).toMatch(/^I, Dr Rowan Vale, sign this eligibility decision/);
    // A retry of the same signature returns it; it is not signed twice.
    const retry = await sign(patient.id, { id, decision: 'approve', fingerprint: shown.fingerprint });
    expect(retry.statusCode).toBe(200);
    const changed = await sign(patient.id, {
      id,
      decision: 'decline',
      rationale: 'x',
      fingerprint: shown.fingerprint,
    });
    expect(changed.statusCode).toBe(409);

    const view = (await overview(patient.id, nurse)).json();
    expect(view.effective.id).toBe(id);
    expect(view.history).toHaveLength(1);
    // No route changes a signed decision, and the database refuses it too.
    expect(
      (
        await as(
          app,
          prescriber,
        )({
          method: 'PATCH',
          url: `/api/v1/patients/${patient.id}/eligibility/decisions/${id}`,
          payload: { decision: 'decline' },
        })
      ).statusCode,
    ).toBe(404);
    expect(
      await databaseError(
        database.db.execute(sql`UPDATE eligibility_decision SET decision = 'decline' WHERE id = ${id}`),
      ),
    ).toMatch(/append-only/);
    expect(
      await databaseError(database.db.execute(sql`DELETE FROM eligibility_decision WHERE id = ${id}`)),
    ).toMatch(/append-only/);
  });

  it('refuses a wrong password (400) and counts it toward the lockout', async () => {
    const account = await createStaffUser(database.db, clinicId, ['prescriber']);
    const who = await signIn(app, account.email);
    const patient = await newPatient();
    const shown = (await assessment(patient.id, who)).json();
    const wrong = await sign(
      patient.id,
      { decision: 'approve', fingerprint: shown.fingerprint, password: 'not my password' },
      who,
    );
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors).toEqual([{ path: 'password', message: expect.any(String) }]);
    const [row] = await database.db
      .select({ failed: userAccount.failedLoginCount })
      .from(userAccount)
      .where(eq(userAccount.id, account.id));
    expect(row!.failed).toBe(1);
    const events = await database.db
      .select({ action: auditEvent.action })
      .from(auditEvent)
      .where(and(eq(auditEvent.clinicId, clinicId), eq(auditEvent.resourceId, account.id)));
    expect(events.map((e) => e.action)).toContain('auth.signature-password-failed');
    expect(
      await database.db
        .select()
        .from(eligibilityDecision)
        .where(eq(eligibilityDecision.patientId, patient.id)),
    ).toEqual([]);
  });

  it('requires a rationale where the decision differs from the engine', async () => {
    const patient = await newPatient();
    await addCondition(patient.id, 'I10', 'Essential hypertension');
    const shown = (await assessment(patient.id)).json();
    expect(shown.assessment.decision).toBe('review');
    const bare = await sign(patient.id, { decision: 'approve', fingerprint: shown.fingerprint });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().errors).toEqual([{ path: 'rationale', message: shown.rationale.approve.reason }]);
    const conditional = await sign(patient.id, {
      decision: 'approve-with-conditions',
      fingerprint: shown.fingerprint,
      rationale: 'BP controlled on amlodipine for two years; home readings 125/80.',
    });
    expect(conditional.statusCode).toBe(400);
    expect(conditional.json().errors[0].path).toBe('conditions');
    const reasoned = await sign(patient.id, {
      decision: 'approve-with-conditions',
      conditions: 'Pre-dose BP at each session; hold if above 140/90.',
      fingerprint: shown.fingerprint,
      rationale: 'BP controlled on amlodipine for two years; home readings 125/80.',
    });
    expect(reasoned.statusCode, reasoned.body).toBe(201);
    expect(reasoned.json()).toMatchObject({ engineDecision: 'review', decision: 'approve-with-conditions' });
    // Deferring follows the engine: no rationale needed (an amendment here: the route and product have a decision).
    const deferred = await amend(patient.id, reasoned.json().id, {
      decision: 'defer',
      fingerprint: shown.fingerprint,
      reason: 'Waiting for the cardiology letter',
    });
    expect(deferred.statusCode, deferred.body).toBe(201);
  });

  it('signs one first decision per route and product: a change is an amendment', async () => {
    const patient = await newPatient();
    const shown = (await assessment(patient.id)).json();
    const first = (await sign(patient.id, { decision: 'approve', fingerprint: shown.fingerprint })).json();
    const second = await sign(patient.id, {
      decision: 'decline',
      rationale: 'Changed my mind',
      fingerprint: shown.fingerprint,
    });
    expect(second.statusCode).toBe(409);
    expect(second.json().errors).toEqual([{ path: 'decision', message: `Amend ${first.id}.` }]);
    // Another route is another decision.
    const sublingual = (
      await as(
        app,
        prescriber,
      )({
        method: 'GET',
        url: `/api/v1/patients/${patient.id}/eligibility/assessment?route=sublingual&product=${product}`,
      })
    ).json();
    const other = await sign(patient.id, {
      decision: 'approve',
      route: 'sublingual',
      fingerprint: sublingual.fingerprint,
    });
    expect(other.statusCode).toBe(201);
    // The database holds the rule too, whatever a service does.
    expect(
      await databaseError(
        database.db.insert(eligibilityDecision).values({
          ...(
            await database.db.select().from(eligibilityDecision).where(eq(eligibilityDecision.id, first.id))
          )[0]!,
          id: randomUUID(),
        }),
      ),
    ).toMatch(/eligibility_decision_one_chain_key/);
  });

  it('refuses a signature on a stale screening (409): the chart changed since it was loaded', async () => {
    const patient = await newPatient();
    const shown = (await assessment(patient.id)).json();
    await addCondition(patient.id, 'F20.9', 'Schizophrenia, unspecified');
    const stale = await sign(patient.id, { decision: 'approve', fingerprint: shown.fingerprint });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().detail).toMatch(/screening changed/);
    expect(stale.json().errors[0].path).toBe('fingerprint');
    const fresh = (await assessment(patient.id)).json();
    expect(fresh.assessment.decision).toBe('excluded');
    const declined = await sign(patient.id, { decision: 'decline', fingerprint: fresh.fingerprint });
    expect(declined.statusCode).toBe(201);
    expect(declined.json().engineDecision).toBe('excluded');
  });

  it('amends in a chain, each with its own signature and reason; the latest is effective', async () => {
    const patient = await newPatient();
    const shown = (await assessment(patient.id)).json();
    const original = (await sign(patient.id, { decision: 'approve', fingerprint: shown.fingerprint })).json();
    clock.advanceMinutes(10);
    await addCondition(patient.id, 'K70.30', 'Alcoholic cirrhosis of liver');
    const noReason = await amend(patient.id, original.id, {
      decision: 'defer',
      fingerprint: shown.fingerprint,
    });
    expect(noReason.statusCode).toBe(400);
    const staleAmend = await amend(patient.id, original.id, {
      decision: 'defer',
      fingerprint: shown.fingerprint,
      reason: 'Liver disease reported by the GP',
    });
    expect(staleAmend.statusCode).toBe(409);
    const now = (await assessment(patient.id)).json();
    const first = await amend(patient.id, original.id, {
      decision: 'defer',
      fingerprint: now.fingerprint,
      reason: 'Liver disease reported by the GP: needs liver tests first',
    });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({
      amendsId: original.id,
      amendmentReason: 'Liver disease reported by the GP: needs liver tests first',
      route,
      product,
      engineDecision: 'review',
    });
    expect(first.json().signatureMeaning).toMatch(/amendment of the eligibility decision signed/);
    // The original cannot be amended a second time: amend the latest version.
    const fork = await amend(patient.id, original.id, {
      decision: 'decline',
      fingerprint: now.fingerprint,
      reason: 'Again',
    });
    expect(fork.statusCode).toBe(409);
    clock.advanceMinutes(10);
    const second = await amend(patient.id, first.json().id, {
      decision: 'approve',
      fingerprint: now.fingerprint,
      reason: 'Liver tests normal',
      rationale: 'LFTs within range on 2026-06-01; hepatology sees no objection.',
    });
    expect(second.statusCode, second.body).toBe(201);

    const view = (await overview(patient.id)).json();
    expect(view.effective.id).toBe(second.json().id);
    expect(
      view.history.map((d: { id: string; amendedById: string | null }) => [d.id, d.amendedById]),
    ).toEqual([
      [second.json().id, null],
      [first.json().id, second.json().id],
      [original.id, first.json().id],
    ]);
    // Another patient's decision id is not found under this patient.
    const other = await newPatient();
    expect(
      (
        await amend(other.id, original.id, {
          decision: 'decline',
          fingerprint: now.fingerprint,
          reason: 'Wrong chart',
        })
      ).statusCode,
    ).toBe(404);

    const effective = await runUnitOfWork(
      database.db,
      {
        kind: 'staff',
        userId: prescriberAccount.id,
        clinicId,
        sessionId: randomUUID(),
        email: prescriberAccount.email,
        displayName: 'Dr Rowan Vale',
        roles: ['prescriber'],
      },
      { requestId: null, ip: null, userAgent: null },
      clock,
      (ctx) => effectiveEligibility(ctx, patient.id),
    );
    expect(effective).toEqual({
      decision: 'approve',
      signedAt: second.json().signedAt,
      route,
      product,
    });
  });

  it('records one signature for parallel retries, and one of two parallel amendments', async () => {
    const patient = await newPatient();
    const shown = (await assessment(patient.id)).json();
    const id = randomUUID();
    const retries = await Promise.all(
      Array.from({ length: 4 }, () =>
        sign(patient.id, { id, decision: 'approve', fingerprint: shown.fingerprint }),
      ),
    );
    expect(retries.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 201]);
    const amendments = await Promise.all(
      ['defer', 'decline'].map((decision) =>
        amend(patient.id, id, {
          decision,
          rationale: 'Parallel check',
          fingerprint: shown.fingerprint,
          reason: 'Two tabs open',
        }),
      ),
    );
    expect(amendments.map((a) => a.statusCode).sort()).toEqual([201, 409]);
    expect((await overview(patient.id)).json().history).toHaveLength(2);
  });

  it('lets only prescribers sign (403), and answers 404 across clinics', async () => {
    // Fresh sessions: the clock has moved past the idle timeout of the ones signed in at the start.
    nurse = await signIn(app, (await createStaffUser(database.db, clinicId, ['nurse'])).email);
    foreignPrescriber = await signIn(
      app,
      (await createStaffUser(database.db, (await createClinic(database.db)).id, ['prescriber'])).email,
    );
    const patient = await newPatient();
    const shown = (await assessment(patient.id)).json();
    expect(
      (await sign(patient.id, { decision: 'approve', fingerprint: shown.fingerprint }, nurse)).statusCode,
    ).toBe(403);
    const foreign = await sign(
      patient.id,
      { decision: 'approve', fingerprint: shown.fingerprint },
      foreignPrescriber,
    );
    expect(foreign.statusCode).toBe(404);
    expect(foreign.body).not.toContain(patient.familyName);
    expect((await overview(patient.id, foreignPrescriber)).statusCode).toBe(404);
  });

  it('audits the assessment read, the signature and the overview read', async () => {
    const patient = await newPatient();
    const shown = (await assessment(patient.id)).json();
    const signed = (await sign(patient.id, { decision: 'approve', fingerprint: shown.fingerprint })).json();
    await overview(patient.id);
    const events = await database.db
      .select({ action: auditEvent.action, resourceId: auditEvent.resourceId })
      .from(auditEvent)
      .where(and(eq(auditEvent.clinicId, clinicId), eq(auditEvent.patientId, patient.id)));
    const actions = events.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'eligibility.assessment.read',
        'eligibility.decision.sign',
        'eligibility.read',
      ]),
    );
    expect(events.find((e) => e.action === 'eligibility.decision.sign')!.resourceId).toBe(signed.id);
  });
});
