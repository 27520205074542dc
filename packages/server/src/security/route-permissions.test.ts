import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { type Role, roles } from '../context.ts';
import type { DatabaseHandle } from '../db/client.ts';
import { appointment, invitation } from '../db/schema/index.ts';
import { demoIntakeAnswers } from '../modules/intake/intake.demo.ts';
import { createDosingSession } from '../modules/session-safety/session.fixture.ts';
import { createTestDatabase } from '../testing/database.ts';
import {
  as,
  buildTestApp,
  createClinic,
  createPatient,
  createPatientUser,
  createStaffUser,
  type SignedIn,
  signIn,
  testPassword,
} from '../testing/factories.ts';
import { type Permission, rolePermissions } from './permissions.ts';

/**
 * Walks every API route with every role of the clinic that owns the data, a patient account, an anonymous
 * caller and every role of another clinic. The expected answer comes from the permission matrix. A route
 * added later without a sample request here makes this test fail, so new routes are always walked.
 */
let database: DatabaseHandle;
let app: FastifyInstance;
const ids: Record<string, string> = {};
const staff: Record<'home' | 'foreign', Partial<Record<Role, SignedIn>>> = { home: {}, foreign: {} };
let patientAccount: SignedIn;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, new ManualClock('2026-05-01T10:00:00Z'));
  const home = await createClinic(database.db, { name: 'Home' });
  const foreign = await createClinic(database.db, { name: 'Foreign' });
  const patient = await createPatient(database.db, home.id, {
    givenName: 'Walker',
    familyName: 'Permission',
  });
  ids.patientId = patient.id;
  for (const role of roles) {
    staff.home[role] = await signIn(app, (await createStaffUser(database.db, home.id, [role])).email);
    staff.foreign[role] = await signIn(app, (await createStaffUser(database.db, foreign.id, [role])).email);
  }
  patientAccount = await signIn(app, (await createPatientUser(database.db, home.id, patient.id)).email);
  const prescriber = as(app, staff.home.prescriber!);
  const base = `/api/v1/patients/${patient.id}`;
  ids.conditionId = (
    await prescriber({
      method: 'POST',
      url: `${base}/conditions`,
      payload: { icd10: 'F41.1', description: 'Generalized anxiety disorder' },
    })
  ).json().id;
  ids.medicationId = (
    await prescriber({ method: 'POST', url: `${base}/medications`, payload: { name: 'Sertraline' } })
  ).json().id;
  ids.allergyId = (
    await prescriber({ method: 'POST', url: `${base}/allergies`, payload: { substance: 'Latex' } })
  ).json().id;
  ids.appointmentId = (
    await prescriber({
      method: 'POST',
      url: '/api/v1/appointments',
      payload: {
        patientId: patient.id,
        kind: 'integration',
        startsAt: '2026-05-04T16:00:00Z',
        endsAt: '2026-05-04T17:00:00Z',
      },
    })
  ).json().id;
  // Scheduling: a dosing session of the walked patient (written directly: the walked patient has no plan, and
  // the portal's acknowledgement route must answer 200 to the patient), a staff id and a feed token.
  ids.dosingAppointmentId = crypto.randomUUID();
  await database.db.insert(appointment).values({
    id: ids.dosingAppointmentId,
    clinicId: home.id,
    patientId: patient.id,
    kind: 'dosing',
    startsAt: new Date('2026-05-20T14:00:00Z'),
    endsAt: new Date('2026-05-20T16:00:00Z'),
    createdAt: new Date('2026-05-01T10:00:00Z'),
  });
  ids.userId = (await createStaffUser(database.db, home.id, ['therapist'])).id;
  ids.token = 'A'.repeat(43);
  // Invitations: one of the walked patient's, written directly (the patient already has a portal account, so
  // the walk's create and resend answer 409 and revoke 200).
  ids.invitationId = crypto.randomUUID();
  await database.db.insert(invitation).values({
    id: ids.invitationId,
    clinicId: home.id,
    patientId: patient.id,
    email: 'walker.invite@test.example',
    tokenHash: 'e'.repeat(64),
    createdAt: new Date('2026-05-01T10:00:00Z'),
    createdBy: ids.userId,
    expiresAt: new Date('2026-05-04T10:00:00Z'),
  });
  // Plans and preparation: a draft plan and a draft note; the samples edit, sign, amend and end them in
  // route order (a second caller gets 409: already signed, stale revision or a used signature id).
  ids.noteId = (
    await prescriber({
      method: 'POST',
      url: `${base}/preparation-notes`,
      payload: samples['POST /api/v1/patients/:patientId/preparation-notes']!.payload as object,
    })
  ).json().id;
  ids.planId = (
    await prescriber({
      method: 'POST',
      url: `${base}/treatment-plans`,
      payload: samples['POST /api/v1/patients/:patientId/treatment-plans']!.payload as object,
    })
  ).json().id;
  ids.draftId = (
    await prescriber({
      method: 'POST',
      url: `${base}/treatment-plans`,
      payload: samples['POST /api/v1/patients/:patientId/treatment-plans']!.payload as object,
    })
  ).json().id;
  // Measures: the screening set; the patient answers the PHQ-9 with item 9 positive (so an alert is open) and
  // the prescriber corrects it. The samples replay those submissions, so they answer 200 (or 409 for others).
  const assigned = (
    await prescriber({ method: 'POST', url: `${base}/measure-assignments`, payload: {} })
  ).json().assigned as { id: string; instrument: string }[];
  ids.assignmentId = assigned.find((a) => a.instrument === 'phq9')!.id;
  await as(
    app,
    patientAccount,
  )({
    method: 'POST',
    url: `/api/v1/me/measures/${ids.assignmentId}/responses`,
    ...samples['POST /api/v1/me/measures/:assignmentId/responses'],
  });
  await prescriber({
    method: 'POST',
    url: `${base}/measure-assignments/${ids.assignmentId}/responses`,
    ...samples['POST /api/v1/patients/:patientId/measure-assignments/:assignmentId/responses'],
  });
  ids.alertId = (await prescriber({ method: 'GET', url: '/api/v1/alerts' })).json().items[0].id;
  // Consent: a form, the patient's signature on it (then withdrawn, so every later call is a replay or a 409).
  const admin = as(app, staff.home.admin!);
  const template = (
    await admin({
      method: 'POST',
      url: '/api/v1/consent-templates',
      payload: { kind: 'general', title: 'Walk consent', required: true, body: walkConsentBody },
    })
  ).json();
  ids.templateId = template.id;
  ids.templateVersionId = template.currentVersion.id;
  const self = as(app, patientAccount);
  const shown = (await self({ method: 'GET', url: `/api/v1/me/consents/${ids.templateVersionId}` })).json();
  const signature = {
    id: '0e9f5c1a-3b7d-4c2e-9a61-5d8f2b4c7e90',
    typedName: 'Walker Permission',
    agreed: true,
    textSha256: shown.textSha256,
  };
  samples['POST /api/v1/me/consents/:templateVersionId/signatures'] = { payload: signature };
  ids.signatureId = (
    await self({
      method: 'POST',
      url: `/api/v1/me/consents/${ids.templateVersionId}/signatures`,
      payload: signature,
    })
  ).json().id;
  await self({ method: 'POST', url: `/api/v1/me/consents/${ids.signatureId}/withdrawal`, payload: {} });
  // Eligibility: a signed decision to amend. The samples sign with a fingerprint of nothing the server
  // computed, so the prescriber's walk answers 409 (the screening changed) after the password and the access.
  const shownAssessment = (
    await prescriber({
      method: 'GET',
      url: `${base}/eligibility/assessment?route=im&product=ketamine-racemic`,
    })
  ).json();
  ids.decisionId = (
    await prescriber({
      method: 'POST',
      url: `${base}/eligibility/decisions`,
      payload: {
        id: crypto.randomUUID(),
        route: 'im',
        product: 'ketamine-racemic',
        decision: 'defer',
        rationale: 'Walking every route',
        fingerprint: shownAssessment.fingerprint,
        password: testPassword,
      },
    })
  ).json().id;
  // Ledger: a location, a product and a stocked lot (10 vials of 10 mL), a witness for the wastes, and an
  // adjustment for the correction sample to reverse (the samples replay fixed ids: 201 once, then 200).
  ids.locationId = (
    await admin({ method: 'POST', url: '/api/v1/ledger/locations', payload: walkLocation })
  ).json().id;
  ids.productId = (
    await admin({ method: 'POST', url: '/api/v1/ledger/products', payload: walkProduct('0143-9508-01') })
  ).json().id;
  samples['POST /api/v1/ledger/receipts']!.payload = {
    ...walkReceipt,
    locationId: ids.locationId,
    productId: ids.productId,
  };
  ids.entryId = (
    await admin({
      method: 'POST',
      url: '/api/v1/ledger/receipts',
      payload: {
        ...walkReceipt,
        id: crypto.randomUUID(),
        locationId: ids.locationId,
        productId: ids.productId,
      },
    })
  ).json().id;
  ids.lotId = (await admin({ method: 'GET', url: `/api/v1/ledger/entries/${ids.entryId}` })).json().lot.id;
  const witness = await createStaffUser(database.db, home.id, ['nurse']);
  for (const key of ['wastes', 'transfers', 'losses', 'adjustments'])
    (samples[`POST /api/v1/ledger/${key}`]!.payload as Record<string, unknown>).lotId = ids.lotId;
  (samples['POST /api/v1/ledger/wastes']!.payload as { witness: { username: string } }).witness.username =
    witness.email;
  const adjusted = (
    await admin({
      method: 'POST',
      url: '/api/v1/ledger/adjustments',
      payload: {
        id: crypto.randomUUID(),
        lotId: ids.lotId,
        quantity: 1,
        reason: 'Walking every route',
        password: testPassword,
      },
    })
  ).json().id;
  (samples['POST /api/v1/ledger/corrections']!.payload as Record<string, unknown>).reversesId = adjusted;
  // Ledger reports: a count of the walked lot (for the count routes), and the count sample's location and lot.
  // A loss for the filings sample, of a lot of its own (the walked lot's balance is the counts' book balance).
  const lossLot = (
    await admin({
      method: 'POST',
      url: '/api/v1/ledger/receipts',
      payload: {
        ...walkReceipt,
        id: crypto.randomUUID(),
        lotNumber: 'WALK-LOSS',
        locationId: ids.locationId,
        productId: ids.productId,
      },
    })
  ).json().lot.id;
  ids.lossId = (
    await admin({
      method: 'POST',
      url: '/api/v1/ledger/losses',
      payload: {
        ...(samples['POST /api/v1/ledger/losses']!.payload as object),
        id: crypto.randomUUID(),
        lotId: lossLot,
      },
    })
  ).json().id;
  Object.assign(samples['POST /api/v1/ledger/counts']!.payload as Record<string, unknown>, {
    locationId: ids.locationId,
    lines: [{ lotId: ids.lotId, sealedContainers: 10 }],
  });
  ids.countId = (
    await admin({
      method: 'POST',
      url: '/api/v1/ledger/counts',
      payload: {
        id: crypto.randomUUID(),
        locationId: ids.locationId,
        kind: 'count',
        takenAt: '2026-05-01T09:50:00Z',
        lines: [{ lotId: ids.lotId, sealedContainers: 10 }],
      },
    })
  ).json().id;
  (
    samples['POST /api/v1/ledger/counts/:countId/lots/:lotId/resolutions']!.payload as Record<string, unknown>
  ).entryId = ids.entryId;
  for (const key of ['', '.csv', '.pdf'])
    samples[`GET /api/v1/ledger/dispensing-log${key}`]!.query = {
      locationId: ids.locationId!,
      from: '2026-04-01',
      to: '2026-05-01',
    };
  // Session safety: an esketamine session of the walked patient (discharged), unless the sessions setup made
  // one, and an adverse event of it for the amendment sample.
  ids.sessionId ??= (
    await createDosingSession(database.db, {
      clinicId: home.id,
      patientId: patient.id,
      staffId: ids.userId,
      dosingStartedAt: '2026-04-30T14:00:00Z',
      dischargedAfterMinutes: 125,
    })
  ).id;
  ids.seriesId = (
    await as(
      app,
      staff.home.nurse!,
    )({
      method: 'POST',
      url: `/api/v1/sessions/${ids.sessionId}/adverse-events`,
      payload: { id: crypto.randomUUID(), ...walkAdverseEvent },
    })
  ).json().seriesId;
  // Journal: a shared entry of the walked patient, then made private (the samples replay both: 200).
  const walker = as(app, patientAccount);
  await walker({ method: 'POST', url: '/api/v1/me/journal', ...samples['POST /api/v1/me/journal'] });
  ids.journalEntryId = walkJournalEntryId;
  await walker({
    method: 'POST',
    url: `/api/v1/me/journal/${walkJournalEntryId}/versions`,
    ...samples['POST /api/v1/me/journal/:journalEntryId/versions'],
  });
  // Experience rating: the walked patient rates the discharged session (the day after it); the sample replays it.
  await as(
    app,
    patientAccount,
  )({
    method: 'POST',
    url: `/api/v1/me/experience-ratings/${ids.sessionId}`,
    ...samples['POST /api/v1/me/experience-ratings/:sessionId'],
  });
  // Integration: a note after the walked (discharged) session, by the prescriber; the create sample replays it
  // (200, then 409 for another writer) and the amendment sample amends it (201 once, then 409).
  await prescriber({
    method: 'POST',
    url: `${base}/integration-notes`,
    payload: { ...walkIntegrationNote(), dosingSessionId: ids.sessionId },
  });
  ids.integrationNoteId = walkIntegrationNoteId;
  // Research exports: one asked for by the admin (its job does not run in the walk, so downloading a file and
  // deleting the files answer 409).
  ids.exportId = (
    await admin({
      method: 'POST',
      url: '/api/v1/research/exports',
      payload: samples['POST /api/v1/research/exports']!.payload as object,
    })
  ).json().id;
  ids.name = 'patients.csv';
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const walkAdverseEvent = {
  category: 'sedation',
  severity: 'mild',
  serious: false,
  description: 'Drowsy, responded to voice',
  actionTaken: 'Observed more often',
  outcome: 'resolved',
  onsetAt: '2026-04-30T14:30:00Z',
};

