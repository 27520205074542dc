import { and, eq, sql } from 'drizzle-orm';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/client.ts';
import { mailOutbox } from '../../db/schema/index.ts';
import type { MailLogger, MailTransport, OutgoingMail } from './mail.transport.ts';

export interface DispatchPolicy {
  /** Attempts before a mail is given up as failed. */
  maxAttempts: number;
  /** Wait after the first failure; doubles with each further failure, up to `maxBackoffMs`. */
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** How long a claim holds a mail: a dispatcher that dies mid-delivery frees it when this runs out. */
  leaseMs: number;
  /** Mails claimed per round. */
  batchSize: number;
}

/**
 * Retry schedule for transient failures (a mail server down, a greylisting 4xx): 1, 2, 4, 8 minutes... up to
 * an hour, five attempts in all. Operational numbers, not clinical ones.
 */
export const defaultDispatchPolicy: DispatchPolicy = {
  maxAttempts: 5,
  baseBackoffMs: 60_000,
  maxBackoffMs: 60 * 60_000,
  leaseMs: 5 * 60_000,
  batchSize: 10,
};

export function backoffMs(policy: DispatchPolicy, attempts: number): number {
  return Math.min(policy.baseBackoffMs * 2 ** Math.max(0, attempts - 1), policy.maxBackoffMs);
}

export interface ClaimedMail extends OutgoingMail {
  clinicId: string;
  /** Attempts including this one; the outcome is recorded only if nobody claimed the mail since. */
  attempts: number;
}

interface ClaimedRow {
  id: string;
  clinic_id: string;
  to_address: string;
  subject: string;
  text_body: string | null;
  html_body: string | null;
  attempts: number;
}

/**
 * Claims up to `limit` due mails in one statement. `FOR UPDATE SKIP LOCKED` lets several dispatchers (app
 * servers) claim side by side without waiting for or doubling each other; the claim itself is a lease
 * (`next_attempt_at` moved to the lease's end), so no transaction stays open while the mail server is slow.
 * The attempt is counted here, so a mail whose delivery keeps crashing the process still runs out of attempts.
 */
export async function claimDueMail(
  db: Db,
  now: Date,
  policy: Pick<DispatchPolicy, 'leaseMs' | 'batchSize'>,
): Promise<ClaimedMail[]> {
  const leaseEnd = new Date(now.getTime() + policy.leaseMs).toISOString();
  const result = await db.execute(sql`
    UPDATE mail_outbox m
       SET attempts = m.attempts + 1, next_attempt_at = ${leaseEnd}, claimed_until = ${leaseEnd}
      FROM (SELECT clinic_id, id FROM mail_outbox
             WHERE status = 'queued' AND next_attempt_at <= ${now.toISOString()}
             ORDER BY next_attempt_at, id
             LIMIT ${policy.batchSize}
             FOR UPDATE SKIP LOCKED) due
     WHERE m.clinic_id = due.clinic_id AND m.id = due.id
    RETURNING m.id, m.clinic_id, m.to_address, m.subject, m.text_body, m.html_body, m.attempts`);
  const rows = (result as unknown as { rows: ClaimedRow[] }).rows;
  return rows.map((row) => ({
    id: row.id,
    clinicId: row.clinic_id,
    to: row.to_address,
    subject: row.subject,
    text: row.text_body ?? '',
    html: row.html_body,
    attempts: Number(row.attempts),
  }));
}

export type DeliveryOutcome = 'sent' | 'retry' | 'failed' | 'lost-claim';

/** A short, single-line error for the outbox (shown to the clinic's admin; never logged). */
function describeError(error: unknown): string {
  const e = error as { message?: string; responseCode?: number; code?: string };
  const text = [e.code, e.responseCode, e.message ?? String(error)].filter(Boolean).join(' ');
  return text.replace(/\s+/g, ' ').slice(0, 500);
}

/**
 * Delivers one claimed mail through the adapter and records what happened: sent; queued again after a
 * backoff; or failed once the attempts run out. Outside demo mode the body is removed once the mail is
 * final, since it carries a sign-up link. The outcome is written only while this claim is still the
 * latest (same attempt count, still queued), so a dispatcher whose lease ran out cannot overwrite a newer one.
 */
