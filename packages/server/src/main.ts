import { buildApp } from './app.ts';
import { systemClock } from './clock.ts';
import { ConfigError, loadConfig } from './config.ts';
import { isEmpty, openDatabase } from './db/client.ts';
import { seedDemo } from './db/seed/demo.ts';
import { demoLogins, demoPassword } from './db/seed/demo-logins.ts';
import { seedDemoOutcomesCohort } from './db/seed/outcomes-cohort.ts';
import { demoHistoryClock, seedDemoPathway } from './db/seed/pathway.ts';
import { jobHandlers, recurringTasks } from './jobs/registry.ts';
import { JobRunner } from './jobs/runner.ts';
import { MailDispatcher } from './modules/mail/mail.dispatcher.ts';
import { createMailTransport } from './modules/mail/mail.transport.ts';

/** config -> database -> migrations -> demo seed (empty database, demo mode) -> listen; graceful shutdown. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }

  const database = await openDatabase(config.database);
  await database.migrate();
  const seedTheDemo = config.demo && (await isEmpty(database.db));
  if (seedTheDemo) {
    // The demo's history starts weeks ago: it is seeded and walked on a clock of its own, through an app
    // instance of its own, and ends at the real time (a dosing session in progress now).
    const started = Date.now();
    const walkClock = demoHistoryClock();
    const seeded = await seedDemo(database.db, walkClock);
    console.log(
      `Seeded the synthetic demo: ${seeded.clinics} clinics, ${seeded.patients} patients, ${seeded.accounts} accounts.`,
    );
    // The demo patients are walked along the care pathway through the API itself, before anyone can sign in.
    const walkApp = await buildApp({ config, database, clock: walkClock, logger: false });
    try {
      const walked = await seedDemoPathway(walkApp, walkClock);
      console.log(
        `Walked ${walked.patientsWalked} demo patients along the care pathway; ${walked.invitations} portal invitations pending.`,
      );
      if (walked.sessions)
        console.log(
          `Demo dosing sessions: ${walked.sessions.completed} completed, ${walked.sessions.inProgress} in progress now, ${walked.sessions.awaitingCheckIn} awaiting check-in later today; ledger: ${walked.sessions.receipts} receipts, ${walked.sessions.wastes} witnessed wastes (${Math.round((Date.now() - started) / 1000)} s).`,
        );
    } finally {
      await walkApp.close();
    }
  }

  const app = await buildApp({ config, database, clock: systemClock });
  await app.listen({ host: config.host, port: config.port });
  // Queued mail (portal invitations) is delivered from this process, after the transaction that wrote it.
  const mailTransport = createMailTransport(config, app.log);
  const mailDispatcher = new MailDispatcher({
    database: database.db,
    transport: mailTransport,
    clock: systemClock,
    logger: app.log,
    keepBodies: config.demo,
  });
  mailDispatcher.start();
  // Queued jobs and recurring tasks (reminders, missed measures, escalations) run here too; several app
  // servers share the work through the background_job table's lease claim (jobs/runner.ts).
  const jobRunner = new JobRunner(
    {
      database: database.db,
      clock: systemClock,
      config,
      log: {
        info: (msg) => app.log.info(msg),
        warn: (msg) => app.log.warn(msg),
        error: (msg) => app.log.error(msg),
      },
    },
    jobHandlers,
    recurringTasks,
  );
  // The outcomes dashboard's demo cohort (db/seed/outcomes-cohort.ts: fourteen months of finished courses and
  // follow-ups, thousands of requests) is walked after Kapstone is listening, so the first start does not keep
  // a visitor waiting for minutes; the dashboard fills as it goes. The job runner waits for it: its recurring
  // tasks (missed measures, reminders) would otherwise act on the history's questionnaires while they are
  // still pending, half-way through being written.
  let stopping = false;
  let cohortWalk: Promise<void> | null = null;
  if (seedTheDemo) {
    cohortWalk = seedDemoOutcomesCohort(config, database).then(
      (cohort) => {
        console.log(
          `Demo outcomes cohort written: ${cohort.patients} patients, ${cohort.sessions} dosing sessions, ${cohort.followUps} follow-ups (${cohort.seconds} s).`,
        );
      },
      (error: unknown) => {
        console.error('The demo outcomes cohort could not be written:', error);
      },
    );
    void cohortWalk.then(() => {
      if (!stopping) jobRunner.start();
    });
  } else jobRunner.start();
  const shownHost = config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host;
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(
    `\nKapstone is running at http://${shownHost}:${port}  (database: ${database.kind === 'pglite' ? `embedded PGlite in ${config.database.kind === 'pglite' ? config.database.dataDir : ''}` : 'PostgreSQL'})`,
  );
  if (config.demo) {
    console.log(`Demo mode: synthetic data. Every demo login uses the password "${demoPassword}":`);
    for (const login of demoLogins())
      console.log(`  ${login.email.padEnd(26)} ${login.role.padEnd(11)} ${login.clinic}`);
  }
  if (database.kind === 'pglite') {
    console.log(
      'PGlite is for trying Kapstone, demos and development; run production on PostgreSQL (DATABASE_URL).',
    );
  }
  if (cohortWalk) {
    console.log(
      "The outcomes dashboard's demo history (fourteen months of courses) is being written in the background; a line here says when it is done. Stopping before then leaves it part-written: delete the data directory to start over.",
    );
  }

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    try {
      await app.close(); // stops accepting, lets in-flight requests finish
      await jobRunner.stop(); // lets a job in progress record its outcome
      await mailDispatcher.stop(); // lets a delivery in progress record its outcome
      await mailTransport.close();
      await database.close();
      process.exit(0);
    } catch (error) {
      console.error('Shutdown failed', error);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
