import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import {
  type ApiAnswer,
  type Browser,
  callApi,
  chooseOption,
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
 * Practice outcomes and a de-identified research export, in real Chromium against the demo server (Summit).
 * The prescriber opens /outcomes: the Dore-shaped table gives N, baseline and end-of-course means, response
 * and remission with their n, and durability at the follow-ups, each figure the server's; a route filter
 * changes them. The researcher sees aggregates only (no demo patient's name or MRN on the page or in the
 * API's answer), starts a research export at /research/exports, sees it through to Ready and downloads the
 * data dictionary; every file of the export is read back through the API and holds no patient identifier.
 *
 * The export takes the patients who signed the optional research consent: so that it is never empty, the
 * demo's patient5 signs that consent in the portal (through the API) before the export.
 */
let kapstone: RunningKapstone;
let desk: Browser;
let portal: Browser;

interface Cell {
  suppressed: boolean;
  n?: number;
  mean?: number | null;
  sd?: number | null;
  count?: number;
  percent?: number | null;
}
interface Outcomes {
  suppression: { minimumCellSize: number | null; researchView: boolean; notice: string | null };
  withheld: boolean;
  summary: {
    n: Cell;
    baseline: Cell;
    endOfCourse: Cell;
    response: Cell;
    remission: Cell;
    followUps: { months: number; score: Cell; durability: Cell }[];
  } | null;
}
interface Person {
  mrn: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
}
interface ResearchExport {
  id: string;
  status: string;
  progress: number;
  patientCount: number | null;
  files: { name: string; rowCount: number }[];
}

/** Every patient of the clinic, as a prescriber's patient list gives them (name, MRN, date of birth). */
const people: Person[] = [];
let consented: Person | null = null;
let total = 0;
let exportId = '';

function ok<T>(answer: ApiAnswer<T>, what: string): T {
  if (answer.status !== 200 && answer.status !== 201)
    throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** The table row's figure ("Value") and its n, as the page shows them. */
async function row(page: Page, label: string): Promise<{ value: string; n: string }> {
  const cells = page
    .getByRole('table', { name: 'Cohort outcomes, PHQ-9' })
    .getByRole('row', { name: label, exact: false })
    .first()
    .getByRole('cell');
  return { value: (await cells.nth(0).innerText()).trim(), n: (await cells.nth(1).innerText()).trim() };
}

/** How the page writes a mean (SD) and a rate, from the server's cell: checked against the page's own text. */
const mean = (c: Cell) =>
  c.mean === null || c.mean === undefined
    ? '—'
    : c.sd === null || c.sd === undefined
      ? c.mean.toFixed(1)
      : `${c.mean.toFixed(1)} (${c.sd.toFixed(1)})`;
const rate = (c: Cell) =>
  c.percent === null || c.percent === undefined ? '—' : `${c.percent.toFixed(1)}% (${c.count} of ${c.n})`;

const monthsText = (m: number) => `${m} ${m === 1 ? 'month' : 'months'}`;

/** No patient's name, MRN or date of birth anywhere in the text. */
function expectNoIdentifiers(text: string, where: string) {
  for (const p of people) {
    expect(text, `${where}: name of ${p.mrn}`).not.toContain(`${p.givenName} ${p.familyName}`);
    expect(text, `${where}: MRN`).not.toContain(p.mrn);
    expect(text, `${where}: date of birth of ${p.mrn}`).not.toContain(p.dateOfBirth);
  }
}

async function fetchText(page: Page, path: string): Promise<{ status: number; type: string; text: string }> {
  return page.evaluate(async (path) => {
    const response = await fetch(path);
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      text: await response.text(),
    };
  }, path);
}

beforeAll(async () => {
  kapstone = await startKapstone();
  desk = await openBrowser({ width: 1366, height: 900 });
  portal = await openBrowser({ width: 390, height: 844 }, { isMobile: true, hasTouch: true });
});
afterAll(async () => {
  await portal?.close();
  await desk?.close();
  await kapstone?.stop();
});

describe('outcomes and research export journey', () => {
  const step = journeySteps();

  step('the prescriber opens Practice outcomes: the Dore-shaped table with every n', async () => {
    const { page } = desk;
    await signIn(page, kapstone.baseUrl, 'prescriber@summit.demo');
    for (let cursor: string | null = null, first = true; first || cursor; first = false) {
      const list: { items: Person[]; nextCursor: string | null } = ok(
        await callApi<{ items: Person[]; nextCursor: string | null }>(
          page,
          'GET',
          `/api/v1/patients?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        ),
        'patients',
      );
      people.push(...list.items);
      cursor = list.nextCursor;
    }
    expect(people.length).toBeGreaterThan(10);

    const view = ok(await callApi<Outcomes>(page, 'GET', '/api/v1/outcomes?instrument=phq9'), 'outcomes');
    expect(view.withheld).toBe(false);
    const s = view.summary!;
    total = s.n.n ?? 0;
    // The demo's courses give the table something to say: patients with a baseline and an end of course.
    expect(total, 'patients with a PHQ-9 course in the demo').toBeGreaterThan(0);
    expect(s.baseline.mean).not.toBeNull();
    expect(s.endOfCourse.mean).not.toBeNull();
    expect(s.followUps.map((f) => f.months)).toEqual([1, 3, 6, 12]);
    expectNoIdentifiers(JSON.stringify(view), 'outcomes API');

    await page.goto(`${kapstone.baseUrl}/outcomes`);
    await visible(page.getByRole('heading', { name: 'Practice outcomes' }));
    const table = page.getByRole('table', { name: 'Cohort outcomes, PHQ-9' });
    await visible(table);
    expect(await table.getByRole('columnheader').allInnerTexts()).toEqual(['Measure', 'Value', 'n']);
    expect((await row(page, 'Patients (N)')).value).toBe(String(total));
    expect(await row(page, 'Baseline PHQ-9, mean (SD)')).toEqual({
      value: mean(s.baseline),
      n: String(s.baseline.n),
    });
    expect(await row(page, 'End of course PHQ-9, mean (SD)')).toEqual({
      value: mean(s.endOfCourse),
      n: String(s.endOfCourse.n),
    });
    expect(await row(page, 'Response')).toEqual({ value: rate(s.response), n: String(s.response.n) });
    expect(await row(page, 'Remission')).toEqual({ value: rate(s.remission), n: String(s.remission.n) });
    for (const f of s.followUps) {
      expect(await row(page, `Still responding at ${monthsText(f.months)}`)).toEqual({
        value: rate(f.durability),
        n: String(f.durability.n),
      });
      // A bar of a share of 0 (or of none) has no width, so it is read rather than looked at.
      const bar = page.getByRole('progressbar', {
        name: `Still responding at ${monthsText(f.months)}: ${rate(f.durability)}`,
      });
      expect(await bar.count()).toBe(1);
      expect(await bar.getAttribute('aria-valuenow')).toBe(String(f.durability.percent ?? 0));
    }
    await visible(page.getByRole('img', { name: 'Mean PHQ-9 by week since the first dose' }));
    await visible(page.getByRole('heading', { name: 'Definitions and sources' }));
    expectNoIdentifiers(await page.locator('body').innerText(), 'outcomes page');
    await screenshot(page, 'outcomes-1-prescriber');
  });

  step('a route filter changes the figures to the filtered cohort’s', async () => {
    const { page } = desk;
    const routes = [
      ['iv', 'Intravenous (IV)'],
      ['im', 'Intramuscular (IM)'],
      ['sublingual', 'Sublingual'],
      ['intranasal', 'Intranasal'],
    ] as const;
    // The route whose cohort differs most from the whole clinic's, preferring one with patients.
    let chosen: { label: string; view: Outcomes } | null = null;
    for (const [route, label] of routes) {
      const view = ok(
        await callApi<Outcomes>(page, 'GET', `/api/v1/outcomes?instrument=phq9&route=${route}`),
        'outcomes by route',
      );
      const n = view.summary?.n.n ?? 0;
      if (n === total) continue;
      if (!chosen || (n > 0 && (chosen.view.summary?.n.n ?? 0) === 0)) chosen = { label, view };
    }
    expect(chosen, 'a route whose cohort is not the whole clinic’s').not.toBeNull();
    const filtered = chosen!.view.summary!;
    await chooseOption(page, 'Route', chosen!.label);
    await expect
      .poll(async () => (await row(page, 'Patients (N)')).value, { timeout: 15_000 })
      .toBe(String(filtered.n.n));
    expect(filtered.n.n).not.toBe(total);
    expect(await row(page, 'Baseline PHQ-9, mean (SD)')).toEqual({
      value: mean(filtered.baseline),
      n: String(filtered.baseline.n),
    });
    expect(await row(page, 'Response')).toEqual({
      value: rate(filtered.response),
      n: String(filtered.response.n),
    });
    await screenshot(page, 'outcomes-2-route-filter');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(async () => (await row(page, 'Patients (N)')).value).toBe(String(total));
    await signOut(page);
  });

  step('the researcher sees aggregates only: no patient’s name or MRN', async () => {
    const { page } = desk;
    await signIn(page, kapstone.baseUrl, 'researcher@summit.demo');
    // A researcher has no patient list and no chart.
    expect((await callApi(page, 'GET', '/api/v1/patients?limit=5')).status).toBe(403);
    const view = ok(await callApi<Outcomes>(page, 'GET', '/api/v1/outcomes?instrument=phq9'), 'outcomes');
    expect(view.suppression.researchView).toBe(true);
    expectNoIdentifiers(JSON.stringify(view), 'researcher outcomes API');
    await page.goto(`${kapstone.baseUrl}/outcomes`);
    await visible(page.getByRole('heading', { name: 'Practice outcomes' }));
    await visible(page.getByText('Aggregates of the clinic’s courses only: no patient is named here.'));
    if (view.suppression.minimumCellSize === null) {
      // The clinic has set no minimum cell size (no default: the reference gives no number), so a research
      // view shows no figures at all and says why.
      expect(view.withheld).toBe(true);
      expect(view.summary).toBeNull();
      await visible(page.getByText('No figures yet'));
      await visible(page.getByText(/has not set a minimum cell size/));
      expect(await page.getByRole('table', { name: 'Cohort outcomes, PHQ-9' }).count()).toBe(0);
    } else {
      await visible(page.getByRole('table', { name: 'Cohort outcomes, PHQ-9' }));
    }
    expectNoIdentifiers(await page.locator('body').innerText(), 'researcher outcomes page');
    await screenshot(page, 'outcomes-3-researcher');
  });

  step('a demo patient gives the optional research consent in the portal', async () => {
    const { page } = portal;
    await signIn(page, kapstone.baseUrl, 'patient5@summit.demo');
    const me = ok(await callApi<Person>(page, 'GET', '/api/v1/me/patient'), 'me');
    consented = people.find((p) => p.mrn === me.mrn) ?? null;
    expect(consented).not.toBeNull();
    const consents = ok(
      await callApi<{
        forms: {
          template: { kind: string };
          currentVersion: { id: string };
          latestSignature: { withdrawal: unknown } | null;
        }[];
      }>(page, 'GET', '/api/v1/me/consents'),
      'consents',
    );
    const research = consents.forms.find((f) => f.template.kind === 'research');
    expect(research, 'the demo clinic publishes a research consent').toBeDefined();
    if (!research!.latestSignature || research!.latestSignature.withdrawal) {
      const shown = ok(
        await callApi<{ textSha256: string }>(
          page,
          'GET',
          `/api/v1/me/consents/${research!.currentVersion.id}`,
        ),
        'research consent text',
      );
      ok(
        await callApi(page, 'POST', `/api/v1/me/consents/${research!.currentVersion.id}/signatures`, {
          id: randomUUID(),
          typedName: `${me.givenName} ${me.familyName}`,
          agreed: true,
          textSha256: shown.textSha256,
        }),
        'research consent signature',
      );
    }
  });

  step('the researcher starts a de-identified export and watches it reach Ready', async () => {
    const { page } = desk;
    await page.goto(`${kapstone.baseUrl}/research/exports`);
    await visible(page.getByRole('heading', { name: 'Research exports', level: 1 }));
    await visible(page.getByRole('heading', { name: 'What is removed' }));
    const form = page.getByRole('form', { name: 'New export' });
    // The defaults: PHQ-9 and GAD-7, the last year, CSV with a dictionary and FHIR NDJSON.
    expect(await form.getByRole('checkbox', { name: 'CSV files with a data dictionary' }).isChecked()).toBe(
      true,
    );
    const earlier = ok(
      await callApi<{ items: ResearchExport[] }>(page, 'GET', '/api/v1/research/exports'),
      'exports',
    ).items;
    const before = earlier.map((e) => e.id);
    const readyBefore = earlier.filter((e) => e.status === 'ready').length;
    await form.getByRole('button', { name: 'Start the export' }).click();
    await visible(form.getByRole('status').filter({ hasText: 'Export started' }));
    await expect
      .poll(
        async () =>
          ok(await callApi<{ items: ResearchExport[] }>(page, 'GET', '/api/v1/research/exports'), 'exports')
            .items.map((e) => e.id)
            .find((id) => !before.includes(id)) ?? '',
      )
      .not.toBe('');
    const items = ok(
      await callApi<{ items: ResearchExport[] }>(page, 'GET', '/api/v1/research/exports'),
      'exports',
    );
    exportId = items.items.find((e) => !before.includes(e.id))!.id;

    // The list refreshes by itself while the export is built (its badge from waiting or being built, with a
    // progress bar) until it reads Ready, without a reload.
    const seen = new Set<string>();
    await expect
      .poll(
        async () => {
          for (const label of ['Waiting to start', 'Being built', 'Failed'])
            if ((await page.getByText(label, { exact: true }).count()) > 0) seen.add(label);
          return page.getByText('Ready', { exact: true }).count();
        },
        { timeout: 120_000, interval: 250 },
      )
      .toBe(readyBefore + 1);
    expect(seen.has('Failed')).toBe(false);
    await visible(page.getByRole('link', { name: 'Data dictionary (CSV)' }).first());
    const done = ok(
      await callApi<ResearchExport>(page, 'GET', `/api/v1/research/exports/${exportId}`),
      'the export',
    );
    expect(done).toMatchObject({ status: 'ready', progress: 100 });
    expect(done.patientCount, 'the research-consented patients').toBeGreaterThanOrEqual(1);
    expect(done.files.map((f) => f.name).sort()).toEqual([
      'bundle.ndjson',
      'data-dictionary.csv',
      'observations.csv',
      'patients.csv',
      'sessions.csv',
    ]);
    await visible(page.getByText(new RegExp(`^${done.patientCount} patients?`)));
    await screenshot(page, 'outcomes-4-export-ready');
  });

  step('downloads the data dictionary, and no file of the export names a patient', async () => {
    const { page } = desk;
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Data dictionary (CSV)' }).first().click(),
    ]);
    const saved = await download.path();
    const dictionary = fs.readFileSync(saved, 'utf8');
    expect(dictionary.split('\n')[0]).toMatch(/^[a-z_]+(,[a-z_]+)+\r?$/i);
    expect(dictionary.split('\n').filter((line) => line.trim()).length).toBeGreaterThan(10);

    const patientsCsv = await fetchText(page, `/api/v1/research/exports/${exportId}/files/patients.csv`);
    expect(patientsCsv.status).toBe(200);
    expect(patientsCsv.type).toMatch(/^text\/csv/);
    const rows = patientsCsv.text.trim().split('\n');
    expect(rows.length - 1).toBeGreaterThanOrEqual(1);

    const p = consented!;
    for (const name of [
      'data-dictionary.csv',
      'patients.csv',
      'observations.csv',
      'sessions.csv',
      'bundle.ndjson',
    ]) {
      const file = await fetchText(page, `/api/v1/research/exports/${exportId}/files/${name}`);
      expect(file.status, name).toBe(200);
      expectNoIdentifiers(file.text, name);
      // The consented patient's own words for themself: not even the family name alone.
      expect(file.text, `${name}: family name`).not.toMatch(new RegExp(`\\b${p.familyName}\\b`));
      expect(file.text, `${name}: e-mail`).not.toContain('@summit.demo');
    }
    expectNoIdentifiers(dictionary, 'downloaded dictionary');
  });
});
