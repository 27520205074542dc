import type { Locator, Page } from 'playwright-core';
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
 * Measurement-based care with a risk answer, in real Chromium against the demo server: Summit's patient1 (the
 * demo's baseline questionnaires are due) signs in on a phone, starts the due PHQ-9 from the home page and
 * answers it one question per screen with item 9 "Several days"; the confirmation puts the crisis lines first
 * (988 to call or text) and the crisis button stays in the header of every page. The patient's therapist
 * then signs in on a desktop, finds the suicide-risk alert in the inbox (routed to the patient's prescriber,
 * so under "All open", not "Mine"), opens its trail and acknowledges it with the action taken; the card moves
 * to "Acknowledged" with the action, and the server holds the acknowledgement and the trail.
 */
let kapstone: RunningKapstone;
let phone: Browser;
let desk: Browser;

const therapistName = 'Chris Lamb, PsyD';
const prescriberName = 'Dr. Aaron Feld, DO';
const runTag = Date.now().toString(36);
/** The therapist's words, told apart from any earlier run's on a reused server (KAPSTONE_E2E_URL). */
const actionTaken = `Called the patient within the hour: passive thoughts, no plan or intent; safety plan reviewed, follow-up visit tomorrow (${runTag}).`;
/** Items 1–8 and 10 answered by their label; item 9 "Several days" (score 1): the risk answer. */
const answersByItem = [
  'More than half the days',
  'More than half the days',
  'Several days',
  'More than half the days',
  'Several days',
  'Several days',
  'Several days',
  'Not at all',
  'Several days',
  'Somewhat difficult',
];
const expectedScores = [2, 2, 1, 2, 1, 1, 1, 0, 1, 1];
const item9 = 'Thoughts that you would be better off dead, or of hurting yourself in some way';

let patient = { id: '', mrn: '', name: '' };
let assignmentId = '';
let alertId = '';

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

interface AlertDetail {
  id: string;
  kind: string;
  severity: string;
  status: string;
  summary: string;
  source: { type: string; id: string };
  owner: { displayName: string } | null;
  patient: { id: string; mrn: string };
  acknowledgement: { by: { displayName: string }; action: string } | null;
  events: { kind: string; actor: { displayName: string } | null; note: string | null }[];
}

/** The patient's suicide-risk alert card (the patient may have other alerts, e.g. a missed questionnaire). */
function riskCard(page: Page): Locator {
  return page
    .getByTestId('alert-card')
    .filter({ hasText: `MRN ${patient.mrn}` })
    .filter({ has: page.getByText('Suicide risk', { exact: true }) });
}

