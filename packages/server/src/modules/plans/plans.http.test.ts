import { randomUUID } from 'node:crypto';
import { calculateDose, planCourse } from '@kapstone/clinical';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { StaffActor } from '../../context.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import { auditEvent, clinic, treatmentPlan, treatmentPlanEvent, userAccount } from '../../db/schema/index.ts';
import { runUnitOfWork } from '../../http/unit-of-work.ts';
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
  testPassword,
} from '../../testing/factories.ts';
import { lockoutThreshold } from '../auth/session-rules.ts';
import { findActivePlan } from './plans.service.ts';

let database: DatabaseHandle;
let app: FastifyInstance;
const clock = new ManualClock('2026-06-01T08:00:00Z');
let clinicId: string;
let prescriberUser: { id: string; email: string };
let prescriber: SignedIn;
let nurse: SignedIn;
let therapist: SignedIn;
let frontDesk: SignedIn;
let foreignPrescriber: SignedIn;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, clock);
  clinicId = (await createClinic(database.db)).id;
  prescriberUser = await createStaffUser(database.db, clinicId, ['prescriber']);
  prescriber = await signIn(app, prescriberUser.email);
  nurse = await signIn(app, (await createStaffUser(database.db, clinicId, ['nurse'])).email);
  therapist = await signIn(app, (await createStaffUser(database.db, clinicId, ['therapist'])).email);
  frontDesk = await signIn(app, (await createStaffUser(database.db, clinicId, ['frontdesk'])).email);
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

/** A patient with an active diagnosis of recurrent moderate MDD (F33.1). */
async function newPatient(overrides: { dateOfBirth?: string } = {}) {
  const patient = await createPatient(database.db, clinicId, overrides);
  const condition = await as(
    app,
    prescriber,
  )({
    method: 'POST',
    url: `/api/v1/patients/${patient.id}/conditions`,
    payload: { icd10: 'F33.1', description: 'Major depressive disorder, recurrent, moderate' },
  });
  expect(condition.statusCode).toBe(201);
  return { ...patient, conditionId: condition.json().id as string };
}

const kapIm = (overrides: Record<string, unknown> = {}) => ({
  indication: { icd10: 'F33.1', description: 'Major depressive disorder, recurrent, moderate' },
  protocolId: 'kap-im',
  route: 'im',
  product: 'ketamine-racemic',
  startDate: '2026-06-15',
  dosingSessions: 4,
  weightKg: 70,
  startingDose: { value: 0.5, unit: 'mg/kg' },
  maximumDose: { value: 1.0, unit: 'mg/kg' },
  goals: [{ text: 'Return to work part-time' }],
  intentions: [{ text: 'Meet the experience with curiosity' }],
  ...overrides,
});

const plansUrl = (patientId: string) => `/api/v1/patients/${patientId}/treatment-plans`;

async function draft(patientId: string, body: Record<string, unknown> = kapIm(), who = prescriber) {
  return as(app, who)({ method: 'POST', url: plansUrl(patientId), payload: body });
}

async function sign(
  patientId: string,
  plan: { id: string; revision: number },
  extra: Record<string, unknown> = {},
  who = prescriber,
) {
  return as(
    app,
    who,
  )({
    method: 'POST',
    url: `${plansUrl(patientId)}/${plan.id}/signature`,
    payload: { signatureId: randomUUID(), password: testPassword, revision: plan.revision, ...extra },
  });
}

async function list(patientId: string, who = prescriber) {
  const response = await as(app, who)({ method: 'GET', url: plansUrl(patientId) });
  expect(response.statusCode).toBe(200);
  return response.json() as {
    items: { id: string; status: string; version: number }[];
    activePlanId: string;
  };
}

async function auditActions(patientId: string): Promise<string[]> {
  const rows = await database.db
    .select({ action: auditEvent.action })
    .from(auditEvent)
    .where(and(eq(auditEvent.clinicId, clinicId), eq(auditEvent.patientId, patientId)))
    .orderBy(auditEvent.sequence);
  return rows.map((r) => r.action);
}

