import { randomUUID } from 'node:crypto';
import { scoreInstrument } from '@kapstone/clinical';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import {
  alert,
  auditEvent,
  mailOutbox,
  measureAssignment,
  observation,
  questionnaireResponse,
} from '../../db/schema/index.ts';
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
import { latestScores } from './measures.service.ts';

let database: DatabaseHandle;
let app: FastifyInstance;
let clinicId: string;
let prescriber: SignedIn;
let prescriberId: string;
let prescriberEmail: string;
let therapistId: string;
let frontDesk: SignedIn;
let foreignPrescriber: SignedIn;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, new ManualClock('2026-06-01T15:00:00Z'));
  clinicId = (
    await createClinic(database.db, {
      settings: { crisisPhone: '+1 555 0100', cutoffs: { auditC: { female: 5 } } },
    })
  ).id;
  const p = await createStaffUser(database.db, clinicId, ['prescriber'], { displayName: 'Dr Prescriber' });
  prescriberId = p.id;
  prescriberEmail = p.email;
  prescriber = await signIn(app, p.email);
  therapistId = (await createStaffUser(database.db, clinicId, ['therapist'])).id;
  frontDesk = await signIn(app, (await createStaffUser(database.db, clinicId, ['frontdesk'])).email);
  const foreign = await createClinic(database.db);
  foreignPrescriber = await signIn(
    app,
    (await createStaffUser(database.db, foreign.id, ['prescriber'])).email,
  );
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

interface Assignment {
  id: string;
  instrument: string;
  status: string;
  respondent: string;
  dueDate: string;
}

/** A patient with a portal account and the screening set assigned. */
async function patientWithScreeningSet(overrides: Parameters<typeof createPatient>[2] = {}) {
  const patient = await createPatient(database.db, clinicId, overrides);
  const account = await signIn(app, (await createPatientUser(database.db, clinicId, patient.id)).email);
  const response = await as(
    app,
    prescriber,
  )({ method: 'POST', url: `/api/v1/patients/${patient.id}/measure-assignments`, payload: {} });
  expect(response.statusCode, response.body).toBe(201);
  const assigned = response.json().assigned as Assignment[];
  const byInstrument = Object.fromEntries(assigned.map((a) => [a.instrument, a.id]));
  return { patient, account, assigned, byInstrument };
}

const submit = (who: SignedIn, assignmentId: string, payload: Record<string, unknown>) =>
  as(app, who)({ method: 'POST', url: `/api/v1/me/measures/${assignmentId}/responses`, payload });

const phq9 = (item9: number) => [1, 2, 1, 1, 0, 1, 2, 0, item9, 1];

