import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, asc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Clock } from '../../clock.ts';
import type { RequestMeta, ServiceContext } from '../../context.ts';
import type { Database } from '../../db/client.ts';
import {
  appointment,
  appointmentStaff,
  calendarFeed,
  clinic,
  patient,
  room,
  userAccount,
} from '../../db/schema/index.ts';
import { NotFound } from '../../errors.ts';
import { appendAuditEvents } from '../audit/audit-chain.ts';
import { renderCalendar } from './icalendar.ts';

/** 256 bits of randomness, URL-safe: guessing a feed is not a realistic attack. */
const newToken = () => randomBytes(32).toString('base64url');
export const tokenHash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
export const feedTokenPattern = /^[A-Za-z0-9_-]{43}$/;

/** The feed covers 30 days back and 180 days ahead. */
const pastDays = 30;
const aheadDays = 180;

const kindTitles: Record<string, string> = {
  screening: 'Screening visit',
  preparation: 'Preparation session',
  dosing: 'Dosing session',
  integration: 'Integration session',
  'follow-up': 'Follow-up visit',
};

export function feedPath(token: string): string {
  return `/api/v1/calendar-feeds/${token}.ics`;
}

export async function feedStatus(ctx: ServiceContext) {
  const [row] = await ctx.tx
    .select()
    .from(calendarFeed)
    .where(
      and(
        eq(calendarFeed.clinicId, ctx.clinicId),
        eq(calendarFeed.userId, ctx.actor.userId),
        isNull(calendarFeed.revokedAt),
      ),
    );
  return {
    active: row !== undefined,
    createdAt: row?.createdAt.toISOString() ?? null,
    lastFetchedAt: row?.lastFetchedAt?.toISOString() ?? null,
    fetchCount: row?.fetchCount ?? 0,
  };
}

async function revokeLive(ctx: ServiceContext): Promise<string | null> {
  const [revoked] = await ctx.tx
    .update(calendarFeed)
    .set({ revokedAt: ctx.clock.now() })
    .where(
      and(
        eq(calendarFeed.clinicId, ctx.clinicId),
        eq(calendarFeed.userId, ctx.actor.userId),
        isNull(calendarFeed.revokedAt),
      ),
    )
    .returning({ id: calendarFeed.id });
  return revoked?.id ?? null;
}

/**
 * Creates the signed-in staff member's feed, or rotates it (the old URL stops working at once). The token
 * is returned this once; only its SHA-256 is stored.
 */
export async function createOrRotateFeed(ctx: ServiceContext, origin: string | null) {
  const previous = await revokeLive(ctx);
  const token = newToken();
  const id = randomUUID();
  await ctx.tx.insert(calendarFeed).values({
    id,
    clinicId: ctx.clinicId,
    userId: ctx.actor.userId,
    tokenHash: tokenHash(token),
    createdAt: ctx.clock.now(),
  });
  ctx.audit.record({
    action: previous ? 'calendar-feed.rotate' : 'calendar-feed.create',
    resourceType: 'calendar_feed',
    resourceId: id,
    detail: previous ? { revoked: previous } : undefined,
  });
  const path = feedPath(token);
  return { ...(await feedStatus(ctx)), path, url: origin ? `${origin}${path}` : path };
}

export async function revokeFeed(ctx: ServiceContext): Promise<void> {
  const revoked = await revokeLive(ctx);
  if (revoked)
    ctx.audit.record({ action: 'calendar-feed.revoke', resourceType: 'calendar_feed', resourceId: revoked });
}

const initials = (given: string, family: string) =>
  `${given.trim().charAt(0).toUpperCase()}. ${family.trim().charAt(0).toUpperCase()}.`;

/**
 * The feed itself, for a calendar app holding the secret URL (no session). Unknown, malformed and revoked
 * tokens are all 404. Each fetch is audited in the feed owner's clinic. The events name no patient: the
 * kind, the room, the owner's part and the patient's initials only (no name, no MRN, no note), because a
 * feed ends up in third-party calendar services.
 */
export async function renderFeed(
  database: Database,
  clock: Clock,
  token: string,
  request: RequestMeta,
): Promise<string> {
  if (!feedTokenPattern.test(token)) throw new NotFound('Calendar feed');
  const hash = tokenHash(token);
  return database.transaction(async (tx) => {
    const [feed] = await tx
      .select({ feed: calendarFeed, clinicName: clinic.name })
      .from(calendarFeed)
      .innerJoin(clinic, eq(clinic.id, calendarFeed.clinicId))
      .innerJoin(
        userAccount,
        and(eq(userAccount.clinicId, calendarFeed.clinicId), eq(userAccount.id, calendarFeed.userId)),
      )
      // A disabled account's feed stops with the account.
      .where(
        and(eq(calendarFeed.tokenHash, hash), isNull(calendarFeed.revokedAt), isNull(userAccount.disabledAt)),
      );
    if (!feed) throw new NotFound('Calendar feed');
    const { clinicId, userId, id } = feed.feed;
    const now = clock.now();
    const from = new Date(now.getTime() - pastDays * 86_400_000);
    const to = new Date(now.getTime() + aheadDays * 86_400_000);
    const rows = await tx
      .select({
        id: appointment.id,
        kind: appointment.kind,
        startsAt: appointment.startsAt,
        endsAt: appointment.endsAt,
        status: appointment.status,
        createdAt: appointment.createdAt,
        cancelledAt: appointment.cancelledAt,
        roomName: room.name,
        givenName: patient.givenName,
        familyName: patient.familyName,
        role: appointmentStaff.role,
      })
      .from(appointmentStaff)
      .innerJoin(
        appointment,
        and(
          eq(appointment.clinicId, appointmentStaff.clinicId),
          eq(appointment.id, appointmentStaff.appointmentId),
        ),
      )
      .innerJoin(
        patient,
        and(eq(patient.clinicId, appointment.clinicId), eq(patient.id, appointment.patientId)),
      )
      .leftJoin(room, and(eq(room.clinicId, appointment.clinicId), eq(room.id, appointment.roomId)))
      .where(
        and(
          eq(appointmentStaff.clinicId, clinicId),
          eq(appointmentStaff.userId, userId),
          lt(appointment.startsAt, to),
          gt(appointment.endsAt, from),
        ),
      )
      .orderBy(asc(appointment.startsAt))
      .limit(2000);
    await tx
      .update(calendarFeed)
      .set({ fetchCount: sql`${calendarFeed.fetchCount} + 1`, lastFetchedAt: now })
      .where(and(eq(calendarFeed.clinicId, clinicId), eq(calendarFeed.id, id)));
    await appendAuditEvents(
      tx,
      clinicId,
      null,
      [
        {
          action: 'calendar-feed.fetch',
          resourceType: 'calendar_feed',
          resourceId: id,
          detail: { owner: userId, events: rows.length },
        },
      ],
      request,
      now,
    );
    return renderCalendar({
      name: `Kapstone: ${feed.clinicName}`,
      events: rows.map((r) => ({
        uid: `${r.id}@kapstone`,
        start: r.startsAt,
        end: r.endsAt,
        stamp: r.cancelledAt ?? r.createdAt,
        summary: `${kindTitles[r.kind] ?? r.kind} (${initials(r.givenName, r.familyName)})`,
        location: r.roomName,
        description: `Your part: ${r.role}. Patient initials only; open Kapstone for details.`,
        cancelled: r.status === 'cancelled',
        sequence: r.status === 'cancelled' ? 1 : 0,
      })),
    });
  });
}
