import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';

/** What background work receives: the database, the clock and the configuration, passed in (never imported). */
export interface JobEnvironment {
  database: Database;
  clock: Clock;
  config: Config;
  log: { info(msg: string): void; warn(msg: string): void; error(msg: string): void };
}

/** One queued job as its handler sees it. `attempt` counts from 1. */
export interface QueuedJob<Payload> {
  id: string;
  clinicId: string;
  kind: string;
  payload: Payload;
  attempt: number;
}

/**
 * Work done once per queued job (a research export, a reminder to send). A handler that throws is retried
 * with backoff until `maxAttempts`, then the job is marked failed; it must therefore be safe to run again.
 * `reportProgress` stores a 0–100 figure the UI can show.
 */
export interface JobHandler<Payload = unknown> {
  kind: string;
  maxAttempts?: number;
  run(
    job: QueuedJob<Payload>,
    env: JobEnvironment,
    reportProgress: (percent: number) => Promise<void>,
  ): Promise<void>;
}

/**
 * Work done on a period for every clinic (escalating overdue alerts, finding missed measures, queuing
 * reminders). It must be idempotent: two app servers may run it in the same minute.
 */
export interface RecurringTask {
  name: string;
  everyMs: number;
  run(env: JobEnvironment): Promise<void>;
}
