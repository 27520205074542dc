import type { Page } from 'playwright-core';
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

/**
 * The care pathway of issue 4, walked by the people who do it, in real Chromium against `npm start`'s server
 * (PGlite, the demo clinics): the front desk registers a new patient and invites them to the portal; the
 * patient opens the link from the demo "Sent mail" view on a phone, chooses a password, fills in the intake and
 * the PHQ-9 and GAD-7 one question per screen; a nurse records the screening vitals; the prescriber reviews the
 * screening view and signs the eligibility decision with their password; the patient signs the consent forms
 * for the IM route and a nurse countersigns; the prescriber writes and signs the treatment plan; the front desk
 * books the planned course in one step and the dosing sessions are on the schedule.
 *
 * Summit Ketamine Center lets its clinical staff open every chart (no care-team or break-glass step).
 */
let kapstone: RunningKapstone;
let staff: Browser;
let phone: Browser;

/** A person this journey registers: synthetic, with an address unique to the run (the server may be reused). */
const runTag = Date.now().toString(36);
const patient = {
  givenName: 'Noor',
  familyName: 'Lindqvist',
  dateOfBirth: '1990-03-14',
  email: `noor.lindqvist.${runTag}@example.org`,
  password: 'quiet harbor lantern 2026',
};
const fullName = `${patient.givenName} ${patient.familyName}`;
let patientId = '';
let mrn = '';

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

async function openChart(page: Page, section?: string): Promise<void> {
  await page.goto(`${kapstone.baseUrl}/patients/${patientId}${section ? `?section=${section}` : ''}`);
  await visible(page.getByRole('heading', { level: 1, name: fullName }));
}

/**
 * Answers every yes/no question on the current intake step: the given answers by question, "No" for the rest,
 * again after each pass, because a "Yes" can open a follow-up question.
 */
async function answerIntakeStep(page: Page, answers: Record<string, 'Yes' | 'No' | 'Not sure'> = {}) {
  const main = page.getByRole('main');
  for (const [question, answer] of Object.entries(answers)) {
    await main
      .getByRole('radiogroup', { name: question })
      .getByRole('radio', { name: answer, exact: true })
      .check();
  }
  for (let pass = 0; pass < 4; pass++) {
    const groups = main.getByRole('radiogroup');
    let answered = 0;
    for (const group of await groups.all()) {
      if ((await group.getByRole('radio', { checked: true }).count()) > 0) continue;
      await group.getByRole('radio', { name: 'No', exact: true }).check();
      answered++;
    }
    if (answered === 0) return;
  }
}

async function saveAndContinue(page: Page, nextStep: string): Promise<void> {
  await page.getByRole('button', { name: 'Save and continue', exact: true }).click();
  await visible(page.getByText(new RegExp(`^Step \\d of \\d: ${nextStep}$`)));
}

/** Answers a questionnaire one question per screen, checking the "Question n of N" the patient is shown. */
async function answerQuestionnaire(page: Page, answers: string[]): Promise<void> {
  for (const [index, answer] of answers.entries()) {
    await visible(page.getByText(new RegExp(`^Question ${index + 1} of \\d+$`)));
    await page.getByRole('button', { name: answer, exact: true }).click();
    await page.getByRole('button', { name: 'Next' }).click();
  }
  await visible(page.getByRole('heading', { name: 'Review your answers' }));
}

/** The consent forms of the demo clinics that IM treatment needs (general KAP and the route's own). */
const generalConsent = 'Consent to ketamine-assisted psychotherapy';
const imConsent = 'Consent to ketamine by intramuscular injection (IM)';

/** The first dose three weeks or more ahead, on a Tuesday: the preparation sessions' windows are still open. */
const courseStart = (() => {
  const day = new Date(Date.now() + 21 * 86_400_000);
  while (day.getUTCDay() !== 2) day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
})();

