import { afterAll, beforeAll, describe, expect } from 'vitest';
import {
  type Browser,
  browserStorage,
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
import {
  checkIn,
  lotBalance,
  nothingWaiting,
  openChair,
  type PreparedPatient,
  preparePatientForDosing,
  recordBaseline,
  recordCadss6,
  recordMoaas,
  recordReading,
  runPreDoseChecks,
  type StockedLot,
  sessionRecord,
  stateBadge,
  stockLedger,
  turnOn,
} from './sessions.ts';

/**
 * A full IM ketamine session at the chair, in real Chromium on a tablet-sized screen against `npm start`'s
 * server: the nurse checks the patient in, records the baseline vitals and MOAA/S, runs the pre-dose checks
 * (the gate clears the session), gives the plan's dose from a ledger lot (the lot's balance drops by exactly
 * the volume drawn), records a critical blood pressure whose alert she acknowledges with the action taken,
 * later readings, sedation and CADSS-6; the prescriber discharges against the unmet observation time with a
 * rationale and her password. Afterwards nothing of the patient is left in the browser's storage.
 *
 * The patient's way to the booked session (registration, approval, consent, plan, PHQ-9, ride home) is set up
 * through the API (e2e/sessions.ts); the session itself is driven in the UI.
 */
let kapstone: RunningKapstone;
let tablet: Browser;
let phone: Browser;

const runTag = Date.now().toString(36);
const patient = {
  givenName: 'Talia',
  familyName: 'Okonkwo',
  dateOfBirth: '1986-11-05',
  sexAtBirth: 'female' as const,
  email: `talia.okonkwo.${runTag}@example.org`,
  password: 'cedar window marble 2026',
};
const fullName = `${patient.givenName} ${patient.familyName}`;
const lotNumber = `KET-${runTag.slice(-5).toUpperCase()}`;
let prepared: PreparedPatient;
let lot: StockedLot;
let balanceBeforeDose = 0;
const actionTaken = 'Rechecked BP manually at 182/102; prescriber informed; patient calm, lights dimmed.';

beforeAll(async () => {
  kapstone = await startKapstone();
  tablet = await openBrowser({ width: 1024, height: 768 }, { hasTouch: true });
  phone = await openBrowser({ width: 390, height: 844 }, { isMobile: true, hasTouch: true });
});
afterAll(async () => {
  await phone?.close();
  await tablet?.close();
  await kapstone?.stop();
});

describe('IM dosing session journey', () => {
  const step = journeySteps();

  step(
    'set-up: a patient booked for an IM dosing session, and a stocked lot of ketamine 50 mg/mL vials',
    async () => {
      prepared = await preparePatientForDosing(kapstone.baseUrl, tablet.page, phone.page, patient, 'im');
      lot = await stockLedger(kapstone.baseUrl, tablet.page, 'im', lotNumber);
      expect(lot.balance).toBe(20);
    },
    180_000,
  );

  step('the nurse finds the patient on the session board, opens the chair and checks her in', async () => {
    const { page } = tablet;
    await signIn(page, kapstone.baseUrl, 'nurse@summit.demo');
    await page.getByRole('link', { name: 'Dosing sessions' }).click();
    const card = page.getByRole('article', { name: fullName });
    await visible(card.getByText('Not yet arrived'));
    await screenshot(page, 'im-session-00-board');
    await card.getByRole('link', { name: new RegExp(`^Open the session of ${fullName} \\(`) }).click();
    await visible(page.getByRole('heading', { level: 1, name: fullName }));
    await visible(stateBadge(page, 'Not yet arrived'));
    await screenshot(page, 'im-session-01-arrival');
    await checkIn(page);
  });

  step('baseline vitals and MOAA/S on the pad, then the pre-dose checks clear the session', async () => {
    const { page } = tablet;
    await recordBaseline(page, { systolic: 124, diastolic: 80, heartRate: 72, spo2: 98 });
    const gate = page.getByRole('region', { name: 'Pre-dose checks' });
    await visible(gate.getByText(/^Baseline vitals at .*: BP 124\/80, HR 72, SpO2 98%$/));
    await visible(gate.getByText(/^Baseline sedation: MOAA\/S 5 at /));
    await runPreDoseChecks(page, { hoursSinceFood: '6', hoursSinceLiquids: '3' });
    await expect(gate.getByRole('list', { name: 'Blockers' }).count()).resolves.toBe(0);
    await expect(gate.getByRole('list', { name: 'Cautions' }).count()).resolves.toBe(0);
    await screenshot(page, 'im-session-02-cleared');
  });

  step('the plan’s dose is given from the lot: the ledger balance drops by the volume drawn', async () => {
    const { page } = tablet;
    balanceBeforeDose = await lotBalance(page, lot.lotId);
    const panel = page.getByRole('region', { name: 'Administration' });
    const form = panel.getByRole('form', { name: 'Dose' });
    await visible(form);
    await chooseOption(page, 'Lot', new RegExp(`^Lot ${lotNumber} `));
    // 0.5 mg/kg × 80 kg = 40 mg; 40 mg of 50 mg/mL is 0.8 mL.
    await visible(form.getByTestId('dose-computed').getByText('40 mg · draw 0.8 mL'));
    await chooseOption(page, 'Injection site', 'Left deltoid');
    await screenshot(page, 'im-session-03-dose-form');
    await form.getByRole('button', { name: 'Record dose' }).click();
    await visible(stateBadge(page, 'Dosing'), 20_000);
    const doses = panel.getByRole('table', { name: 'Doses given' });
    await visible(doses.getByRole('row').filter({ hasText: lotNumber }).filter({ hasText: 'Left deltoid' }));
    expect(await lotBalance(page, lot.lotId)).toBeCloseTo(balanceBeforeDose - 0.8, 6);
    const entries = await callApi<{ items: { kind: string; quantity: number; sessionId: string | null }[] }>(
      page,
      'GET',
      `/api/v1/ledger/entries?lotId=${lot.lotId}`,
    );
    expect(entries.status).toBe(200);
    const draws = entries.body.items.filter((e) => e.kind === 'administration');
    expect(draws).toHaveLength(1);
    expect(draws[0]!.sessionId).toBe(prepared.appointmentId);
    expect(Math.abs(draws[0]!.quantity)).toBeCloseTo(0.8, 6);
  });

  step('the rest of the vial is wasted before a witness who signs with her own password', async () => {
    const { page } = tablet;
    const panel = page.getByRole('region', { name: 'Administration' });
    const form = panel.getByRole('form', { name: 'Waste the remainder' });
    await visible(form);
    // 10 mL vial, 0.8 mL drawn: 9.2 mL left.
    await expect
      .poll(() => form.getByRole('textbox', { name: 'Quantity wasted (mL)' }).inputValue())
      .toBe('9.2');
    await form.getByRole('textbox', { name: 'Witness’s email' }).fill('prescriber@summit.demo');
    await form.getByLabel('Witness’s password').fill(demoPassword);
    await form.getByRole('button', { name: 'Record waste' }).click();
    await visible(
      form.getByRole('status').filter({ hasText: `9.2 mL of lot ${lotNumber} recorded as wasted.` }),
    );
    // Receipts − administrations − wastes: 20 − 0.8 − 9.2.
    expect(await lotBalance(page, lot.lotId)).toBeCloseTo(balanceBeforeDose - 0.8 - 9.2, 6);
    const entries = await callApi<{ items: { kind: string; quantity: number; sessionId: string | null }[] }>(
      page,
      'GET',
      `/api/v1/ledger/entries?lotId=${lot.lotId}`,
    );
    expect(entries.body.items.map((e) => [e.kind, e.sessionId]).sort()).toEqual(
      [
        ['administration', prepared.appointmentId],
        ['receipt', null],
        ['waste', prepared.appointmentId],
      ].sort(),
    );
    await panel.getByRole('button', { name: 'Dosing complete: start monitoring' }).click();
    await visible(stateBadge(page, 'Monitoring'), 20_000);
  });

  step(
    'a critical blood pressure raises an alert; the nurse acknowledges it with the action taken',
    async () => {
      const { page } = tablet;
      const result = await recordReading(page, { systolic: 184, diastolic: 104, heartRate: 96, spo2: 97 });
      await visible(result.getByText(/^Critical reading recorded/), 20_000);
      const alerts = page.getByRole('region', { name: 'Alerts' });
      const acknowledge = alerts.getByRole('button', { name: /^Acknowledge: Critical/ });
      await visible(acknowledge);
      await screenshot(page, 'im-session-04-critical-alert');
      // The board shows the chair's open alert and its latest reading.
      await page.getByRole('link', { name: 'Session board' }).click();
      const card = page.getByRole('article', { name: fullName });
      await visible(card.getByText('1 open alert'));
      await visible(card.getByText(/BP 184\/104/));
      await card.getByRole('link', { name: new RegExp(`^Open the session of ${fullName} \\(`) }).click();
      await visible(acknowledge);
      await acknowledge.click();
      const dialog = page.getByRole('dialog', { name: 'Acknowledge the alert' });
      await visible(dialog);
      await dialog.getByRole('textbox', { name: 'Action taken' }).fill(actionTaken);
      await dialog.getByRole('button', { name: 'Acknowledge', exact: true }).click();
      await visible(
        alerts.getByText(new RegExp(`acknowledged by .* \\(${actionTaken.replace(/[.()/]/g, '\\$&')}\\)`)),
      );
      await expect(alerts.getByRole('button', { name: /^Acknowledge:/ }).count()).resolves.toBe(0);
      const record = await sessionRecord(page, prepared.appointmentId);
      expect(record.alerts.map((a) => [a.severity, a.status])).toEqual([['critical', 'acknowledged']]);
    },
  );

  step('later readings settle; sedation and CADSS-6 are recorded', async () => {
    const { page } = tablet;
    const result = await recordReading(page, { systolic: 130, diastolic: 82, heartRate: 76, spo2: 98 });
    await visible(result.getByText('Reading recorded', { exact: true }), 20_000);
    await recordMoaas(page, 5);
    await recordCadss6(page);
    await nothingWaiting(page);
    const record = await sessionRecord(page, prepared.appointmentId);
    expect(record.vitals.map((v) => `${v.systolic}/${v.diastolic}`)).toEqual(['124/80', '184/104', '130/82']);
    expect(record.observations.filter((o) => o.kind === 'cadss6')).toHaveLength(1);
    await screenshot(page, 'im-session-05-monitoring');
  });

  step('the nurse may not discharge against unmet criteria; the prescriber signs the discharge', async () => {
    const { page } = tablet;
    const discharge = page.getByRole('region', { name: 'Discharge' });
    await visible(discharge.getByRole('list', { name: 'Unmet discharge criteria' }));
    await visible(discharge.getByText('A prescriber decides'));
    await signOut(page);

    await signIn(page, kapstone.baseUrl, 'prescriber@summit.demo');
    await openChair(page, kapstone.baseUrl, prepared.appointmentId, fullName);
    const form = page.getByRole('region', { name: 'Discharge' }).getByRole('form', { name: 'Discharge' });
    await visible(form);
    await turnOn(form, /^The escort is here to take the patient home/);
    await turnOn(form, 'Discharge instructions given to the patient and the escort');
    await form
      .getByRole('textbox', { name: 'Rationale' })
      .fill('Observed at the chair; vitals back to baseline, alert and walking steadily; escort present.');
    await form.getByLabel('Your password').fill(demoPassword);
    await screenshot(page, 'im-session-06-discharge');
    await form.getByRole('button', { name: 'Sign and discharge' }).click();
    await visible(stateBadge(page, 'Discharged'), 20_000);
    await visible(page.getByText(/^Discharged at .* by .*, home with Robin Ashby\.$/));
    await visible(page.getByRole('link', { name: 'Print discharge instructions' }));
    await screenshot(page, 'im-session-07-discharged');
    const record = await sessionRecord(page, prepared.appointmentId);
    expect(record.state).toBe('discharged');
  });

  step('nothing of the patient is left in the browser’s storage after discharge and sign-out', async () => {
    const { page } = tablet;
    const leftovers = (stored: string) =>
      [patient.familyName, prepared.mrn, prepared.patientId].filter((v) => stored.includes(v));
    expect(leftovers(await browserStorage(page))).toEqual([]);
    await signOut(page);
    expect(leftovers(await browserStorage(page))).toEqual([]);
  });
});