describe('assigning the screening set', () => {
  it('assigns the default set due today (clinic time) to be self-reported, and never twice', async () => {
    const { patient, assigned } = await patientWithScreeningSet();
    expect(assigned.map((a) => a.instrument)).toEqual([
      'phq9',
      'gad7',
      'pcl5',
      'cssrs-screener',
      'mdq',
      'audit-c',
      'dast10',
    ]);
    expect(assigned.every((a) => a.status === 'pending' && a.respondent === 'patient')).toBe(true);
    expect(assigned[0]!.dueDate).toBe('2026-06-01');

    const again = await as(
      app,
      prescriber,
    )({ method: 'POST', url: `/api/v1/patients/${patient.id}/measure-assignments`, payload: {} });
    expect(again.statusCode).toBe(201);
    expect(again.json().assigned).toEqual([]);
    expect(again.json().alreadyPending.map((a: Assignment) => a.id)).toEqual(assigned.map((a) => a.id));

    const events = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.patientId, patient.id), eq(auditEvent.action, 'measure-assignment.create')));
    expect(events).toHaveLength(7);
  });

  it('uses the clinic’s own screening set, and assigns a clinician-rated scale to clinicians', async () => {
    // Stored settings are data: a repeat or an unknown id there is ignored rather than failing the call.
    const own = await createClinic(database.db, {
      settings: { screeningInstruments: ['phq9', 'gad7', 'phq9', 'bdi' as 'phq9'] },
    });
    const nurse = await signIn(app, (await createStaffUser(database.db, own.id, ['nurse'])).email);
    const patient = await createPatient(database.db, own.id);
    const set = await as(
      app,
      nurse,
    )({ method: 'POST', url: `/api/v1/patients/${patient.id}/measure-assignments`, payload: {} });
    expect(set.json().assigned.map((a: Assignment) => a.instrument)).toEqual(['phq9', 'gad7']);

    const madrs = await as(
      app,
      nurse,
    )({
      method: 'POST',
      url: `/api/v1/patients/${patient.id}/measure-assignments`,
      payload: { instruments: ['madrs'] },
    });
    expect(madrs.json().assigned[0]).toMatchObject({ instrument: 'madrs', respondent: 'clinician' });

    const madrsToPatient = await as(
      app,
      nurse,
    )({
      method: 'POST',
      url: `/api/v1/patients/${patient.id}/measure-assignments`,
      payload: { instruments: ['gad2', 'cadss6'], respondent: 'patient' },
    });
    expect(madrsToPatient.statusCode).toBe(400);
    expect(madrsToPatient.json().errors).toEqual([{ path: 'instruments.1', message: expect.any(String) }]);
  });

  it('refuses unknown instruments, duplicates and a bad due date with field paths', async () => {
    const patient = await createPatient(database.db, clinicId);
    const url = `/api/v1/patients/${patient.id}/measure-assignments`;
    const unknown = await as(app, prescriber)({ method: 'POST', url, payload: { instruments: ['bdi'] } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].path).toBe('instruments.0');
    const twice = await as(
      app,
      prescriber,
    )({ method: 'POST', url, payload: { instruments: ['phq9', 'phq9'] } });
    expect(twice.statusCode).toBe(400);
    const due = await as(app, prescriber)({ method: 'POST', url, payload: { dueDate: 'tomorrow' } });
    expect(due.statusCode).toBe(400);
    expect(due.json().errors[0].path).toBe('dueDate');
  });

  it('is refused to front desk (403) and to another clinic (404)', async () => {
    const patient = await createPatient(database.db, clinicId);
    const url = `/api/v1/patients/${patient.id}/measure-assignments`;
    expect((await as(app, frontDesk)({ method: 'POST', url, payload: {} })).statusCode).toBe(403);
    const foreign = await as(app, foreignPrescriber)({ method: 'POST', url, payload: {} });
    expect(foreign.statusCode).toBe(404);
    expect(
      (await as(app, foreignPrescriber)({ method: 'GET', url: `/api/v1/patients/${patient.id}/measures` }))
        .statusCode,
    ).toBe(404);
    expect(
      (await as(app, frontDesk)({ method: 'GET', url: `/api/v1/patients/${patient.id}/measures` }))
        .statusCode,
    ).toBe(403);
  });
});