const phq9Answers = [
  'More than half the days',
  'More than half the days',
  'Several days',
  'More than half the days',
  'Several days',
  'Several days',
  'More than half the days',
  'Several days',
  'Not at all',
  'Somewhat difficult', // item 10, how difficult the problems made life: not part of the total
]; // 2+2+1+2+1+1+2+1+0 = 12
const gad7Answers = [
  'Several days',
  'More than half the days',
  'Several days',
  'Several days',
  'More than half the days',
  'Several days',
  'Not at all',
]; // 1+2+1+1+2+1+0 = 8

describe('care pathway journey', () => {
  const step = journeySteps();
  step('front desk registers a new patient and invites them to the portal', async () => {
    const { page } = staff;
    await signIn(page, kapstone.baseUrl, 'frontdesk@summit.demo');
    await page.goto(`${kapstone.baseUrl}/patients/new`);
    const form = page.getByRole('form', { name: 'Register patient' });
    await form.getByLabel('Given name').fill(patient.givenName);
    await form.getByLabel('Family name').fill(patient.familyName);
    await form.getByLabel('Date of birth').fill(patient.dateOfBirth);
    await form.getByLabel('Date of birth').press('Tab');
    await form.getByLabel('Sex assigned at birth').selectOption('female');
    await form.getByLabel('Email address').fill(patient.email);
    await form.getByRole('button', { name: 'Register patient' }).click();
    await visible(page.getByRole('heading', { level: 1, name: fullName }));
    patientId = new URL(page.url()).pathname.split('/')[2]!;
    expect(patientId).toMatch(/^[0-9a-f-]{36}$/);
    mrn = (await callApi<{ mrn: string }>(page, 'GET', `/api/v1/patients/${patientId}`)).body.mrn;
    expect(mrn).toMatch(/^K\d{6}$/);

    const portal = page.getByRole('region', { name: 'Portal access' });
    await visible(portal.getByText('Not invited yet.'));
    await portal.getByRole('button', { name: 'Invite to portal' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite to the patient portal' });
    await expect.poll(() => dialog.getByLabel('Email address').inputValue()).toBe(patient.email);
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await visible(portal.getByText('Invitation: Pending'));
    await visible(portal.getByText(`Sent to ${patient.email}`, { exact: false }));
    await screenshot(page, 'care-pathway-01-invited');
    await signOut(page);
  });

  step('a nurse assigns the screening questionnaires', async () => {
    const { page } = staff;
    await signIn(page, kapstone.baseUrl, 'nurse@summit.demo');
    await openChart(page, 'measures');
    await page.getByRole('button', { name: 'Assign screening set' }).click();
    await visible(page.getByText(/^Assigned: .*PHQ-9.*GAD-7/));
    await signOut(page);
  });

  step(
    'the patient opens the invitation from the sent mail, chooses a password and lands in the portal',
    async () => {
      const { page } = staff;
      await signIn(page, kapstone.baseUrl, 'admin@summit.demo');
      await page.getByRole('link', { name: 'Sent mail' }).click();
      const mail = page
        .getByRole('table', { name: 'Outgoing mail' })
        .getByRole('row')
        .filter({ hasText: patient.email });
      await visible(mail);
      await expect(
        mail.getByText('Your invitation to the Summit Ketamine Center patient portal').isVisible(),
      ).resolves.toBe(true);
      const link = mail.getByRole('link', { name: `Open the invitation link sent to ${patient.email}` });
      const href = (await link.getAttribute('href'))!;
      expect(href).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
      await screenshot(page, 'care-pathway-02-sent-mail');
      await signOut(page);

      // The mail's link names the server's configured origin; the phone opens the same path on this server.
      const invitePath = new URL(href, kapstone.baseUrl).pathname;
      const patientPage = phone.page;
      await patientPage.goto(`${kapstone.baseUrl}${invitePath}`);
      await visible(patientPage.getByRole('heading', { name: `Welcome, ${patient.givenName}` }));
      await visible(patientPage.getByText('Summit Ketamine Center · patient portal'));
      await patientPage.getByLabel('Choose a password').fill(patient.password);
      await patientPage.getByLabel('Type it again').fill(patient.password);
      await patientPage.getByRole('button', { name: 'Create my account' }).click();
      await patientPage.waitForURL(`${kapstone.baseUrl}/portal`);
      await visible(patientPage.getByRole('heading', { level: 1, name: `Welcome, ${patient.givenName}` }));
      await visible(patientPage.getByRole('region', { name: 'Your intake' }).getByText('Not started'));
      await screenshot(patientPage, 'care-pathway-03-portal-home');

      // The link works once.
      const again = await patientPage.evaluate(
        async (path) => (await fetch(`/api/v1/invitations/${path.split('/').pop()}`)).status,
        invitePath,
      );
      expect(again).toBe(410);
    },
  );

  step('the patient fills in the intake, step by step, on the phone', async () => {
    const page = phone.page;
    await page.getByRole('link', { name: 'Start your intake' }).click();
    await visible(page.getByText('Step 1 of 8: Medical history'));
    await answerIntakeStep(page);
    await saveAndContinue(page, 'Mental health history');
    await answerIntakeStep(page, { 'Have you had talking therapy or counselling?': 'Yes' });
    await saveAndContinue(page, 'Alcohol and drugs');
    await answerIntakeStep(page);
    await saveAndContinue(page, 'Current medicines');
    await answerIntakeStep(page);
    await saveAndContinue(page, 'Allergies');
    await answerIntakeStep(page);
    await saveAndContinue(page, 'Emergency contact');
    const main = page.getByRole('main');
    await main.getByRole('textbox', { name: 'Name', exact: true }).fill('Elin Lindqvist');
    await main.getByRole('textbox', { name: 'Relationship to you' }).fill('sister');
    await main.getByRole('textbox', { name: 'Phone number' }).fill('(555) 010-7788');
    await saveAndContinue(page, 'Your goals');
    await main
      .getByRole('textbox', { name: 'What would you like treatment to help you with?' })
      .fill('To get out of bed without dread and enjoy time with my kids again.');
    await saveAndContinue(page, 'Check and submit');
    await visible(page.getByText('Every question has an answer.', { exact: false }));
    await screenshot(page, 'care-pathway-04-intake-review');
    await page.getByRole('button', { name: 'Submit intake' }).click();
    await visible(page.getByText('Thank you. You submitted your intake', { exact: false }));
    await page.getByRole('link', { name: 'Back to the portal home' }).click();
    await visible(page.getByRole('region', { name: 'Your intake' }).getByText('Submitted'));
  });

  step('the patient answers the PHQ-9 and the GAD-7, one question per screen', async () => {
    const page = phone.page;
    const due = page.getByRole('region', { name: 'Questionnaires to fill in' });
    await due.getByRole('link', { name: 'Start Patient Health Questionnaire-9' }).click();
    await answerQuestionnaire(page, phq9Answers);
    await screenshot(page, 'care-pathway-05-phq9-review');
    await page.getByRole('button', { name: 'Submit answers' }).click();
    await visible(page.getByRole('heading', { name: 'Thank you, your answers were sent' }));
    await page.getByRole('link', { name: 'Back to your home page' }).click();

    await due.getByRole('link', { name: 'Start Generalized Anxiety Disorder-7' }).click();
    await answerQuestionnaire(page, gad7Answers);
    await page.getByRole('button', { name: 'Submit answers' }).click();
    await visible(page.getByRole('heading', { name: 'Thank you, your answers were sent' }));
    await page.getByRole('link', { name: 'Back to your home page' }).click();
    await visible(due);
    await expect
      .poll(() =>
        due
          .getByRole('link', { name: /Patient Health Questionnaire-9|Generalized Anxiety Disorder-7/ })
          .count(),
      )
      .toBe(0);
  });

  step('a nurse records the screening vitals', async () => {
    const { page } = staff;
    await signIn(page, kapstone.baseUrl, 'nurse@summit.demo');
    await openChart(page);
    await page.getByRole('link', { name: 'Screening' }).click();
    const form = page.getByRole('form', { name: 'Record vital signs' });
    await form.getByLabel('Systolic BP (mmHg)').fill('124');
    await form.getByLabel('Diastolic BP (mmHg)').fill('78');
    await form.getByLabel('Heart rate (beats/min)').fill('72');
    await form.getByLabel('SpO₂ (%)').fill('98');
    await form.getByLabel('Weight (kg)').fill('68');
    await form.getByLabel('Height (cm)').fill('170');
    await form.getByRole('button', { name: 'Record vital signs' }).click();
    const readings = page.getByRole('table', { name: 'Vital signs readings' });
    await visible(readings.getByRole('cell', { name: '124/78', exact: false }));
    await screenshot(page, 'care-pathway-06-vitals');
    await signOut(page);
  });

  step(
    'the prescriber reviews the screening view and signs the eligibility decision with their password',
    async () => {
      const { page } = staff;
      await signIn(page, kapstone.baseUrl, 'prescriber@summit.demo');
      await openChart(page);
      await page.getByRole('link', { name: 'Screening' }).click();
      const scores = page.getByRole('table', { name: 'Latest instrument scores' });
      const phq9 = scores.getByRole('row').filter({ hasText: 'PHQ-9' });
      await visible(phq9.getByRole('cell', { name: /^12\b/ }));
      await visible(phq9.getByRole('cell', { name: 'Moderate', exact: true }));
      const gad7 = scores.getByRole('row').filter({ hasText: 'GAD-7' });
      await visible(gad7.getByRole('cell', { name: /^8\b/ }));
      await visible(gad7.getByRole('cell', { name: 'Mild', exact: true }));
      await visible(page.getByRole('region', { name: 'Intake' }).getByText(/^Submitted /));
      const assessment = page.getByRole('region', { name: 'Eligibility assessment' });
      await visible(assessment.getByText('Eligible', { exact: true }));
      await visible(assessment.getByText(/from the chart, BP 124\/78 mmHg\.$/));
      await screenshot(page, 'care-pathway-07-screening');
      const decision = page.getByRole('form', { name: 'Eligibility decision' });
      await decision.getByRole('radio', { name: 'Approve', exact: true }).check();
      await decision.getByLabel('Your password (to sign)').fill(demoPassword);
      await decision.getByRole('button', { name: /^Sign/ }).click();
      const signed = page.getByRole('region', { name: 'Signed decisions' }).getByRole('article').first();
      await visible(signed.getByRole('heading', { name: 'Approve', exact: true }));
      await visible(signed.getByText('Effective', { exact: true }));
      await visible(signed.getByText(/Intramuscular \(IM\)\. Signed by Dr\. /));
      await screenshot(page, 'care-pathway-08-decision-signed');
      await signOut(page);
    },
  );

  step('the patient signs the general KAP and the IM consent forms on the phone', async () => {
    const page = phone.page;
    await page.goto(`${kapstone.baseUrl}/portal`);
    await page
      .getByRole('region', { name: 'Consent forms' })
      .getByRole('link', { name: 'Consent forms' })
      .click();
    await visible(page.getByRole('heading', { level: 1, name: 'Consent forms' }));
    for (const title of [generalConsent, imConsent]) {
      const card = page.getByRole('article', { name: title });
      await visible(card.getByText('Not signed yet', { exact: true }));
      await card.getByRole('link', { name: 'Read and sign' }).click();
      await visible(page.getByRole('heading', { level: 1, name: title }));
      await visible(page.getByRole('region', { name: 'Text of the consent form' }));
      await page.getByRole('textbox', { name: 'Your full name' }).fill(fullName);
      await page.getByRole('checkbox', { name: 'I have read and agree' }).check();
      if (title === generalConsent) await screenshot(page, 'care-pathway-09-consent-sign');
      await page.getByRole('button', { name: 'Sign consent' }).click();
      await visible(page.getByRole('heading', { level: 1, name: 'Consent forms' }));
      await visible(
        page.getByRole('article', { name: title }).getByText('Awaiting clinic signature', { exact: true }),
      );
    }
  });

  step('a nurse countersigns both consent forms', async () => {
    const { page } = staff;
    await signIn(page, kapstone.baseUrl, 'nurse@summit.demo');
    await openChart(page, 'consent');
    const required = page.getByRole('table', { name: 'Required forms' });
    for (const title of [generalConsent, imConsent]) {
      const row = required.getByRole('row').filter({ hasText: title });
      await visible(row.getByText('Awaiting countersignature', { exact: true }));
      await visible(row.getByText(`typed “${fullName}”`));
      await row.getByRole('button', { name: `Countersign “${title}”` }).click();
      await visible(row.getByText('Valid', { exact: true }));
      await visible(row.getByText(/^Megan Holt, RN, /));
    }
    await screenshot(page, 'care-pathway-10-countersigned');
    await signOut(page);
  });

  step('the prescriber writes and signs the treatment plan with their password', async () => {
    const { page } = staff;
    await signIn(page, kapstone.baseUrl, 'prescriber@summit.demo');
    await openChart(page);
    await page.getByRole('link', { name: 'Treatment plan' }).click();
    await visible(page.getByText('No signed treatment plan is active.'));
    await page.getByRole('button', { name: 'New treatment plan' }).click();
    await chooseOption(page, 'Indication', 'Another indication (not on the problem list)');
    await page.getByRole('textbox', { name: 'ICD-10-CM code' }).fill('F33.1');
    await page
      .getByRole('textbox', { name: 'Indication' })
      .fill('Major depressive disorder, recurrent, moderate');
    await chooseOption(page, 'Protocol', /^KAP with IM ketamine/);
    await visible(page.getByText('Route: Intramuscular (IM)', { exact: false }));
    const start = page.getByRole('textbox', { name: 'Course start (first dose)' });
    await start.fill(courseStart);
    await start.press('Tab');
    await page.getByRole('textbox', { name: 'Dosing sessions' }).fill('4');
    await page.getByRole('textbox', { name: 'Weight used (kg)' }).fill('68');
    await page.getByRole('textbox', { name: 'Starting dose (mg/kg)' }).fill('0.5');
    await page.getByRole('textbox', { name: 'Maximum dose, titration limit (mg/kg)' }).fill('1');
    await page.getByRole('button', { name: 'Add goal' }).click();
    await page
      .getByRole('textbox', { name: 'Goals: goal 1' })
      .fill('Fewer mornings of dread; PHQ-9 below 10');
    const checks = page.getByLabel('Dose checks');
    await visible(checks.getByText(/34 mg/));
    await page.getByRole('button', { name: 'Save draft' }).click();
    await visible(page.getByText('Draft saved. Review it and sign it below.'));
    await visible(page.getByRole('heading', { name: 'Draft treatment plan (version 1)' }));
    await screenshot(page, 'care-pathway-11-plan-draft');
    const sign = page.getByRole('region', { name: 'Sign treatment plan' });
    await sign.getByLabel('Your password').fill(demoPassword);
    await sign.getByRole('button', { name: 'Sign treatment plan' }).click();
    await visible(page.getByText('Version 1 signed.'));
    const active = page.getByRole('region', { name: 'Active plan' });
    await visible(active.getByText('Version 1', { exact: true }));
    await visible(active.getByText(/^KAP with IM ketamine/));
    await screenshot(page, 'care-pathway-12-plan-signed');
    await signOut(page);
  });

  step(
    'the front desk books the planned course in one step and the dosing sessions are on the schedule',
    async () => {
      const { page } = staff;
      await signIn(page, kapstone.baseUrl, 'frontdesk@summit.demo');
      await page.getByRole('link', { name: 'Schedule' }).click();
      await visible(page.getByRole('heading', { level: 1, name: 'Schedule' }));
      await page.getByRole('button', { name: 'Book course' }).click();
      const launcher = page.getByRole('dialog', { name: 'Book a patient’s course' });
      await launcher.getByRole('combobox', { name: 'Patient' }).fill(patient.familyName);
      await page.getByRole('option', { name: new RegExp(`${patient.familyName} · ${mrn}$`) }).click();
      await visible(page.getByRole('heading', { level: 1, name: 'Book the planned course' }));
      await page.getByRole('button', { name: 'Propose course' }).click();
      const firstDose = page.getByRole('checkbox', { name: 'Book Dosing session: Dose 1 of 4' });
      await visible(firstDose);
      await expect.poll(() => firstDose.isChecked()).toBe(true);
      await expect(
        page.getByRole('alert').filter({ hasText: 'Dosing cannot be booked yet' }).count(),
      ).resolves.toBe(0);
      const doseDate = await page.getByLabel('Date of Dosing session: Dose 1 of 4').inputValue();
      expect(doseDate >= courseStart).toBe(true);
      const [hours, minutes] = (
        await page.getByLabel('Start time of Dosing session: Dose 1 of 4').inputValue()
      )
        .split(':')
        .map(Number) as [number, number];
      const doseTime = `${hours % 12 || 12}:${String(minutes).padStart(2, '0')}\\s?${hours < 12 ? 'AM' : 'PM'}`;
      await screenshot(page, 'care-pathway-13-course-proposal');
      const selected = Number(
        (await page.getByText(/^\d+ appointments selected$/).textContent())!.split(' ')[0],
      );
      expect(selected).toBeGreaterThanOrEqual(8); // 4 doses, 4 integrations, and the preparation sessions
      await page.getByRole('button', { name: 'Book course' }).click();
      const booked = page.getByRole('status').filter({ hasText: 'Course booked' });
      await visible(booked, 30_000);
      await visible(booked.getByText(`${selected} appointments were booked.`));

      // The schedule: the week of the first dose shows it, with the patient's name, room and times.
      await page.getByRole('link', { name: 'Schedule' }).click();
      await page.getByRole('radiogroup', { name: 'View' }).getByText('Week', { exact: true }).click();
      const dosing = page.getByRole('button', {
        name: new RegExp(`^Dosing session, ${patient.givenName} ${patient.familyName}, ${doseTime} to `),
      });
      for (let week = 0; week < 8 && !(await dosing.first().isVisible()); week++) {
        await page.getByRole('button', { name: 'Next' }).click();
        await expect.poll(() => page.getByLabel('Loading the schedule').count(), { timeout: 10_000 }).toBe(0);
      }
      await visible(dosing.first());
      await screenshot(page, 'care-pathway-14-schedule');
      await signOut(page);
    },
  );

  step('the patient sees the booked sessions in the portal, with what to prepare', async () => {
    const page = phone.page;
    await page.goto(`${kapstone.baseUrl}/portal`);
    const card = page.getByRole('region', { name: 'Your next session' });
    await visible(card.getByText('What to bring'));
    await visible(page.getByRole('region', { name: 'Before your ketamine session' }));
    await card.getByRole('link', { name: 'Your appointments' }).click();
    await visible(page.getByText('Before your session').first());
    await screenshot(page, 'care-pathway-15-portal-appointments');
  });

  step('leaves no patient data in browser storage', async () => {
    for (const page of [staff.page, phone.page]) {
      const stored = await browserStorage(page);
      expect(stored).not.toContain(patient.familyName);
      expect(stored).not.toContain(patient.email);
      expect(stored).not.toContain(patient.dateOfBirth);
      expect(stored).not.toContain(mrn);
    }
  });
});
