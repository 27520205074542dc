import { sql } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import { testEngine } from '../testing/database.ts';
import { openDatabase } from './client.ts';

// A server must survive PostgreSQL dropping an idle pooled connection (restart, failover, an admin's
// pg_terminate_backend): the pool reports it and reconnects on the next query.
describe.runIf(testEngine() === 'postgres')('PostgreSQL connection pool', () => {
  it('survives the server terminating an idle connection', async () => {
    const handle = await openDatabase({ kind: 'postgres', url: inject('postgresTestUrl')!, poolSize: 1 });
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const first = (await handle.db.execute(sql`SELECT pg_backend_pid() AS pid`)) as unknown as {
        rows: { pid: number }[];
      };
      const pid = first.rows[0]!.pid;
      const killer = await openDatabase({ kind: 'postgres', url: inject('postgresTestUrl')!, poolSize: 1 });
      await killer.db.execute(sql`SELECT pg_terminate_backend(${pid})`);
      await killer.close();
      await expect
        .poll(() => warnings.some((w) => w.includes('connection lost')), { timeout: 5000 })
        .toBe(true);
      const again = (await handle.db.execute(sql`SELECT pg_backend_pid() AS pid`)) as unknown as {
        rows: { pid: number }[];
      };
      expect(again.rows[0]!.pid).not.toBe(pid);
    } finally {
      process.off('warning', onWarning);
      await handle.close();
    }
  });
});
