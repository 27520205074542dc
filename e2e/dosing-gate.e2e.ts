import { randomUUID } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import {
  type Browser,
  callApi,
  chooseOption,
  demoPassword,
  journeySteps,
  openBrowser,
  type RunningKapstone,
  screenshot,
  signIn,
  signOut,
  startKapstone,
  visible,
} from './harness.ts';

/**
 * The dosing gate of issue 4 in real Chromium against `npm start`'s server: no dosing session before a signed
 * eligibility approval, valid consent and an active plan. A patient has the approval and a signed IM plan but
 * has signed no consent; the front desk's booking of a dosing session is refused, and the refusal names the
 * missing consent forms; nothing is booked. The patient then signs both forms in the portal, a nurse
 * countersigns them, and the very same booking succeeds.
 *
 * What journey 1 (care-pathway.e2e.ts) walks through in the UI (registration, the invitation, the eligibility
 * decision, the plan) is set up here through the API, with the staff member's own session and CSRF token.
 */
let kapstone: RunningKapstone;
let staff: Browser;
let phone: Browser;

const runTag = Date.now().toString(36);
const patient = {
  givenName: 'Ivo',
  familyName: 'Marchetti',
  dateOfBirth: '1979-08-02',
  email: `ivo.marchetti.${runTag}@example.org`,
  password: 'amber meadow compass 2026',
};
const fullName = `${patient.givenName} ${patient.familyName}`;
const generalConsent = 'Consent to ketamine-assisted psychotherapy';
const imConsent = 'Consent to ketamine by intramuscular injection (IM)';

/** The plan's first dose, two weeks or more ahead on a Wednesday: the day the dosing session is booked. */
const doseDay = (() => {
  const day = new Date(Date.now() + 14 * 86_400_000);
  while (day.getUTCDay() !== 3) day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
})();

let patientId = '';
let mrn = '';
let invitePath = '';

beforeAll(async () => {
  kapstone = await startKapstone();
  staff = await openBrowser();
  phone = await openBrowser({ width: 390, height: 844 }, { isMobile: true, hasTouch: true });
});
afterAll(async () => {
  await phone?.close();
  await staff?.close();
  await kapstone?.stop();
});

/** Fills the front desk's booking dialog for the dosing session (the same each time). */
async function fillDosingBooking(page: Page): Promise<Locator> {
  await page.getByRole('link', { name: 'Schedule' }).click();
  await visible(page.getByRole('heading', { level: 1, name: 'Schedule' }));
  await page.getByRole('button', { name: 'Book appointment' }).click();
  const dialog = page.getByRole('dialog', { name: 'Book an appointment' });
  await visible(dialog);
  await dialog.getByRole('combobox', { name: 'Patient' }).fill(patient.familyName);
  await page.getByRole('option', { name: `${fullName} · ${mrn}` }).click();
  await chooseOption(page, 'Appointment type', 'Dosing session');
  await chooseOption(page, 'Room', /^Chair 2/);
  await chooseOption(page, 'Prescriber or nurse', /^Megan Holt, RN/);
  await chooseOption(page, 'Therapist', /^Chris Lamb, PsyD/);
  await dialog.getByLabel(/^Date\b/).fill(doseDay);
  // The afternoon: the demo seed books its patients' courses from the first free morning slots.
  await dialog.getByLabel('Start time').fill('14:00');
  return dialog;
}

/** The patient's appointments in the weeks around the dose day, as the front desk's API sees them. */
async function appointmentsOfPatient(page: Page): Promise<{ kind: string; status: string }[]> {
  const from = new Date(Date.parse(doseDay) - 7 * 86_400_000).toISOString();
  const to = new Date(Date.parse(doseDay) + 7 * 86_400_000).toISOString();
  const answer = await callApi<{ items: { kind: string; status: string }[] }>(
    page,
    'GET',
    `/api/v1/appointments?from=${from}&to=${to}&patientId=${patientId}`,
  );
  expect(answer.status).toBe(200);
  return answer.body.items;
}