describe('measurement alert journey', () => {
  const step = journeySteps();

  step('the patient signs in on a phone and finds the due PHQ-9 on the home page', async () => {
    const { page } = phone;
    await signIn(page, kapstone.baseUrl, 'patient1@summit.demo');
    const me = await callApi<{ id: string; mrn: string; givenName: string; familyName: string }>(
      page,
      'GET',
      '/api/v1/me/patient',
    );
    expect(me.status).toBe(200);
    patient = { id: me.body.id, mrn: me.body.mrn, name: `${me.body.givenName} ${me.body.familyName}` };
    const due = await callApi<{ items: { id: string; instrument: string }[] }>(
      page,
      'GET',
      '/api/v1/me/measures',
    );
    expect(due.status).toBe(200);
    assignmentId = due.body.items.find((i) => i.instrument === 'phq9')?.id ?? '';
    expect(assignmentId, 'the demo has a PHQ-9 due for patient1').not.toBe('');

    await page.goto(`${kapstone.baseUrl}/portal`);
    await visible(page.getByTestId('crisis-button'));
    const card = page.getByRole('region', { name: 'Questionnaires to fill in' });
    const start = card.getByRole('link', { name: /^Start Patient Health Questionnaire-9/ });
    await visible(start);
    expect((await start.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await screenshot(page, 'measurement-alert-1-portal-home');
    await start.click();
    await expect.poll(() => page.url()).toContain(`/portal/measures/${assignmentId}`);
  });

  step('answers it one question per screen, item 9 positive', async () => {
    const { page } = phone;
    for (const [index, label] of answersByItem.entries()) {
      // Exactly one question on the screen: its number and heading, its answers, nothing of the next.
      await visible(page.getByText(`Question ${index + 1} of`, { exact: false }).first());
      const heading = page.getByRole('heading', { level: 1 });
      await expect.poll(() => heading.count()).toBe(1);
      if (index === 8) {
        await expect.poll(() => heading.textContent()).toBe(item9);
        await visible(page.getByTestId('crisis-button'));
        await screenshot(page, 'measurement-alert-2-item-9');
      }
      const answers = page.getByRole('group', { name: (await heading.textContent()) ?? '' });
      await answers.getByRole('button', { name: label, exact: true }).click();
      await expect
        .poll(() => answers.getByRole('button', { name: label, exact: true }).getAttribute('aria-pressed'))
        .toBe('true');
      await page.getByRole('button', { name: 'Next' }).click();
    }
    await visible(page.getByRole('heading', { name: 'Review your answers' }));
    const reviewed = page.getByRole('listitem').filter({ hasText: item9 });
    await visible(reviewed.getByText('Several days', { exact: true }));
    await screenshot(page, 'measurement-alert-3-review');
    await page.getByRole('button', { name: 'Submit answers' }).click();
  });

  step('sees the crisis resources first: 988 to call or text, and the crisis button', async () => {
    const { page } = phone;
    const now = page.getByTestId('crisis-resources-now');
    await visible(now, 20_000);
    expect(await now.getAttribute('role')).toBe('alert');
    expect(await now.getByRole('link', { name: 'Call 988' }).getAttribute('href')).toBe('tel:988');
    expect(await now.getByRole('link', { name: 'Text 988' }).getAttribute('href')).toBe('sms:988');
    expect(await now.getByRole('link', { name: 'Call 911' }).getAttribute('href')).toBe('tel:911');
    // The clinic's own crisis line too (the demo clinic sets one), the same the portal's header gives.
    const lines = await callApi<{ clinicPhone: string | null }>(page, 'GET', '/api/v1/me/crisis-resources');
    expect(lines.body.clinicPhone, 'the demo clinic has a crisis phone').toBeTruthy();
    await visible(now.getByRole('link', { name: `Call your clinic, ${lines.body.clinicPhone}` }));
    await visible(page.getByText(/Your care team has been told and will reach out to you/));
    await visible(page.getByRole('heading', { name: 'Thank you, your answers were sent' }));
    // The crisis lines sit above the thank-you: the first thing seen on a phone.
    const linesTop = (await now.boundingBox())!.y;
    const thanksTop = (await page
      .getByRole('heading', { name: 'Thank you, your answers were sent' })
      .boundingBox())!.y;
    expect(linesTop).toBeLessThan(thanksTop);
    await screenshot(page, 'measurement-alert-4-crisis-resources');

    // The header's crisis button opens the lines, each a tap to dial.
    await page.getByTestId('crisis-button').click();
    const drawer = page.getByRole('dialog', { name: 'Crisis help, 24 hours a day' });
    await visible(drawer);
    const call988 = drawer.getByRole('link', { name: /^Call 988/ });
    expect(await call988.getAttribute('href')).toBe('tel:988');
    expect((await call988.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await screenshot(page, 'measurement-alert-5-crisis-button');
    await drawer.getByRole('button', { name: 'Close crisis help' }).click();
    // And it is on the other portal pages too.
    for (const path of ['/portal', '/portal/journal', '/portal/sessions']) {
      await page.goto(`${kapstone.baseUrl}${path}`);
      await visible(page.getByTestId('crisis-button'));
    }

    // The server stored the answers as given and completed the assignment.
    const questionnaire = await callApi<{ assignment: { status: string } }>(
      page,
      'GET',
      `/api/v1/me/measures/${assignmentId}`,
    );
    expect(questionnaire.status).toBe(200);
    expect(questionnaire.body.assignment.status).toBe('completed');
  });

  step('the therapist finds the suicide-risk alert in the inbox', async () => {
    const { page } = desk;
    await signIn(page, kapstone.baseUrl, 'therapist@summit.demo');
    const open = await callApi<{ items: AlertDetail[] }>(
      page,
      'GET',
      '/api/v1/alerts?status=open&scope=all&kind=suicide-risk&limit=100',
    );
    expect(open.status).toBe(200);
    const raised = open.body.items.filter((a) => a.patient.id === patient.id);
    expect(raised, 'one suicide-risk alert for the patient').toHaveLength(1);
    alertId = raised[0]!.id;
    expect(raised[0]).toMatchObject({
      kind: 'suicide-risk',
      severity: 'high',
      status: 'open',
      source: { type: 'questionnaire-response' },
      owner: { displayName: prescriberName },
      acknowledgement: null,
    });
    // What the patient answered reached the server as given, scored with the suicidal-ideation flag.
    const measures = await callApi<{
      responses: {
        id: string;
        instrument: string;
        answers: (number | null)[];
        score: { total: number; flags: string[] };
      }[];
    }>(page, 'GET', `/api/v1/patients/${patient.id}/measures`);
    expect(measures.status).toBe(200);
    const response = measures.body.responses.find((r) => r.id === raised[0]!.source.id);
    expect(response, 'the alert names the PHQ-9 response as its source').toBeDefined();
    expect(response!.instrument).toBe('phq9');
    expect(response!.answers).toEqual(expectedScores);
    expect(response!.score.total).toBe(11);
    expect(response!.score.flags).toContain('suicidal-ideation');

    await page.goto(`${kapstone.baseUrl}/alerts`);
    await visible(page.getByRole('heading', { name: 'Alerts', level: 1 }));
    const tabs = page.getByRole('tablist', { name: 'Which alerts' });
    // Routed to the patient's prescriber (the owner rule), so it is not the therapist's own.
    await tabs.getByRole('tab', { name: 'Mine' }).click();
    await visible(
      page
        .getByText('No open alerts are yours or escalated to you.')
        .or(page.getByRole('list', { name: 'Alerts' })),
    );
    await expect.poll(() => riskCard(page).count()).toBe(0);
    await tabs.getByRole('tab', { name: 'All open' }).click();
    const card = riskCard(page);
    await visible(card);
    await visible(card.getByText('Suicide risk', { exact: true }));
    await visible(card.getByText('high', { exact: true }));
    await visible(card.getByText(/PHQ-9 item 9 positive/));
    await visible(card.getByText(new RegExp(`Owner: ${prescriberName.replace(/[.]/g, '\\.')}`)));
    await screenshot(page, 'measurement-alert-6-inbox');
  });

  step('opens its trail and acknowledges it with the action taken', async () => {
    const { page } = desk;
    const card = riskCard(page);
    await card.getByRole('button', { name: /^Show the trail of the alert for / }).click();
    const trail = card.getByRole('list', { name: 'Alert trail' });
    await visible(trail);
    // Each line: the time in the clinic's zone, then what happened.
    await visible(
      trail
        .getByRole('listitem')
        .nth(0)
        .filter({ hasText: /Raised$/ }),
    );
    await visible(
      trail
        .getByRole('listitem')
        .nth(1)
        .filter({ hasText: `Routed to ${prescriberName}: The patient’s assigned prescriber.` }),
    );
    expect(await trail.getByRole('listitem').count()).toBe(2);
    await screenshot(page, 'measurement-alert-7-trail');

    await card.getByRole('button', { name: /^Acknowledge alert for / }).click();
    const dialog = page.getByRole('dialog', { name: 'Acknowledge alert' });
    await visible(dialog);
    // An acknowledgement without the action is refused before it is sent.
    await dialog.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    await visible(dialog.getByText('Say what you did about this alert.'));
    await dialog.getByRole('textbox', { name: /^Action taken/ }).fill(actionTaken);
    await dialog.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    await expect.poll(() => dialog.isVisible(), { timeout: 15_000 }).toBe(false);
    await expect.poll(() => riskCard(page).count()).toBe(0);
  });

  step('the alert shows as acknowledged with the action, and the server says so', async () => {
    const { page } = desk;
    await page
      .getByRole('tablist', { name: 'Which alerts' })
      .getByRole('tab', { name: 'Acknowledged' })
      .click();
    const card = riskCard(page).filter({ hasText: actionTaken });
    await visible(card);
    await visible(card.getByText(`Acknowledged by ${therapistName}`, { exact: false }));
    await visible(card.getByText(actionTaken, { exact: false }));
    expect(await card.getByRole('button', { name: /^Acknowledge alert/ }).count()).toBe(0);
    await card.getByRole('button', { name: /^Show the trail of the alert for / }).click();
    const trail = card.getByRole('list', { name: 'Alert trail' });
    await visible(
      trail
        .getByRole('listitem')
        .nth(2)
        .filter({ hasText: `${therapistName} acknowledged it: ${actionTaken}` }),
    );
    expect(await trail.getByRole('listitem').count()).toBe(3);
    await screenshot(page, 'measurement-alert-8-acknowledged');

    const stored = await callApi<AlertDetail>(page, 'GET', `/api/v1/alerts/${alertId}`);
    expect(stored.status).toBe(200);
    expect(stored.body.status).toBe('acknowledged');
    expect(stored.body.acknowledgement).toMatchObject({
      by: { displayName: therapistName },
      action: actionTaken,
    });
    expect(stored.body.events.map((e) => e.kind)).toEqual(['raised', 'routed', 'acknowledged']);
    expect(stored.body.events.at(-1)).toMatchObject({
      actor: { displayName: therapistName },
      note: actionTaken,
    });
    // A second acknowledgement is refused: the first one stands.
    const again = await callApi(page, 'POST', `/api/v1/alerts/${alertId}/acknowledge`, {
      action: 'A second acknowledgement',
    });
    expect(again.status).toBe(409);
    const stillOpen = await callApi<{ items: { id: string }[] }>(
      page,
      'GET',
      '/api/v1/alerts?status=open&scope=all&kind=suicide-risk&limit=100',
    );
    expect(stillOpen.body.items.map((a) => a.id)).not.toContain(alertId);
  });
});