describe('completing a questionnaire in the portal', () => {
  it('lists what is due, shows the instrument’s own wording and labels, and C-SSRS skip logic', async () => {
    const { account, byInstrument } = await patientWithScreeningSet();
    const due = await as(app, account)({ method: 'GET', url: '/api/v1/me/measures' });
    expect(due.statusCode).toBe(200);
    expect(due.json().items).toHaveLength(7);
    expect(due.json().items[0]).toMatchObject({ shortName: 'PHQ-9', itemCount: 10, status: 'pending' });

    const form = (
      await as(app, account)({ method: 'GET', url: `/api/v1/me/measures/${byInstrument.phq9}` })
    ).json();
    expect(form.questionnaire.recallPeriod).toBe('Over the last 2 weeks');
    expect(form.questionnaire.items[8].text).toBe(
      'Thoughts that you would be better off dead, or of hurting yourself in some way',
    );
    expect(form.questionnaire.items[0].options.map((o: { label: string }) => o.label)).toEqual([
      'Not at all',
      'Several days',
      'More than half the days',
      'Nearly every day',
    ]);
    expect(form.questionnaire.items[9].optional).toBe(true);

    const cssrs = (
      await as(app, account)({ method: 'GET', url: `/api/v1/me/measures/${byInstrument['cssrs-screener']}` })
    ).json();
    expect(cssrs.questionnaire.items[2].enableWhen).toEqual({ item: 'cssrs-2', answers: [1] });
    expect(cssrs.questionnaire.items[6].enableWhen).toEqual({ item: 'cssrs-6', answers: [1] });
    expect(cssrs.questionnaire.items[0].enableWhen).toBeNull();
    const reads = await database.db
      .select({ action: auditEvent.action, resourceId: auditEvent.resourceId })
      .from(auditEvent)
      .where(eq(auditEvent.action, 'measure-assignment.read'));
    expect(reads.map((r) => r.resourceId)).toEqual(
      expect.arrayContaining([byInstrument.phq9, byInstrument['cssrs-screener']]),
    );
  });

  it('stores the score scoreInstrument gives, with LOINC-coded observations; a retry is idempotent', async () => {
    const { patient, account, byInstrument } = await patientWithScreeningSet();
    const id = randomUUID();
    const answers = phq9(0);
    const first = await submit(account, byInstrument.phq9!, { id, answers });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ id, instrument: 'phq9', crisisResources: null });

    const retry = await submit(account, byInstrument.phq9!, { id, answers });
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(first.json());

    const stored = await database.db
      .select()
      .from(questionnaireResponse)
      .where(eq(questionnaireResponse.patientId, patient.id));
    expect(stored).toHaveLength(1);
    expect(stored[0]!.score).toEqual(scoreInstrument('phq9', answers));
    expect(stored[0]!.score).toMatchObject({ total: 8, band: 'mild', complete: true });
    expect(stored[0]!.source).toBe('patient');

    const observations = await database.db.select().from(observation).where(eq(observation.responseId, id));
    expect(observations).toEqual([
      expect.objectContaining({
        key: 'total',
        codeSystem: 'http://loinc.org',
        code: '44261-6',
        value: 8,
        band: 'mild',
      }),
    ]);

    const chart = (
      await as(app, prescriber)({ method: 'GET', url: `/api/v1/patients/${patient.id}/measures` })
    ).json();
    const phq = chart.assignments.find((a: Assignment) => a.id === byInstrument.phq9);
    expect(phq).toMatchObject({ status: 'completed', responseId: id });
    expect(chart.responses).toHaveLength(1);
    expect(chart.responses[0]).toMatchObject({
      id,
      shortName: 'PHQ-9',
      score: { total: 8, band: 'mild', bandLabel: 'Mild', totalRange: { min: 0, max: 27 } },
      observations: [{ key: 'total', code: { system: 'http://loinc.org', code: '44261-6' }, value: 8 }],
      alerts: [],
    });
    expect(
      (await as(app, account)({ method: 'GET', url: '/api/v1/me/measures' }))
        .json()
        .items.map((i: { id: string }) => i.id),
    ).not.toContain(byInstrument.phq9);

    const audit = await database.db
      .select({ action: auditEvent.action })
      .from(auditEvent)
      .where(eq(auditEvent.patientId, patient.id));
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['questionnaire-response.create', 'measures.read', 'measures.portal-list']),
    );
  });

  it('stores PCL-5 cluster subscales as observations, and scores AUDIT-C with the clinic cut-off and sex', async () => {
    const { account, byInstrument } = await patientWithScreeningSet({ sexAtBirth: 'female' });
    const pcl = Array.from({ length: 20 }, (_, i) => i % 5);
    const id = randomUUID();
    expect((await submit(account, byInstrument.pcl5!, { id, answers: pcl })).statusCode).toBe(201);
    const rows = await database.db.select().from(observation).where(eq(observation.responseId, id));
    const expected = scoreInstrument('pcl5', pcl);
    expect(Object.fromEntries(rows.map((r) => [r.key, r.value]))).toEqual({
      total: expected.total,
      ...Object.fromEntries(Object.entries(expected.subscales!).map(([k, v]) => [`subscale:${k}`, v])),
    });
    // The reference found no LOINC code for the PCL-5: the observation carries none rather than a guess.
    expect(rows.every((r) => r.code === null)).toBe(true);

    // AUDIT-C total 4: positive at the default female cut-off (3), negative at this clinic's (5).
    const auditId = randomUUID();
    expect(
      (await submit(account, byInstrument['audit-c']!, { id: auditId, answers: [2, 1, 1] })).statusCode,
    ).toBe(201);
    const [audit] = await database.db
      .select()
      .from(questionnaireResponse)
      .where(eq(questionnaireResponse.id, auditId));
    const context = { sex: 'female' as const, cutoffs: { auditC: { female: 5 } } };
    expect(audit!.scoreContext).toEqual(context);
    expect(audit!.score).toEqual(scoreInstrument('audit-c', [2, 1, 1], context));
    expect(audit!.score.band).toBe('negative');
  });

  it('stores one response when the same submission arrives many times at once, and one of rival submissions', async () => {
    const { patient, account, byInstrument } = await patientWithScreeningSet();
    const id = randomUUID();
    const answers = [1, 1, 0, 0, 1, 0, 0];
    const same = await Promise.all(
      Array.from({ length: 6 }, () => submit(account, byInstrument.gad7!, { id, answers })),
    );
    expect(same.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(same.map((r) => r.json().id))).toEqual(new Set([id]));

    const rivals = await Promise.all(
      Array.from({ length: 6 }, () =>
        submit(account, byInstrument.dast10!, { id: randomUUID(), answers: Array(10).fill(0) }),
      ),
    );
    expect(rivals.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    const stored = await database.db
      .select({ id: questionnaireResponse.id })
      .from(questionnaireResponse)
      .where(eq(questionnaireResponse.patientId, patient.id));
    expect(stored).toHaveLength(2);
  });

  it('refuses the same id with other answers (409), and a second response to a completed one', async () => {
    const { account, byInstrument } = await patientWithScreeningSet();
    const id = randomUUID();
    expect(
      (await submit(account, byInstrument.gad7!, { id, answers: [0, 0, 0, 0, 0, 0, 0] })).statusCode,
    ).toBe(201);
    const changed = await submit(account, byInstrument.gad7!, { id, answers: [1, 0, 0, 0, 0, 0, 0] });
    expect(changed.statusCode).toBe(409);
    expect(changed.json().errors).toEqual([{ path: 'id', message: expect.any(String) }]);
    // The same id used for another questionnaire is a conflict too.
    expect((await submit(account, byInstrument.dast10!, { id, answers: Array(10).fill(0) })).statusCode).toBe(
      409,
    );
    const second = await submit(account, byInstrument.gad7!, {
      id: randomUUID(),
      answers: [1, 0, 0, 0, 0, 0, 0],
    });
    expect(second.statusCode).toBe(409);
  });

  it('answers 400 with the field path for a wrong number of answers, an out-of-range or a missing answer', async () => {
    const { account, byInstrument } = await patientWithScreeningSet();
    const short = await submit(account, byInstrument.phq9!, { id: randomUUID(), answers: [0, 0, 0] });
    expect(short.statusCode).toBe(400);
    expect(short.json().errors).toEqual([{ path: 'answers', message: expect.stringContaining('10 items') }]);

    const outOfRange = await submit(account, byInstrument.phq9!, {
      id: randomUUID(),
      answers: [0, 0, 0, 4, 0, 0, 0, 0, 0, 0],
    });
    expect(outOfRange.statusCode).toBe(400);
    expect(outOfRange.json().errors).toEqual([{ path: 'answers.3', message: expect.any(String) }]);

    const negative = await submit(account, byInstrument.phq9!, {
      id: randomUUID(),
      answers: [0, -1, 0, 0, 0, 0, 0, 0, 0, 0],
    });
    expect(negative.statusCode).toBe(400);
    expect(negative.json().errors[0].path).toBe('answers.1');

    const missing = await submit(account, byInstrument.phq9!, {
      id: randomUUID(),
      answers: [0, 0, null, 0, 0, 0, 0, 0, 0, null],
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors).toEqual([{ path: 'answers.2', message: expect.any(String) }]);

    // C-SSRS: items 3-5 and 6b are not asked after "no" to 2 and 6, so null there is complete.
    const cssrs = await submit(account, byInstrument['cssrs-screener']!, {
      id: randomUUID(),
      answers: [0, 0, null, null, null, 0, null],
    });
    expect(cssrs.statusCode).toBe(201);
    expect(cssrs.json().crisisResources).toBeNull();
    const unanswered = await submit(account, byInstrument.mdq!, {
      id: randomUUID(),
      answers: [...Array(13).fill(0), null, null],
    });
    expect(unanswered.json().errors).toEqual([{ path: 'answers.14', message: expect.any(String) }]);
    // MDQ question 2 may be left blank only with fewer than two symptoms checked (scoreMdq decides).
    const samePeriodMissing = await submit(account, byInstrument.mdq!, {
      id: randomUUID(),
      answers: [1, 1, ...Array(11).fill(0), null, 1],
    });
    expect(samePeriodMissing.statusCode).toBe(400);
    expect(samePeriodMissing.json().errors).toEqual([{ path: 'answers.13', message: expect.any(String) }]);
    expect(
      (
        await submit(account, byInstrument.mdq!, {
          id: randomUUID(),
          answers: [1, ...Array(12).fill(0), null, 1],
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (await submit(account, byInstrument.mdq!, { id: 'not-a-uuid', answers: Array(15).fill(0) })).json()
        .errors[0].path,
    ).toBe('id');
  });

  it('answers 404 for another patient’s assignment and for a clinician-rated one, and 403 to staff', async () => {
    const a = await patientWithScreeningSet();
    const b = await patientWithScreeningSet();
    const theirs = await submit(b.account, a.byInstrument.phq9!, { id: randomUUID(), answers: phq9(0) });
    expect(theirs.statusCode).toBe(404);
    expect(
      (await as(app, b.account)({ method: 'GET', url: `/api/v1/me/measures/${a.byInstrument.phq9}` }))
        .statusCode,
    ).toBe(404);
    const madrs = await as(
      app,
      prescriber,
    )({
      method: 'POST',
      url: `/api/v1/patients/${a.patient.id}/measure-assignments`,
      payload: { instruments: ['madrs'] },
    });
    const madrsId = madrs.json().assigned[0].id;
    expect(
      (await as(app, a.account)({ method: 'GET', url: `/api/v1/me/measures/${madrsId}` })).statusCode,
    ).toBe(404);
    expect((await as(app, prescriber)({ method: 'GET', url: '/api/v1/me/measures' })).statusCode).toBe(403);
    expect(
      (await submit(prescriber, a.byInstrument.phq9!, { id: randomUUID(), answers: phq9(0) })).statusCode,
    ).toBe(403);
  });
});

describe('risk alerts', () => {
  it('PHQ-9 item 9 positive: an alert for the prescriber in the same transaction, crisis resources returned', async () => {
    const { patient, account, byInstrument } = await patientWithScreeningSet();
    await assignCareTeam(database.db, clinicId, patient.id, therapistId, 'therapist');
    await assignCareTeam(database.db, clinicId, patient.id, prescriberId, 'prescriber');
    const id = randomUUID();
    const response = await submit(account, byInstrument.phq9!, { id, answers: phq9(1) });
    expect(response.statusCode).toBe(201);
    expect(response.json().crisisResources).toEqual({
      lifeline: { name: '988 Suicide & Crisis Lifeline', call: '988', text: '988' },
      emergency: '911',
      clinicPhone: '+1 555 0100',
    });
    const alerts = await database.db.select().from(alert).where(eq(alert.patientId, patient.id));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      kind: 'suicide-risk',
      severity: 'high',
      status: 'open',
      sourceType: 'questionnaire-response',
      sourceId: id,
      ownerId: prescriberId,
    });
    expect(alerts[0]!.summary).toContain('PHQ-9 item 9');
    // The owner is told by mail, in the same transaction, without the patient's name or answers.
    const mail = await database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, prescriberEmail));
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toBe('Kapstone: a risk alert needs your attention');
    expect(mail[0]!.textBody).not.toContain(patient.familyName);
    expect(mail[0]!.textBody).not.toContain(patient.givenName);
    // The alert and the response were written by one transaction: same xmin.
    const [xmins] = (
      (await database.db.execute(
        sql`SELECT (SELECT xmin::text FROM questionnaire_response WHERE id = ${id}) AS response,
                   (SELECT xmin::text FROM alert WHERE source_id = ${id}) AS alert`,
      )) as unknown as { rows: { response: string; alert: string }[] }
    ).rows;
    expect(xmins!.alert).toBe(xmins!.response);

    // A retry neither duplicates the alert nor loses the crisis resources.
    const retry = await submit(account, byInstrument.phq9!, { id, answers: phq9(1) });
    expect(retry.statusCode).toBe(200);
    expect(retry.json().crisisResources).not.toBeNull();
    expect(await database.db.select().from(alert).where(eq(alert.patientId, patient.id))).toHaveLength(1);
  });

  it('C-SSRS high: a critical alert owned by the therapist when there is no prescriber', async () => {
    const { patient, account, byInstrument } = await patientWithScreeningSet();
    await assignCareTeam(database.db, clinicId, patient.id, therapistId, 'therapist');
    const response = await submit(account, byInstrument['cssrs-screener']!, {
      id: randomUUID(),
      answers: [1, 1, 0, 1, 0, 0, null],
    });
    expect(response.statusCode).toBe(201);
    expect(response.json().crisisResources).not.toBeNull();
    const [raised] = await database.db.select().from(alert).where(eq(alert.patientId, patient.id));
    expect(raised).toMatchObject({ severity: 'critical', ownerId: therapistId });
    // The screener has no total: its observation is the risk level, LOINC 93374-7 (clinical-reference 1.5).
    const [risk] = await database.db
      .select()
      .from(observation)
      .where(eq(observation.responseId, raised!.sourceId));
    expect(risk).toMatchObject({ key: 'total', code: '93374-7', value: null, band: 'high' });
    expect(raised!.summary).not.toMatch(/\d/);
  });

  it('C-SSRS moderate raises an alert, unassigned without a care team; low and negative do not', async () => {
    const moderate = await patientWithScreeningSet();
    await submit(moderate.account, moderate.byInstrument['cssrs-screener']!, {
      id: randomUUID(),
      answers: [0, 0, null, null, null, 1, 0],
    });
    const [raised] = await database.db.select().from(alert).where(eq(alert.patientId, moderate.patient.id));
    expect(raised).toMatchObject({ severity: 'high', ownerId: null });

    const low = await patientWithScreeningSet();
    const lowResponse = await submit(low.account, low.byInstrument['cssrs-screener']!, {
      id: randomUUID(),
      answers: [1, 0, null, null, null, 0, null],
    });
    // Low risk: crisis lines for the patient (clinical-reference 1.5), no alert.
    expect(lowResponse.json().crisisResources).not.toBeNull();
    const negative = await submit(low.account, low.byInstrument.phq9!, {
      id: randomUUID(),
      answers: phq9(0),
    });
    expect(negative.json().crisisResources).toBeNull();
    expect(await database.db.select().from(alert).where(eq(alert.patientId, low.patient.id))).toEqual([]);
  });
});