const walkConsentBody = 'I, {{patientName}}, agree to be walked through every route of {{clinicName}}.';

const walkPreparation = {
  goals: [{ id: '4e6a8c0e-2d4f-4a6b-8c0e-2f4a6c8e0a2b', text: 'Sleep through the night' }],
  rideHome: { name: 'Robin Walker', phone: '555-0199', relationship: 'sibling' },
};
const walkPlan = {
  indication: {
    icd10: 'F33.1',
    description: 'Major depressive disorder, recurrent, moderate',
    notOnProblemList: true,
  },
  protocolId: 'kap-im',
  route: 'im',
  product: 'ketamine-racemic',
  startDate: '2026-05-18',
  dosingSessions: 4,
  weightKg: 70,
  startingDose: { value: 0.5, unit: 'mg/kg' },
  maximumDose: { value: 1, unit: 'mg/kg' },
};

const walkLocation = {
  name: 'Walk clinic',
  address: '1 Walk Street, Springfield',
  deaRegistration: 'AW1234563',
};
const walkProduct = (ndc: string) => ({
  product: 'ketamine-racemic',
  name: 'Ketamine HCl injection 10 mg/mL',
  ndc,
  form: 'vial',
  concentrationMgPerUnit: 10,
  containerSize: 10,
});
const walkReceipt = {
  id: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  lotNumber: 'WALK-1',
  expiresOn: '2027-12-31',
  containers: 10,
  supplier: { name: 'Walk Pharma', address: '2 Supply Road, Springfield', deaNumber: 'RW7654321' },
  invoiceNumber: 'INV-WALK-1',
  receivedAt: '2026-05-01T09:00:00Z',
};

