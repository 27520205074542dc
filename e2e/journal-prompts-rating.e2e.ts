import type { Locator } from 'playwright-core';
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
 * The guided journal prompts and the session experience rating in real Chromium against the demo server
 * (journal-sharing.e2e.ts walks what the care team may read): a Summit patient on a phone writes a private
 * entry, then a shared one answering a prompt that names a session's intention, every control at least 44 px
 * high; then corrects a session's experience rating one question per screen ("2 of 6"), and the therapist sees
 * the corrected rating on the chart's "Journal and experience" tab. Summit lets its clinical staff open every
 * chart (no care-team or break-glass step).
 */
let kapstone: RunningKapstone;
let staff: Browser;
let phone: Browser;
const runTag = Date.now().toString(36);
const privateWords = `Private thoughts ${runTag}: only for me`;
const sharedWords = `Shared with my therapist ${runTag}: calmer mornings`;
let patientId = '';

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

const step = journeySteps();

/** Taps a control after scrolling it to the middle of the screen (the phone's bottom bar covers the lowest 60 px). */
async function tap(locator: Locator): Promise<void> {
  await locator.evaluate((element) => element.scrollIntoView({ block: 'center' }));
  await locator.click();
}

describe('journal prompts and session rating journey', () => {
  step('the patient writes a private entry on a phone', async () => {
    const { page } = phone;
    await signIn(page, kapstone.baseUrl, 'patient5@summit.demo');
    patientId = (await callApi<{ id: string }>(page, 'GET', '/api/v1/me/patient')).body.id;
    await page.goto(`${kapstone.baseUrl}/portal/journal`);
    const form = page.getByRole('region', { name: 'New entry' });
    await visible(form);
    const share = form.getByRole('switch', { name: 'Share with my care team' });
    await expect.poll(() => share.isChecked()).toBe(false);
    await visible(form.getByText('Only you can see this entry'));
    await form.getByLabel('Your entry').fill(privateWords);
    const save = form.getByRole('button', { name: 'Save entry' });
    expect((await save.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await tap(save);
    await visible(page.getByText('Saved. Only you can see it.'));
  });

  step('and a shared one answering a prompt about a session’s intention', async () => {
    const { page } = phone;
    const form = page.getByRole('region', { name: 'New entry' });
    await tap(form.getByRole('button', { name: 'Answer a prompt' }));
    const prompt = form
      .getByRole('button', { name: /What did you notice about it during the session/ })
      .first();
    await visible(prompt);
    expect((await prompt.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await tap(prompt);
    await form.getByRole('textbox').fill(sharedWords);
    await tap(form.getByRole('switch', { name: 'Share with my care team' }));
    await visible(form.getByText('Shared with your care team', { exact: true }));
    await tap(form.getByRole('button', { name: 'Save entry' }));
    await visible(page.getByText('Saved and shared with your care team.'));
    const card = page.getByRole('listitem').filter({ hasText: sharedWords });
    await visible(card.getByText('Shared with your care team', { exact: true }));
    await screenshot(page, 'journal-phone');
  });

  step('the patient corrects a session rating, one question per screen', async () => {
    const { page } = phone;
    const ratings = await callApi<{ rated: { sessionId: string }[] }>(
      page,
      'GET',
      '/api/v1/me/experience-ratings',
    );
    const sessionId = ratings.body.rated[0]!.sessionId;
    await page.goto(`${kapstone.baseUrl}/portal/experience/${sessionId}`);
    await visible(page.getByText('1 of 6', { exact: true }));
    await visible(page.getByRole('heading', { name: 'How intense was the experience?' }));
    await tap(page.getByRole('button', { name: '3 of 10' }));
    for (const n of [2, 3, 4, 5, 6]) {
      await tap(page.getByRole('button', { name: 'Next' }));
      await visible(page.getByText(`${n} of 6`, { exact: true }));
    }
    await visible(page.getByRole('heading', { name: /Anything you would like your care team to know/ }));
    await tap(page.getByRole('button', { name: 'Send my rating' }));
    await visible(page.getByRole('heading', { name: 'Thank you' }));
    const therapist = staff.page;
    await signIn(therapist, kapstone.baseUrl, 'therapist@summit.demo');
    await therapist.goto(`${kapstone.baseUrl}/patients/${patientId}?section=journal`);
    await visible(therapist.getByRole('heading', { name: 'Session experience' }));
    await visible(therapist.getByText('corrected').first());
    await visible(therapist.getByText(sharedWords));
    expect(await therapist.content()).not.toContain(privateWords);
  });
});