export async function deliverClaimedMail(
  db: Db,
  transport: MailTransport,
  mail: ClaimedMail,
  clock: Clock,
  policy: Pick<DispatchPolicy, 'maxAttempts' | 'baseBackoffMs' | 'maxBackoffMs'>,
  options: { keepBodies: boolean; logger?: MailLogger },
): Promise<DeliveryOutcome> {
  let outcome: DeliveryOutcome;
  let changes: Partial<typeof mailOutbox.$inferInsert>;
  try {
    const receipt = await transport.deliver(mail);
    const now = clock.now();
    outcome = 'sent';
    changes = { status: 'sent', sentAt: now, messageId: receipt.messageId, claimedUntil: null };
  } catch (error) {
    const now = clock.now();
    const lastError = describeError(error);
    const code = (error as { code?: string }).code ?? null;
    if (mail.attempts >= policy.maxAttempts) {
      outcome = 'failed';
      changes = { status: 'failed', failedAt: now, lastError, claimedUntil: null };
      options.logger?.warn({ mailId: mail.id, attempts: mail.attempts, code }, 'mail given up');
    } else {
      outcome = 'retry';
      changes = {
        nextAttemptAt: new Date(
          now.getTime() + backoffMs({ ...defaultDispatchPolicy, ...policy }, mail.attempts),
        ),
        lastError,
        claimedUntil: null,
      };
      options.logger?.warn(
        { mailId: mail.id, attempts: mail.attempts, code },
        'mail delivery failed; will retry',
      );
    }
  }
  if (outcome !== 'retry' && !options.keepBodies) {
    changes = { ...changes, textBody: null, htmlBody: null, bodyRemovedAt: clock.now() };
  }
  const updated = await db
    .update(mailOutbox)
    .set(changes)
    .where(
      and(
        eq(mailOutbox.clinicId, mail.clinicId),
        eq(mailOutbox.id, mail.id),
        eq(mailOutbox.attempts, mail.attempts),
        eq(mailOutbox.status, 'queued'),
      ),
    )
    .returning({ id: mailOutbox.id });
  return updated.length === 1 ? outcome : 'lost-claim';
}

export interface DispatcherDeps {
  database: Db;
  transport: MailTransport;
  clock: Clock;
  logger?: MailLogger;
  /** Demo mode: keep delivered bodies for the "Sent mail" view. */
  keepBodies: boolean;
}

export interface RoundResult {
  sent: number;
  retried: number;
  failed: number;
}

/**
 * Delivers queued mail from inside the server process: every `pollIntervalMs` it claims due mail and hands
 * it to the adapter. `runOnce` is the whole of one round, for tests (with a ManualClock) and for a later job
 * runner; `start`/`stop` only schedule rounds. Mail is written in the transaction of the change that caused
 * it, so it is seen here only after that commit.
 */
export class MailDispatcher {
  private readonly policy: DispatchPolicy;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<RoundResult> | null = null;
  private stopped = true;

  constructor(
    private readonly deps: DispatcherDeps,
    policy: Partial<DispatchPolicy> = {},
    private readonly pollIntervalMs = 5_000,
  ) {
    this.policy = { ...defaultDispatchPolicy, ...policy };
  }

  /** One round: claim due mail in batches and deliver it, until nothing is due (at most 10 batches). */
  runOnce(): Promise<RoundResult> {
    if (this.running) return this.running;
    this.running = this.round().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async round(): Promise<RoundResult> {
    const result: RoundResult = { sent: 0, retried: 0, failed: 0 };
    for (let batch = 0; batch < 10; batch++) {
      const claimed = await claimDueMail(this.deps.database, this.deps.clock.now(), this.policy);
      for (const mail of claimed) {
        const outcome = await deliverClaimedMail(
          this.deps.database,
          this.deps.transport,
          mail,
          this.deps.clock,
          this.policy,
          { keepBodies: this.deps.keepBodies, logger: this.deps.logger },
        );
        if (outcome === 'sent') result.sent++;
        else if (outcome === 'retry') result.retried++;
        else if (outcome === 'failed') result.failed++;
      }
      if (claimed.length < this.policy.batchSize) break;
    }
    return result;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.runOnce()
        .catch((error: unknown) => {
          this.deps.logger?.warn(
            { err: { message: error instanceof Error ? error.message : String(error) } },
            'mail dispatch round failed',
          );
        })
        .finally(() => this.schedule(this.pollIntervalMs));
    }, delayMs);
    this.timer.unref();
  }

  /** Stops scheduling rounds and waits for the one in progress (so the database can close after it). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }
}
