/**
 * Kapstone benchmarks: the audited chart read and the audited write against the floor (the same SQL behind a
 * bare route, no session, no permission, no audit), on PostgreSQL and on PGlite, 20 connections, with
 * autocannon in the same process family on the same machine. Afterwards the audit chains are verified and the
 * number of audit events is compared with the number of successful requests: under concurrency no event may be
 * lost or break the chain.
 *
 *   npm run bench -- [--engine postgres|pglite|both] [--duration 10] [--connections 20] [--patients 5000]
 */

import os from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { and, asc, eq, sql } from 'drizzle-orm';
import { buildApp } from '../packages/server/src/app.ts';
import { systemClock } from '../packages/server/src/clock.ts';
import { loadConfig } from '../packages/server/src/config.ts';
import type { DatabaseHandle } from '../packages/server/src/db/client.ts';
import {
  auditEvent,
  patient,
  patientAllergy,
  patientCondition,
  patientMedication,
} from '../packages/server/src/db/schema/index.ts';
import { verifyAuditChain } from '../packages/server/src/modules/audit/audit-chain.ts';
import { openBenchEngine } from './engine.ts';
import { generatePractice } from './practice.ts';

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'both' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '20' },
    patients: { type: 'string', default: '5000' },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const patientsPerClinic = Number(values.patients);

interface Row {
  engine: string;
  scenario: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
}

