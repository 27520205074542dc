import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Browser,
  demoPassword,
  openBrowser,
  type RunningKapstone,
  screenshot,
  startKapstone,
} from './harness.ts';

/**
 * The foundation journey in real Chromium against `npm start`'s server (PGlite, demo clinic): a clinician
 * signs in, finds a patient, edits a demographic field, signs out; an admin then sees that chart read in the
 * audit trail. Also: a Summit patient's id is 404 for a Harbor clinician, and patient data is never left in
 * browser storage.
 */
let kapstone: RunningKapstone;
let browser: Browser;

beforeAll(async () => {
  kapstone = await startKapstone();
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
  await kapstone?.stop();
});

async function signIn(email: string) {
  const { page } = browser;
  await page.goto(kapstone.baseUrl);
  await page.getByLabel(/^Email/).fill(email);
  await page.getByLabel(/^Password/).fill(demoPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('foundation journey', () => {
  it('shows the demo label and the demo logins on the sign-in page', async () => {
    const { page } = browser;
    await page.goto(kapstone.baseUrl);
    await expect
      .poll(() =>
        page
          .getByText(/synthetic/i)
          .first()
          .isVisible(),
      )
      .toBe(true);
    await expect.poll(() => page.getByText('prescriber@harbor.demo').first().isVisible()).toBe(true);
  });

  it('refuses a wrong password with the uniform message', async () => {
    const { page } = browser;
    await page.goto(kapstone.baseUrl);
    await page.getByLabel(/^Email/).fill('prescriber@harbor.demo');
    await page.getByLabel(/^Password/).fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByText('Email or password is invalid.').isVisible()).toBe(true);
  });

  it('signs in, finds a patient, edits the phone number, and signs out', async () => {
    const { page } = browser;
    await signIn('frontdesk@summit.demo');
    await page.getByLabel('Search patients').waitFor();
    const firstLink = page.getByRole('table').getByRole('link').first();
    await firstLink.waitFor();
    const name = (await firstLink.textContent())!.trim();
    const familyName = name.split(/[ ,]/).find((part) => part.length > 2) ?? name;
    await page.getByLabel('Search patients').fill(familyName);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name }).first().click();

    await page.getByRole('button', { name: 'Edit demographics' }).click();
    const phone = page.getByLabel('Phone', { exact: true });
    await phone.fill('(555) 010-4242');
    await page.getByRole('button', { name: 'Save demographics' }).click();
    await expect
      .poll(() => page.getByText('(555) 010-4242').first().isVisible(), { timeout: 10_000 })
      .toBe(true);
    await screenshot(page, 'foundation-chart-after-edit');

    // Nothing of the patient is kept in browser storage.
    const stored = await page.evaluate(() => {
      const w = globalThis as unknown as { localStorage: object; sessionStorage: object };
      return JSON.stringify({ ...w.localStorage }) + JSON.stringify({ ...w.sessionStorage });
    });
    expect(stored).not.toContain('010-4242');
    expect(stored).not.toContain(familyName);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const session = await page.evaluate(async () => (await fetch('/api/v1/auth/session')).status);
    expect(session).toBe(401);
  });

  it('lets an admin see who read that chart in the audit trail', async () => {
    const { page } = browser;
    await signIn('admin@summit.demo');
    await page.getByRole('link', { name: 'Audit trail' }).click();
    await page.getByRole('table', { name: 'Audit events' }).waitFor();
    await expect
      .poll(() => page.getByText('patient.read').first().isVisible(), { timeout: 10_000 })
      .toBe(true);
    await expect.poll(() => page.getByText('patient.update').first().isVisible()).toBe(true);
    await screenshot(page, 'foundation-audit-trail');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  });

  it('answers 404 to a Harbor prescriber for a Summit patient, in the browser too', async () => {
    const { page } = browser;
    await signIn('admin@summit.demo');
    await page.getByRole('link', { name: 'Audit trail' }).waitFor();
    const summitPatientId = await page.evaluate(async () => {
      const events = (await (await fetch('/api/v1/audit-events?action=patient.read')).json()) as {
        items: { patient: { id: string } }[];
      };
      return events.items[0]!.patient.id;
    });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await signIn('prescriber@harbor.demo');
    await page.getByLabel('Search patients').waitFor();
    const status = await page.evaluate(
      async (id) => (await fetch(`/api/v1/patients/${id}`)).status,
      summitPatientId,
    );
    expect(status).toBe(404);
  });
});