const walkJournalEntryId = '5a1f3c2e-7b4d-4e8a-9c6f-2d3e4f5a6b7c';

const walkIntegrationNoteId = '3c9e1a7f-5b2d-4f8e-a6c4-8d0b2f4e6a1c';
const walkIntegrationNote = () => ({
  id: walkIntegrationNoteId,
  dosingSessionId: ids.sessionId,
  heldOn: '2026-05-01',
  content: { themes: 'Walking every route', techniques: ['mindfulness'] },
});

/** A valid request for each route (its body and query), keyed by "METHOD /url-pattern". */
const samples: Record<string, Omit<InjectOptions, 'method' | 'url'>> = {
  'GET /api/v1/meta': {},
  // Dosing sessions: the walked session is the discharged one of the session-safety setup, so check-in replays
  // (200), the reads answer 200 and every step of a running session 409 (it has ended).
  'GET /api/v1/sessions/board': {},
  'GET /api/v1/sessions/settings': {},
  'PUT /api/v1/sessions/settings': { payload: {} },
  'GET /api/v1/patients/:patientId/sessions': {},
  'GET /api/v1/sessions/:sessionId': {},
  'POST /api/v1/sessions/:sessionId/check-in': { payload: {} },
  'POST /api/v1/sessions/:sessionId/checklist': {
    payload: {
      id: '7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e',
      hoursSinceFood: 4,
      hoursSinceLiquids: 2,
      pregnant: null,
      pregnancyTestNegative: null,
      medicationChanges: [],
      suicideRiskAssessedToday: false,
      escortPresent: true,
      note: null,
    },
  },
  'POST /api/v1/sessions/:sessionId/gate-override': {
    payload: {
      id: '8c9d0e1f-2a3b-4c4d-9e5f-6a7b8c9d0e1f',
      checklistId: '7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e',
      cautions: ['Walking every route'],
      rationale: 'Walking every route',
      password: testPassword,
    },
  },
  'POST /api/v1/sessions/:sessionId/administrations': {
    payload: {
      id: '9d0e1f2a-3b4c-4d5e-8f6a-7b8c9d0e1f2a',
      lotId: '0e1f2a3b-4c5d-4e6f-9a7b-8c9d0e1f2a3b',
      doseMg: 35,
      site: 'Left deltoid',
      startedAt: '2026-05-01T09:55:00Z',
      endedAt: null,
      secondSigner: null,
      note: null,
    },
  },
  'POST /api/v1/sessions/:sessionId/start-monitoring': { payload: {} },
  'POST /api/v1/sessions/:sessionId/vitals': {
    payload: {
      id: '1f2a3b4c-5d6e-4f7a-8b8c-9d0e1f2a3b4c',
      measuredAt: '2026-05-01T09:55:00Z',
      systolic: 120,
      diastolic: 80,
    },
  },
  'POST /api/v1/sessions/:sessionId/observations': {
    payload: {
      id: '2a3b4c5d-6e7f-4a8b-9c9d-0e1f2a3b4c5d',
      observedAt: '2026-05-01T09:55:00Z',
      kind: 'moaas',
      moaas: 5,
    },
  },
  'POST /api/v1/sessions/:sessionId/alerts/:alertId/acknowledgement': { payload: { action: 'Walked' } },
  'GET /api/v1/sessions/:sessionId/discharge-readiness': {},
  'POST /api/v1/sessions/:sessionId/discharge': {
    payload: {
      id: '3b4c5d6e-7f8a-4b9c-8d0e-1f2a3b4c5d6e',
      escortPresent: true,
      instructionsGiven: true,
      note: null,
      override: null,
    },
  },
  'POST /api/v1/sessions/:sessionId/abort': { payload: { reason: 'Walking every route' } },
  'POST /api/v1/auth/login': { payload: { email: 'someone@test.example', password: 'x' } },
  'GET /api/v1/auth/session': {},
  'POST /api/v1/auth/logout': {},
  'POST /api/v1/auth/mfa/verify': { payload: { code: '123456' } },
  'POST /api/v1/auth/mfa/enrolment': {},
  'POST /api/v1/auth/mfa/enrolment/confirm': { payload: { code: '123456' } },
  'POST /api/v1/auth/password': {
    payload: { currentPassword: 'wrong-current', newPassword: 'whatever-long-enough' },
  },
  'GET /api/v1/patients': {},
  'POST /api/v1/patients': {
    payload: { givenName: 'New', familyName: 'Walkpatient', dateOfBirth: '1991-02-03', sexAtBirth: 'male' },
  },
  'GET /api/v1/patients/:patientId': {},
  'PATCH /api/v1/patients/:patientId': { payload: { version: 1, pronouns: 'they/them' } },
  'GET /api/v1/patients/:patientId/history': {},
  // Walked in registration order: the patient saves a complete draft (version 1) and submits it (version 2);
  // then staff read it, and correct it with a reason (the prescriber wins, later roles get 409: stale).
  'GET /api/v1/me/intake': {},
  'PUT /api/v1/me/intake': { payload: { version: 0, answers: demoIntakeAnswers() } },
  'POST /api/v1/me/intake/submit': { payload: { version: 1 } },
  'GET /api/v1/patients/:patientId/intake': {},
  'PUT /api/v1/patients/:patientId/intake': {
    payload: {
      version: 2,
      answers: { goals: { goals: 'Walking every route' } },
      reason: 'Walking every route',
    },
  },
  'GET /api/v1/patients/:patientId/intake/versions': {},
  'POST /api/v1/patients/:patientId/conditions': {
    payload: { icd10: 'F33.1', description: 'Major depressive disorder, recurrent, moderate' },
  },
  'PATCH /api/v1/patients/:patientId/conditions/:conditionId': { payload: { status: 'resolved' } },
  'POST /api/v1/patients/:patientId/medications': { payload: { name: 'Bupropion' } },
  'PATCH /api/v1/patients/:patientId/medications/:medicationId': { payload: { status: 'stopped' } },
  'POST /api/v1/patients/:patientId/allergies': { payload: { substance: 'Penicillin' } },
  'PATCH /api/v1/patients/:patientId/allergies/:allergyId': { payload: { status: 'inactive' } },
  'POST /api/v1/patients/:patientId/break-glass': { payload: { reason: 'Walking every route for the test' } },
  'GET /api/v1/me/patient': {},
  'GET /api/v1/break-glass-grants': {},
  'GET /api/v1/audit-events': {},
  'GET /api/v1/audit-events/export.csv': {},
  'POST /api/v1/appointments': {
    payload: {
      patientId: '__patient__',
      kind: 'preparation',
      startsAt: '2026-05-05T16:00:00Z',
      endsAt: '2026-05-05T17:00:00Z',
    },
  },
  'GET /api/v1/appointments': { query: { from: '2026-05-01T00:00:00Z', to: '2026-05-31T00:00:00Z' } },
  'POST /api/v1/appointments/:appointmentId/cancel': { payload: { reason: 'Walking every route' } },
  'GET /api/v1/rooms': {},
  'POST /api/v1/rooms': { payload: { name: 'Walk room', kind: 'dosing-room' } },
  'GET /api/v1/staff/bookable': {},
  'GET /api/v1/appointments/:appointmentId': {},
  'GET /api/v1/appointments/:appointmentId/pre-check-in': {},
  'POST /api/v1/appointments/:appointmentId/ride-home': {
    payload: {
      clientId: '7d0c2b1e-4f3a-4c5d-8e6f-0a1b2c3d4e5f',
      status: 'confirmed',
      escortName: 'Robin Walker',
      escortPhone: '555-0199',
      escortRelationship: 'sibling',
    },
  },
  'POST /api/v1/appointments/:appointmentId/no-driving-acknowledgement': {
    payload: { patientAcknowledged: true },
  },
  'GET /api/v1/appointment-types': {},
  'GET /api/v1/scheduling/settings': {},
  'PUT /api/v1/scheduling/settings': { payload: { lengths: { followUpMinutes: 30 }, fastingHours: null } },
  'GET /api/v1/working-hours': {},
  'PUT /api/v1/staff/:userId/working-hours': {
    payload: { spans: [{ weekday: 1, startsAt: '09:00', endsAt: '17:00' }] },
  },
  'POST /api/v1/patients/:patientId/course-booking/proposal': {},
  'POST /api/v1/patients/:patientId/course-booking': {
    payload: {
      items: [{ kind: 'preparation', startsAt: '2026-05-06T16:00:00Z', endsAt: '2026-05-06T17:00:00Z' }],
    },
  },
  'GET /api/v1/me/appointments': {},
  'POST /api/v1/me/appointments/:dosingAppointmentId/no-driving-acknowledgement': {
    payload: { acknowledged: true },
  },
  'GET /api/v1/calendar-feed': {},
  'POST /api/v1/calendar-feed': {},
  'DELETE /api/v1/calendar-feed': {},
  'GET /api/v1/calendar-feeds/:token.ics': {},
  'POST /api/v1/patients/:patientId/preparation-notes': { payload: { content: walkPreparation } },
  'GET /api/v1/patients/:patientId/preparation-notes': {},
  'PUT /api/v1/patients/:patientId/preparation-notes/:noteId': {
    payload: { revision: 1, content: walkPreparation },
  },
  'POST /api/v1/patients/:patientId/preparation-notes/:noteId/signature': {
    payload: { signatureId: '3d1c5e7a-9b2f-4d6e-8a0c-2e4f6a8b0c1d', revision: 2 },
  },
  'POST /api/v1/patients/:patientId/treatment-plans': { payload: walkPlan },
  'GET /api/v1/patients/:patientId/treatment-plans': {},
  'POST /api/v1/patients/:patientId/treatment-plans/preview': {
    payload: {
      protocolId: 'kap-im',
      startDate: '2026-05-18',
      weightKg: 70,
      startingDose: { value: 0.5, unit: 'mg/kg' },
    },
  },
  'PUT /api/v1/patients/:patientId/treatment-plans/:planId': { payload: { ...walkPlan, revision: 1 } },
  'POST /api/v1/patients/:patientId/treatment-plans/:planId/signature': {
    payload: { signatureId: '8f2a4c6e-1b3d-4f5a-9c7e-0d2f4a6c8e1b', password: testPassword, revision: 2 },
  },
  'POST /api/v1/patients/:patientId/treatment-plans/:planId/amendments': {
    payload: { reason: 'Walking every route' },
  },
  'POST /api/v1/patients/:patientId/treatment-plans/:planId/end': { payload: { reason: 'stopped' } },
  'POST /api/v1/patients/:patientId/treatment-plans/:draftId/discard': { payload: {} },
  'POST /api/v1/patients/:patientId/measure-assignments': { payload: {} },
  'GET /api/v1/patients/:patientId/measures': {},
  'GET /api/v1/patients/:patientId/measurement-summary': {},
  'GET /api/v1/patients/:patientId/measure-schedule': {},
  'POST /api/v1/patients/:patientId/measure-assignments/:assignmentId/responses': {
    payload: {
      id: '6a1d7c3e-2f4b-4e8a-9c5d-0b7e3f1a2c4d',
      answers: [1, 1, 1, 1, 1, 1, 1, 1, 0, 1],
      supersedes: '5b2e8d4f-3a6c-4f9b-8d1e-7c0a2b4d6e8f',
    },
  },
  'GET /api/v1/me/measures': {},
  'GET /api/v1/me/progress': {},
  'GET /api/v1/me/measures/:assignmentId': {},
  'POST /api/v1/me/measures/:assignmentId/responses': {
    payload: { id: '5b2e8d4f-3a6c-4f9b-8d1e-7c0a2b4d6e8f', answers: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1] },
  },
  'GET /api/v1/alerts': {},
  'POST /api/v1/alerts/:alertId/acknowledge': {
    payload: { action: 'Called the patient: no intent, safety plan reviewed' },
  },
  'GET /api/v1/alerts/:alertId': {},
  // Walked after the acknowledgement above: reassigning an acknowledged alert is a 409 for every clinician.
  'POST /api/v1/alerts/:alertId/reassign': {
    payload: { toUserId: '1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9', reason: 'Walking every route' },
  },
  'GET /api/v1/care-settings/alerts': {},
  'GET /api/v1/care-settings/alerts/admin': {},
  'PUT /api/v1/care-settings/alerts': {
    payload: { escalateAfterMinutes: { critical: 30 }, onCallRole: 'prescriber' },
  },
  'GET /api/v1/consent-templates': {},
  'POST /api/v1/consent-templates': {
    payload: { kind: 'research', title: 'Walk research consent', required: false, body: walkConsentBody },
  },
  'POST /api/v1/consent-templates/:templateId/versions': {
    payload: { body: `${walkConsentBody} Revised.`, changeNote: 'Walking every route' },
  },
  'GET /api/v1/patients/:patientId/consents': {},
  'POST /api/v1/patients/:patientId/consents/:signatureId/countersignature': {},
  'POST /api/v1/patients/:patientId/consents/:signatureId/withdrawal': {
    payload: { reason: 'Told the front desk by phone' },
  },
  'GET /api/v1/patients/:patientId/consents/:signatureId/document': {},
  'GET /api/v1/me/consents': {},
  'GET /api/v1/me/consents/:templateVersionId': {},
  // The payload (with the hash of the rendered text) is set in beforeAll; the same id makes it a replay.
  'POST /api/v1/me/consents/:templateVersionId/signatures': {},
  'POST /api/v1/me/consents/:signatureId/withdrawal': { payload: {} },
  'GET /api/v1/me/consents/:signatureId/document': {},
  'POST /api/v1/patients/:patientId/vitals': {
    payload: {
      id: '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
      measuredAt: '2026-05-01T09:30:00Z',
      systolic: 124,
      diastolic: 80,
      heartRate: 68,
      spo2: 98,
      weightKg: 71.2,
      heightCm: 170,
    },
  },
  'GET /api/v1/patients/:patientId/vitals': {},
  'GET /api/v1/patients/:patientId/eligibility/assessment': {
    query: { route: 'im', product: 'ketamine-racemic' },
  },
  'POST /api/v1/patients/:patientId/eligibility/decisions': {
    payload: {
      id: '2f3e4d5c-6b7a-4891-a2b3-c4d5e6f70819',
      route: 'im',
      product: 'ketamine-racemic',
      decision: 'approve',
      rationale: 'Walking every route',
      fingerprint: '0'.repeat(64),
      password: testPassword,
    },
  },
  'POST /api/v1/patients/:patientId/eligibility/decisions/:decisionId/amendments': {
    payload: {
      id: '3a4b5c6d-7e8f-4a0b-9c1d-2e3f4a5b6c7d',
      decision: 'decline',
      reason: 'Walking every route',
      fingerprint: '0'.repeat(64),
      password: testPassword,
    },
  },
  'GET /api/v1/patients/:patientId/eligibility': {},
  'GET /api/v1/patients/:patientId/invitations': {},
  'POST /api/v1/patients/:patientId/invitations': { payload: { email: 'walker.portal@test.example' } },
  'POST /api/v1/patients/:patientId/invitations/:invitationId/resend': { payload: {} },
  'POST /api/v1/patients/:patientId/invitations/:invitationId/revoke': {},
  'GET /api/v1/invitations/:token': {},
  'POST /api/v1/invitations/accept': { payload: { token: 'B'.repeat(43), password: 'walking every route' } },
  'GET /api/v1/mail/outbox': {},
  // Psychotherapy notes: the first author saves it (201); another author's save with the same id is a 409.
  'POST /api/v1/psychotherapy-notes': {
    payload: {
      id: '9d4c1b2a-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
      patientId: '__patient__',
      body: 'Walking every route',
    },
  },
  'GET /api/v1/psychotherapy-notes': { query: { patientId: '__patient__' } },
  'POST /api/v1/patients/:patientId/integration-notes': {
    get payload() {
      return walkIntegrationNote();
    },
  },
  'POST /api/v1/patients/:patientId/integration-notes/:integrationNoteId/amendments': {
    payload: {
      id: '4d0f2b8a-6c3e-4a9f-b7d5-9e1c3a5f7b2d',
      amendsId: walkIntegrationNoteId,
      reason: 'Walking every route',
      heldOn: '2026-05-01',
      content: { themes: 'Walking every route, amended' },
    },
  },
  'GET /api/v1/patients/:patientId/integration-notes': {},
  'GET /api/v1/patients/:patientId/integration-adherence': {},
  'GET /api/v1/integration/adherence': { query: { state: 'missing,late' } },
  'GET /api/v1/care-settings/integration': {},
  'PUT /api/v1/care-settings/integration': { payload: { windowDays: [1, 3] } },
  'GET /api/v1/care-settings/reminders': {},
  'PUT /api/v1/care-settings/reminders': { payload: { sendHour: 9, maxReminders: 3 } },
  // Adverse events: fixed ids, so the first caller records (201) and the later ones replay (200).
  'POST /api/v1/sessions/:sessionId/adverse-events': {
    payload: { id: '4b5c6d7e-8f9a-4b0c-9d1e-2f3a4b5c6d7e', ...walkAdverseEvent },
  },
  'POST /api/v1/sessions/:sessionId/adverse-events/:seriesId/amendments': {
    payload: {
      id: '5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f',
      expectedVersion: 1,
      reason: 'Walking every route',
      ...walkAdverseEvent,
      outcome: 'recovering',
    },
  },
  'GET /api/v1/sessions/:sessionId/adverse-events': {},
  'GET /api/v1/patients/:patientId/adverse-events': {},
  // SPRAVATO REMS: the walked session's form; the first caller's answers (201) and submission (201), then
  // another caller's answers with the same id (409) and the submission's replay (200).
  'GET /api/v1/rems/forms': {},
  'GET /api/v1/sessions/:sessionId/rems-form': {},
  'GET /api/v1/sessions/:sessionId/rems-form.pdf': {},
  'POST /api/v1/sessions/:sessionId/rems-form/answers': {
    payload: { id: '6d7e8f9a-0b1c-4d2e-9f3a-4b5c6d7e8f9a', answers: { enrolledInRems: true } },
  },
  'POST /api/v1/sessions/:sessionId/rems-form/submission': {
    payload: {
      id: '7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b',
      submittedAt: '2026-05-01T09:00:00Z',
      method: 'online',
      acknowledgeIncomplete: true,
    },
  },
  'GET /api/v1/sessions/:sessionId/discharge-instructions': {},
  'GET /api/v1/sessions/:sessionId/discharge-instructions.pdf': {},
  'GET /api/v1/me/discharge-instructions': {},
  'GET /api/v1/me/sessions/:sessionId/discharge-instructions': {},
  'GET /api/v1/me/sessions/:sessionId/discharge-instructions.pdf': {},
  'GET /api/v1/me/experience-ratings': {},
  'POST /api/v1/me/experience-ratings/:sessionId': {
    payload: {
      id: '7c3b5e4a-9d6f-4a0c-9e8b-4f5a6b7c8d9e',
      answers: {
        intensity: 6,
        difficulty: 4,
        insight: 7,
        support: 9,
        afterEffects: ['fatigue'],
        otherAfterEffect: null,
        comment: null,
      },
    },
  },
  'GET /api/v1/patients/:patientId/experience-ratings': {},
  'GET /api/v1/me/journal': {},
  'POST /api/v1/me/journal': {
    payload: { id: walkJournalEntryId, text: 'Walking every route, shared', shared: true },
  },
  'POST /api/v1/me/journal/:journalEntryId/versions': {
    payload: { id: '6b2a4d3f-8c5e-4f9b-8d7a-3e4f5a6b7c8d', amendsId: walkJournalEntryId, shared: false },
  },
  'GET /api/v1/me/journal/prompts': {},
  'GET /api/v1/patients/:patientId/journal': {},
  // Portal home, session history and crisis lines (modules/portal).
  'GET /api/v1/me/home': {},
  'GET /api/v1/me/sessions': {},
  'GET /api/v1/me/crisis-resources': {},
  // Ledger: lot, witness and reversed entry are filled in beforeAll.
  'GET /api/v1/ledger/locations': {},
  'POST /api/v1/ledger/locations': {
    payload: { name: 'Walk annex', address: '3 Walk Street, Springfield', deaRegistration: 'AW7654321' },
  },
  'PATCH /api/v1/ledger/locations/:locationId': { payload: { name: 'Walk clinic, main floor' } },
  'GET /api/v1/ledger/products': {},
  'POST /api/v1/ledger/products': { payload: walkProduct('0143-9508-10') },
  'GET /api/v1/ledger/lots': { query: { includeEmpty: 'true' } },
  'GET /api/v1/ledger/lots/dispensable': { query: { product: 'ketamine-racemic', route: 'im' } },
  'GET /api/v1/ledger/lots/:lotId': {},
  'GET /api/v1/ledger/balances': {},
  'GET /api/v1/ledger/entries': { query: { limit: '5' } },
  'GET /api/v1/ledger/entries/:entryId': {},
  'POST /api/v1/ledger/receipts': {},
  'POST /api/v1/ledger/wastes': {
    payload: {
      id: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
      quantity: 0.5,
      witness: { username: '', password: testPassword },
      reason: 'Remainder of a vial after a dose',
    },
  },
  'POST /api/v1/ledger/transfers': {
    payload: {
      id: '3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f',
      quantity: 10,
      containers: 1,
      recipient: { name: 'Walk Returns', address: '4 Return Lane, Springfield', deaNumber: 'RW1111119' },
      reason: 'Expired stock returned',
      occurredAt: '2026-05-01T09:30:00Z',
    },
  },
  'POST /api/v1/ledger/losses': {
    payload: {
      id: '4d5e6f7a-8b9c-4d0e-9f2a-3b4c5d6e7f8a',
      quantity: 1,
      report: {
        kind: 'loss',
        discoveredAt: '2026-05-01T09:45:00Z',
        circumstances: 'A vial broke while stocking the cabinet',
        significant: false,
      },
    },
  },
  'GET /api/v1/ledger/losses/open': {},
  'POST /api/v1/ledger/losses/:lossId/filings': {
    payload: {
      id: '0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d',
      kind: 'field-office-notice',
      filedAt: '2026-05-01T09:50:00Z',
      reference: 'Walk notice',
    },
  },
  'POST /api/v1/ledger/adjustments': {
    payload: {
      id: '5e6f7a8b-9c0d-4e1f-8a3b-4c5d6e7f8a9b',
      quantity: -0.2,
      reason: 'Count found 0.2 mL less',
      password: testPassword,
    },
  },
  'POST /api/v1/ledger/corrections': {
    payload: {
      id: '6f7a8b9c-0d1e-4f2a-9b4c-5d6e7f8a9b0c',
      reversesId: '',
      reason: 'Adjusted the wrong lot',
      password: testPassword,
    },
  },
  // Ledger reports: location, lot, count and entry ids are filled in beforeAll. The resolution sample names an
  // entry of a count without a discrepancy: 409 for the roles that may record.
  'POST /api/v1/ledger/counts': {
    payload: {
      id: '7a8b9c0d-1e2f-4a3b-8c5d-6e7f8a9b0c1d',
      locationId: '',
      kind: 'count',
      takenAt: '2026-05-01T09:55:00Z',
      lines: [],
    },
  },
  'GET /api/v1/ledger/counts': { query: { kind: 'count' } },
  'GET /api/v1/ledger/counts/:countId': {},
  'GET /api/v1/ledger/counts/:countId/report.pdf': {},
  'GET /api/v1/ledger/counts/:countId/report.csv': {},
  'POST /api/v1/ledger/counts/:countId/lots/:lotId/resolutions': { payload: { entryId: '' } },
  'GET /api/v1/ledger/inventory-status': {},
  'GET /api/v1/ledger/dispensing-log': {},
  'GET /api/v1/ledger/dispensing-log.csv': {},
  'GET /api/v1/ledger/dispensing-log.pdf': {},
  'GET /api/v1/ledger/settings': {},
  'PUT /api/v1/ledger/settings': { payload: { jurisdiction: 'federal', retentionYears: 2 } },
  'POST /api/v1/research/exports': {
    payload: { instruments: ['phq9'], from: '2026-04-01', to: '2026-05-01', formats: ['csv', 'ndjson'] },
  },
  'GET /api/v1/research/exports': {},
  'GET /api/v1/research/exports/:exportId': {},
  'GET /api/v1/research/exports/:exportId/files/:name': {},
  'DELETE /api/v1/research/exports/:exportId/files': {},
  'GET /api/v1/outcomes': { query: { instrument: 'phq9', route: 'im' } },
};

