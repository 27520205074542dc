import fs from 'node:fs';
import { inject } from 'vitest';
import { type DatabaseHandle, openDatabase, openPgliteFromDump } from '../db/client.ts';

export type TestEngine = 'pglite' | 'postgres';

export function testEngine(): TestEngine {
  return process.env.KAPSTONE_TEST_DB === 'postgres' ? 'postgres' : 'pglite';
}

/**
 * A migrated database for one test file: a private PGlite loaded from the run's template, or a pool on the
 * run's fresh PostgreSQL database (shared by the files; tests isolate themselves by creating clinics).
 */
export async function createTestDatabase(): Promise<DatabaseHandle> {
  if (testEngine() === 'postgres') {
    const url = inject('postgresTestUrl');
    if (!url) throw new Error('The PostgreSQL test database was not prepared (TEST_DATABASE_URL unset?)');
    return openDatabase({ kind: 'postgres', url, poolSize: 8 });
  }
  const template = fs.readFileSync(inject('pgliteTemplatePath'));
  return openPgliteFromDump(new Blob([template]));
}
