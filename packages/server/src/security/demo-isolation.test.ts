import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import type { DatabaseHandle } from '../db/client.ts';
import {
  clinic,
  invitation,
  patient,
  patientAllergy,
  patientCondition,
  patientMedication,
  userAccount,
} from '../db/schema/index.ts';
import { seedDemo } from '../db/seed/demo.ts';
import { demoPassword } from '../db/seed/demo-logins.ts';
import { createDosingSession } from '../modules/session-safety/session.fixture.ts';
import { createTestDatabase } from '../testing/database.ts';
import { as, buildTestApp, createPatientUser, type SignedIn, signIn } from '../testing/factories.ts';

/**
 * The foundation issue's acceptance check, on the demo data itself: signed in as prescriber@harbor.demo,
 * a Summit patient's id gives 404 on every patient route, and the answer names nothing of the patient.
 * Every registered route with a :patientId must have a request below, so a new patient route is checked too.
 */
let database: DatabaseHandle;
let app: FastifyInstance;
let harborPrescriber: SignedIn;
let summitPrescriber: SignedIn;
const ids: Record<string, string> = {};
let summitPatient: typeof patient.$inferSelect;

beforeAll(async () => {
  database = await createTestDatabase();
  const clock = new ManualClock('2026-05-04T16:00:00Z');
  await seedDemo(database.db, clock);
  app = await buildTestApp(database, clock);
  // The signing samples send the fingerprint of the assessment last loaded, as the screening page does, and
  // amend the decision just signed (one first decision per route and product; a change is an amendment).
  app.addHook('onSend', async (request, reply, payload) => {
    const url = request.routeOptions.url;
    if (url === '/api/v1/patients/:patientId/eligibility/assessment' && reply.statusCode === 200)
      ids.fingerprint = JSON.parse(String(payload)).fingerprint;
    if (url === '/api/v1/patients/:patientId/eligibility/decisions' && reply.statusCode === 201)
      ids.decisionId = JSON.parse(String(payload)).id;
    return payload;
  });
  harborPrescriber = await signIn(app, 'prescriber@harbor.demo', demoPassword);
  summitPrescriber = await signIn(app, 'prescriber@summit.demo', demoPassword);

  // A Summit patient with at least one diagnosis, medication and allergy, so every sub-route has an id.
  const [summit] = await database.db.select().from(clinic).where(eq(clinic.slug, 'summit'));
  const [withAllergy] = await database.db
    .select({ patientId: patientAllergy.patientId })
    .from(patientAllergy)
    .where(eq(patientAllergy.clinicId, summit!.id))
    .orderBy(asc(patientAllergy.patientId))
    .limit(1);
  const patientId = withAllergy!.patientId;
  [summitPatient] = (await database.db
    .select()
    .from(patient)
    .where(and(eq(patient.clinicId, summit!.id), eq(patient.id, patientId)))) as [
    typeof patient.$inferSelect,
  ];
  ids.patientId = patientId;
  const [condition] = await database.db
    .select({ id: patientCondition.id })
    .from(patientCondition)
    .where(and(eq(patientCondition.clinicId, summit!.id), eq(patientCondition.patientId, patientId)));
  const [medication] = await database.db
    .select({ id: patientMedication.id })
    .from(patientMedication)
    .where(and(eq(patientMedication.clinicId, summit!.id), eq(patientMedication.patientId, patientId)));
  const [allergy] = await database.db
    .select({ id: patientAllergy.id })
    .from(patientAllergy)
    .where(and(eq(patientAllergy.clinicId, summit!.id), eq(patientAllergy.patientId, patientId)));
  ids.conditionId = condition!.id;
  ids.medicationId = medication!.id;
  ids.allergyId = allergy!.id;
  // A draft treatment plan and a draft preparation note of the Summit patient, by Summit's prescriber: the
  // samples edit, sign, amend and end them in route order.
  const summitWriter = as(app, summitPrescriber);
  ids.noteId = (
    await summitWriter({
      method: 'POST',
      url: `/api/v1/patients/${patientId}/preparation-notes`,
      ...patientRouteSamples['POST /api/v1/patients/:patientId/preparation-notes'],
    })
  ).json().id;
  ids.planId = (
    await summitWriter({
      method: 'POST',
      url: `/api/v1/patients/${patientId}/treatment-plans`,
      ...patientRouteSamples['POST /api/v1/patients/:patientId/treatment-plans'],
    })
  ).json().id;
  ids.draftId = (
    await summitWriter({
      method: 'POST',
      url: `/api/v1/patients/${patientId}/treatment-plans`,
      ...patientRouteSamples['POST /api/v1/patients/:patientId/treatment-plans'],
    })
  ).json().id;
  // A PHQ-9 assigned to the Summit patient and entered by Summit's prescriber (the sample replays it).
  const summitStaff = as(app, summitPrescriber);
  ids.assignmentId = (
    await summitStaff({
      method: 'POST',
      url: `/api/v1/patients/${patientId}/measure-assignments`,
      payload: { instruments: ['phq9'] },
    })
  ).json().assigned[0].id;
  await summitStaff({
    method: 'POST',
    url: `/api/v1/patients/${patientId}/measure-assignments/${ids.assignmentId}/responses`,
    ...patientRouteSamples['POST /api/v1/patients/:patientId/measure-assignments/:assignmentId/responses'],
  });
  // The Summit patient signs the demo general consent in the portal, so the consent routes have a signature.
  const summitSelf = as(
    app,
    await signIn(app, (await createPatientUser(database.db, summit!.id, patientId)).email),
  );
  const forms = (await summitSelf({ method: 'GET', url: '/api/v1/me/consents' })).json();
  const general = forms.forms.find((f: { template: { kind: string } }) => f.template.kind === 'general');
  const shown = (
    await summitSelf({ method: 'GET', url: `/api/v1/me/consents/${general.currentVersion.id}` })
  ).json();
  ids.signatureId = (
    await summitSelf({
      method: 'POST',
      url: `/api/v1/me/consents/${general.currentVersion.id}/signatures`,
      payload: {
        id: randomUUID(),
        typedName: `${summitPatient.givenName} ${summitPatient.familyName}`,
        agreed: true,
        textSha256: shown.textSha256,
      },
    })
  ).json().id;
  // A signed eligibility decision of the Summit patient (esketamine), by Summit's prescriber, for the Harbor
  // requests; Summit's own amendment request amends the IM decision its decision sample signs.
  await summitStaff({
    method: 'GET',
    url: `/api/v1/patients/${patientId}/eligibility/assessment?route=intranasal&product=esketamine`,
  });
  await summitStaff({
    method: 'POST',
    url: `/api/v1/patients/${patientId}/eligibility/decisions`,
    payload: { ...signingSample(), id: randomUUID(), route: 'intranasal', product: 'esketamine' },
  });
  // A portal invitation of the Summit patient (written directly: the patient already has an account).
  const [summitInviter] = await database.db
    .select({ id: userAccount.id })
    .from(userAccount)
    .where(eq(userAccount.email, 'prescriber@summit.demo'));
  ids.invitationId = randomUUID();
  await database.db.insert(invitation).values({
    id: ids.invitationId,
    clinicId: summit!.id,
    patientId,
    email: 'isolation.invite@summit.demo',
    tokenHash: 'f'.repeat(64),
    createdAt: clock.now(),
    createdBy: summitInviter!.id,
    expiresAt: new Date(clock.now().getTime() + 72 * 3_600_000),
  });
  // A discharged dosing session of the Summit patient (written directly, at night so it meets no demo booking)
  // and Summit's integration note after it; the create sample replays it and the amendment sample amends it.
  ids.integrationSessionId = (
    await createDosingSession(database.db, {
      clinicId: summit!.id,
      patientId,
      staffId: summitInviter!.id,
      product: 'ketamine-racemic',
      dosingStartedAt: '2026-05-02T03:00:00Z',
      dischargedAfterMinutes: 120,
    })
  ).id;
  ids.integrationNoteId = (
    await summitStaff({
      method: 'POST',
      url: `/api/v1/patients/${patientId}/integration-notes`,
      ...patientRouteSamples['POST /api/v1/patients/:patientId/integration-notes'],
    })
  ).json().id;
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const isolationPlan = {
  indication: {
    icd10: 'F33.2',
    description: 'Major depressive disorder, recurrent severe',
    notOnProblemList: true,
  },
  protocolId: 'spravato-trd',
  route: 'intranasal',
  product: 'esketamine',
  startDate: '2026-05-18',
  dosingSessions: 12,
  startingDose: { value: 56, unit: 'mg' },
  maximumDose: { value: 84, unit: 'mg' },
};

/** A valid request for each patient route: a 404 must come from the clinic boundary, not from bad input. */
const patientRouteSamples: Record<string, Omit<InjectOptions, 'method' | 'url'>> = {
  'GET /api/v1/patients/:patientId': {},
  'GET /api/v1/patients/:patientId/adverse-events': {},
  'GET /api/v1/patients/:patientId/experience-ratings': {},
  'GET /api/v1/patients/:patientId/journal': {},
  'PATCH /api/v1/patients/:patientId': { payload: { version: 1, pronouns: 'they/them' } },
  'GET /api/v1/patients/:patientId/history': {},
  'GET /api/v1/patients/:patientId/sessions': {},
  'POST /api/v1/patients/:patientId/course-booking/proposal': {},
  'POST /api/v1/patients/:patientId/course-booking': {
    payload: {
      items: [{ kind: 'preparation', startsAt: '2026-05-06T16:00:00Z', endsAt: '2026-05-06T17:00:00Z' }],
    },
  },
  'GET /api/v1/patients/:patientId/intake': {},
  'PUT /api/v1/patients/:patientId/intake': { payload: { version: 0, answers: {} } },
  'GET /api/v1/patients/:patientId/intake/versions': {},
  'POST /api/v1/patients/:patientId/conditions': {
    payload: { icd10: 'F41.1', description: 'Generalized anxiety disorder' },
  },
  'PATCH /api/v1/patients/:patientId/conditions/:conditionId': { payload: { status: 'resolved' } },
  'POST /api/v1/patients/:patientId/medications': { payload: { name: 'Bupropion' } },
  'PATCH /api/v1/patients/:patientId/medications/:medicationId': { payload: { status: 'stopped' } },
  'POST /api/v1/patients/:patientId/allergies': { payload: { substance: 'Penicillin' } },
  'PATCH /api/v1/patients/:patientId/allergies/:allergyId': { payload: { status: 'inactive' } },
  'POST /api/v1/patients/:patientId/break-glass': {
    payload: { reason: 'Checking the acceptance criterion of issue 2' },
  },
  'POST /api/v1/patients/:patientId/preparation-notes': {
    payload: { content: { goals: [{ id: '9a7c5e3b-1d2f-4a6c-8e0b-3c5e7a9b1d2f', text: 'Feel at ease' }] } },
  },
  'GET /api/v1/patients/:patientId/preparation-notes': {},
  'PUT /api/v1/patients/:patientId/preparation-notes/:noteId': { payload: { revision: 1, content: {} } },
  'POST /api/v1/patients/:patientId/preparation-notes/:noteId/signature': {
    payload: { signatureId: '2b4d6f8a-0c1e-4a3b-9d5f-7a9c1e3b5d7f', revision: 2 },
  },
  'POST /api/v1/patients/:patientId/treatment-plans': { payload: isolationPlan },
  'GET /api/v1/patients/:patientId/treatment-plans': {},
  'POST /api/v1/patients/:patientId/treatment-plans/preview': { payload: { protocolId: 'spravato-trd' } },
  'PUT /api/v1/patients/:patientId/treatment-plans/:planId': { payload: { ...isolationPlan, revision: 1 } },
  'POST /api/v1/patients/:patientId/treatment-plans/:planId/signature': {
    payload: { signatureId: '6c8e0a2c-4e6a-4c8e-a0c2-e4a6c8e0a2c4', password: demoPassword, revision: 2 },
  },
  'POST /api/v1/patients/:patientId/treatment-plans/:planId/amendments': {
    payload: { reason: 'Checking the clinic boundary' },
  },
  'POST /api/v1/patients/:patientId/treatment-plans/:planId/end': { payload: { reason: 'stopped' } },
  'POST /api/v1/patients/:patientId/treatment-plans/:draftId/discard': { payload: {} },
  'POST /api/v1/patients/:patientId/measure-assignments': { payload: {} },
  'GET /api/v1/patients/:patientId/measures': {},
  'GET /api/v1/patients/:patientId/measurement-summary': {},
  'GET /api/v1/patients/:patientId/measure-schedule': {},
  'POST /api/v1/patients/:patientId/measure-assignments/:assignmentId/responses': {
    payload: { id: '7c3f9e5a-4b8d-4a2c-9e6f-1d3b5a7c9e0f', answers: [0, 1, 0, 1, 0, 0, 1, 0, 0, 0] },
  },
  'GET /api/v1/patients/:patientId/consents': {},
  // Registered in this order: countersigned first, then withdrawn (a withdrawn consent is not countersigned).
  'POST /api/v1/patients/:patientId/consents/:signatureId/countersignature': {},
  'POST /api/v1/patients/:patientId/consents/:signatureId/withdrawal': {
    payload: { reason: 'The patient called to withdraw' },
  },
  'GET /api/v1/patients/:patientId/consents/:signatureId/document': {},
  'POST /api/v1/patients/:patientId/vitals': {
    payload: {
      id: '6d5c4b3a-2f1e-4d0c-9b8a-7f6e5d4c3b2a',
      measuredAt: '2026-05-04T15:30:00Z',
      systolic: 126,
      diastolic: 78,
      heartRate: 70,
    },
  },
  'GET /api/v1/patients/:patientId/vitals': {},
  'GET /api/v1/patients/:patientId/eligibility/assessment': {
    query: { route: 'im', product: 'ketamine-racemic' },
  },
  'POST /api/v1/patients/:patientId/eligibility/decisions': {
    get payload() {
      return {
        ...signingSample(),
        id: '1e2d3c4b-5a6f-4e7d-8c9b-0a1b2c3d4e5f',
        route: 'im',
        product: 'ketamine-racemic',
      };
    },
  },
  'POST /api/v1/patients/:patientId/eligibility/decisions/:decisionId/amendments': {
    get payload() {
      return {
        ...signingSample(),
        id: '4f5e6d7c-8b9a-4c0d-9e1f-2a3b4c5d6e7f',
        reason: 'Checking the boundary',
      };
    },
  },
  'GET /api/v1/patients/:patientId/eligibility': {},
  'GET /api/v1/patients/:patientId/invitations': {},
  'POST /api/v1/patients/:patientId/invitations': { payload: { email: 'boundary.check@harbor.demo' } },
  'POST /api/v1/patients/:patientId/invitations/:invitationId/resend': { payload: {} },
  'POST /api/v1/patients/:patientId/invitations/:invitationId/revoke': {},
  'POST /api/v1/patients/:patientId/integration-notes': {
    get payload() {
      return {
        id: '8e2c4a6f-1b3d-4e5f-9a7c-0d2e4f6a8b1c',
        dosingSessionId: ids.integrationSessionId,
        heldOn: '2026-05-03',
        content: { themes: 'Checking the clinic boundary' },
      };
    },
  },
  'POST /api/v1/patients/:patientId/integration-notes/:integrationNoteId/amendments': {
    payload: {
      id: '9f3d5b7a-2c4e-4f6a-8b9d-1e3f5a7b9c2d',
      amendsId: '8e2c4a6f-1b3d-4e5f-9a7c-0d2e4f6a8b1c',
      reason: 'Checking the clinic boundary',
      heldOn: '2026-05-03',
      content: { themes: 'Checking the clinic boundary, amended' },
    },
  },
  'GET /api/v1/patients/:patientId/integration-notes': {},
  'GET /api/v1/patients/:patientId/integration-adherence': {},
};

/** A signature on the assessment last loaded (its fingerprint), with Summit's prescriber's password. */
function signingSample() {
  return {
    decision: 'approve',
    rationale: 'Checking the clinic boundary',
    fingerprint: ids.fingerprint,
    password: demoPassword,
  };
}

const refusedPastTheBoundary = new Set([
  'POST /api/v1/patients/:patientId/invitations',
  'POST /api/v1/patients/:patientId/invitations/:invitationId/resend',
]);

function patientRoutes() {
  return app.routeCatalog.filter((route) => route.url.includes(':patientId'));
}

function requestFor(route: { method: string; url: string }): InjectOptions {
  const key = `${route.method} ${route.url}`;
  return {
    method: route.method as InjectOptions['method'],
    url: route.url.replace(/:(\w+)/g, (_, name: string) => ids[name]!),
    ...patientRouteSamples[key],
  };
}

describe('acceptance: a Harbor prescriber and a Summit patient', () => {
  it('has a request for every patient route the app registers', () => {
    const routes = patientRoutes().map((r) => `${r.method} ${r.url}`);
    expect(routes.length).toBeGreaterThanOrEqual(10);
    expect(routes.filter((key) => !(key in patientRouteSamples))).toEqual([]);
  });

  it('answers 404 on every patient route, naming nothing of the patient', async () => {
    const secrets = [summitPatient.givenName, summitPatient.familyName, summitPatient.mrn];
    for (const route of patientRoutes()) {
      const request = requestFor(route);
      const response = await as(app, harborPrescriber)(request);
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(404);
      const body = response.body.replaceAll(request.url as string, '');
      expect(body).not.toContain(summitPatient.id);
      for (const secret of secrets) expect(body, `${route.method} ${route.url}`).not.toContain(secret);
    }
    // Nor does a search find the patient, by name or by MRN.
    const byName = await as(
      app,
      harborPrescriber,
    )({
      method: 'GET',
      url: `/api/v1/patients?q=${encodeURIComponent(summitPatient.familyName)}&limit=100`,
    });
    expect(byName.statusCode).toBe(200);
    expect(byName.json().items.map((p: { id: string }) => p.id)).not.toContain(summitPatient.id);
    const byMrn = await as(
      app,
      harborPrescriber,
    )({
      method: 'GET',
      url: `/api/v1/patients?mrn=${encodeURIComponent(summitPatient.mrn)}`,
    });
    // MRNs are per clinic: Harbor may have its own patient with the same number, never Summit's.
    expect(byMrn.statusCode).toBe(200);
    expect(byMrn.json().items.map((p: { id: string }) => p.id)).not.toContain(summitPatient.id);
  });

  it('answers 404 where the patient is named in the body, and lists nothing of theirs', async () => {
    const booking = await as(
      app,
      harborPrescriber,
    )({
      method: 'POST',
      url: '/api/v1/appointments',
      payload: {
        patientId: summitPatient.id,
        kind: 'preparation',
        startsAt: '2026-05-06T16:00:00Z',
        endsAt: '2026-05-06T17:00:00Z',
      },
    });
    expect(booking.statusCode).toBe(404);
    expect(booking.body).not.toContain(summitPatient.familyName);
    const calendar = await as(
      app,
      harborPrescriber,
    )({
      method: 'GET',
      url: `/api/v1/appointments?from=2026-05-01T00:00:00Z&to=2026-06-01T00:00:00Z&patientId=${summitPatient.id}`,
    });
    expect(calendar.statusCode).toBeLessThan(500);
    if (calendar.statusCode === 200) expect(calendar.json().items).toEqual([]);
    else expect(calendar.statusCode).toBe(404);
  });

  it('answers the same requests for Summit’s own prescriber, so the 404 is the clinic boundary', async () => {
    for (const route of patientRoutes()) {
      if (route.url.endsWith('/break-glass')) continue; // not needed in a clinic-wide care scope
      const response = await as(app, summitPrescriber)(requestFor(route));
      // The patient already has a portal account, so inviting them is refused (409), past the chart check.
      const expected = refusedPastTheBoundary.has(`${route.method} ${route.url}`) ? [409] : [200, 201];
      expect(expected, `${route.method} ${route.url}: ${response.body}`).toContain(response.statusCode);
    }
  });

  it('shows a Harbor patient in the portal their own home and sessions, nothing of Summit’s patient', async () => {
    const [harbor] = await database.db.select().from(clinic).where(eq(clinic.slug, 'harbor'));
    const [harborPatient] = await database.db
      .select()
      .from(patient)
      .where(eq(patient.clinicId, harbor!.id))
      .orderBy(asc(patient.id))
      .limit(1);
    const self = as(
      app,
      await signIn(app, (await createPatientUser(database.db, harbor!.id, harborPatient!.id)).email),
    );
    const secrets = [summitPatient.id, summitPatient.givenName, summitPatient.familyName, summitPatient.mrn];
    for (const url of ['/api/v1/me/home', '/api/v1/me/sessions', '/api/v1/me/crisis-resources']) {
      const response = await self({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      for (const secret of secrets) expect(response.body, url).not.toContain(secret);
    }
    const home = (await self({ method: 'GET', url: '/api/v1/me/home' })).json();
    expect(home.greetingName).toBe(harborPatient!.preferredName ?? harborPatient!.givenName);
  });
});
