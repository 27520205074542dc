import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'clinical',
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    // Coverage options count only when this file is the root config, i.e. run from packages/clinical:
    // `npx vitest run --coverage` (the workspace runner ignores a project's coverage block). Paths are relative
    // to this directory.
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['**/*.test.ts', 'src/types.ts'],
      reporter: ['text-summary', 'text'],
      // Scoring and outcome rules decide patient safety flags: every branch is exercised, and `--coverage`
      // fails if a change leaves one untested.
      thresholds: {
        'src/instruments/**': { statements: 100, branches: 100, functions: 100, lines: 100 },
        'src/outcomes/**': { statements: 100, branches: 100, functions: 100, lines: 100 },
        'src/catalog.ts': { statements: 100, branches: 100, functions: 100, lines: 100 },
        'src/eligibility/self-reported.ts': { statements: 100, branches: 100, functions: 100, lines: 100 },
        'src/eligibility/decision.ts': { statements: 100, branches: 100, functions: 100, lines: 100 },
      },
    },
  },
});
