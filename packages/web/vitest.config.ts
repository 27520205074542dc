import { defineConfig } from 'vitest/config';

// Unit tests of the web app's pure parts (API client, form models, formatting); screens are covered by the
// browser journeys in e2e/.
export default defineConfig({
  test: {
    name: 'web',
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
