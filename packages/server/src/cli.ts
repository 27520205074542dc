import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import { buildApp } from './app.ts';
import { systemClock } from './clock.ts';
import { ConfigError, loadConfig } from './config.ts';
import { type Role, roles } from './context.ts';
import { type DatabaseHandle, isEmpty, openDatabase } from './db/client.ts';
import { clinic, roleAssignment, userAccount } from './db/schema/index.ts';
import { seedDemo } from './db/seed/demo.ts';
import { seedDemoOutcomesCohort } from './db/seed/outcomes-cohort.ts';
import { demoHistoryClock, seedDemoPathway } from './db/seed/pathway.ts';
import { appendAuditEvents, verifyAuditChain } from './modules/audit/audit-chain.ts';
import { hashPassword, minimumPasswordLength } from './security/passwords.ts';

const usage = `kapstone <command>

  migrate                         apply database migrations
  seed --demo                     seed the synthetic demo clinics into an empty database
  create-user --clinic <slug> --email <email> --name <display name> --roles <role,role>
                                  create a staff account; the password is read from KAPSTONE_NEW_PASSWORD
                                  or standard input (never from an argument, which shell history keeps)
  audit verify [--clinic <slug>]  recompute every audit chain; exits 1 if one is broken

The database is chosen as the server chooses it: DATABASE_URL, or the PGlite directory DATA_DIR (./data).
With PGlite, stop the server first: an embedded database can be opened by one process at a time.`;

async function readPassword(): Promise<string> {
  if (process.env.KAPSTONE_NEW_PASSWORD) return process.env.KAPSTONE_NEW_PASSWORD;
  if (process.stdin.isTTY) process.stderr.write('Password for the new account: ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split('\n')[0]!.trim();
}

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      demo: { type: 'boolean' },
      clinic: { type: 'string' },
      email: { type: 'string' },
      name: { type: 'string' },
      roles: { type: 'string' },
    },
  });
  if (!command || command === 'help' || command === '--help') {
    console.log(usage);
    return 0;
  }
  const config = loadConfig();
  let handle: DatabaseHandle;
  try {
    handle = await openDatabase(config.database);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    return 1;
  }
  try {
    await handle.migrate();
    switch (command) {
      case 'migrate':
        console.log('Migrations applied.');
        return 0;
      case 'seed': {
        if (!values.demo) {
          console.error('Say what to seed: kapstone seed --demo');
          return 2;
        }
        if (!(await isEmpty(handle.db))) {
          console.error('The database already has clinics; the demo is seeded only into an empty database.');
          return 1;
        }
        // The demo's history starts weeks ago and is walked on its own clock up to now (as in `npm start`).
        const walkClock = demoHistoryClock();
        const seeded = await seedDemo(handle.db, walkClock);
        console.log(
          `Seeded ${seeded.clinics} demo clinics, ${seeded.patients} patients and ${seeded.accounts} accounts.`,
        );
        // The care-pathway stages are reached through the API, as in `npm start` (no listening socket).
        const app = await buildApp({ config, database: handle, clock: walkClock, logger: false });
        try {
          const walked = await seedDemoPathway(app, walkClock);
          console.log(`Walked ${walked.patientsWalked} demo patients along the care pathway.`);
          if (walked.sessions)
            console.log(
              `Dosing sessions: ${walked.sessions.completed} completed, ${walked.sessions.inProgress} in progress, ${walked.sessions.awaitingCheckIn} awaiting check-in today; ${walked.sessions.receipts} ledger receipts.`,
            );
        } finally {
          await app.close();
        }
        const cohort = await seedDemoOutcomesCohort(config, handle);
        console.log(
          `Outcomes cohort: ${cohort.patients} patients, ${cohort.sessions} dosing sessions, ${cohort.followUps} follow-ups (${cohort.seconds} s).`,
        );
        return 0;
      }
      case 'create-user':
        return await createUser(handle, values);
      case 'audit':
        if (positionals[0] !== 'verify') break;
        return await verifyAudit(handle, values.clinic);
    }
    console.error(`Unknown command: ${[command, ...positionals].join(' ')}\n\n${usage}`);
    return 2;
  } finally {
    await handle.close();
  }
}

async function createUser(
  handle: DatabaseHandle,
  values: { clinic?: string; email?: string; name?: string; roles?: string },
): Promise<number> {
  const problems: string[] = [];
  if (!values.clinic) problems.push('--clinic <slug> is required');
  if (!values.email || !/^[^@\s]+@[^@\s]+$/.test(values.email)) problems.push('--email <email> is required');
  if (!values.name) problems.push('--name <display name> is required');
  const requested = (values.roles ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const unknown = requested.filter((r) => !(roles as readonly string[]).includes(r));
  if (requested.length === 0) problems.push(`--roles is required (${roles.join(', ')})`);
  if (unknown.length > 0) problems.push(`unknown roles: ${unknown.join(', ')}`);
  if (problems.length > 0) {
    console.error(problems.map((p) => `  - ${p}`).join('\n'));
    return 2;
  }
  const [target] = await handle.db.select().from(clinic).where(eq(clinic.slug, values.clinic!));
  if (!target) {
    console.error(`No clinic with the slug "${values.clinic}".`);
    return 1;
  }
  const password = await readPassword();
  if (password.length < minimumPasswordLength) {
    console.error(`The password must have at least ${minimumPasswordLength} characters.`);
    return 2;
  }
  const now = systemClock.now();
  const id = randomUUID();
  const passwordHash = await hashPassword(password);
  await handle.db.transaction(async (tx) => {
    await tx.insert(userAccount).values({
      id,
      clinicId: target.id,
      email: values.email!.toLowerCase(),
      displayName: values.name!,
      kind: 'staff',
      passwordHash,
      passwordChangedAt: now,
      createdAt: now,
    });
    await tx
      .insert(roleAssignment)
      .values(
        requested.map((role) => ({ clinicId: target.id, userId: id, role: role as Role, grantedAt: now })),
      );
    await appendAuditEvents(
      tx,
      target.id,
      null,
      [
        {
          action: 'staff.create',
          resourceType: 'user_account',
          resourceId: id,
          detail: { roles: requested, via: 'cli' },
        },
      ],
      { requestId: null, ip: null, userAgent: 'kapstone cli' },
      now,
    );
  });
  console.log(`Created ${values.email} (${requested.join(', ')}) in ${target.name}.`);
  return 0;
}

async function verifyAudit(handle: DatabaseHandle, slug: string | undefined): Promise<number> {
  const clinics = slug
    ? await handle.db.select().from(clinic).where(eq(clinic.slug, slug))
    : await handle.db.select().from(clinic).orderBy(clinic.slug);
  if (clinics.length === 0) {
    console.error(slug ? `No clinic with the slug "${slug}".` : 'No clinics.');
    return 1;
  }
  let broken = 0;
  for (const c of clinics) {
    const result = await verifyAuditChain(handle.db, c.id);
    if (result.ok) {
      console.log(`ok      ${c.slug}: ${result.events} events, chain intact`);
    } else {
      broken += 1;
      console.log(`BROKEN  ${c.slug}: ${result.problems.length} problem(s) in ${result.events} events`);
      for (const p of result.problems.slice(0, 20))
        console.log(`        event ${p.sequence ?? '-'}: ${p.problem}`);
    }
  }
  return broken === 0 ? 0 : 1;
}

run(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((error) => {
    console.error(
      error instanceof ConfigError ? error.message : error instanceof Error ? error.message : error,
    );
    process.exit(1);
  });
