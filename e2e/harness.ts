import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { expect, inject, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '..');
export const demoPassword = 'kapstone-demo-2026';

export interface RunningKapstone {
  baseUrl: string;
  dataDir: string;
  output: () => string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts Kapstone exactly as `npm start` does (after the build): embedded PGlite in a data dir of its own, on a
 * copy of the demo seeded once for the run (global-setup.ts), as a second `npm start` finds it.
 * With `KAPSTONE_E2E_URL` set, the journeys drive that already-running server instead (while writing a journey;
 * the journeys register their own patients, so a server that has seen earlier runs does).
 */
export async function startKapstone(): Promise<RunningKapstone> {
  const external = process.env.KAPSTONE_E2E_URL;
  if (external) {
    return { baseUrl: external.replace(/\/+$/, ''), dataDir: '', output: () => '', async stop() {} };
  }
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kapstone-e2e-'));
  const template = inject('demoTemplateDir');
  if (template) fs.cpSync(template, dataDir, { recursive: true });
  const webDir = await snapshotWebApp();
  let log = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/main.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      WEB_DIST_DIR: webDir,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => {
    log += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    log += chunk;
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  // Migrations, the demo seed and the walk of the demo patients along the care pathway come before listening.
  const deadline = Date.now() + startupSeconds * 1000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Kapstone exited with ${child.exitCode}:\n${log}`);
    try {
      const response = await fetch(`${baseUrl}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Kapstone did not become healthy in time:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    baseUrl,
    dataDir,
    output: () => log,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(webDir, { recursive: true, force: true });
    },
  };
}

/**
 * How long the server may take to start. On the seeded copy it only migrates (nothing to do) and listens;
 * the margin is for a run without the global setup (a single file run another way), which seeds the demo
 * itself: that took over eight minutes on a busy 2-core machine.
 */
export const startupSeconds = 900;

/**
 * A copy of the built web app for this server alone. The server lists the app's files when it starts, so a
 * rebuild of `packages/web/dist` while a journey runs (another `npm start` or `npm run build` in the same
 * checkout) would leave it serving a page whose scripts it no longer has; the copy stays as it was built.
 */
async function snapshotWebApp(): Promise<string> {
  const source = path.resolve(process.env.WEB_DIST_DIR ?? path.join(repoRoot, 'packages/web/dist'));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'kapstone-e2e-web-'));
    try {
      fs.cpSync(source, copy, { recursive: true });
      const index = fs.readFileSync(path.join(copy, 'index.html'), 'utf8');
      const assets = [...index.matchAll(/(?:src|href)="\/([^"]+)"/g)].map((m) => m[1]!);
      if (assets.length > 0 && assets.every((asset) => fs.existsSync(path.join(copy, asset)))) return copy;
    } catch {
      // not built, or being rebuilt right now
    }
    fs.rmSync(copy, { recursive: true, force: true });
    if (Date.now() > deadline)
      throw new Error(`No complete build of the web app in ${source}: run npm run build.`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Debian's Chromium, headless, with a fresh profile and no background network (the machine has none). */
export async function openBrowser(
  viewport = { width: 1280, height: 800 },
  device: { isMobile?: boolean; hasTouch?: boolean } = {},
): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'kapstone-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    viewport,
    ...device,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a screenshot next to the run's artifacts, for a person to look at when a journey fails. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = path.join(import.meta.dirname, '.artifacts');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Signs in on the login page and waits until the app has left it (the staff console or the portal). */
export async function signIn(
  page: Page,
  baseUrl: string,
  email: string,
  password = demoPassword,
): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel(/^Email/).fill(email);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 20_000 });
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 20_000 });
}

export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
}

/**
 * Calls the API from inside the page with the signed-in session, as the web app does (`api/client.ts`): the
 * cookie, and the CSRF token from the session in `x-csrf-token` on a state-changing request. For setting up
 * what an earlier journey already walks through in the UI.
 */
export async function callApi<T = unknown>(
  page: Page,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<ApiAnswer<T>> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const session = await fetch('/api/v1/auth/session', { headers: { accept: 'application/json' } });
      const { csrfToken } = (await session.json()) as { csrfToken: string };
      const response = await fetch(path, {
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(method === 'GET' ? {} : { 'x-csrf-token': csrfToken }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
    { method, path, body },
  ) as Promise<ApiAnswer<T>>;
}

/** Everything the page keeps in localStorage and sessionStorage, as one string to search for patient data. */
export async function browserStorage(page: Page): Promise<string> {
  return page.evaluate(() => {
    const w = globalThis as unknown as { localStorage: object; sessionStorage: object };
    return JSON.stringify({ ...w.localStorage }) + JSON.stringify({ ...w.sessionStorage });
  });
}

/** The page's accessibility tree, shortened: what a failing step saw, for its error message. */
export async function whatIsShown(page: Page, limit = 12_000): Promise<string> {
  const tree = await page
    .locator('body')
    .ariaSnapshot({ timeout: 5_000 })
    .catch((error: Error) => `(no snapshot: ${error.message})`);
  return `${page.url()}\n${tree.length > limit ? `${tree.slice(0, limit)}\n…` : tree}`;
}

/** Waits until the locator is visible (the app answers asynchronously); on failure, says what the page showed. */
export async function visible(locator: Locator, timeout = 15_000): Promise<void> {
  try {
    await expect.poll(() => locator.isVisible(), { timeout }).toBe(true);
  } catch (error) {
    throw new Error(`Not visible: ${locator}\n${await whatIsShown(locator.page())}`, { cause: error });
  }
}

/** Picks an option of a Mantine Select (a combobox and its list of options). */
export async function chooseOption(page: Page, label: string, option: string | RegExp): Promise<void> {
  await page.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option }).click();
}

/**
 * A journey's steps build on each other: once one fails, the later ones are skipped (their failures would only
 * echo the first) and the report names the step that broke.
 */
export function journeySteps(): (name: string, run: () => Promise<void>, timeout?: number) => void {
  let broken: string | null = null;
  return (name, run, timeout) =>
    it(
      name,
      async (context) => {
        if (broken) context.skip(`an earlier step failed: ${broken}`);
        try {
          await run();
        } catch (error) {
          broken = name;
          throw error;
        }
      },
      timeout,
    );
}
