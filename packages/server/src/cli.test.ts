import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './db/client.ts';
import { testEngine } from './testing/database.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kapstone-cli-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function kapstone(...args: string[]) {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, 'cli.ts'), ...args],
    {
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        DATABASE_URL: '',
        KAPSTONE_NEW_PASSWORD: 'a-long-enough-password',
      },
      encoding: 'utf8',
    },
  );
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

// The CLI runs in its own process on its own PGlite directory, so it needs no second database engine.
describe.runIf(testEngine() === 'pglite')('kapstone CLI', () => {
  it('seeds the demo, verifies the audit chains, and fails verification after a row is altered in the database', async () => {
    const seeded = kapstone('seed', '--demo');
    expect(seeded.code, seeded.out).toBe(0);
    expect(seeded.out).toMatch(/Walked 12 demo patients along the care pathway/);
    const created = kapstone(
      'create-user',
      '--clinic',
      'harbor',
      '--email',
      'cli.nurse@harbor.demo',
      '--name',
      'CLI Nurse',
      '--roles',
      'nurse',
    );
    expect(created.code, created.out).toBe(0);
    const intact = kapstone('audit', 'verify');
    expect(intact.code, intact.out).toBe(0);
    // The seed and the walk along the pathway are audited; the new account's event is the chain's last.
    const events = Number(/ok\s+harbor: (\d+) events, chain intact/.exec(intact.out)?.[1]);
    expect(events).toBeGreaterThan(100);

    // Someone with database access rewrites history, bypassing the triggers.
    const handle = await openDatabase({ kind: 'pglite', dataDir });
    await handle.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL session_replication_role = replica`);
      await tx.execute(sql`UPDATE audit_event SET action = 'staff.disable' WHERE action = 'staff.create'`);
    });
    await handle.close();

    const broken = kapstone('audit', 'verify', '--clinic', 'harbor');
    expect(broken.code).toBe(1);
    expect(broken.out).toMatch(/BROKEN\s+harbor/);
    expect(broken.out).toContain(`event ${events}: its content does not match its hash`);
  }, 400_000);

  it('refuses to open a PGlite directory another process holds', async () => {
    const handle = await openDatabase({ kind: 'pglite', dataDir });
    try {
      const result = kapstone('migrate');
      expect(result.code).toBe(1);
      expect(result.out).toMatch(/in use by another Kapstone process/);
    } finally {
      await handle.close();
    }
  }, 60_000);

  it('explains its usage and rejects unknown commands', () => {
    expect(kapstone('help').out).toContain('audit verify');
    expect(kapstone('frobnicate').code).toBe(2);
  }, 60_000);
});