describe('dosing gate journey', () => {
  const step = journeySteps();

  step(
    'set-up: a registered, invited patient with a signed eligibility approval and a signed IM plan',
    async () => {
      const { page } = staff;
      await signIn(page, kapstone.baseUrl, 'frontdesk@summit.demo');
      const registered = await callApi<{ id: string; mrn: string }>(page, 'POST', '/api/v1/patients', {
        givenName: patient.givenName,
        familyName: patient.familyName,
        dateOfBirth: patient.dateOfBirth,
        sexAtBirth: 'male',
        email: patient.email,
      });
      expect(registered.status).toBe(201);
      patientId = registered.body.id;
      mrn = registered.body.mrn;
      const invited = await callApi<{ demoLink: string | null }>(
        page,
        'POST',
        `/api/v1/patients/${patientId}/invitations`,
        {},
      );
      expect(invited.status).toBe(201);
      invitePath = new URL(invited.body.demoLink!).pathname;
      await signOut(page);

      await signIn(page, kapstone.baseUrl, 'prescriber@summit.demo');
      const assessment = await callApi<{ fingerprint: string; assessment: { decision: string } }>(
        page,
        'GET',
        `/api/v1/patients/${patientId}/eligibility/assessment?route=im&product=ketamine-racemic`,
      );
      expect(assessment.status).toBe(200);
      const decision = await callApi<{ decision: string }>(
        page,
        'POST',
        `/api/v1/patients/${patientId}/eligibility/decisions`,
        {
          id: randomUUID(),
          decision: 'approve',
          route: 'im',
          product: 'ketamine-racemic',
          fingerprint: assessment.body.fingerprint,
          password: demoPassword,
          // The engine may ask for more than a new chart holds; the prescriber says why they approve anyway.
          ...(assessment.body.assessment.decision === 'eligible'
            ? {}
            : { rationale: 'Reviewed with the patient in person; records on file.' }),
        },
      );
      expect(decision.status).toBe(201);
      expect(decision.body.decision).toBe('approve');

      const draft = await callApi<{ id: string; revision: number }>(
        page,
        'POST',
        `/api/v1/patients/${patientId}/treatment-plans`,
        {
          indication: {
            icd10: 'F33.1',
            description: 'Major depressive disorder, recurrent, moderate',
            notOnProblemList: true,
          },
          protocolId: 'kap-im',
          route: 'im',
          product: 'ketamine-racemic',
          startDate: doseDay,
          dosingSessions: 2,
          weightKg: 80,
          startingDose: { value: 0.5, unit: 'mg/kg' },
          maximumDose: { value: 1, unit: 'mg/kg' },
          goals: [{ text: 'Sleep through the night more often than not' }],
          intentions: [],
        },
      );
      expect(draft.status).toBe(201);
      const signed = await callApi<{ status: string }>(
        page,
        'POST',
        `/api/v1/patients/${patientId}/treatment-plans/${draft.body.id}/signature`,
        { signatureId: randomUUID(), password: demoPassword, revision: draft.body.revision },
      );
      expect(signed.status).toBe(200);
      expect(signed.body.status).toBe('signed');
      await signOut(page);
    },
  );

  step(
    'the front desk books a dosing session and is refused: the message names the missing consent',
    async () => {
      const { page } = staff;
      await signIn(page, kapstone.baseUrl, 'frontdesk@summit.demo');
      const dialog = await fillDosingBooking(page);
      await dialog.getByRole('button', { name: 'Book appointment' }).click();
      const refusal = dialog.getByRole('alert').filter({ hasText: /No valid consent for the IM route/ });
      await visible(refusal);
      const message = (await refusal.textContent())!;
      expect(message).toContain(`“${generalConsent}” has not been signed by the patient yet`);
      expect(message).toContain(`“${imConsent}” has not been signed by the patient yet`);
      // Only consent is missing: the approval and the plan are in place, so the refusal does not ask for them.
      await expect(dialog.getByText(/eligibility approval/).count()).resolves.toBe(0);
      await expect(dialog.getByText(/No active treatment plan/).count()).resolves.toBe(0);
      await expect(dialog.getByRole('status').filter({ hasText: 'Booked' }).count()).resolves.toBe(0);
      await screenshot(page, 'dosing-gate-01-refused');
      expect(await appointmentsOfPatient(page)).toEqual([]);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await signOut(page);
    },
  );

  step('the patient signs both consent forms in the portal', async () => {
    const page = phone.page;
    await page.goto(`${kapstone.baseUrl}${invitePath}`);
    await page.getByLabel('Choose a password').fill(patient.password);
    await page.getByLabel('Type it again').fill(patient.password);
    await page.getByRole('button', { name: 'Create my account' }).click();
    await page.waitForURL(`${kapstone.baseUrl}/portal`);
    await visible(page.getByRole('region', { name: 'Consent forms' }));
    await page.goto(`${kapstone.baseUrl}/portal/consents`);
    for (const title of [generalConsent, imConsent]) {
      const card = page.getByRole('article', { name: title });
      await visible(card.getByText('Not signed yet', { exact: true }));
      await card.getByRole('link', { name: 'Read and sign' }).click();
      await visible(page.getByRole('heading', { level: 1, name: title }));
      await page.getByRole('textbox', { name: 'Your full name' }).fill(fullName);
      await page.getByRole('checkbox', { name: 'I have read and agree' }).check();
      await page.getByRole('button', { name: 'Sign consent' }).click();
      await visible(
        page.getByRole('article', { name: title }).getByText('Awaiting clinic signature', { exact: true }),
      );
    }
  });

  step('until a nurse countersigns, the booking is still refused, then she countersigns both', async () => {
    const { page } = staff;
    await signIn(page, kapstone.baseUrl, 'frontdesk@summit.demo');
    const dialog = await fillDosingBooking(page);
    await dialog.getByRole('button', { name: 'Book appointment' }).click();
    const refusal = dialog.getByRole('alert').filter({ hasText: /No valid consent for the IM route/ });
    await visible(refusal);
    expect(await refusal.textContent()).toMatch(/countersign/i);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await signOut(page);

    await signIn(page, kapstone.baseUrl, 'nurse@summit.demo');
    await page.goto(`${kapstone.baseUrl}/patients/${patientId}?section=consent`);
    const required = page.getByRole('table', { name: 'Required forms' });
    for (const title of [generalConsent, imConsent]) {
      const row = required.getByRole('row').filter({ hasText: title });
      await row.getByRole('button', { name: `Countersign “${title}”` }).click();
      await visible(row.getByText('Valid', { exact: true }));
    }
    await visible(page.getByText('Consent in place'));
    await signOut(page);
  });

  step('the same booking now succeeds: one dosing session, scheduled', async () => {
    const { page } = staff;
    await signIn(page, kapstone.baseUrl, 'frontdesk@summit.demo');
    const dialog = await fillDosingBooking(page);
    await dialog.getByRole('button', { name: 'Book appointment' }).click();
    const booked = dialog.getByRole('status').filter({ hasText: 'Booked' });
    await visible(booked);
    await visible(
      booked.getByText(new RegExp(`^Dosing session for ${fullName}, 2:00\\s?PM–.*, Chair 2\\.$`)),
    );
    await screenshot(page, 'dosing-gate-02-booked');
    const appointments = await appointmentsOfPatient(page);
    expect(appointments.map((a) => [a.kind, a.status])).toEqual([['dosing', 'scheduled']]);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await signOut(page);
  });
});
