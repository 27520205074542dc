import { defineConfig } from 'vitest/config';

// Browser journeys: a real Kapstone server (PGlite, demo clinic) and real Chromium via playwright-core.
// Journeys run one file at a time: each file starts its own server and browser, and the machine has 2 cores.
export default defineConfig({
  test: {
    name: 'e2e',
    root: import.meta.dirname,
    include: ['**/*.e2e.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    // beforeAll starts a server (harness.ts allows it 900 s: the demo seed walks patients along the pathway).
    hookTimeout: 960_000,
  },
});
