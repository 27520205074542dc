import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

const repoRoot = path.resolve(import.meta.dirname, '..');

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PGlite data directory holding the seeded demo, copied for each journey's server (harness.ts). */
    demoTemplateDir: string;
  }
}

/**
 * Seeds the demo once for the whole run (`kapstone seed --demo`: the same seed and walks as the first
 * `npm start`), into a template data directory. Each journey's server then starts on a copy of it instead of
 * seeding its own: the walk of the demo's history (the care pathway, the dosing sessions, the outcomes
 * cohort's fourteen months) takes minutes, and once is enough. The copy is what `npm start` finds on its
 * second start: a data directory with the demo in it.
 */
export default async function setup(project: TestProject) {
  if (process.env.KAPSTONE_E2E_URL) return;
  const template = fs.mkdtempSync(path.join(os.tmpdir(), 'kapstone-e2e-demo-'));
  const started = Date.now();
  let log = '';
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'packages/server/src/cli.ts', 'seed', '--demo'],
      {
        cwd: repoRoot,
        env: { ...process.env, DATA_DIR: template, NODE_ENV: 'development', LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout?.on('data', (chunk) => {
      log += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      log += chunk;
    });
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (exitCode !== 0) {
    fs.rmSync(template, { recursive: true, force: true });
    throw new Error(`Seeding the demo for the journeys failed (exit ${exitCode}):\n${log}`);
  }
  console.log(`Demo seeded once for the journeys in ${Math.round((Date.now() - started) / 1000)} s:\n${log}`);
  project.provide('demoTemplateDir', template);
  return () => fs.rmSync(template, { recursive: true, force: true });
}