function load(
  url: string,
  makePath: () => string,
  options: { method?: string; headers?: Record<string, string>; body?: () => string } = {},
): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections,
        duration,
        requests: [
          {
            method: (options.method ?? 'GET') as autocannon.Request['method'],
            headers: options.headers,
            setupRequest: (request) => ({
              ...request,
              path: makePath(),
              ...(options.body ? { body: options.body() } : {}),
            }),
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

async function benchEngine(engine: string): Promise<Row[]> {
  const { handle, cleanup } = await openBenchEngine(engine, 'kapstone_bench');
  const rows: Row[] = [];
  try {
    await handle.migrate();
    const seeded = Date.now();
    const practice = await generatePractice(handle.db, 2, patientsPerClinic);
    console.error(
      `[${engine}] synthetic practice: 2 clinics x ${patientsPerClinic} patients in ${Date.now() - seeded} ms`,
    );
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', WEB_DIST_DIR: '/nonexistent' });
    const app = await buildApp({ config, database: handle, clock: systemClock, logger: false });
    const db = handle.db;

    // The floor: the same reads and the same insert as the real routes, without session, permission or audit.
    app.get('/bench/floor/patients/:clinicId/:patientId', async (request) => {
      const { clinicId, patientId } = request.params as { clinicId: string; patientId: string };
      const [row] = await db
        .select()
        .from(patient)
        .where(and(eq(patient.clinicId, clinicId), eq(patient.id, patientId)));
      const [conditions, medications, allergies] = await Promise.all([
        db
          .select()
          .from(patientCondition)
          .where(and(eq(patientCondition.clinicId, clinicId), eq(patientCondition.patientId, patientId)))
          .orderBy(asc(patientCondition.recordedAt)),
        db
          .select()
          .from(patientMedication)
          .where(and(eq(patientMedication.clinicId, clinicId), eq(patientMedication.patientId, patientId)))
          .orderBy(asc(patientMedication.recordedAt)),
        db
          .select()
          .from(patientAllergy)
          .where(and(eq(patientAllergy.clinicId, clinicId), eq(patientAllergy.patientId, patientId)))
          .orderBy(asc(patientAllergy.recordedAt)),
      ]);
      return { ...row, conditions, medications, allergies };
    });
    app.post('/bench/floor/patients/:clinicId/:patientId/conditions', async (request, reply) => {
      const { clinicId, patientId } = request.params as { clinicId: string; patientId: string };
      const body = request.body as { icd10: string; description: string };
      const [row] = await db
        .insert(patientCondition)
        .values({
          id: crypto.randomUUID(),
          clinicId,
          patientId,
          icd10: body.icd10,
          description: body.description,
          recordedAt: new Date(),
        })
        .returning();
      return reply.status(201).send(row);
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address() as { port: number };
    const base = `http://127.0.0.1:${address.port}`;

    const clinic = practice.clinics[0]!;
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: clinic.prescriberEmail, password: practice.password }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const csrf = ((await login.json()) as { session: { csrfToken: string } }).session.csrfToken;
    const randomPatient = () => clinic.patientIds[Math.floor(Math.random() * clinic.patientIds.length)]!;
    const auditBefore = await countAudit(handle, clinic.id);
    let auditedRequests = 0;
    const condition = () => JSON.stringify({ icd10: 'F41.1', description: 'Generalized anxiety disorder' });
    const json = { 'content-type': 'application/json' };

    const scenarios: [string, () => Promise<autocannon.Result>, boolean][] = [
      [
        'chart read: GET /api/v1/patients/:id (session, care scope, audit)',
        () => load(base, () => `/api/v1/patients/${randomPatient()}`, { headers: { cookie } }),
        true,
      ],
      [
        'chart read: floor (same SQL, bare route)',
        () => load(base, () => `/bench/floor/patients/${clinic.id}/${randomPatient()}`),
        false,
      ],
      [
        'add diagnosis: POST .../conditions (session, CSRF, care scope, audit)',
        () =>
          load(base, () => `/api/v1/patients/${randomPatient()}/conditions`, {
            method: 'POST',
            headers: { ...json, cookie, 'x-csrf-token': csrf },
            body: condition,
          }),
        true,
      ],
      [
        'add diagnosis: floor (same insert, bare route)',
        () =>
          load(base, () => `/bench/floor/patients/${clinic.id}/${randomPatient()}/conditions`, {
            method: 'POST',
            headers: json,
            body: condition,
          }),
        false,
      ],
      [
        'invalid body: POST .../conditions (zod 400)',
        () =>
          load(base, () => `/api/v1/patients/${randomPatient()}/conditions`, {
            method: 'POST',
            headers: { ...json, cookie, 'x-csrf-token': csrf },
            body: () => '{"icd10":"nope"}',
          }),
        false,
      ],
    ];
    for (const [scenario, run, audited] of scenarios) {
      const result = await run();
      const ok = result['2xx'];
      if (audited) auditedRequests += ok;
      rows.push({
        engine,
        scenario,
        requests: result.requests.total,
        rps: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        non2xx: result.non2xx,
      });
      console.error(
        `[${engine}] ${scenario}: ${result.requests.average} req/s, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}`,
      );
    }
    await app.close();
    const auditAfter = await countAudit(handle, clinic.id);
    const chain = await verifyAuditChain(handle.db, clinic.id);
    console.error(
      `[${engine}] audit: ${auditAfter - auditBefore} events for ${auditedRequests} successful audited requests; chain ${chain.ok ? 'intact' : 'BROKEN'} over ${chain.events} events`,
    );
    rows.push({
      engine,
      scenario: `audit check: ${auditAfter - auditBefore} events for ${auditedRequests} audited 2xx; chain ${chain.ok ? 'intact' : 'BROKEN'}`,
      requests: 0,
      rps: 0,
      p50: 0,
      p99: 0,
      non2xx: 0,
    });
    // autocannon stops counting at the deadline while up to `connections` requests per scenario are still in
    // flight; the server completes (and audits) them. So: at least one event per counted 2xx, at most that
    // plus the in-flight allowance, and the chain intact.
    const events = auditAfter - auditBefore;
    const allowance = connections * scenarios.filter(([, , audited]) => audited).length;
    if (!chain.ok || events < auditedRequests || events > auditedRequests + allowance) process.exitCode = 1;
  } finally {
    await handle.close();
    await cleanup();
  }
  return rows;
}

async function countAudit(handle: DatabaseHandle, clinicId: string): Promise<number> {
  const [row] = await handle.db
    .select({ n: sql<number>`count(*)::int` })
    .from(auditEvent)
    .where(eq(auditEvent.clinicId, clinicId));
  return Number(row?.n ?? 0);
}

const engines = values.engine === 'both' ? ['postgres', 'pglite'] : [values.engine!];
const all: Row[] = [];
for (const engine of engines) all.push(...(await benchEngine(engine)));
console.log(
  `\n${os.cpus().length} x ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${connections} connections, ${duration} s each, ${patientsPerClinic} patients per clinic\n`,
);
console.log('| engine | scenario | req/s | p50 ms | p99 ms | non-2xx |\n|---|---|---|---|---|---|');
for (const r of all)
  console.log(
    r.requests
      ? `| ${r.engine} | ${r.scenario} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${r.non2xx} |`
      : `| ${r.engine} | ${r.scenario} | | | | |`,
  );
