import { defineConfig } from 'vitest/config';

// Browser journeys: a real Kapstone server (PGlite, demo clinic) and real Chromium via playwright-core.
// Journeys run one file at a time: each file starts its own server and browser, and the machine has 2 cores.
export default defineConfig({
  test: {
    name: 'e2e',
    root: import.meta.dirname,
    include: ['**/*.e2e.ts'],
    fileParallelism: false,
    // The demo is seeded once for the run (global-setup.ts); each journey's server starts on a copy of it.
    globalSetup: ['./global-setup.ts'],
    testTimeout: 60_000,
    // beforeAll starts a server on a copy of the seeded demo (harness.ts allows it `startupSeconds`).
    hookTimeout: 960_000,
  },
});
