import { randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, isNull, lt, lte, or, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { ServiceContext } from '../../context.ts';
import { type MailStatus, mailOutbox } from '../../db/schema/index.ts';
import { decodeCursor, encodeCursor } from '../../http/cursor.ts';

export interface MailInput {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

const mailInput = z.strictObject({
  to: z.string().trim().toLowerCase().max(254).pipe(z.email()),
  // A line break in a subject would be a header injection.
  subject: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[^\r\n]*$/),
  text: z.string().min(1).max(100_000),
  html: z.string().max(200_000).optional(),
});

/**
 * Queues a mail in the caller's transaction: it exists if and only if the caller's change commits, and the
 * dispatcher delivers it afterwards (mail.dispatcher.ts). Bodies carry only what the recipient needs (a link,
 * the clinic's name): never clinical information. A malformed input is a programming error, so it throws.
 */
export async function enqueueMail(ctx: ServiceContext, input: MailInput): Promise<{ id: string }> {
  const mail = mailInput.parse(input);
  const id = randomUUID();
  const now = ctx.clock.now();
  await ctx.tx.insert(mailOutbox).values({
    id,
    clinicId: ctx.clinicId,
    toAddress: mail.to,
    subject: mail.subject,
    textBody: mail.text,
    htmlBody: mail.html ?? null,
    status: 'queued',
    attempts: 0,
    nextAttemptAt: now,
    createdAt: now,
  });
  return { id };
}

/**
 * Withdraws mail that has not gone out yet (an invitation revoked or replaced while its mail waited, e.g. sent
 * to a mistyped address): it becomes 'cancelled' and its body is removed. Mail a dispatcher is delivering at
 * this moment (a live claim) cannot be stopped and is left alone. Returns the ids withdrawn.
 */
export async function cancelQueuedMail(ctx: ServiceContext, mailIds: string[]): Promise<string[]> {
  if (mailIds.length === 0) return [];
  const now = ctx.clock.now();
  const cancelled = await ctx.tx
    .update(mailOutbox)
    .set({
      status: 'cancelled',
      lastError: 'Withdrawn before delivery.',
      textBody: null,
      htmlBody: null,
      bodyRemovedAt: now,
    })
    .where(
      and(
        eq(mailOutbox.clinicId, ctx.clinicId),
        inArray(mailOutbox.id, mailIds),
        eq(mailOutbox.status, 'queued'),
        or(isNull(mailOutbox.claimedUntil), lte(mailOutbox.claimedUntil, now)),
      ),
    )
    .returning({ id: mailOutbox.id });
  return cancelled.map((row) => row.id);
}

export interface OutboxMailView {
  id: string;
  to: string;
  subject: string;
  status: MailStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  nextAttemptAt: string | null;
  sentAt: string | null;
  failedAt: string | null;
  /** Only in demo mode (the "Sent mail" view lets a person walking the demo follow a link). */
  text: string | null;
}

/**
 * The clinic's outbox, newest first. Bodies are shown only in demo mode: elsewhere they hold live sign-up
 * links, which an admin has no business reading (and they are removed once delivered).
 */
export async function listOutbox(
  ctx: ServiceContext,
  query: { limit: number; cursor?: string; status?: MailStatus },
  options: { showBodies: boolean },
): Promise<{ items: OutboxMailView[]; nextCursor: string | null }> {
  let after: SQL | undefined;
  if (query.cursor) {
    const key = decodeCursor(query.cursor, ['createdAt', 'id']);
    const createdAt = new Date(key.createdAt);
    after = or(
      lt(mailOutbox.createdAt, createdAt),
      and(eq(mailOutbox.createdAt, createdAt), lt(mailOutbox.id, key.id)),
    );
  }
  const rows = await ctx.tx
    .select()
    .from(mailOutbox)
    .where(
      and(
        eq(mailOutbox.clinicId, ctx.clinicId),
        query.status ? eq(mailOutbox.status, query.status) : undefined,
        after,
      ),
    )
    .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  ctx.audit.record({
    action: 'mail.list',
    resourceType: 'mail_outbox',
    detail: { count: page.length, bodiesShown: options.showBodies },
  });
  const last = page.at(-1);
  return {
    items: page.map((row) => ({
      id: row.id,
      to: row.toAddress,
      subject: row.subject,
      status: row.status,
      attempts: row.attempts,
      lastError: row.lastError,
      createdAt: row.createdAt.toISOString(),
      nextAttemptAt: row.status === 'queued' ? row.nextAttemptAt.toISOString() : null,
      sentAt: row.sentAt?.toISOString() ?? null,
      failedAt: row.failedAt?.toISOString() ?? null,
      text: options.showBodies ? row.textBody : null,
    })),
    nextCursor:
      rows.length > query.limit && last
        ? encodeCursor({ createdAt: last.createdAt.toISOString(), id: last.id })
        : null,
  };
}
