import { randomUUID } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { localParts } from '../packages/server/src/modules/scheduling/clinic-time.ts';
import { type ApiAnswer, callApi, demoPassword, signIn, signOut, visible } from './harness.ts';

/**
 * What the dosing-session journeys share: a patient taken through the API up to a booked dosing appointment
 * (registration, portal invitation, eligibility approval, consent signed in the portal and countersigned, a
 * signed plan, today's PHQ-9, a dosing session booked today, the ride home and the no-driving acknowledgement), a stocked ledger lot, and the
 * chair screen's steps as a nurse walks them (check-in, baseline, the pre-dose checks, the dose, readings,
 * observations). The UI steps find elements by the names the console gives them (features/sessions).
 */

export interface JourneyPatient {
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  sexAtBirth: 'female' | 'male';
  email: string;
  password: string;
}

export type Treatment = 'im' | 'spravato';

const treatments = {
  im: {
    route: 'im',
    product: 'ketamine-racemic',
    plan: {
      indication: {
        icd10: 'F33.1',
        description: 'Major depressive disorder, recurrent, moderate',
        notOnProblemList: true,
      },
      protocolId: 'kap-im',
      route: 'im',
      product: 'ketamine-racemic',
      dosingSessions: 4,
      weightKg: 80,
      startingDose: { value: 0.5, unit: 'mg/kg' },
      maximumDose: { value: 1, unit: 'mg/kg' },
      goals: [{ text: 'Sleep through the night more often than not' }],
      intentions: [],
    },
  },
  spravato: {
    route: 'intranasal',
    product: 'esketamine',
    plan: {
      indication: {
        icd10: 'F33.2',
        description: 'Major depressive disorder, recurrent, severe (treatment-resistant)',
        notOnProblemList: true,
      },
      protocolId: 'spravato-trd',
      route: 'intranasal',
      product: 'esketamine',
      dosingSessions: 12,
      weightKg: null,
      startingDose: { value: 56, unit: 'mg' },
      maximumDose: { value: 84, unit: 'mg' },
      goals: [{ text: 'Get back to work three days a week' }],
      intentions: [],
    },
  },
} as const;

