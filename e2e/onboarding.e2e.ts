import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Browser,
  callApi,
  openBrowser,
  type RunningKapstone,
  screenshot,
  signIn,
  signOut,
  startKapstone,
} from './harness.ts';
import { invitationLinkFromOutbox } from './invitations.ts';

/**
 * Portal onboarding in real Chromium against the demo server: the front desk invites a newly registered
 * patient from the chart, an admin finds the mail under Sent mail, the patient opens the link on a phone-sized
 * screen, chooses a password and lands in the portal; the link then no longer works.
 */
let kapstone: RunningKapstone;
let browser: Browser;

beforeAll(async () => {
  kapstone = await startKapstone();
  browser = await openBrowser({ width: 1280, height: 900 });
});
afterAll(async () => {
  await browser?.close();
  await kapstone?.stop();
});

describe('portal onboarding journey', () => {
  const email = `onboarding.${Date.now()}@summit.demo`;
  let patientId: string;
  let link: string;

  it('lets the front desk invite a patient from the chart', async () => {
    const { page } = browser;
    await signIn(page, kapstone.baseUrl, 'frontdesk@summit.demo');
    const registered = await callApi<{ id: string }>(page, 'POST', '/api/v1/patients', {
      givenName: 'Juniper',
      familyName: 'Onboarding',
      dateOfBirth: '1990-07-14',
      sexAtBirth: 'female',
      email,
    });
    expect(registered.status).toBe(201);
    patientId = registered.body.id;
    await page.goto(`${kapstone.baseUrl}/patients/${patientId}`);
    await page.getByRole('button', { name: 'Invite to portal' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite to the patient portal' });
    await expect.poll(() => dialog.getByLabel(/^Email address/).inputValue()).toBe(email);
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByText('Invitation: Pending').waitFor();
    await expect
      .poll(() => page.getByRole('link', { name: 'Open the invitation link' }).isVisible())
      .toBe(true);
    await screenshot(page, 'onboarding-invited');
    await signOut(page);
  });

  it('shows the mail to an admin under Sent mail, with the link (demo mode)', async () => {
    const { page } = browser;
    await signIn(page, kapstone.baseUrl, 'admin@summit.demo');
    await page.getByRole('link', { name: 'Sent mail' }).click();
    await page.getByRole('table', { name: 'Outgoing mail' }).getByText(email).waitFor();
    // The dispatcher delivers it in the background (console adapter in demo mode): the view shows it sent.
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.getByRole('table', { name: 'Outgoing mail' }).waitFor();
          return page.getByRole('row').filter({ hasText: email }).getByText('Sent', { exact: true }).count();
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe(1);
    link = await invitationLinkFromOutbox(page, email);
    await screenshot(page, 'onboarding-sent-mail');
    await signOut(page);
  });

  it('lets the patient choose a password on a phone and opens the portal', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${kapstone.baseUrl}${link}`);
    await page.getByRole('heading', { name: 'Welcome, Juniper' }).waitFor();
    await page.getByLabel(/^Choose a password/).fill('too short');
    await page.getByRole('button', { name: 'Create my account' }).click();
    await page.getByText('Use at least 12 characters.').waitFor();
    await page.getByLabel(/^Choose a password/).fill('juniper portal password');
    await page.getByLabel(/^Type it again/).fill('juniper portal password');
    await page.getByRole('button', { name: 'Create my account' }).click();
    await page.waitForURL(`${kapstone.baseUrl}/portal`);
    await page.getByRole('heading', { name: /Welcome, Juniper/ }).waitFor();
    await screenshot(page, 'onboarding-portal');
    await signOut(page);
  });

  it('refuses the used link, and the patient signs in with the new password', async () => {
    const { page } = browser;
    await page.goto(`${kapstone.baseUrl}${link}`);
    await page
      .getByRole('alert')
      .getByText(/already been used/)
      .waitFor();
    await signIn(page, kapstone.baseUrl, email, 'juniper portal password');
    expect(new URL(page.url()).pathname).toBe('/portal');
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});
