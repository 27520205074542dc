import { afterAll, beforeAll, describe, expect } from 'vitest';
import {
  type Browser,
  callApi,
  journeySteps,
  openBrowser,
  type RunningKapstone,
  screenshot,
  signIn,
  startKapstone,
  visible,
} from './harness.ts';

/**
 * What the care team may read of a patient's journal, in real Chromium against the demo server: Summit's
 * patient4 writes two entries on a phone at /portal/journal, one shared with the care team and one left
 * private (the default); the therapist on a desktop opens the chart's "Journal and experience" tab and sees
 * the shared entry and not the private one, neither on the page nor in the staff API's answer; the patient
 * then stops sharing, and after a reload the therapist sees neither (page and API again), while the patient
 * still has both. Summit lets its clinical staff open every chart (no care-team or break-glass step).
 */
let kapstone: RunningKapstone;
let phone: Browser;
let desk: Browser;

const runTag = Date.now().toString(36);
const privateWords = `Only for me (${runTag}): I am scared the first session will bring back the accident.`;
const sharedWords = `For my care team (${runTag}): I sleep better since I stopped reading the news at night.`;
let patientId = '';

interface MyEntry {
  id: string;
  text: string;
  shared: boolean;
  version: number;
}

beforeAll(async () => {
  kapstone = await startKapstone();
  phone = await openBrowser({ width: 390, height: 844 }, { isMobile: true, hasTouch: true });
  desk = await openBrowser({ width: 1366, height: 900 });
});
afterAll(async () => {
  await desk?.close();
  await phone?.close();
  await kapstone?.stop();
});

/** The journal as the staff API answers the therapist: the raw text of the response, and its entries. */
async function staffJournal(): Promise<{ raw: string; texts: string[] }> {
  const answer = await callApi<{ items: { text: string }[] }>(
    desk.page,
    'GET',
    `/api/v1/patients/${patientId}/journal`,
  );
  expect(answer.status).toBe(200);
  return { raw: JSON.stringify(answer.body), texts: answer.body.items.map((i) => i.text) };
}

async function myJournal(): Promise<MyEntry[]> {
  const answer = await callApi<{ items: MyEntry[] }>(phone.page, 'GET', '/api/v1/me/journal');
  expect(answer.status).toBe(200);
  return answer.body.items;
}

describe('journal sharing journey', () => {
  const step = journeySteps();

  step('the patient writes a private entry on a phone: private is the default', async () => {
    const { page } = phone;
    await signIn(page, kapstone.baseUrl, 'patient4@summit.demo');
    const me = await callApi<{ id: string }>(page, 'GET', '/api/v1/me/patient');
    patientId = me.body.id;
    await page.goto(`${kapstone.baseUrl}/portal/journal`);
    const form = page.getByRole('region', { name: 'New entry' });
    await visible(form);
    const share = form.getByRole('switch', { name: 'Share with my care team' });
    await expect.poll(() => share.isChecked()).toBe(false);
    await visible(form.getByText('Private', { exact: true }));
    await form.getByRole('textbox', { name: 'Your entry' }).fill(privateWords);
    const save = form.getByRole('button', { name: 'Save entry' });
    expect((await save.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await save.click();
    await visible(page.getByText('Saved. Only you can see it.'));
    const entry = page.getByRole('listitem').filter({ hasText: privateWords });
    await visible(entry.getByText('Private', { exact: true }));
  });

  step('and a second one, shared with the care team', async () => {
    const { page } = phone;
    const form = page.getByRole('region', { name: 'New entry' });
    await form.getByRole('textbox', { name: 'Your entry' }).fill(sharedWords);
    const share = form.getByRole('switch', { name: 'Share with my care team' });
    await share.check();
    await expect.poll(() => share.isChecked()).toBe(true);
    await visible(form.getByText('Shared with your care team', { exact: true }));
    await form.getByRole('button', { name: 'Save entry' }).click();
    await visible(page.getByText('Saved and shared with your care team.'));
    const entry = page.getByRole('listitem').filter({ hasText: sharedWords });
    await visible(entry.getByText('Shared with your care team', { exact: true }));
    await screenshot(page, 'journal-1-phone');

    const mine = await myJournal();
    expect(mine.find((e) => e.text === privateWords)).toMatchObject({ shared: false });
    expect(mine.find((e) => e.text === sharedWords)).toMatchObject({ shared: true });
  });

  step('the therapist sees the shared entry on the chart, never the private one', async () => {
    const { page } = desk;
    await signIn(page, kapstone.baseUrl, 'therapist@summit.demo');
    await page.goto(`${kapstone.baseUrl}/patients/${patientId}`);
    await page
      .getByRole('tablist', { name: 'Chart sections' })
      .getByRole('tab', { name: 'Journal and experience' })
      .click();
    await visible(page.getByRole('heading', { name: 'Journal (shared by the patient)' }));
    await visible(page.getByText(sharedWords));
    expect(await page.content()).not.toContain(privateWords);
    expect(await page.content()).not.toContain(runTag.concat('): I am scared'));
    await screenshot(page, 'journal-2-chart');

    const staff = await staffJournal();
    expect(staff.texts).toContain(sharedWords);
    expect(staff.raw).not.toContain(privateWords);
    expect(staff.raw).not.toContain('I am scared the first session');
  });

  step('the patient stops sharing; after a reload the therapist no longer sees it', async () => {
    const { page } = phone;
    const entry = page.getByRole('listitem').filter({ hasText: sharedWords });
    const share = entry.getByRole('switch', { name: 'Share with my care team' });
    await share.uncheck();
    await visible(entry.getByText('Private', { exact: true }));
    await page.reload();
    const reloaded = page.getByRole('listitem').filter({ hasText: sharedWords });
    await visible(reloaded.getByText('Private', { exact: true }));
    await expect
      .poll(() => reloaded.getByRole('switch', { name: 'Share with my care team' }).isChecked())
      .toBe(false);
    // The patient keeps both entries, now both private; the un-sharing is a new version, nothing is lost.
    const mine = await myJournal();
    expect(mine.find((e) => e.text === sharedWords)).toMatchObject({ shared: false, version: 2 });
    expect(mine.find((e) => e.text === privateWords)).toMatchObject({ shared: false, version: 1 });

    const therapist = desk.page;
    await therapist.reload();
    await visible(therapist.getByRole('heading', { name: 'Journal (shared by the patient)' }));
    await visible(therapist.getByText('The patient shares no journal entries at the moment.'));
    expect(await therapist.content()).not.toContain(sharedWords);
    expect(await therapist.content()).not.toContain(privateWords);
    await screenshot(therapist, 'journal-3-chart-after-unsharing');
    const staff = await staffJournal();
    expect(staff.raw).not.toContain(sharedWords);
    expect(staff.raw).not.toContain(privateWords);
  });
});
