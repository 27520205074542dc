import type { Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import {
  type Browser,
  browserStorage,
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
  nothingWaiting,
  openChair,
  type PreparedPatient,
  preparePatientForDosing,
  recordBaseline,
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
 * The connection drops at the chair and nothing is lost, in real Chromium on a tablet-sized screen: while the
 * tablet is offline (`context.setOffline`), a reading and a sedation score are kept in the tab and shown as
 * waiting; once the connection returns they are sent by themselves and each appears exactly once. A reading
 * whose answer is lost on the way back (the server recorded it, the tablet never heard) is sent again with
 * its id and is still recorded once. After discharge and after sign-out nothing of the patient is left in
 * localStorage or sessionStorage.
 */
let kapstone: RunningKapstone;
let tablet: Browser;
let phone: Browser;

const runTag = Date.now().toString(36);
const patient = {
  givenName: 'Ines',
  familyName: 'Castellanos',
  dateOfBirth: '1994-07-19',
  sexAtBirth: 'female' as const,
  email: `ines.castellanos.${runTag}@example.org`,
  password: 'willow lantern river 2026',
};
const fullName = `${patient.givenName} ${patient.familyName}`;
const lotNumber = `KET-${runTag.slice(-5).toUpperCase()}`;
let prepared: PreparedPatient;
let lot: StockedLot;

const readingsShown = (systolic: number, diastolic: number) =>
  tablet.page
    .getByRole('table', { name: 'Readings' })
    .getByRole('row')
    .filter({ hasText: `BP ${systolic}/${diastolic} ` });

beforeAll(async () => {
  kapstone = await startKapstone();
  tablet = await openBrowser({ width: 768, height: 1024 }, { hasTouch: true });
  phone = await openBrowser({ width: 390, height: 844 }, { isMobile: true, hasTouch: true });
});
afterAll(async () => {
  await phone?.close();
  await tablet?.close();
  await kapstone?.stop();
});

describe('network drop at the chair journey', () => {
  const step = journeySteps();

  step(
    'set-up: a patient booked for an IM dosing session, and a stocked lot',
    async () => {
      prepared = await preparePatientForDosing(kapstone.baseUrl, tablet.page, phone.page, patient, 'im');
      lot = await stockLedger(kapstone.baseUrl, tablet.page, 'im', lotNumber);
    },
    180_000,
  );

  step('the nurse takes the session to monitoring on a tablet held upright', async () => {
    const { page } = tablet;
    await signIn(page, kapstone.baseUrl, 'nurse@summit.demo');
    await openChair(page, kapstone.baseUrl, prepared.appointmentId, fullName);
    await checkIn(page);
    await recordBaseline(page, { systolic: 118, diastolic: 76, heartRate: 68, spo2: 99 });
    await runPreDoseChecks(page, { hoursSinceFood: '5', hoursSinceLiquids: '2' });
    const panel = page.getByRole('region', { name: 'Administration' });
    await chooseOption(page, 'Lot', new RegExp(`^Lot ${lot.lotNumber} `));
    await chooseOption(page, 'Injection site', 'Right deltoid');
    await panel.getByRole('button', { name: 'Record dose' }).click();
    await visible(stateBadge(page, 'Dosing'), 20_000);
    await panel.getByRole('button', { name: 'Dosing complete: start monitoring' }).click();
    await visible(stateBadge(page, 'Monitoring'), 20_000);
  });

  step('offline: a reading and a sedation score are kept on the tablet and shown as waiting', async () => {
    const { page, context } = tablet;
    await context.setOffline(true);
    const result = await recordReading(page, { systolic: 132, diastolic: 84, heartRate: 80, spo2: 97 });
    await visible(result.getByText('Reading kept on this tablet: it is sent when the connection returns'));
    await recordMoaas(page, 4);
    const waiting = page.getByRole('status').filter({ hasText: '2 entries waiting to be sent' });
    await visible(waiting);
    await visible(waiting.getByText(/Vitals: BP 132\/84/));
    await visible(waiting.getByText(/Sedation: MOAA\/S 4/));
    // The chart draws the waiting reading too (hollow), and the table lists it once.
    await expect.poll(() => readingsShown(132, 84).count()).toBe(1);
    await visible(readingsShown(132, 84).getByText('Waiting to be sent'));
    // Trying to send while still offline changes nothing.
    await waiting.getByRole('button', { name: 'Try sending now' }).click();
    await visible(page.getByRole('status').filter({ hasText: '2 entries waiting to be sent' }));
    // They are in the tab's storage (that is what keeps them through the outage).
    expect(await browserStorage(page)).toContain(prepared.appointmentId);
    await screenshot(page, 'network-drop-01-offline');
  });

  step('online again: both are sent by themselves and each appears exactly once', async () => {
    const { page, context } = tablet;
    await context.setOffline(false);
    await nothingWaiting(page);
    await visible(
      page.getByRole('region', { name: 'Record vitals' }).getByText('Reading recorded', { exact: true }),
    );
    await expect.poll(() => readingsShown(132, 84).count()).toBe(1);
    await visible(readingsShown(132, 84).getByText('Within range'));
    const record = await sessionRecord(page, prepared.appointmentId);
    expect(record.vitals.filter((v) => v.systolic === 132 && v.diastolic === 84)).toHaveLength(1);
    expect(record.observations.filter((o) => o.kind === 'moaas' && o.moaas === 4)).toHaveLength(1);
    await screenshot(page, 'network-drop-02-sent');
  });

  step('a reading whose answer is lost is sent again with its id and recorded once', async () => {
    const { page } = tablet;
    const statuses: number[] = [];
    let lostOnce = false;
    const vitalsUrl = `**/api/v1/sessions/${prepared.appointmentId}/vitals`;
    const handler = async (route: Route) => {
      const response = await route.fetch();
      statuses.push(response.status());
      if (!lostOnce) {
        // The server recorded it; the answer never reaches the tablet.
        lostOnce = true;
        await route.abort('internetdisconnected');
      } else await route.fulfill({ response });
    };
    await page.route(vitalsUrl, handler);
    const result = await recordReading(page, { systolic: 126, diastolic: 80, heartRate: 74, spo2: 98 });
    await visible(result.getByText('Reading kept on this tablet: it is sent when the connection returns'));
    // The queue tries again by itself (every 10 s while something waits).
    await nothingWaiting(page);
    await page.unroute(vitalsUrl, handler);
    expect(statuses).toEqual([201, 200]);
    await expect.poll(() => readingsShown(126, 80).count()).toBe(1);
    const record = await sessionRecord(page, prepared.appointmentId);
    expect(record.vitals.filter((v) => v.systolic === 126 && v.diastolic === 80)).toHaveLength(1);
    expect(record.vitals).toHaveLength(3);
  });

  step(
    'after discharge and sign-out nothing of the patient is in localStorage or sessionStorage',
    async () => {
      const { page } = tablet;
      const leftovers = (stored: string) =>
        [patient.familyName, prepared.mrn, prepared.patientId, prepared.appointmentId].filter((v) =>
          stored.includes(v),
        );
      await signOut(page);
      expect(leftovers(await browserStorage(page))).toEqual([]);
      await signIn(page, kapstone.baseUrl, 'prescriber@summit.demo');
      await openChair(page, kapstone.baseUrl, prepared.appointmentId, fullName);
      const form = page.getByRole('region', { name: 'Discharge' }).getByRole('form', { name: 'Discharge' });
      await turnOn(form, /^The escort is here to take the patient home/);
      await turnOn(form, 'Discharge instructions given to the patient and the escort');
      await form
        .getByRole('textbox', { name: 'Rationale' })
        .fill('Journey check: back to baseline, alert, escort present.');
      await form.getByLabel('Your password').fill(demoPassword);
      await form.getByRole('button', { name: 'Sign and discharge' }).click();
      await visible(stateBadge(page, 'Discharged'), 20_000);
      expect(leftovers(await browserStorage(page))).toEqual([]);
      await screenshot(page, 'network-drop-03-discharged');
      await signOut(page);
      expect(leftovers(await browserStorage(page))).toEqual([]);
    },
  );
});