async function activePlanOf(patientId: string) {
  const actor: StaffActor = {
    kind: 'staff',
    userId: prescriberUser.id,
    clinicId,
    sessionId: randomUUID(),
    email: prescriberUser.email,
    displayName: 'Test prescriber',
    roles: ['prescriber'],
  };
  return runUnitOfWork(database.db, actor, { requestId: null, ip: null, userAgent: null }, clock, (ctx) =>
    findActivePlan(ctx, patientId),
  );
}

describe('treatment plans: drafts', () => {
  it('creates a draft with the planned course and dose checks of @kapstone/clinical, stored as computed', async () => {
    const patient = await newPatient();
    const response = await draft(patient.id);
    expect(response.statusCode).toBe(201);
    const plan = response.json();
    expect(plan).toMatchObject({
      status: 'draft',
      version: 1,
      revision: 1,
      amendsId: null,
      protocolId: 'kap-im',
      route: 'im',
      product: 'ketamine-racemic',
      dosingSessions: 4,
      weightKg: 70,
      indication: { icd10: 'F33.1', conditionId: patient.conditionId },
      goals: [{ text: 'Return to work part-time', preparationNoteId: null, preparationItemId: null }],
    });
    expect(plan.plannedCourse).toEqual(planCourse('kap-im', '2026-06-15'));
    expect(plan.plannedCourse.filter((e: { kind: string }) => e.kind === 'dosing')).toHaveLength(4);
    expect(plan.startingDose.calculation).toEqual(
      calculateDose({ product: 'ketamine-racemic', route: 'im', weightKg: 70, mgPerKg: 0.5, ageYears: 41 }),
    );
    expect(plan.startingDose.calculation.doseMg).toBe(35);
    expect(plan.maximumDose.calculation.doseMg).toBe(70);
    expect(
      plan.measureSchedule.every((e: { instruments?: string[] }) => (e.instruments?.length ?? 0) > 0),
    ).toBe(true);

    // What is stored is what the rules produced (not recomputed on read).
    const [row] = await database.db.select().from(treatmentPlan).where(eq(treatmentPlan.id, plan.id));
    expect(row!.plannedCourse).toEqual(planCourse('kap-im', '2026-06-15'));
    expect(await auditActions(patient.id)).toContain('treatment-plan.create');
  });

  it('passes a different number of sessions to planCourse, and refuses one it does not accept', async () => {
    const patient = await newPatient();
    const five = await draft(patient.id, kapIm({ dosingSessions: 5 }));
    expect(five.statusCode).toBe(201);
    expect(five.json().plannedCourse).toEqual(planCourse('kap-im', '2026-06-15', { dosingSessions: 5 }));

    const seven = await draft(patient.id, kapIm({ dosingSessions: 7 }));
    expect(seven.statusCode).toBe(400);
    expect(seven.json().errors[0].path).toBe('dosingSessions');

    const iv = await draft(patient.id, kapIm({ protocolId: 'iv-series', route: 'iv', dosingSessions: 4 }));
    expect(iv.statusCode).toBe(400);
    expect(iv.json().errors).toEqual([
      { path: 'dosingSessions', message: expect.stringContaining('fixed course of 6') },
    ]);
    const ivSix = await draft(patient.id, kapIm({ protocolId: 'iv-series', route: 'iv', dosingSessions: 6 }));
    expect(ivSix.statusCode).toBe(201);
    expect(ivSix.json().plannedCourse).toEqual(planCourse('iv-series', '2026-06-15'));
  });

  it('refuses a route or product that is not the protocol’s', async () => {
    const patient = await newPatient();
    const route = await draft(patient.id, kapIm({ route: 'iv' }));
    expect(route.statusCode).toBe(400);
    expect(route.json().errors.map((e: { path: string }) => e.path)).toEqual(['route']);
    const product = await draft(patient.id, kapIm({ product: 'esketamine' }));
    expect(product.statusCode).toBe(400);
    expect(product.json().errors.map((e: { path: string }) => e.path)).toEqual(['product']);
    const unit = await draft(patient.id, kapIm({ startingDose: { value: 35, unit: 'mg' } }));
    expect(unit.statusCode).toBe(400);
    expect(unit.json().errors[0].path).toBe('startingDose.unit');
  });

  it('refuses a blocked dose with 400 naming the field', async () => {
    const patient = await newPatient();
    const anaesthetic = await draft(patient.id, kapIm({ maximumDose: { value: 7, unit: 'mg/kg' } }));
    expect(anaesthetic.statusCode).toBe(400);
    expect(anaesthetic.json().errors).toEqual([
      { path: 'maximumDose', message: expect.stringContaining('anaesthetic range') },
    ]);
    const noWeight = await draft(patient.id, kapIm({ weightKg: null }));
    expect(noWeight.statusCode).toBe(400);
    expect(noWeight.json().errors[0]).toEqual({
      path: 'weightKg',
      message: expect.stringContaining('Weight'),
    });
    const spravato = await draft(
      patient.id,
      kapIm({
        protocolId: 'spravato-trd',
        route: 'intranasal',
        product: 'esketamine',
        dosingSessions: 12,
        weightKg: null,
        startingDose: { value: 60, unit: 'mg' },
        maximumDose: { value: 84, unit: 'mg' },
      }),
    );
    expect(spravato.statusCode).toBe(400);
    expect(spravato.json().errors).toEqual([
      { path: 'startingDose', message: expect.stringContaining('28 mg') },
    ]);
    expect((await list(patient.id)).items).toEqual([]);
  });

  it('applies the clinic’s own dose limits (the IV hard limit has no default in @kapstone/clinical)', async () => {
    const iv = kapIm({
      protocolId: 'iv-series',
      route: 'iv',
      dosingSessions: 6,
      startingDose: { value: 0.5, unit: 'mg/kg' },
      maximumDose: { value: 2.5, unit: 'mg/kg' },
    });
    const patient = await newPatient();
    const withoutLimit = await draft(patient.id, iv);
    expect(withoutLimit.statusCode).toBe(201);
    expect(withoutLimit.json().maximumDose.calculation.level).toBe('warning');

    const strict = await createClinic(database.db, {
      settings: { dosingLimits: { iv: { blockAtOrAboveMgPerKg: 2 } } },
    });
    const strictPrescriber = await signIn(
      app,
      (await createStaffUser(database.db, strict.id, ['prescriber'])).email,
    );
    const strictPatient = await createPatient(database.db, strict.id);
    const refused = await draft(
      strictPatient.id,
      { ...iv, indication: { ...iv.indication, notOnProblemList: true } },
      strictPrescriber,
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors).toEqual([
      { path: 'maximumDose', message: expect.stringContaining('hard limit of 2 mg/kg') },
    ]);
  });

  it('needs the indication to be an active diagnosis unless the prescriber says otherwise', async () => {
    const patient = await newPatient();
    const other = { icd10: 'F43.12', description: 'Post-traumatic stress disorder, chronic' };
    const refused = await draft(patient.id, kapIm({ indication: other }));
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0].path).toBe('indication.icd10');
    const accepted = await draft(patient.id, kapIm({ indication: { ...other, notOnProblemList: true } }));
    expect(accepted.statusCode).toBe(201);
    expect(accepted.json().indication).toEqual({ ...other, conditionId: null });
    const malformed = await draft(
      patient.id,
      kapIm({ indication: { icd10: 'depression', description: 'x' } }),
    );
    expect(malformed.statusCode).toBe(400);
    // A code written without its dot is the same code (normaliseIcd10).
    const undotted = await draft(patient.id, kapIm({ indication: { icd10: 'f331', description: 'MDD' } }));
    expect(undotted.json().indication.conditionId).toBe(patient.conditionId);
  });

  it('edits a draft at the revision read, and refuses a stale one', async () => {
    const patient = await newPatient();
    const plan = (await draft(patient.id)).json();
    const url = `${plansUrl(patient.id)}/${plan.id}`;
    const edited = await as(
      app,
      prescriber,
    )({ method: 'PUT', url, payload: { ...kapIm({ dosingSessions: 6 }), revision: 1 } });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ revision: 2, dosingSessions: 6 });
    expect(edited.json().plannedCourse).toEqual(planCourse('kap-im', '2026-06-15', { dosingSessions: 6 }));
    const stale = await as(app, prescriber)({ method: 'PUT', url, payload: { ...kapIm(), revision: 1 } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().errors[0].path).toBe('revision');
  });

  it('previews planCourse and calculateDose for unsaved inputs, blocked results included', async () => {
    const patient = await newPatient();
    const response = await as(
      app,
      prescriber,
    )({
      method: 'POST',
      url: `${plansUrl(patient.id)}/preview`,
      payload: {
        protocolId: 'iv-series',
        startDate: '2026-07-01',
        weightKg: 80,
        startingDose: { value: 0.5, unit: 'mg/kg' },
        maximumDose: { value: 1.2, unit: 'mg/kg' },
      },
    });
    expect(response.statusCode).toBe(200);
    const preview = response.json();
    expect(preview).toMatchObject({ route: 'iv', product: 'ketamine-racemic', courseProblem: null });
    expect(preview.plannedCourse).toEqual(planCourse('iv-series', '2026-07-01'));
    expect(preview.startingDose).toEqual(
      calculateDose({ product: 'ketamine-racemic', route: 'iv', weightKg: 80, mgPerKg: 0.5, ageYears: 41 }),
    );
    expect(preview.maximumDose.level).toBe('warning');

    const partial = await as(
      app,
      prescriber,
    )({
      method: 'POST',
      url: `${plansUrl(patient.id)}/preview`,
      payload: {
        protocolId: 'kap-im',
        dosingSessions: 9,
        startDate: '2026-07-01',
        startingDose: { value: 7, unit: 'mg/kg' },
        weightKg: 70,
      },
    });
    expect(partial.statusCode).toBe(200);
    expect(partial.json().plannedCourse).toBeNull();
    expect(partial.json().courseProblem.path).toBe('dosingSessions');
    expect(partial.json().startingDose.level).toBe('blocked');
    expect(partial.json().maximumDose).toBeNull();
    expect((await list(patient.id)).items).toEqual([]);
    expect(await auditActions(patient.id)).toContain('treatment-plan.preview');
  });
});

