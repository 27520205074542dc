import { inflateSync } from 'node:zlib';
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
 * A SPRAVATO (esketamine) session and its REMS Patient Monitoring Form, in real Chromium on a tablet-sized
 * screen: the nurse checks the patient in, records the baseline, runs the pre-dose checks (the label's
 * fasting), gives 56 mg (two 28 mg devices) from a ledger lot of devices, records readings, sedation and
 * dissociation; the prescriber discharges before the label's 2-hour minimum only with a rationale. The form
 * then waits on the REMS dashboard with its 7-day deadline, and its PDF downloads.
 */
/** The text pdf-lib draws: each content stream inflated, its hex strings decoded. */
function pdfText(bytes: Buffer): string {
  const raw = bytes.toString('latin1');
  const parts: string[] = [];
  for (const match of raw.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let content: string;
    try {
      content = inflateSync(Buffer.from(match[1]!, 'latin1')).toString('latin1');
    } catch {
      content = match[1]!;
    }
    for (const hex of content.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g))
      parts.push(Buffer.from(hex[1]!, 'hex').toString('latin1'));
  }
  return parts.join('\n');
}

let kapstone: RunningKapstone;
let tablet: Browser;
let phone: Browser;

const runTag = Date.now().toString(36);
const patient = {
  givenName: 'Marek',
  familyName: 'Halvorsen',
  dateOfBirth: '1972-01-23',
  sexAtBirth: 'male' as const,
  email: `marek.halvorsen.${runTag}@example.org`,
  password: 'granite orchard signal 2026',
};
const fullName = `${patient.givenName} ${patient.familyName}`;
const lotNumber = `SPR-${runTag.slice(-5).toUpperCase()}`;
let prepared: PreparedPatient;
let lot: StockedLot;

interface RemsFormSummary {
  sessionId: string;
  status: string;
  treatmentDate: string;
  deadline: { dueDate: string; daysLeft: number; overdue: boolean };
  pdfUrl: string;
}

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

