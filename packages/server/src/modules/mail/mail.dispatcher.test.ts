import type { AddressInfo } from 'node:net';
import { eq, inArray } from 'drizzle-orm';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { StaffActor } from '../../context.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import { mailOutbox } from '../../db/schema/index.ts';
import { runUnitOfWork } from '../../http/unit-of-work.ts';
import { createTestDatabase } from '../../testing/database.ts';
import { createClinic, createStaffUser } from '../../testing/factories.ts';
import { backoffMs, claimDueMail, defaultDispatchPolicy, MailDispatcher } from './mail.dispatcher.ts';
import { enqueueMail, type MailInput } from './mail.service.ts';
import { SmtpTransport } from './mail.transport.ts';

/**
 * The dispatcher against a real SMTP server on the loopback interface (smtp-server), so what is tested is
 * nodemailer speaking SMTP, not a mock of it. The server can be told to refuse the next N recipients with a
 * temporary error (451), as a greylisting or overloaded mail server does.
 */
interface Received {
  from: string;
  to: string[];
  raw: string;
}

let database: DatabaseHandle;
let server: SMTPServer;
let smtpUrl: string;
const received: Received[] = [];
let refuseNext = 0;
let actor: StaffActor;

beforeAll(async () => {
  database = await createTestDatabase();
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (refuseNext > 0) {
        refuseNext--;
        const error = new Error('Mailbox busy, try again later') as Error & { responseCode: number };
        error.responseCode = 451;
        return callback(error);
      }
      callback();
    },
    onData(stream: SMTPServerDataStream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  smtpUrl = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  const clinic = await createClinic(database.db, { name: 'Dispatch Clinic' });
  const staff = await createStaffUser(database.db, clinic.id, ['frontdesk']);
  actor = {
    kind: 'staff',
    userId: staff.id,
    clinicId: clinic.id,
    sessionId: staff.id,
    email: staff.email,
    displayName: 'Front desk',
    roles: ['frontdesk'],
  };
});
afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await database?.close();
});
beforeEach(() => {
  received.length = 0;
  refuseNext = 0;
});

/**
 * Each test runs in an era of its own, earlier than the one before, so mail another test (or, on the shared
 * PostgreSQL test database, another test file) left queued is never due for it.
 */
let era = 2010;
function eraClock(): ManualClock {
  era--;
  return new ManualClock(`${era}-06-01T12:00:00Z`);
}

async function queue(clock: ManualClock, input: Partial<MailInput> = {}): Promise<string> {
  const { id } = await runUnitOfWork(
    database.db,
    actor,
    { requestId: null, ip: null, userAgent: null },
    clock,
    (ctx) =>
      enqueueMail(ctx, {
        to: 'patient.one@mail.test',
        subject: 'Your invitation to the Dispatch Clinic patient portal',
        text: 'Open this link to choose your password:\nhttp://localhost:3000/invite/abc',
        ...input,
      }),
  );
  return id;
}

async function outboxRow(id: string) {
  const [row] = await database.db.select().from(mailOutbox).where(eq(mailOutbox.id, id));
  return row!;
}

function dispatcher(
  clock: ManualClock,
  options: { keepBodies?: boolean; url?: string; maxAttempts?: number } = {},
) {
  const transport = new SmtpTransport(options.url ?? smtpUrl, 'Kapstone <no-reply@kapstone.test>', {
    connectionTimeoutMs: 2_000,
  });
  return {
    transport,
    dispatcher: new MailDispatcher(
      { database: database.db, transport, clock, keepBodies: options.keepBodies ?? false },
      { maxAttempts: options.maxAttempts ?? defaultDispatchPolicy.maxAttempts },
    ),
  };
}

