import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'clinical',
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    coverage: {
      provider: 'v8',
      include: ['packages/clinical/src/**/*.ts'],
      exclude: ['**/*.test.ts', 'packages/clinical/src/types.ts'],
      reporter: ['text-summary', 'text'],
    },
  },
});