describe('SPRAVATO session and REMS form journey', () => {
  const step = journeySteps();

  step(
    'set-up: a patient booked for a SPRAVATO session, and a stocked lot of 28 mg devices',
    async () => {
      prepared = await preparePatientForDosing(
        kapstone.baseUrl,
        tablet.page,
        phone.page,
        patient,
        'spravato',
      );
      lot = await stockLedger(kapstone.baseUrl, tablet.page, 'spravato', lotNumber);
      expect(lot.balance).toBe(6);
    },
    180_000,
  );

  step('the nurse checks the patient in, records the baseline and clears the pre-dose checks', async () => {
    const { page } = tablet;
    await signIn(page, kapstone.baseUrl, 'nurse@summit.demo');
    await openChair(page, kapstone.baseUrl, prepared.appointmentId, fullName);
    await visible(page.getByText(/ · SPRAVATO|esketamine/i).first());
    await checkIn(page);
    await recordBaseline(page, { systolic: 128, diastolic: 82, heartRate: 70, spo2: 98 });
    await runPreDoseChecks(page, { hoursSinceFood: '3', hoursSinceLiquids: '1' });
    await screenshot(page, 'spravato-01-cleared');
  });

  step('56 mg (two devices) is given from the lot of devices, and monitoring starts', async () => {
    const { page } = tablet;
    const panel = page.getByRole('region', { name: 'Administration' });
    const form = panel.getByRole('form', { name: 'Dose' });
    await visible(form);
    await chooseOption(page, 'Lot', new RegExp(`^Lot ${lotNumber} `));
    await form.getByRole('textbox', { name: 'Dose (mg)' }).fill('56');
    await visible(form.getByTestId('dose-computed').getByText(/^56 mg · draw 2 device/));
    await screenshot(page, 'spravato-02-dose-form');
    await form.getByRole('button', { name: 'Record dose' }).click();
    await visible(stateBadge(page, 'Dosing'), 20_000);
    await visible(
      panel.getByRole('table', { name: 'Doses given' }).getByRole('row').filter({ hasText: lotNumber }),
    );
    expect(await lotBalance(page, lot.lotId)).toBe(4);
    await panel.getByRole('button', { name: 'Dosing complete: start monitoring' }).click();
    await visible(stateBadge(page, 'Monitoring'), 20_000);
    // While the session runs, its form is in progress, not yet due.
    const inProgress = await callApi<{ items: RemsFormSummary[] }>(
      page,
      'GET',
      '/api/v1/rems/forms?status=in-progress',
    );
    expect(inProgress.status).toBe(200);
    expect(inProgress.body.items.map((f) => f.sessionId)).toContain(prepared.appointmentId);
  });

  step('readings, sedation and dissociation during monitoring', async () => {
    const { page } = tablet;
    const result = await recordReading(page, { systolic: 146, diastolic: 88, heartRate: 78, spo2: 97 });
    await visible(result.getByText(/^(Reading|Warning reading) recorded/), 20_000);
    await recordMoaas(page, 4);
    await recordCadss6(page, [1, 1, 0, 1, 0, 0]);
    await nothingWaiting(page);
    const settled = await recordReading(page, { systolic: 130, diastolic: 84, heartRate: 72, spo2: 98 });
    await visible(settled.getByText('Reading recorded', { exact: true }), 20_000);
    await recordMoaas(page, 5);
    await recordCadss6(page);
    await nothingWaiting(page);
    const record = await sessionRecord(page, prepared.appointmentId);
    expect(record.vitals).toHaveLength(3);
    expect(record.observations.filter((o) => o.kind === 'cadss6')).toHaveLength(2);
    await screenshot(page, 'spravato-03-monitoring');
    await signOut(page);
  });

  step(
    'before the 2-hour minimum, the prescriber discharges only with a rationale and her password',
    async () => {
      const { page } = tablet;
      await signIn(page, kapstone.baseUrl, 'prescriber@summit.demo');
      await openChair(page, kapstone.baseUrl, prepared.appointmentId, fullName);
      const discharge = page.getByRole('region', { name: 'Discharge' });
      await visible(
        discharge
          .getByRole('list', { name: 'Unmet discharge criteria' })
          .getByText(/of at least 120 minutes/),
      );
      const form = discharge.getByRole('form', { name: 'Discharge' });
      await turnOn(form, /^The escort is here to take the patient home/);
      await turnOn(form, 'Discharge instructions given to the patient and the escort');
      await form
        .getByRole('textbox', { name: 'Rationale' })
        .fill('Journey check of the REMS form: vitals at baseline, MOAA/S 5, CADSS-6 0, escort present.');
      await form.getByLabel('Your password').fill(demoPassword);
      await form.getByRole('button', { name: 'Sign and discharge' }).click();
      await visible(stateBadge(page, 'Discharged'), 20_000);
      await screenshot(page, 'spravato-04-discharged');
    },
  );

  step('the REMS form is due on the dashboard within 7 days, and its PDF downloads', async () => {
    const { page } = tablet;
    const due = await callApi<{ items: RemsFormSummary[] }>(page, 'GET', '/api/v1/rems/forms?status=due');
    expect(due.status).toBe(200);
    const summary = due.body.items.find((f) => f.sessionId === prepared.appointmentId);
    expect(summary, JSON.stringify(due.body.items)).toBeDefined();
    expect(summary!.status).toBe('due');
    expect(summary!.deadline).toMatchObject({ daysLeft: 7, overdue: false });

    await page.getByRole('link', { name: 'SPRAVATO REMS' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'SPRAVATO REMS monitoring forms' }));
    const row = page
      .getByRole('table', { name: 'REMS monitoring forms' })
      .getByRole('row')
      .filter({ hasText: fullName });
    await visible(row);
    await visible(row.getByText('7 days left'));
    await screenshot(page, 'spravato-05-rems-dashboard');
    const pdfLink = row.getByRole('link', { name: new RegExp(`^PDF of the form: ${fullName}, `) });
    const href = (await pdfLink.getAttribute('href'))!;
    expect(href).toBe(`/api/v1/sessions/${prepared.appointmentId}/rems-form.pdf`);
    const pdf = await page.evaluate(async (url) => {
      const response = await fetch(url);
      const bytes = new Uint8Array(await response.arrayBuffer());
      let binary = '';
      for (const byte of bytes) binary += String.fromCharCode(byte);
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        disposition: response.headers.get('content-disposition'),
        base64: btoa(binary),
      };
    }, href);
    expect(pdf).toMatchObject({ status: 200, type: 'application/pdf' });
    expect(pdf.disposition).toMatch(/spravato-rems-monitoring-\d{4}-\d{2}-\d{2}\.pdf/);
    const bytes = Buffer.from(pdf.base64, 'base64');
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // The form is filled from the session: the patient, the dose and the lot drawn.
    const text = pdfText(bytes);
    expect(text).toContain('SPRAVATO (esketamine) REMS - Patient Monitoring Form');
    expect(text).toContain(patient.familyName);
    expect(text).toContain(lotNumber);
    expect(text).toMatch(/56 mg/);
    await signOut(page);
  });
});