describe('staff entry and corrections', () => {
  it('records a clinician-rated MADRS and corrects a response with a new one that supersedes it', async () => {
    const patient = await createPatient(database.db, clinicId);
    const base = `/api/v1/patients/${patient.id}`;
    const madrs = await as(
      app,
      prescriber,
    )({ method: 'POST', url: `${base}/measure-assignments`, payload: { instruments: ['madrs'] } });
    const assignmentId = madrs.json().assigned[0].id;
    const url = `${base}/measure-assignments/${assignmentId}/responses`;
    const answers = [3, 3, 2, 2, 1, 2, 2, 3, 2, 0];
    const id = randomUUID();
    const first = await as(app, prescriber)({ method: 'POST', url, payload: { id, answers } });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ source: 'staff', enteredBy: { id: prescriberId } });
    expect(first.json().score).toMatchObject({
      total: scoreInstrument('madrs', answers).total,
      band: scoreInstrument('madrs', answers).band,
    });

    const corrected = [...answers.slice(0, 9), 1];
    const correction = await as(
      app,
      prescriber,
    )({ method: 'POST', url, payload: { id: randomUUID(), answers: corrected, supersedes: id } });
    expect(correction.statusCode).toBe(201);
    expect(correction.json().supersedesId).toBe(id);
    const chart = (await as(app, prescriber)({ method: 'GET', url: `${base}/measures` })).json();
    expect(chart.responses.find((r: { id: string }) => r.id === id).supersededBy).toBe(correction.json().id);
    expect(chart.assignments[0].responseId).toBe(correction.json().id);
    // latestScores (for screening and eligibility) gives the correction, not the response it replaced.
    const latest = await runUnitOfWork(
      database.db,
      {
        kind: 'staff',
        userId: prescriberId,
        clinicId,
        sessionId: randomUUID(),
        email: prescriberEmail,
        displayName: 'Dr Prescriber',
        roles: ['prescriber'],
      },
      { requestId: null, ip: null, userAgent: null },
      new ManualClock('2026-06-01T15:00:00Z'),
      (ctx) => latestScores(ctx, patient.id),
    );
    expect(latest.madrs).toEqual({
      ...scoreInstrument('madrs', corrected),
      respondedAt: correction.json().authoredAt,
    });
    expect(Object.keys(latest)).toEqual(['madrs']);
    // Correcting the superseded one again would fork the record.
    const stale = await as(
      app,
      prescriber,
    )({ method: 'POST', url, payload: { id: randomUUID(), answers, supersedes: id } });
    expect(stale.statusCode).toBe(409);
  });
});

