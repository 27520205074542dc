import path from 'node:path';
import type { TestProjectInlineConfiguration } from 'vitest/config';

/**
 * The server's integration tests run on embedded PGlite and, when TEST_DATABASE_URL is set, again on real
 * PostgreSQL: the same files, two projects. Used by the root vitest.config.ts.
 */
export function serverProjects(): TestProjectInlineConfiguration[] {
  const root = import.meta.dirname;
  const base = {
    root,
    include: ['src/**/*.test.ts'],
    environment: 'node' as const,
    globalSetup: [path.join(root, 'src/testing/global-setup.ts')],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  };
  return [
    { test: { ...base, name: 'server', env: { KAPSTONE_TEST_DB: 'pglite' } } },
    ...(process.env.TEST_DATABASE_URL
      ? [{ test: { ...base, name: 'server-postgres', env: { KAPSTONE_TEST_DB: 'postgres' } } }]
      : []),
  ];
}