describe('treatment plans: signature', () => {
  it('signs with the right password; a wrong one is 400, counts toward lockout and is audited', async () => {
    const patient = await newPatient();
    const plan = (await draft(patient.id)).json();
    const wrong = await sign(patient.id, plan, { password: 'not my password' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors).toEqual([{ path: 'password', message: expect.any(String) }]);
    const [account] = await database.db
      .select({ failures: userAccount.failedLoginCount })
      .from(userAccount)
      .where(eq(userAccount.id, prescriberUser.id));
    expect(account!.failures).toBe(1);
    expect((await list(patient.id)).items[0]!.status).toBe('draft');
    const failures = await database.db
      .select({ action: auditEvent.action })
      .from(auditEvent)
      .where(and(eq(auditEvent.clinicId, clinicId), eq(auditEvent.action, 'auth.signature-password-failed')));
    expect(failures.length).toBeGreaterThanOrEqual(1);

    const signatureId = randomUUID();
    const signed = await sign(patient.id, plan, { signatureId });
    expect(signed.statusCode).toBe(200);
    expect(signed.json()).toMatchObject({
      status: 'signed',
      signedBy: { id: prescriberUser.id },
      signedAt: '2026-06-01T08:00:00.000Z',
      doseWarningsAcknowledged: false,
    });
    const [reset] = await database.db
      .select({ failures: userAccount.failedLoginCount })
      .from(userAccount)
      .where(eq(userAccount.id, prescriberUser.id));
    expect(reset!.failures).toBe(0);

    // A retried signature (same client id) answers with the signed plan; a new one is refused.
    const retried = await sign(patient.id, plan, { signatureId });
    expect(retried.statusCode).toBe(200);
    expect(retried.json().signedAt).toBe(signed.json().signedAt);
    expect((await sign(patient.id, plan)).statusCode).toBe(409);
    expect(await auditActions(patient.id)).toContain('treatment-plan.sign');
  });

  it('locks the account after repeated wrong signature passwords and ends its sessions', async () => {
    const user = await createStaffUser(database.db, clinicId, ['prescriber']);
    const who = await signIn(app, user.email);
    const patient = await newPatient();
    const plan = (await draft(patient.id, kapIm(), who)).json();
    for (let i = 1; i < lockoutThreshold; i++)
      expect((await sign(patient.id, plan, { password: `wrong ${i}` }, who)).statusCode).toBe(400);
    expect((await sign(patient.id, plan, { password: 'wrong again' }, who)).statusCode).toBe(423);
    const after = await as(app, who)({ method: 'GET', url: plansUrl(patient.id) });
    expect(after.statusCode).toBe(401);
  });

  it('needs an explicit acknowledgement of dose warnings to sign', async () => {
    const patient = await newPatient();
    const plan = (await draft(patient.id, kapIm({ maximumDose: { value: 1.5, unit: 'mg/kg' } }))).json();
    expect(plan.maximumDose.calculation.level).toBe('warning');
    const unacknowledged = await sign(patient.id, plan);
    expect(unacknowledged.statusCode).toBe(400);
    expect(unacknowledged.json().errors).toEqual([
      { path: 'acknowledgeDoseWarnings', message: expect.stringContaining('above the usual KAP range') },
    ]);
    const acknowledged = await sign(patient.id, plan, { acknowledgeDoseWarnings: true });
    expect(acknowledged.statusCode).toBe(200);
    expect(acknowledged.json().doseWarningsAcknowledged).toBe(true);
  });

  it('never changes a signed version: the route answers 409 and the database refuses the UPDATE', async () => {
    const patient = await newPatient();
    const plan = (await draft(patient.id)).json();
    expect((await sign(patient.id, plan)).statusCode).toBe(200);
    const edit = await as(
      app,
      prescriber,
    )({ method: 'PUT', url: `${plansUrl(patient.id)}/${plan.id}`, payload: { ...kapIm(), revision: 1 } });
    expect(edit.statusCode).toBe(409);
    const message = await databaseError(
      database.db.update(treatmentPlan).set({ dosingSessions: 6 }).where(eq(treatmentPlan.id, plan.id)),
    );
    expect(message).toContain('cannot be changed');
    expect(
      await databaseError(database.db.delete(treatmentPlan).where(eq(treatmentPlan.id, plan.id))),
    ).toContain('append-only');
    const [row] = await database.db.select().from(treatmentPlan).where(eq(treatmentPlan.id, plan.id));
    expect(row!.dosingSessions).toBe(4);
  });

  it('refuses to sign when the dose check now answers differently from what the draft showed', async () => {
    const own = await createClinic(database.db);
    const who = await signIn(app, (await createStaffUser(database.db, own.id, ['prescriber'])).email);
    const person = await createPatient(database.db, own.id);
    const body = kapIm({ indication: { icd10: 'F33.1', description: 'MDD', notOnProblemList: true } });
    const plan = (await draft(person.id, body, who)).json();
    expect(plan.maximumDose.calculation.level).toBe('ok');
    // The clinic lowers its IM warning level after the draft was saved.
    await database.db
      .update(clinic)
      .set({ settings: { ...own.settings, dosingLimits: { im: { warnAboveMgPerKg: 0.8 } } } })
      .where(eq(clinic.id, own.id));
    const refused = await sign(person.id, plan, {}, who);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toContain('changed since the draft was saved');
    // Saved again, the draft shows the warning, which must then be acknowledged.
    const resaved = (
      await as(
        app,
        who,
      )({ method: 'PUT', url: `${plansUrl(person.id)}/${plan.id}`, payload: { ...body, revision: 1 } })
    ).json();
    expect(resaved.maximumDose.calculation.level).toBe('warning');
    expect((await sign(person.id, resaved, {}, who)).statusCode).toBe(400);
    expect((await sign(person.id, resaved, { acknowledgeDoseWarnings: true }, who)).statusCode).toBe(200);
  });

  it('allows one active plan per patient', async () => {
    const patient = await newPatient();
    const first = (await draft(patient.id)).json();
    const second = (await draft(patient.id)).json();
    expect((await sign(patient.id, first)).statusCode).toBe(200);
    const refused = await sign(patient.id, second);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toContain('already has an active treatment plan');
  });
});

describe('treatment plans: concurrency', () => {
  it('signs exactly one of two plans signed at the same moment (the patient is locked)', async () => {
    const patient = await newPatient();
    const drafts = [(await draft(patient.id)).json(), (await draft(patient.id)).json()];
    const answers = await Promise.all(drafts.map((plan) => sign(patient.id, plan)));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
    expect((await list(patient.id)).items.filter((p) => p.status === 'signed')).toHaveLength(1);
  });
});

describe('treatment plans: amendments and ending', () => {
  it('amends a signed plan with a new version that supersedes it once signed', async () => {
    const patient = await newPatient();
    const v1 = (await draft(patient.id)).json();
    expect((await sign(patient.id, v1)).statusCode).toBe(200);
    expect((await activePlanOf(patient.id))?.id).toBe(v1.id);

    const amendUrl = `${plansUrl(patient.id)}/${v1.id}/amendments`;
    const noReason = await as(app, prescriber)({ method: 'POST', url: amendUrl, payload: {} });
    expect(noReason.statusCode).toBe(400);
    const amendment = await as(
      app,
      prescriber,
    )({ method: 'POST', url: amendUrl, payload: { reason: 'Two more sessions after a partial response' } });
    expect(amendment.statusCode).toBe(201);
    const v2 = amendment.json();
    expect(v2).toMatchObject({
      version: 2,
      status: 'draft',
      amendsId: v1.id,
      seriesId: v1.id,
      amendmentReason: 'Two more sessions after a partial response',
      dosingSessions: 4,
    });
    expect(
      (await as(app, prescriber)({ method: 'POST', url: amendUrl, payload: { reason: 'Again' } })).statusCode,
    ).toBe(409);
    // Until the amendment is signed, version 1 stays the active plan.
    expect((await list(patient.id)).activePlanId).toBe(v1.id);

    const edited = (
      await as(
        app,
        prescriber,
      )({
        method: 'PUT',
        url: `${plansUrl(patient.id)}/${v2.id}`,
        payload: { ...kapIm({ dosingSessions: 6 }), revision: 1 },
      })
    ).json();
    expect((await sign(patient.id, edited)).statusCode).toBe(200);
    const after = await list(patient.id);
    expect(after.activePlanId).toBe(v2.id);
    expect(after.items.map((p) => [p.version, p.status])).toEqual([
      [2, 'signed'],
      [1, 'superseded'],
    ]);
    const active = await activePlanOf(patient.id);
    expect(active).toMatchObject({
      id: v2.id,
      version: 2,
      protocolId: 'kap-im',
      route: 'im',
      product: 'ketamine-racemic',
      startDate: '2026-06-15',
      dosingSessions: 6,
      doseLimits: { unit: 'mg/kg', startingDose: 0.5, maximumDose: 1, startingDoseMg: 35, maximumDoseMg: 70 },
    });
    expect(active!.dosingEvents).toHaveLength(6);
    expect(active!.plannedCourse).toEqual(planCourse('kap-im', '2026-06-15', { dosingSessions: 6 }));
    // The superseded version itself cannot be amended any more.
    expect(
      (await as(app, prescriber)({ method: 'POST', url: amendUrl, payload: { reason: 'From the old one' } }))
        .statusCode,
    ).toBe(409);
    const actions = await auditActions(patient.id);
    expect(actions).toEqual(expect.arrayContaining(['treatment-plan.amend', 'treatment-plan.supersede']));
  });

  it('ends the active plan as a recorded event, discarding an open draft amendment', async () => {
    const patient = await newPatient();
    const plan = (await draft(patient.id)).json();
    expect((await sign(patient.id, plan)).statusCode).toBe(200);
    const draftAmendment = (
      await as(
        app,
        prescriber,
      )({
        method: 'POST',
        url: `${plansUrl(patient.id)}/${plan.id}/amendments`,
        payload: { reason: 'Considering a longer course' },
      })
    ).json();
    const endUrl = `${plansUrl(patient.id)}/${plan.id}/end`;
    expect(
      (await as(app, prescriber)({ method: 'POST', url: endUrl, payload: { reason: 'paused' } })).statusCode,
    ).toBe(400);
    const ended = await as(
      app,
      prescriber,
    )({
      method: 'POST',
      url: endUrl,
      payload: { reason: 'course-complete', note: 'All four sessions given' },
    });
    expect(ended.statusCode).toBe(200);
    expect(ended.json()).toMatchObject({
      status: 'ended',
      endReason: 'course-complete',
      endNote: 'All four sessions given',
      closedBy: { id: prescriberUser.id },
    });
    const after = await list(patient.id);
    expect(after.activePlanId).toBeNull();
    expect(after.items.find((p) => p.id === draftAmendment.id)?.status).toBe('discarded');
    expect(await activePlanOf(patient.id)).toBeNull();
    expect(
      (await as(app, prescriber)({ method: 'POST', url: endUrl, payload: { reason: 'stopped' } })).statusCode,
    ).toBe(409);
    expect((await sign(patient.id, draftAmendment)).statusCode).toBe(409);
    // The signed row is unchanged; the end is an append-only event.
    const [event] = await database.db
      .select()
      .from(treatmentPlanEvent)
      .where(eq(treatmentPlanEvent.planId, plan.id));
    expect(event).toMatchObject({ kind: 'ended', reason: 'course-complete' });
    expect(
      await databaseError(
        database.db
          .update(treatmentPlanEvent)
          .set({ note: 'edited' })
          .where(eq(treatmentPlanEvent.id, event!.id)),
      ),
    ).toContain('append-only');
    expect(await auditActions(patient.id)).toContain('treatment-plan.end');

    // A new plan can be signed once the previous one ended.
    const next = (await draft(patient.id)).json();
    expect((await sign(patient.id, next)).statusCode).toBe(200);
  });
});

describe('treatment plans: discarding a draft', () => {
  it('discards a draft (kept, never signable) and refuses to discard a signed version', async () => {
    const patient = await newPatient();
    const plan = (await draft(patient.id)).json();
    const url = `${plansUrl(patient.id)}/${plan.id}/discard`;
    const discarded = await as(app, prescriber)({ method: 'POST', url, payload: {} });
    expect(discarded.statusCode).toBe(200);
    expect(discarded.json().status).toBe('discarded');
    expect((await sign(patient.id, discarded.json())).statusCode).toBe(409);
    expect((await as(app, prescriber)({ method: 'POST', url, payload: {} })).statusCode).toBe(409);
    expect(
      await databaseError(
        database.db.update(treatmentPlan).set({ status: 'draft' }).where(eq(treatmentPlan.id, plan.id)),
      ),
    ).toContain('cannot be changed');
    const signed = (await draft(patient.id)).json();
    expect((await sign(patient.id, signed)).statusCode).toBe(200);
    const refused = await as(
      app,
      prescriber,
    )({ method: 'POST', url: `${plansUrl(patient.id)}/${signed.id}/discard`, payload: {} });
    expect(refused.statusCode).toBe(409);
    expect((await list(patient.id)).items.map((p) => p.status).sort()).toEqual(['discarded', 'signed']);
    expect(await auditActions(patient.id)).toContain('treatment-plan.discard');
  });
});

describe('treatment plans: who may', () => {
  it('lets only prescribers write, clinical readers read, and answers 404 across clinics', async () => {
    const patient = await newPatient();
    const plan = (await draft(patient.id)).json();
    expect((await draft(patient.id, kapIm(), nurse)).statusCode).toBe(403);
    expect((await draft(patient.id, kapIm(), therapist)).statusCode).toBe(403);
    expect((await sign(patient.id, plan, {}, nurse)).statusCode).toBe(403);
    expect((await list(patient.id, nurse)).items).toHaveLength(1);
    expect((await list(patient.id, therapist)).items).toHaveLength(1);
    expect((await as(app, frontDesk)({ method: 'GET', url: plansUrl(patient.id) })).statusCode).toBe(403);

    const foreign = as(app, foreignPrescriber);
    for (const response of [
      await foreign({ method: 'GET', url: plansUrl(patient.id) }),
      await foreign({ method: 'POST', url: plansUrl(patient.id), payload: kapIm() }),
      await foreign({
        method: 'PUT',
        url: `${plansUrl(patient.id)}/${plan.id}`,
        payload: { ...kapIm(), revision: 1 },
      }),
      await foreign({
        method: 'POST',
        url: `${plansUrl(patient.id)}/${plan.id}/signature`,
        payload: { signatureId: randomUUID(), password: testPassword, revision: 1 },
      }),
      await foreign({
        method: 'POST',
        url: `${plansUrl(patient.id)}/preview`,
        payload: { protocolId: 'kap-im' },
      }),
    ]) {
      expect(response.statusCode).toBe(404);
      // The problem's `instance` echoes the URL that was sent; nothing else may name the plan.
      const { instance: _instance, ...problem } = response.json();
      expect(JSON.stringify(problem)).not.toContain(plan.id);
    }
    // The plan of another patient of the same clinic is not reachable through this patient's URL either.
    const other = await newPatient();
    const crossed = await as(
      app,
      prescriber,
    )({ method: 'PUT', url: `${plansUrl(other.id)}/${plan.id}`, payload: { ...kapIm(), revision: 1 } });
    expect(crossed.statusCode).toBe(404);
    const [row] = await database.db
      .select({ status: treatmentPlan.status, revision: treatmentPlan.revision })
      .from(treatmentPlan)
      .where(eq(treatmentPlan.id, plan.id));
    expect(row).toEqual({ status: 'draft', revision: 1 });
  });

  it('keeps plans inside the care team in a care-team clinic', async () => {
    const team = await createClinic(database.db, { settings: { careScope: 'care-team' } });
    const member = await createStaffUser(database.db, team.id, ['prescriber']);
    const outsider = await signIn(app, (await createStaffUser(database.db, team.id, ['prescriber'])).email);
    const person = await createPatient(database.db, team.id);
    await assignCareTeam(database.db, team.id, person.id, member.id, 'prescriber');
    const memberSession = await signIn(app, member.email);
    const body = kapIm({ indication: { icd10: 'F33.1', description: 'MDD', notOnProblemList: true } });
    expect((await draft(person.id, body, memberSession)).statusCode).toBe(201);
    expect((await draft(person.id, body, outsider)).statusCode).toBe(404);
    expect((await as(app, outsider)({ method: 'GET', url: plansUrl(person.id) })).statusCode).toBe(404);
  });

  it('gives other areas the active plan through findActivePlan, also for a front-desk caller', async () => {
    const patient = await newPatient();
    expect(await activePlanOf(patient.id)).toBeNull();
    const plan = (await draft(patient.id)).json();
    expect(await activePlanOf(patient.id)).toBeNull();
    expect((await sign(patient.id, plan)).statusCode).toBe(200);
    const desk = await createStaffUser(database.db, clinicId, ['frontdesk']);
    const actor: StaffActor = {
      kind: 'staff',
      userId: desk.id,
      clinicId,
      sessionId: randomUUID(),
      email: desk.email,
      displayName: 'Front desk',
      roles: ['frontdesk'],
    };
    const seen = await runUnitOfWork(
      database.db,
      actor,
      { requestId: null, ip: null, userAgent: null },
      clock,
      (ctx) => findActivePlan(ctx, patient.id),
    );
    expect(seen).toMatchObject({ id: plan.id, version: 1, protocolId: 'kap-im', dosingSessions: 4 });
    expect(seen!.dosingEvents.map((e) => e.earliest)).toEqual([
      '2026-06-15',
      '2026-06-22',
      '2026-06-29',
      '2026-07-06',
    ]);
    // Another clinic's caller gets NotFound, not the plan.
    const other = await createClinic(database.db);
    const stranger = await createStaffUser(database.db, other.id, ['prescriber']);
    await expect(
      runUnitOfWork(
        database.db,
        { ...actor, userId: stranger.id, clinicId: other.id, roles: ['prescriber'] },
        { requestId: null, ip: null, userAgent: null },
        clock,
        (ctx) => findActivePlan(ctx, patient.id),
      ),
    ).rejects.toThrow('not found');
  });

  it('rejects malformed input with field paths, never a 500', async () => {
    const patient = await newPatient();
    const bad = await draft(patient.id, {
      ...kapIm(),
      startingDose: { value: -1, unit: 'mg/kg' },
      extra: true,
    });
    expect(bad.statusCode).toBe(400);
    const malformedId = await as(
      app,
      prescriber,
    )({ method: 'GET', url: '/api/v1/patients/not-a-uuid/treatment-plans' });
    expect(malformedId.statusCode).toBe(400);
  });
});
