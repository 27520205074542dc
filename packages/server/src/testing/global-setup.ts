import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase, openPgliteFromDump } from '../db/client.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplatePath: string;
    postgresTestUrl: string | null;
  }
}

/**
 * Once per run: a migrated PGlite data directory dumped to a file (each test file loads it in ~1 s instead
 * of creating and migrating a database in ~5 s), and, for the PostgreSQL project, a fresh database created
 * from TEST_DATABASE_URL, migrated, and dropped at the end.
 */
export default async function setup(project: TestProject) {
  const cleanups: (() => Promise<void>)[] = [];
  if (project.name === 'server-postgres') {
    const adminUrl = process.env.TEST_DATABASE_URL!;
    const name = `kapstone_test_${Date.now()}_${process.pid}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const handle = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 2 });
    await handle.migrate();
    await handle.close();
    project.provide('postgresTestUrl', url.toString());
    project.provide('pgliteTemplatePath', '');
    cleanups.push(async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    });
  } else {
    const handle = await openPgliteFromDump();
    await handle.migrate();
    const dump = await handle.pglite.dumpDataDir('none');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kapstone-template-')), 'template.tar');
    fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    await handle.close();
    project.provide('pgliteTemplatePath', file);
    project.provide('postgresTestUrl', null);
    cleanups.push(async () => fs.rmSync(path.dirname(file), { recursive: true, force: true }));
  }
  return async () => {
    for (const cleanup of cleanups) await cleanup();
  };
}
