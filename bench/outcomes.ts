/**
 * Issue-6 benchmarks: the practice outcomes dashboard (GET /api/v1/outcomes), one patient's measurement summary
 * (GET /api/v1/patients/:id/measurement-summary) and a de-identified research export of the whole consented
 * cohort through the real job runner, on PostgreSQL and on PGlite, against a synthetic cohort (bench/cohort.ts).
 * The app runs in-process, autocannon loads it from the same process; the export is asked for through the
 * route and polled through the route until it is ready.
 *
 *   npm run bench:outcomes -- [--engine postgres|pglite|both] [--patients 2000] [--duration 5] [--connections 10]
 */

import os from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { buildApp } from '../packages/server/src/app.ts';
import { systemClock } from '../packages/server/src/clock.ts';
import { loadConfig } from '../packages/server/src/config.ts';
import { JobRunner } from '../packages/server/src/jobs/runner.ts';
import { researchExportHandler } from '../packages/server/src/modules/research-export/research-export.service.ts';
import { generateCohort } from './cohort.ts';
import { openBenchEngine } from './engine.ts';

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'both' },
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
    patients: { type: 'string', default: '2000' },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const patients = Number(values.patients);

interface Line {
  engine: string;
  scenario: string;
  figures: string;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mib = (bytes: number) => Math.round(bytes / 2 ** 20);

/** Sequential requests, one at a time: the latency a single user sees (median and worst of `n`). */
async function single(url: string, cookie: string, n: number, makePath: () => string) {
  const times: number[] = [];
  let body: unknown;
  for (let k = 0; k < n; k++) {
    const started = performance.now();
    const response = await fetch(`${url}${makePath()}`, { headers: { cookie } });
    body = await response.json();
    if (response.status !== 200) throw new Error(`${makePath()}: ${response.status} ${JSON.stringify(body)}`);
    times.push(performance.now() - started);
  }
  return { median: median(times), max: Math.max(...times), body };
}

/**
 * `connections` concurrent connections for `duration` seconds; or, for a route slower than that allows
 * (autocannon counts only the requests answered before the deadline), a fixed number of requests (`amount`).
 */
function load(
  url: string,
  cookie: string,
  makePath: () => string,
  amount?: number,
): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections,
        ...(amount ? { amount } : { duration }),
        timeout: 300,
        requests: [{ method: 'GET', headers: { cookie }, setupRequest: (r) => ({ ...r, path: makePath() }) }],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

async function signIn(base: string, email: string, password: string) {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (login.status !== 200) throw new Error(`login ${email}: ${login.status}`);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const csrf = ((await login.json()) as { session: { csrfToken: string } }).session.csrfToken;
  return { cookie, csrf };
}

async function benchEngine(engine: string): Promise<Line[]> {
  const { handle, cleanup } = await openBenchEngine(engine, 'kapstone_bench_outcomes');
  const lines: Line[] = [];
  const log = (scenario: string, figures: string) => {
    lines.push({ engine, scenario, figures });
    console.error(`[${engine}] ${scenario}: ${figures}`);
  };
  try {
    await handle.migrate();
    const seeded = performance.now();
    const cohort = await generateCohort(handle.db, patients);
    const total = Object.values(cohort.rows).reduce((a, b) => a + b, 0);
    log(
      'synthetic cohort',
      `${patients} patients (${cohort.consented} with standing research consent), ${total.toLocaleString('en-US')} rows besides the practice's in ${Math.round(performance.now() - seeded)} ms (${Object.entries(
        cohort.rows,
      )
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')})`,
    );
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', WEB_DIST_DIR: '/nonexistent' });
    const app = await buildApp({ config, database: handle, clock: systemClock, logger: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const prescriber = await signIn(base, cohort.prescriberEmail, cohort.password);
    const admin = await signIn(base, cohort.adminEmail, cohort.password);

    // 1. The outcomes dashboard of the whole cohort (PHQ-9, no filter), then with a filter.
    const outcomesPath = () => '/api/v1/outcomes?instrument=phq9';
    await single(base, prescriber.cookie, 1, outcomesPath); // warm-up
    const one = await single(base, prescriber.cookie, 3, outcomesPath);
    const summary = (one.body as { summary: { n: { n?: number }; response: { percent?: number } } }).summary;
    log(
      'GET /api/v1/outcomes?instrument=phq9, one request at a time (3)',
      `median ${Math.round(one.median)} ms, max ${Math.round(one.max)} ms; cohort n ${summary.n.n}, response ${summary.response.percent}%`,
    );
    const filtered = await single(
      base,
      prescriber.cookie,
      3,
      () => '/api/v1/outcomes?instrument=gad7&indication=F43',
    );
    log(
      'GET /api/v1/outcomes?instrument=gad7&indication=F43, one at a time (3)',
      `median ${Math.round(filtered.median)} ms; cohort n ${(filtered.body as { summary: { n: { n?: number } } }).summary.n.n}`,
    );
    // As many requests as one connection answers in `duration` seconds, at least one per connection.
    const amount = Math.max(connections, Math.ceil((duration * 1000) / one.median));
    const dashboard = await load(base, prescriber.cookie, outcomesPath, amount);
    log(
      `GET /api/v1/outcomes?instrument=phq9, ${connections} connections, ${amount} requests`,
      `${dashboard.requests.total} requests in ${dashboard.duration.toFixed(1)} s (${(dashboard.requests.total / dashboard.duration).toFixed(2)} req/s), p50 ${dashboard.latency.p50} ms, p99 ${dashboard.latency.p99} ms, non-2xx ${dashboard.non2xx}, errors ${dashboard.errors + dashboard.timeouts}`,
    );

    // 2. One patient's measurement summary.
    const randomPatient = () => cohort.patientIds[Math.floor(Math.random() * cohort.patientIds.length)]!;
    const summaryPath = () => `/api/v1/patients/${randomPatient()}/measurement-summary`;
    await single(base, prescriber.cookie, 3, summaryPath);
    const chart = await single(base, prescriber.cookie, 20, summaryPath);
    const points = (chart.body as { instruments: { series: unknown[] }[] }).instruments
      .map((i) => i.series.length)
      .join('+');
    log(
      'GET .../measurement-summary, one request at a time (20)',
      `median ${chart.median.toFixed(1)} ms, max ${Math.round(chart.max)} ms (${points} points)`,
    );
    const charts = await load(base, prescriber.cookie, summaryPath);
    log(
      `GET .../measurement-summary, ${connections} connections, ${duration} s`,
      `${charts.requests.total} requests in ${charts.duration.toFixed(1)} s (${Math.round(charts.requests.total / charts.duration)} req/s), p50 ${charts.latency.p50} ms, p99 ${charts.latency.p99} ms, non-2xx ${charts.non2xx}`,
    );

    // 3. The research export of the consented cohort, through the route and the job runner.
    const runner = new JobRunner(
      {
        database: handle.db,
        clock: systemClock,
        config,
        log: { info: () => {}, warn: (m) => console.error(m), error: (m) => console.error(m) },
      },
      [researchExportHandler],
      [],
      { pollIntervalMs: 100 },
    );
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }, 25);
    const started = performance.now();
    const created = await fetch(`${base}/api/v1/research/exports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: admin.cookie, 'x-csrf-token': admin.csrf },
      body: JSON.stringify({
        instruments: ['phq9', 'gad7'],
        from: '2026-01-01',
        to: '2026-12-31',
        formats: ['csv', 'ndjson'],
      }),
    });
    const { id } = (await created.json()) as { id: string };
    if (created.status !== 201) throw new Error(`export: ${created.status}`);
    runner.start();
    type ExportView = {
      status: string;
      patientCount: number | null;
      rowCounts: Record<string, number> | null;
      files: { name: string; byteSize: number }[];
    };
    let view: ExportView;
    for (;;) {
      const r = await fetch(`${base}/api/v1/research/exports/${id}`, { headers: { cookie: admin.cookie } });
      view = (await r.json()) as ExportView;
      if (view.status === 'ready' || view.status === 'failed') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const wall = performance.now() - started;
    clearInterval(sampler);
    await runner.stop();
    if (view.status !== 'ready') throw new Error('the export failed');
    const rowsOut = Object.entries(view.rowCounts ?? {})
      .filter(([name]) => name !== 'data-dictionary.csv')
      .reduce((a, [, n]) => a + n, 0);
    const bytes = view.files.reduce((a, f) => a + f.byteSize, 0);
    log(
      'research export (PHQ-9 + GAD-7, CSV + NDJSON), POST to ready through the job runner',
      `${(wall / 1000).toFixed(1)} s wall, ${view.patientCount} patients, ${rowsOut.toLocaleString('en-US')} data rows (${Object.entries(
        view.rowCounts ?? {},
      )
        .map(([k, v]) => `${k} ${v}`)
        .join(
          ', ',
        )}), ${Math.round(rowsOut / (wall / 1000)).toLocaleString('en-US')} rows/s, ${mib(bytes)} MiB of files; RSS ${mib(rssBefore)} → peak ${mib(rssPeak)} MiB`,
    );
    await app.close();
  } finally {
    await handle.close();
    await cleanup();
  }
  return lines;
}

const engines = values.engine === 'both' ? ['postgres', 'pglite'] : [values.engine!];
const all: Line[] = [];
for (const engine of engines) all.push(...(await benchEngine(engine)));
console.log(
  `\n${os.cpus().length} x ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${patients} patients, ${connections} connections, ${duration} s per load\n`,
);
console.log('| engine | scenario | figures |\n|---|---|---|');
for (const l of all) console.log(`| ${l.engine} | ${l.scenario} | ${l.figures} |`);
