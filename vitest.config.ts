import { defineConfig } from 'vitest/config';

// One runner for the whole workspace: each package declares its own project(s).
// The browser journeys in e2e/ have their own config (npm run test:e2e).
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts'],
  },
});
