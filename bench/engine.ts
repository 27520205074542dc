import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type DatabaseHandle, openDatabase } from '../packages/server/src/db/client.ts';

/** The PostgreSQL server the benchmarks create their throwaway databases on. */
export const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A fresh, empty database for one benchmark run: a new PostgreSQL database (dropped afterwards) or a PGlite
 * data directory in a temp folder (removed afterwards). `prefix` names it, so runs of different suites are
 * told apart.
 */
export async function openBenchEngine(
  engine: string,
  prefix: string,
): Promise<{ handle: DatabaseHandle; cleanup: () => Promise<void> }> {
  if (engine === 'postgres') {
    const name = `${prefix}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const handle = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 20 });
    return {
      handle,
      cleanup: async () => {
        const c = new pg.Client({ connectionString: adminUrl });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix.replaceAll('_', '-')}-`));
  const handle = await openDatabase({ kind: 'pglite', dataDir: dir });
  return { handle, cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}