describe('append-only', () => {
  it('rejects UPDATE and DELETE of responses and observations, and DELETE of alerts and assignments', async () => {
    const { account, byInstrument } = await patientWithScreeningSet();
    const id = randomUUID();
    await submit(account, byInstrument.phq9!, { id, answers: phq9(1) });
    expect(
      await databaseError(
        database.db
          .update(questionnaireResponse)
          .set({ answers: [] })
          .where(eq(questionnaireResponse.id, id)),
      ),
    ).toContain('append-only');
    expect(
      await databaseError(database.db.delete(questionnaireResponse).where(eq(questionnaireResponse.id, id))),
    ).toContain('append-only');
    expect(
      await databaseError(
        database.db.update(observation).set({ value: 0 }).where(eq(observation.responseId, id)),
      ),
    ).toContain('append-only');
    expect(await databaseError(database.db.delete(alert).where(eq(alert.sourceId, id)))).toContain(
      'append-only',
    );
    expect(
      await databaseError(
        database.db.update(alert).set({ summary: 'nothing' }).where(eq(alert.sourceId, id)),
      ),
    ).toContain('cannot be changed');
    expect(
      await databaseError(
        database.db.delete(measureAssignment).where(eq(measureAssignment.id, byInstrument.phq9!)),
      ),
    ).toContain('append-only');
  });
});
