import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { type ExtractTablesWithRelations, sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
/** The database, whichever engine is behind it. Repositories take a `Db` (the database or a transaction). */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Db = Database | Transaction;

export const migrationsFolder = path.join(import.meta.dirname, 'migrations');

export interface DatabaseHandle {
  kind: 'pglite' | 'postgres';
  db: Database;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export type DatabaseSettings =
  | { kind: 'postgres'; url: string; poolSize?: number }
  | { kind: 'pglite'; dataDir: string };

export async function openDatabase(settings: DatabaseSettings): Promise<DatabaseHandle> {
  return settings.kind === 'postgres'
    ? openPostgres(settings.url, settings.poolSize)
    : openPglite(settings.dataDir);
}

async function openPostgres(url: string, poolSize = 10): Promise<DatabaseHandle> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle connection that the server drops (restart, failover, pg_terminate_backend) emits 'error' on the
  // pool; unhandled, that would crash the process. The pool replaces the connection on the next checkout.
  pool.on('error', (error) => {
    process.emitWarning(`PostgreSQL connection lost while idle: ${error.message}`);
  });
  // Fail fast at boot with a clear message rather than at the first request.
  const probe = await pool.connect();
  probe.release();
  const db = drizzlePg(pool, { schema }) as unknown as Database;
  return {
    kind: 'postgres',
    db,
    async migrate() {
      // Several app servers may start at once: one migrates, the others wait on the advisory lock.
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock(7206041)');
        await migratePg(drizzlePg(client, { schema }), { migrationsFolder });
      } finally {
        await client.query('SELECT pg_advisory_unlock(7206041)').catch(() => undefined);
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}

/**
 * Embedded PostgreSQL (PGlite) in a data directory. PGlite takes no lock of its own, and a second process
 * opening the same directory silently corrupts it (STACK.md), so we hold a lock file for as long as the
 * database is open. PGlite runs with fsync off inside its WebAssembly build: writes reach the OS page cache
 * (they survive a crash of the process) but not necessarily the disk (a power cut may lose the last
 * acknowledged writes). That is why PGlite is for trying Kapstone, demos, development and tests, and
 * production runs on PostgreSQL. docs/architecture.md records what was measured.
 */
async function openPglite(dataDir: string | null): Promise<DatabaseHandle> {
  let releaseLock = () => {};
  if (dataDir) {
    fs.mkdirSync(dataDir, { recursive: true });
    releaseLock = acquireDirectoryLock(dataDir);
  }
  let client: PGlite;
  try {
    // relaxedDurability false: each query's writes are flushed to the data directory before it resolves.
    client = new PGlite({
      ...(dataDir ? { dataDir: path.join(dataDir, 'pglite') } : {}),
      relaxedDurability: false,
      // Exclusion constraints over (clinic, room/staff/patient, time range) need btree_gist.
      extensions: { btree_gist },
    });
    await client.waitReady;
  } catch (error) {
    releaseLock();
    throw error;
  }
  return pgliteHandle(client, releaseLock);
}

/** An in-memory PGlite, optionally loaded from a dumped data directory (tests use a migrated template). */
export async function openPgliteFromDump(dump?: Blob): Promise<DatabaseHandle & { pglite: PGlite }> {
  const client = new PGlite({ ...(dump ? { loadDataDir: dump } : {}), extensions: { btree_gist } });
  await client.waitReady;
  return pgliteHandle(client, () => {});
}

function pgliteHandle(client: PGlite, releaseLock: () => void): DatabaseHandle & { pglite: PGlite } {
  const db = drizzlePglite(client, { schema }) as unknown as Database;
  return {
    kind: 'pglite',
    db,
    pglite: client,
    async migrate() {
      await migratePglite(drizzlePglite(client, { schema }), { migrationsFolder });
    },
    async close() {
      try {
        await client.close();
      } finally {
        releaseLock();
      }
    },
  };
}

/**
 * A lock file holding our PID. A lock left by a process that no longer exists (kill -9) is taken over;
 * a lock held by a live process stops us with a clear message.
 */
export function acquireDirectoryLock(dataDir: string): () => void {
  const lockPath = path.join(dataDir, 'kapstone.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(lockPath, 'utf8') === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
      process.once('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(fs.readFileSync(lockPath, 'utf8'), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
        throw new Error(
          `The data directory ${dataDir} is in use by another Kapstone process (pid ${holder}). ` +
            'PGlite cannot be shared between processes; stop the other one or use PostgreSQL (DATABASE_URL).',
        );
      }
      fs.unlinkSync(lockPath); // stale: its owner is gone
    }
  }
  throw new Error(`Could not lock the data directory ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when the database holds no clinic yet (a fresh install). */
export async function isEmpty(db: Db): Promise<boolean> {
  const result = await db.execute(sql`SELECT NOT EXISTS (SELECT 1 FROM clinic) AS empty`);
  const rows = (result as unknown as { rows: { empty: boolean }[] }).rows;
  return rows[0]?.empty ?? true;
}
