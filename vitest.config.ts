import { defineConfig } from 'vitest/config';
import { serverProjects } from './packages/server/vitest.projects.ts';

// One runner for the whole workspace. The browser journeys in e2e/ have their own config (npm run test:e2e).
export default defineConfig({
  test: {
    projects: ['packages/clinical/vitest.config.ts', 'packages/web/vitest.config.ts', ...serverProjects()],
  },
});
