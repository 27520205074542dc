import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { Db } from '../../db/client.ts';
import { as, createPatientUser, type SignedIn, signIn, testPassword } from '../../testing/factories.ts';
import { seedDemoConsentTemplates } from '../consent/consent.demo.ts';

/**
 * Walks a patient through the real pathway, through the other areas' own HTTP routes (no rows written behind
 * their backs): a signed eligibility approval, consent signed in the portal and countersigned, and a signed
 * treatment plan. Each step is separate so a test can stop before any of them.
 */
export interface PathwayActors {
  app: FastifyInstance;
  db: Db;
  clinicId: string;
  prescriber: SignedIn;
  nurse: SignedIn;
  adminUserId: string;
}

export const kapImPlan = (startDate: string, overrides: Record<string, unknown> = {}) => ({
  indication: { icd10: 'F33.1', description: 'Major depressive disorder, recurrent, moderate' },
  protocolId: 'kap-im',
  route: 'im',
  product: 'ketamine-racemic',
  startDate,
  dosingSessions: 4,
  weightKg: 70,
  startingDose: { value: 0.5, unit: 'mg/kg' },
  maximumDose: { value: 1.0, unit: 'mg/kg' },
  goals: [{ text: 'Sleep through the night again' }],
  intentions: [],
  ...overrides,
});

const seededClinics = new Set<string>();

export async function seedConsentForms(a: PathwayActors): Promise<void> {
  if (seededClinics.has(a.clinicId)) return;
  await seedDemoConsentTemplates(a.db, a.clinicId, a.adminUserId, new Date('2026-01-01T00:00:00Z'));
  seededClinics.add(a.clinicId);
}

export async function addDiagnosis(a: PathwayActors, patientId: string): Promise<void> {
  const response = await as(
    a.app,
    a.prescriber,
  )({
    method: 'POST',
    url: `/api/v1/patients/${patientId}/conditions`,
    payload: { icd10: 'F33.1', description: 'Major depressive disorder, recurrent, moderate' },
  });
  expect(response.statusCode, response.body).toBe(201);
}

export async function approveEligibility(
  a: PathwayActors,
  patientId: string,
  route = 'im',
  product = 'ketamine-racemic',
  decision: 'approve' | 'defer' = 'approve',
): Promise<void> {
  const assessment = await as(
    a.app,
    a.prescriber,
  )({
    method: 'GET',
    url: `/api/v1/patients/${patientId}/eligibility/assessment?route=${route}&product=${product}`,
  });
  expect(assessment.statusCode, assessment.body).toBe(200);
  const body = assessment.json();
  const engine = body.decision ?? body.assessment?.decision;
  const signed = await as(
    a.app,
    a.prescriber,
  )({
    method: 'POST',
    url: `/api/v1/patients/${patientId}/eligibility/decisions`,
    payload: {
      id: randomUUID(),
      decision,
      fingerprint: body.fingerprint,
      password: testPassword,
      route,
      product,
      ...(engine && engine !== decision ? { rationale: 'Reviewed with the patient; records on file.' } : {}),
    },
  });
  expect(signed.statusCode, signed.body).toBe(201);
}

export async function signConsent(
  a: PathwayActors,
  patient: { id: string; givenName: string; familyName: string },
  route = 'im',
): Promise<void> {
  await seedConsentForms(a);
  const account = await createPatientUser(a.db, a.clinicId, patient.id);
  const self = as(a.app, await signIn(a.app, account.email));
  const forms = (await self({ method: 'GET', url: '/api/v1/me/consents' })).json().forms as {
    template: { kind: string; required: boolean; routes: string[] };
    currentVersion: { id: string };
  }[];
  const needed = forms.filter(
    (f) => f.template.required && (f.template.routes.length === 0 || f.template.routes.includes(route)),
  );
  expect(needed.length).toBeGreaterThanOrEqual(2);
  for (const form of needed) {
    const shown = await self({ method: 'GET', url: `/api/v1/me/consents/${form.currentVersion.id}` });
    expect(shown.statusCode, shown.body).toBe(200);
    const signature = await self({
      method: 'POST',
      url: `/api/v1/me/consents/${form.currentVersion.id}/signatures`,
      payload: {
        id: randomUUID(),
        typedName: `${patient.givenName} ${patient.familyName}`,
        agreed: true,
        textSha256: shown.json().textSha256,
      },
    });
    expect(signature.statusCode, signature.body).toBe(201);
    const countersigned = await as(
      a.app,
      a.nurse,
    )({
      method: 'POST',
      url: `/api/v1/patients/${patient.id}/consents/${signature.json().id}/countersignature`,
    });
    expect(countersigned.statusCode, countersigned.body).toBe(201);
  }
}

export async function signPlan(
  a: PathwayActors,
  patientId: string,
  plan: Record<string, unknown>,
): Promise<{ id: string }> {
  const url = `/api/v1/patients/${patientId}/treatment-plans`;
  const draft = await as(a.app, a.prescriber)({ method: 'POST', url, payload: plan });
  expect(draft.statusCode, draft.body).toBe(201);
  const signed = await as(
    a.app,
    a.prescriber,
  )({
    method: 'POST',
    url: `${url}/${draft.json().id}/signature`,
    payload: {
      signatureId: randomUUID(),
      password: testPassword,
      revision: draft.json().revision,
      acknowledgeDoseWarnings: true,
    },
  });
  expect(signed.statusCode, signed.body).toBe(200);
  return { id: draft.json().id };
}

/** Every step: the patient may then be booked for dosing. */
export async function completePathway(
  a: PathwayActors,
  patient: { id: string; givenName: string; familyName: string },
  plan: Record<string, unknown>,
): Promise<{ planId: string }> {
  await addDiagnosis(a, patient.id);
  await approveEligibility(a, patient.id, String(plan.route), String(plan.product));
  await signConsent(a, patient, String(plan.route));
  const { id } = await signPlan(a, patient.id, plan);
  return { planId: id };
}