function fill(url: string): string {
  return url.replace(/:(\w+)/g, (_, name: string) => {
    const id = ids[name];
    if (!id) throw new Error(`no sample id for :${name} in ${url}`);
    return id;
  });
}

describe('permission walk', () => {
  it('has a sample request for every registered API route', () => {
    const missing = app.routeCatalog.map((r) => `${r.method} ${r.url}`).filter((key) => !(key in samples));
    expect(missing).toEqual([]);
    expect(app.routeCatalog.length).toBeGreaterThanOrEqual(Object.keys(samples).length);
  });

  it('answers every route, for every caller, as the permission matrix says, and never with a 5xx', async () => {
    const outcomes: string[] = [];
    for (const route of app.routeCatalog) {
      const key = `${route.method} ${route.url}`;
      // Samples name the walked patient as __patient__ (its id is only known once the test has made it).
      const sample = JSON.parse(JSON.stringify(samples[key] ?? {}).replaceAll('__patient__', ids.patientId!));
      const request = { method: route.method as InjectOptions['method'], url: fill(route.url), ...sample };
      const patientScoped = route.url.includes(':patientId');

      const anonymous = await app.inject(request);
      expect(anonymous.statusCode, `anonymous ${key}`).toBeLessThan(500);
      if (!route.public) expect(anonymous.statusCode, `anonymous ${key}`).toBe(401);
      if (route.public) continue;
      const permission = route.permission as Permission;

      for (const role of roles) {
        const allowed = rolePermissions[role].includes(permission);
        const home = await as(app, staff.home[role]!)(request);
        expect(home.statusCode, `${role} ${key}`).toBeLessThan(500);
        if (!allowed) expect(home.statusCode, `${role} ${key}`).toBe(403);
        else expect([200, 201, 204, 409], `${role} ${key}: ${home.body}`).toContain(home.statusCode);

        const foreign = await as(app, staff.foreign[role]!)(request);
        expect(foreign.statusCode, `foreign ${role} ${key}`).toBeLessThan(500);
        if (!allowed) expect(foreign.statusCode, `foreign ${role} ${key}`).toBe(403);
        else if (patientScoped) expect(foreign.statusCode, `foreign ${role} ${key}`).toBe(404);
        // The problem's `instance` echoes the URL the caller sent; nothing else may name the patient.
        const answered = foreign.body.replaceAll(request.url, '');
        expect(answered, `foreign ${role} ${key} leaked the patient`).not.toContain(ids.patientId);
        expect(answered).not.toContain('Walker');
        outcomes.push(`${role} ${key} ${home.statusCode}/${foreign.statusCode}`);
      }

      const patient = await as(app, patientAccount)(request);
      expect(patient.statusCode, `patient ${key}`).toBeLessThan(500);
      expect(patient.statusCode, `patient ${key}`).toBe(permission === 'portal.self' ? 200 : 403);
    }
    expect(outcomes.length).toBeGreaterThan(50);
    // Every route times every caller: over a hundred routes take longer than the default 30 s on a busy machine.
  }, 240_000);

  it('denies researchers every route that returns identities', () => {
    const identityPermissions: Permission[] = [
      'patient.read',
      'patient.clinical.read',
      'audit.read',
      'break-glass.review',
    ];
    for (const permission of identityPermissions)
      expect(rolePermissions.researcher).not.toContain(permission);
  });
});