describe('the mail outbox', () => {
  it('holds a mail only if the transaction that wrote it commits', async () => {
    const clock = eraClock();
    let rolledBack: string | null = null;
    await expect(
      runUnitOfWork(
        database.db,
        actor,
        { requestId: null, ip: null, userAgent: null },
        clock,
        async (ctx) => {
          rolledBack = (await enqueueMail(ctx, { to: 'a@mail.test', subject: 'S', text: 'T' })).id;
          throw new Error('the change failed');
        },
      ),
    ).rejects.toThrow('the change failed');
    expect(rolledBack).not.toBeNull();
    expect(await database.db.select().from(mailOutbox).where(eq(mailOutbox.id, rolledBack!))).toEqual([]);
    const kept = await queue(clock);
    expect((await outboxRow(kept)).status).toBe('queued');
    const { dispatcher: d, transport } = dispatcher(clock);
    await d.runOnce();
    await transport.close();
  });

  it('refuses a malformed address or a subject with a line break (header injection)', async () => {
    const clock = eraClock();
    await expect(queue(clock, { to: 'not an address' })).rejects.toThrow();
    await expect(queue(clock, { subject: 'Hello\r\nBcc: someone@else.test' })).rejects.toThrow();
  });
});

describe('the dispatcher, against a real SMTP server', () => {
  it('delivers a queued mail and records it as sent; outside demo mode the body is then removed', async () => {
    const clock = eraClock();
    const id = await queue(clock);
    const { dispatcher: d, transport } = dispatcher(clock);
    clock.advance(1_000);
    expect(await d.runOnce()).toEqual({ sent: 1, retried: 0, failed: 0 });
    await transport.close();

    expect(received).toHaveLength(1);
    expect(received[0]!.to).toEqual(['patient.one@mail.test']);
    expect(received[0]!.from).toBe('no-reply@kapstone.test');
    expect(received[0]!.raw).toContain('Subject: Your invitation to the Dispatch Clinic patient portal');
    expect(received[0]!.raw).toContain('http://localhost:3000/invite/abc');
    const row = await outboxRow(id);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, lastError: null, claimedUntil: null });
    expect(row.sentAt).toEqual(clock.now());
    expect(row.messageId).toMatch(/^<.+>$/);
    expect(row.textBody).toBeNull();
    expect(row.bodyRemovedAt).toEqual(clock.now());
    // Sent is final: nothing more to do.
    const again = dispatcher(clock);
    expect(await again.dispatcher.runOnce()).toEqual({ sent: 0, retried: 0, failed: 0 });
    await again.transport.close();
  });

  it('keeps the body in demo mode, for the Sent mail view', async () => {
    const clock = eraClock();
    const id = await queue(clock);
    const { dispatcher: d, transport } = dispatcher(clock, { keepBodies: true });
    await d.runOnce();
    await transport.close();
    const row = await outboxRow(id);
    expect(row.status).toBe('sent');
    expect(row.textBody).toContain('/invite/abc');
    expect(row.bodyRemovedAt).toBeNull();
  });

  it('retries after a temporary failure, after the backoff, and then delivers', async () => {
    const clock = eraClock();
    const id = await queue(clock);
    const { dispatcher: d, transport } = dispatcher(clock);
    refuseNext = 1;
    expect(await d.runOnce()).toEqual({ sent: 0, retried: 1, failed: 0 });
    let row = await outboxRow(id);
    expect(row.status).toBe('queued');
    expect(row.attempts).toBe(1);
    expect(row.lastError).toMatch(/451/);
    expect(row.nextAttemptAt).toEqual(new Date(clock.now().getTime() + 60_000));
    expect(row.textBody).not.toBeNull();

    // Not due yet: nothing happens before the backoff has passed.
    clock.advance(59_000);
    expect(await d.runOnce()).toEqual({ sent: 0, retried: 0, failed: 0 });
    clock.advance(1_000);
    expect(await d.runOnce()).toEqual({ sent: 1, retried: 0, failed: 0 });
    await transport.close();
    row = await outboxRow(id);
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
    expect(row.lastError).toMatch(/451/); // the last error stays on record
    expect(received).toHaveLength(1);
  });

  it('gives up after the last attempt, with the attempts and the error recorded', async () => {
    const clock = eraClock();
    const id = await queue(clock);
    const { dispatcher: d, transport } = dispatcher(clock, { maxAttempts: 3 });
    refuseNext = 100;
    expect(await d.runOnce()).toEqual({ sent: 0, retried: 1, failed: 0 });
    clock.advance(backoffMs(defaultDispatchPolicy, 1));
    expect(await d.runOnce()).toEqual({ sent: 0, retried: 1, failed: 0 });
    expect((await outboxRow(id)).nextAttemptAt).toEqual(new Date(clock.now().getTime() + 120_000));
    clock.advance(backoffMs(defaultDispatchPolicy, 2));
    expect(await d.runOnce()).toEqual({ sent: 0, retried: 0, failed: 1 });
    await transport.close();
    const row = await outboxRow(id);
    expect(row).toMatchObject({ status: 'failed', attempts: 3 });
    expect(row.failedAt).toEqual(clock.now());
    expect(row.lastError).toMatch(/451/);
    expect(row.textBody).toBeNull();
    clock.advance(24 * 3_600_000);
    const later = dispatcher(clock, { maxAttempts: 3 });
    expect(await later.dispatcher.runOnce()).toEqual({ sent: 0, retried: 0, failed: 0 });
    await later.transport.close();
    expect(received).toHaveLength(0);
  });

  it('counts a mail server that cannot be reached as a failed attempt', async () => {
    const clock = eraClock();
    const id = await queue(clock);
    // A port nothing listens on: connection refused.
    const probe = new SMTPServer({ logger: false });
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const deadPort = (probe.server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const { dispatcher: d, transport } = dispatcher(clock, { url: `smtp://127.0.0.1:${deadPort}` });
    expect(await d.runOnce()).toEqual({ sent: 0, retried: 1, failed: 0 });
    await transport.close();
    const row = await outboxRow(id);
    expect(row).toMatchObject({ status: 'queued', attempts: 1 });
    expect(row.lastError).toMatch(/ECONNREFUSED|ECONNECTION/);
    // The next round, with the real server, delivers it.
    clock.advance(60_000);
    const { dispatcher: ok, transport: okTransport } = dispatcher(clock);
    expect(await ok.runOnce()).toEqual({ sent: 1, retried: 0, failed: 0 });
    await okTransport.close();
  });

  it('claims each mail once: concurrent claims share the due mail without overlap, and a claim is a lease', async () => {
    const clock = eraClock();
    const ids = await Promise.all(
      Array.from({ length: 12 }, (_, i) => queue(clock, { to: `patient.${i}@mail.test` })),
    );
    const policy = { leaseMs: 5 * 60_000, batchSize: 5 };
    const claims = await Promise.all([
      claimDueMail(database.db, clock.now(), policy),
      claimDueMail(database.db, clock.now(), policy),
      claimDueMail(database.db, clock.now(), policy),
    ]);
    const claimed = claims.flat().map((m) => m.id);
    expect(claimed).toHaveLength(12);
    expect(new Set(claimed).size).toBe(12);
    expect(claimed.sort()).toEqual([...ids].sort());
    // While the lease runs nobody else gets them; once it runs out (the claimer died), they are due again.
    expect(await claimDueMail(database.db, clock.now(), policy)).toEqual([]);
    clock.advance(policy.leaseMs);
    const reclaimed = [...(await claimDueMail(database.db, clock.now(), { ...policy, batchSize: 20 }))];
    expect(reclaimed.map((m) => m.id).sort()).toEqual([...ids].sort());
    expect(reclaimed.every((m) => m.attempts === 2)).toBe(true);
    // Deliver them all so this era leaves nothing queued.
    clock.advance(policy.leaseMs);
    const { dispatcher: d, transport } = dispatcher(clock);
    expect(await d.runOnce()).toEqual({ sent: 12, retried: 0, failed: 0 });
    await transport.close();
    const rows = await database.db.select().from(mailOutbox).where(inArray(mailOutbox.id, ids));
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 3)).toBe(true);
  });

  it('runs rounds on its own once started, and stops cleanly', async () => {
    const clock = eraClock();
    const id = await queue(clock);
    const transport = new SmtpTransport(smtpUrl, 'Kapstone <no-reply@kapstone.test>');
    const d = new MailDispatcher({ database: database.db, transport, clock, keepBodies: false }, {}, 20);
    d.start();
    const deadline = Date.now() + 10_000;
    while ((await outboxRow(id)).status !== 'sent' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await d.stop();
    await transport.close();
    expect((await outboxRow(id)).status).toBe('sent');
    // Stopped: a mail queued now stays queued.
    const later = await queue(clock);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await outboxRow(later)).status).toBe('queued');
    const { dispatcher: drain, transport: drainTransport } = dispatcher(clock);
    await drain.runOnce();
    await drainTransport.close();
  });
});
