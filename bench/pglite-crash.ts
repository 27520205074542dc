/**
 * PGlite crash durability: registers patients through the real server as fast as one client can, kills the
 * server with SIGKILL mid-stream, restarts it on the same data directory (the stale directory lock is taken
 * over) and counts how many acknowledged registrations survived.   node --import tsx bench/pglite-crash.ts
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kapstone-crash-'));
const port = 3977;
const start = () =>
  spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/main.ts'], {
    env: { ...process.env, PORT: String(port), DATA_DIR: dir, LOG_LEVEL: 'silent' },
    stdio: 'ignore',
  });
async function healthy() {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('no start');
}
let child = start();
await healthy();
const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: 'frontdesk@summit.demo', password: 'kapstone-demo-2026' }),
});
const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
const csrf = ((await login.json()) as { session: { csrfToken: string } }).session.csrfToken;
let acknowledged = 0;
const writer = (async () => {
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/v1/patients`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
        body: JSON.stringify({
          givenName: 'Crash',
          familyName: `Probe${i}`,
          dateOfBirth: '1990-01-01',
          sexAtBirth: 'unknown',
        }),
      });
      if (r.status === 201) acknowledged++;
    } catch {
      return;
    }
  }
})();
await new Promise((r) => setTimeout(r, 4000));
child.kill('SIGKILL');
await writer;
child = start();
await healthy();
const l2 = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: 'frontdesk@summit.demo', password: 'kapstone-demo-2026' }),
});
const c2 = l2.headers.get('set-cookie')!.split(';')[0]!;
let found = 0;
let cursor: string | null = null;
do {
  const page = (await (
    await fetch(
      `http://127.0.0.1:${port}/api/v1/patients?q=crash&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      { headers: { cookie: c2 } },
    )
  ).json()) as { items: unknown[]; nextCursor: string | null };
  found += page.items.length;
  cursor = page.nextCursor;
} while (cursor);
console.log(JSON.stringify({ acknowledged, foundAfterRestart: found, lost: acknowledged - found }));
child.kill('SIGTERM');
process.exitCode = acknowledged === found ? 0 : 1;