function ok<T>(answer: ApiAnswer<T>, what: string, statuses = [200, 201]): T {
  if (!statuses.includes(answer.status))
    throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

export interface PreparedPatient {
  patientId: string;
  mrn: string;
  appointmentId: string;
}

/**
 * Takes a new patient from registration to a dosing session booked today with its ride home confirmed, as
 * the front desk, the prescriber, the patient (on `phone`) and a nurse would, through the API (the
 * care-pathway and dosing-gate journeys walk these steps in the UI).
 */
export async function preparePatientForDosing(
  baseUrl: string,
  staff: Page,
  phone: Page,
  patient: JourneyPatient,
  treatment: Treatment,
): Promise<PreparedPatient> {
  const { route, product, plan } = treatments[treatment];
  const fullName = `${patient.givenName} ${patient.familyName}`;

  await signIn(staff, baseUrl, 'frontdesk@summit.demo');
  const registered = ok(
    await callApi<{ id: string; mrn: string }>(staff, 'POST', '/api/v1/patients', {
      givenName: patient.givenName,
      familyName: patient.familyName,
      dateOfBirth: patient.dateOfBirth,
      sexAtBirth: patient.sexAtBirth,
      email: patient.email,
    }),
    'registration',
  );
  const patientId = registered.id;
  const invited = ok(
    await callApi<{ demoLink: string | null }>(
      staff,
      'POST',
      `/api/v1/patients/${patientId}/invitations`,
      {},
    ),
    'invitation',
  );
  const invitePath = new URL(invited.demoLink!).pathname;
  await signOut(staff);

  await signIn(staff, baseUrl, 'prescriber@summit.demo');
  const assessment = ok(
    await callApi<{ fingerprint: string; assessment: { decision: string } }>(
      staff,
      'GET',
      `/api/v1/patients/${patientId}/eligibility/assessment?route=${route}&product=${product}`,
    ),
    'eligibility assessment',
  );
  ok(
    await callApi(staff, 'POST', `/api/v1/patients/${patientId}/eligibility/decisions`, {
      id: randomUUID(),
      decision: 'approve',
      route,
      product,
      fingerprint: assessment.fingerprint,
      password: demoPassword,
      ...(assessment.assessment.decision === 'eligible'
        ? {}
        : { rationale: 'Reviewed with the patient in person; records on file.' }),
    }),
    'eligibility decision',
  );
  const draft = ok(
    await callApi<{ id: string; revision: number }>(
      staff,
      'POST',
      `/api/v1/patients/${patientId}/treatment-plans`,
      { ...plan, startDate: localParts(new Date(), await clinicTimeZone(staff)).date },
    ),
    'plan draft',
  );
  const signedPlan = ok(
    await callApi<{ status: string }>(
      staff,
      'POST',
      `/api/v1/patients/${patientId}/treatment-plans/${draft.id}/signature`,
      {
        signatureId: randomUUID(),
        password: demoPassword,
        revision: draft.revision,
        acknowledgeDoseWarnings: true,
      },
    ),
    'plan signature',
  );
  expect(signedPlan.status).toBe('signed');
  await signOut(staff);

  // The patient opens the invitation on a phone and signs the forms this route needs.
  await phone.goto(`${baseUrl}${invitePath}`);
  await phone.getByLabel('Choose a password').fill(patient.password);
  await phone.getByLabel('Type it again').fill(patient.password);
  await phone.getByRole('button', { name: 'Create my account' }).click();
  await phone.waitForURL(`${baseUrl}/portal`);
  const consents = ok(
    await callApi<{
      forms: {
        template: { required: boolean; routes: string[] };
        currentVersion: { id: string };
      }[];
    }>(phone, 'GET', '/api/v1/me/consents'),
    'consent forms',
  );
  const needed = consents.forms.filter(
    (f) => f.template.required && (f.template.routes.length === 0 || f.template.routes.includes(route)),
  );
  expect(needed.length).toBeGreaterThanOrEqual(2);
  const signatures: string[] = [];
  for (const form of needed) {
    const shown = ok(
      await callApi<{ textSha256: string }>(phone, 'GET', `/api/v1/me/consents/${form.currentVersion.id}`),
      'consent text',
    );
    const signature = ok(
      await callApi<{ id: string }>(
        phone,
        'POST',
        `/api/v1/me/consents/${form.currentVersion.id}/signatures`,
        {
          id: randomUUID(),
          typedName: fullName,
          agreed: true,
          textSha256: shown.textSha256,
        },
      ),
      'consent signature',
    );
    signatures.push(signature.id);
  }

  // A nurse countersigns and takes today's PHQ-9 with the patient (the gate's suicidality check).
  await signIn(staff, baseUrl, 'nurse@summit.demo');
  for (const signatureId of signatures)
    ok(
      await callApi(staff, 'POST', `/api/v1/patients/${patientId}/consents/${signatureId}/countersignature`),
      'countersignature',
    );
  const assigned = ok(
    await callApi<{ assigned: { id: string }[]; alreadyPending: { id: string }[] }>(
      staff,
      'POST',
      `/api/v1/patients/${patientId}/measure-assignments`,
      { instruments: ['phq9'] },
    ),
    'PHQ-9 assignment',
  );
  const assignment = [...assigned.assigned, ...assigned.alreadyPending][0]!;
  ok(
    await callApi(
      staff,
      'POST',
      `/api/v1/patients/${patientId}/measure-assignments/${assignment.id}/responses`,
      // Item 9 "not at all"; a total of 5.
      { id: randomUUID(), answers: [1, 1, 1, 1, 1, 0, 0, 0, 0, 0] },
    ),
    'PHQ-9 response',
  );
  await signOut(staff);

  // The front desk books the session for today (a patient is checked in on the day of the session) with
  // the staffing and room the course proposal gives, then confirms the ride home and records the patient's
  // no-driving acknowledgement (the pre-check-in).
  await signIn(staff, baseUrl, 'frontdesk@summit.demo');
  const appointmentId = await bookDosingToday(staff, patientId);
  ok(
    await callApi(staff, 'POST', `/api/v1/appointments/${appointmentId}/ride-home`, {
      clientId: randomUUID(),
      status: 'confirmed',
      escortName: 'Robin Ashby',
      escortPhone: '555-0142',
      escortRelationship: 'partner',
    }),
    'ride home',
  );
  ok(
    await callApi(staff, 'POST', `/api/v1/appointments/${appointmentId}/no-driving-acknowledgement`, {
      patientAcknowledged: true,
    }),
    'no-driving acknowledgement',
  );
  await signOut(staff);
  return { patientId, mrn: registered.mrn, appointmentId };
}

// ---- today's booking ----

async function clinicTimeZone(page: Page): Promise<string> {
  const session = ok(
    await callApi<{ clinic: { timeZone: string } }>(page, 'GET', '/api/v1/auth/session'),
    'session',
  );
  return session.clinic.timeZone;
}

interface Booked {
  id: string;
  startsAt: string;
  endsAt: string;
  roomId: string | null;
  staff: { userId: string }[];
}

/**
 * Books the patient's dosing session today, at the free time nearest to "started ten minutes ago", in the
 * room and with the staff of the course proposal (the demo's own session in progress may hold them now). A
 * journey may run in the evening or at a weekend: like the demo seed, it then records the day's working hours
 * around the session for its staff (scheduling refuses a booking outside them).
 */
async function bookDosingToday(page: Page, patientId: string): Promise<string> {
  const timeZone = await clinicTimeZone(page);
  const proposal = ok(
    await callApi<{
      items: {
        kind: string;
        startsAt: string | null;
        endsAt: string | null;
        roomId: string | null;
        staff: { userId: string; role: string }[];
        problem: string | null;
      }[];
    }>(page, 'POST', `/api/v1/patients/${patientId}/course-booking/proposal`),
    'course proposal',
  );
  const template = proposal.items.find((i) => i.kind === 'dosing' && i.startsAt && i.endsAt);
  if (!template) throw new Error(`no dosing session in the course proposal: ${JSON.stringify(proposal)}`);
  const lengthMs = Date.parse(template.endsAt!) - Date.parse(template.startsAt!);
  const staff = template.staff.map(({ userId, role }) => ({ userId, role }));
  const now = Date.now();
  const today = localParts(new Date(now), timeZone).date;
  const calendar = ok(
    await callApi<{ items: Booked[] }>(
      page,
      'GET',
      `/api/v1/appointments?from=${new Date(now - 86_400_000).toISOString()}&to=${new Date(now + 86_400_000).toISOString()}`,
    ),
    'calendar',
  );
  const ours = new Set(staff.map((s) => s.userId));
  const busy = calendar.items.filter(
    (a) => (template.roomId && a.roomId === template.roomId) || a.staff.some((s) => ours.has(s.userId)),
  );
  const anchor = Math.floor((now - 10 * 60_000) / 300_000) * 300_000;
  const candidates = Array.from(
    { length: 2 * 24 * 12 },
    (_, i) => anchor + (i % 2 === 0 ? 1 : -1) * Math.ceil(i / 2) * 300_000,
  ).filter(
    (start) =>
      localParts(new Date(start), timeZone).date === today &&
      localParts(new Date(start + lengthMs - 60_000), timeZone).date === today &&
      !busy.some((a) => Date.parse(a.startsAt) < start + lengthMs && start < Date.parse(a.endsAt)),
  );
  const start = candidates[0];
  if (start === undefined)
    throw new Error(`no free time today for a dosing session: ${JSON.stringify(busy)}`);
  const end = start + lengthMs;
  const from = localParts(new Date(start), timeZone);
  const to = localParts(new Date(end), timeZone);
  const withinHours =
    from.weekday <= 5 && from.minutes >= 8 * 60 && to.minutes <= 18 * 60 && to.date === today;
  if (!withinHours)
    for (const userId of ours)
      ok(
        await callApi(page, 'PUT', `/api/v1/staff/${userId}/working-hours`, {
          spans: [1, 2, 3, 4, 5, 6, 7].flatMap((weekday) =>
            weekday === from.weekday
              ? [{ weekday, startsAt: '00:00', endsAt: '24:00' }]
              : weekday <= 5
                ? [{ weekday, startsAt: '08:00', endsAt: '18:00' }]
                : [],
          ),
        }),
        'working hours',
      );
  const booked = ok(
    await callApi<{ id: string }>(page, 'POST', '/api/v1/appointments', {
      patientId,
      kind: 'dosing',
      roomId: template.roomId,
      startsAt: new Date(start).toISOString(),
      endsAt: new Date(end).toISOString(),
      staff,
    }),
    'dosing booking',
  );
  return booked.id;
}

export interface StockedLot {
  lotId: string;
  lotNumber: string;
  balance: number;
}

const ledgerProducts = {
  im: {
    product: 'ketamine-racemic',
    name: 'Ketamine HCl injection, USP 50 mg/mL',
    ndc: '0143-9508-10',
    form: 'vial',
    concentrationMgPerUnit: 50,
    containerSize: 10,
  },
  spravato: {
    product: 'esketamine',
    name: 'SPRAVATO (esketamine) nasal spray 28 mg device',
    ndc: '50458-028-03',
    form: 'nasal-device',
    concentrationMgPerUnit: 28,
    containerSize: 3,
  },
} as const;

/** The admin registers a location (or uses the clinic's first) and receives containers of the product. */
export async function stockLedger(
  baseUrl: string,
  staff: Page,
  treatment: Treatment,
  lotNumber: string,
  containers = 2,
): Promise<StockedLot> {
  await signIn(staff, baseUrl, 'admin@summit.demo');
  const locations = ok(
    await callApi<{ items: { id: string }[] }>(staff, 'GET', '/api/v1/ledger/locations'),
    'locations',
  );
  const locationId =
    locations.items[0]?.id ??
    ok(
      await callApi<{ id: string }>(staff, 'POST', '/api/v1/ledger/locations', {
        name: 'Summit treatment rooms',
        address: '400 Summit Avenue, Suite 2, Springfield',
        deaRegistration: 'AM1234563',
      }),
      'location',
    ).id;
  const products = ok(
    await callApi<{ items: { id: string; ndc: string }[] }>(staff, 'GET', '/api/v1/ledger/products'),
    'products',
  );
  const product =
    products.items.find((p) => p.ndc === ledgerProducts[treatment].ndc) ??
    ok(
      await callApi<{ id: string }>(staff, 'POST', '/api/v1/ledger/products', ledgerProducts[treatment]),
      'product',
    );
  const receipt = ok(
    await callApi<{ id: string; lot: { id: string }; balanceAfter: number }>(
      staff,
      'POST',
      '/api/v1/ledger/receipts',
      {
        id: randomUUID(),
        locationId,
        productId: product.id,
        lotNumber,
        expiresOn: `${new Date().getUTCFullYear() + 2}-06-30`,
        containers,
        supplier: {
          name: 'Cardinal Pharma Supply',
          address: '2 Supply Road, Springfield',
          deaNumber: 'RP7654321',
        },
        invoiceNumber: `INV-${lotNumber}`,
        receivedAt: new Date(Date.now() - 3_600_000).toISOString(),
      },
    ),
    'receipt',
  );
  const balance = await lotBalance(staff, receipt.lot.id);
  await signOut(staff);
  return { lotId: receipt.lot.id, lotNumber, balance };
}

/** The lot's balance in its unit, as the ledger derives it from the entries. */
export async function lotBalance(page: Page, lotId: string): Promise<number> {
  const lot = ok(await callApi<{ balance: number }>(page, 'GET', `/api/v1/ledger/lots/${lotId}`), 'lot');
  return lot.balance;
}

export interface SessionRecord {
  state: string;
  vitals: { id: string; systolic: number | null; diastolic: number | null; measuredAt: string }[];
  observations: { kind: string; moaas: number | null; cadss6: unknown }[];
  alerts: { id: string; status: string; severity: string }[];
  administrations: { doseMg: number; quantity?: number; lotNumber: string | null }[];
}

export async function sessionRecord(page: Page, sessionId: string): Promise<SessionRecord> {
  return ok(await callApi<SessionRecord>(page, 'GET', `/api/v1/sessions/${sessionId}`), 'session');
}

// ---- the chair screen ----

export async function openChair(page: Page, baseUrl: string, sessionId: string, patientName: string) {
  await page.goto(`${baseUrl}/sessions/${sessionId}`);
  await visible(page.getByRole('heading', { level: 1, name: patientName }));
}

export function stateBadge(page: Page, label: string): Locator {
  return page.getByLabel(`State: ${label}`, { exact: true });
}

export async function checkIn(page: Page): Promise<void> {
  const panel = page.getByRole('region', { name: 'Check-in' });
  await visible(panel.getByText(/^Ride home: Robin Ashby/));
  await visible(panel.getByText('No driving until the next day after restful sleep: acknowledged'));
  await panel.getByRole('button', { name: 'Check in patient' }).click();
  await visible(stateBadge(page, 'Checked in'));
}

export interface Reading {
  systolic: number;
  diastolic: number;
  heartRate: number;
  spo2: number;
}

const padFields = [
  ['systolic', 'Systolic (mmHg)'],
  ['diastolic', 'Diastolic (mmHg)'],
  ['heartRate', 'Heart rate (/min)'],
  ['spo2', 'SpO₂ (%)'],
] as const;

/** Taps a reading on the vitals pad: each measure selected, its digits on the number pad. */
async function tapReading(page: Page, reading: Reading): Promise<void> {
  const pad = page.getByRole('region', { name: 'Record vitals' });
  for (const [field, label] of padFields) {
    const input = pad.getByRole('textbox', { name: label });
    await input.click();
    for (const digit of String(reading[field]))
      await pad
        .getByRole('group', { name: 'Number pad' })
        .getByRole('button', { name: `Digit ${digit}` })
        .click();
    await expect.poll(() => input.inputValue()).toBe(String(reading[field]));
  }
}

/** Taps a reading and records it; returns the pad's answer (recorded, or kept on the tablet). */
export async function recordReading(page: Page, reading: Reading): Promise<Locator> {
  await tapReading(page, reading);
  const pad = page.getByRole('region', { name: 'Record vitals' });
  await pad.getByRole('button', { name: 'Record reading' }).click();
  const result = pad.getByTestId('last-reading-result');
  await visible(result);
  return result;
}

/** The baseline at the chair: a reading recorded, then MOAA/S 5, and nothing left waiting to be sent. */
export async function recordBaseline(page: Page, reading: Reading): Promise<void> {
  const result = await recordReading(page, reading);
  await visible(result.getByText('Reading recorded', { exact: true }), 20_000);
  await recordMoaas(page, 5);
  await nothingWaiting(page);
}

export async function recordMoaas(page: Page, score: number): Promise<void> {
  const observations = page.getByRole('region', { name: 'Observations' });
  await observations.getByRole('radio', { name: new RegExp(`^MOAA/S ${score}:`) }).click();
  await observations.getByRole('button', { name: 'Record sedation' }).click();
}

/** CADSS-6 with each of its six items rated (0 "not at all" by default). */
export async function recordCadss6(page: Page, scores = [0, 0, 0, 0, 0, 0]): Promise<void> {
  const observations = page.getByRole('region', { name: 'Observations' });
  const groups = observations.getByRole('radiogroup').filter({
    has: page.getByRole('radio', { name: /: 4 / }),
  });
  await expect.poll(() => groups.count()).toBe(6);
  for (const [index, score] of scores.entries())
    await groups
      .nth(index)
      .getByRole('radio', { name: new RegExp(`: ${score} `) })
      .click();
  await visible(observations.getByText(`Total ${scores.reduce((a, b) => a + b, 0)} of 24`));
  await observations.getByRole('button', { name: 'Record CADSS-6' }).click();
}

/** The pre-dose checklist as the nurse answers it at the chair; the gate then clears the session to dose. */
export async function runPreDoseChecks(
  page: Page,
  answers: { hoursSinceFood: string; hoursSinceLiquids: string },
): Promise<void> {
  const form = page.getByRole('form', { name: 'Pre-dose checklist' });
  await form.getByRole('textbox', { name: 'Hours since last food' }).fill(answers.hoursSinceFood);
  await form.getByRole('textbox', { name: 'Hours since last liquids' }).fill(answers.hoursSinceLiquids);
  await turnOn(form, 'The escort for the ride home is here');
  await form.getByRole('button', { name: 'Run pre-dose checks' }).click();
  await visible(stateBadge(page, 'Cleared to dose'), 20_000);
}

/** Turns a Mantine switch on (its input, drawn over the track, takes the click). */
export async function turnOn(scope: Locator, label: string | RegExp): Promise<void> {
  const control = scope.getByRole('switch', { name: label });
  await control.check();
  await expect.poll(() => control.isChecked()).toBe(true);
}

/** Waits until nothing is left in the tab's queue of unsent entries. */
export async function nothingWaiting(page: Page): Promise<void> {
  await expect
    .poll(
      () =>
        page
          .getByRole('status')
          .filter({ hasText: /waiting to be sent/ })
          .count(),
      { timeout: 20_000 },
    )
    .toBe(0);
}
