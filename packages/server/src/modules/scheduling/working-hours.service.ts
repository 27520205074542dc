import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { ServiceContext } from '../../context.ts';
import { staffWorkingHours, userAccount } from '../../db/schema/index.ts';
import { Conflict, Invalid, NotFound } from '../../errors.ts';
import { hhmm, localParts, minutesOf } from './clinic-time.ts';
import { loadSchedulingContext } from './scheduling-settings.ts';

export interface WorkingSpan {
  weekday: number;
  startsAt: string;
  endsAt: string;
}

const weekdayNames = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

async function assertStaffOfClinic(ctx: ServiceContext, userId: string): Promise<{ displayName: string }> {
  const [row] = await ctx.tx
    .select({ displayName: userAccount.displayName })
    .from(userAccount)
    .where(
      and(eq(userAccount.clinicId, ctx.clinicId), eq(userAccount.id, userId), eq(userAccount.kind, 'staff')),
    );
  if (!row) throw new NotFound('Staff member');
  return row;
}

/** Working hours of every staff member of the clinic (or one), by weekday, in the clinic's time zone. */
export async function listWorkingHours(ctx: ServiceContext, userId?: string) {
  if (userId) await assertStaffOfClinic(ctx, userId);
  const { timeZone } = await loadSchedulingContext(ctx);
  const where = [eq(staffWorkingHours.clinicId, ctx.clinicId)];
  if (userId) where.push(eq(staffWorkingHours.userId, userId));
  const rows = await ctx.tx
    .select()
    .from(staffWorkingHours)
    .where(and(...where))
    .orderBy(asc(staffWorkingHours.userId), asc(staffWorkingHours.weekday), asc(staffWorkingHours.startsAt));
  const byUser = new Map<string, WorkingSpan[]>();
  for (const r of rows) {
    const spans = byUser.get(r.userId) ?? [];
    spans.push({ weekday: r.weekday, startsAt: r.startsAt, endsAt: r.endsAt });
    byUser.set(r.userId, spans);
  }
  if (userId && !byUser.has(userId)) byUser.set(userId, []);
  return { timeZone, items: [...byUser].map(([id, spans]) => ({ userId: id, spans })) };
}

/**
 * Replaces a staff member's weekly working hours. Overlapping spans on one weekday are refused (also by an
 * exclusion constraint). Working hours are settings, not clinical records: the change is audited with the
 * spans before and after rather than kept as versions.
 */
export async function setWorkingHours(ctx: ServiceContext, userId: string, spans: WorkingSpan[]) {
  await assertStaffOfClinic(ctx, userId);
  const problems = spans.flatMap((span, i) =>
    minutesOf(span.endsAt) > minutesOf(span.startsAt)
      ? []
      : [{ path: `spans.${i}.endsAt`, message: 'Must be after the start.' }],
  );
  const sorted = spans
    .map((s, i) => ({ ...s, i }))
    .sort((a, b) => a.weekday - b.weekday || minutesOf(a.startsAt) - minutesOf(b.startsAt));
  for (let k = 1; k < sorted.length; k++) {
    const [prev, cur] = [sorted[k - 1]!, sorted[k]!];
    if (prev.weekday === cur.weekday && minutesOf(cur.startsAt) < minutesOf(prev.endsAt))
      problems.push({ path: `spans.${cur.i}.startsAt`, message: 'Overlaps another span on the same day.' });
  }
  if (problems.length) throw new Invalid('Check the working hours.', problems);
  const before = await ctx.tx
    .select({ weekday: staffWorkingHours.weekday })
    .from(staffWorkingHours)
    .where(and(eq(staffWorkingHours.clinicId, ctx.clinicId), eq(staffWorkingHours.userId, userId)));
  await ctx.tx
    .delete(staffWorkingHours)
    .where(and(eq(staffWorkingHours.clinicId, ctx.clinicId), eq(staffWorkingHours.userId, userId)));
  if (spans.length) {
    const now = ctx.clock.now();
    try {
      await ctx.tx.transaction(async (sp) => {
        await sp.insert(staffWorkingHours).values(
          spans.map((s) => ({
            id: randomUUID(),
            clinicId: ctx.clinicId,
            userId,
            weekday: s.weekday,
            startsAt: s.startsAt,
            endsAt: s.endsAt,
            createdAt: now,
            createdBy: ctx.actor.userId,
          })),
        );
      });
    } catch (error) {
      const e = error as { code?: string; cause?: { code?: string } };
      if ((e.code ?? e.cause?.code) === '23P01') throw new Conflict('Two spans overlap on the same day.');
      throw error;
    }
  }
  ctx.audit.record({
    action: 'working-hours.update',
    resourceType: 'user_account',
    resourceId: userId,
    detail: {
      spansBefore: before.length,
      spansAfter: spans.length,
      spans: spans.map((s) => `${s.weekday} ${s.startsAt}-${s.endsAt}`),
    },
  });
  return listWorkingHours(ctx, userId);
}

export type SpansByUser = Map<string, WorkingSpan[]>;

export async function loadSpans(ctx: ServiceContext, userIds: string[]): Promise<SpansByUser> {
  const map: SpansByUser = new Map(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return map;
  const rows = await ctx.tx
    .select()
    .from(staffWorkingHours)
    .where(and(eq(staffWorkingHours.clinicId, ctx.clinicId), inArray(staffWorkingHours.userId, userIds)));
  for (const r of rows)
    map.get(r.userId)?.push({ weekday: r.weekday, startsAt: r.startsAt, endsAt: r.endsAt });
  return map;
}

/** Whether [startsAt, endsAt) lies inside one working span of the person, on one local day. */
export function withinWorkingHours(
  spans: readonly WorkingSpan[],
  startsAt: Date,
  endsAt: Date,
  timeZone: string,
): boolean {
  const start = localParts(startsAt, timeZone);
  const end = localParts(endsAt, timeZone);
  // An end at local midnight closes the same day (24:00).
  const endMinutes = end.date === start.date ? end.minutes : end.minutes === 0 ? 24 * 60 : null;
  if (endMinutes === null) return false;
  const sameDay = end.date === start.date || end.minutes === 0;
  return (
    sameDay &&
    spans.some(
      (s) =>
        s.weekday === start.weekday &&
        minutesOf(s.startsAt) <= start.minutes &&
        endMinutes <= minutesOf(s.endsAt),
    )
  );
}

/**
 * Working hours at booking time (our policy, documented in api-contract.md): a booking outside the
 * recorded hours of a staff member is refused (409, field `staff`); for a person with no hours recorded at
 * all, the booking goes through with a warning, so a clinic that has not set hours up yet can still work.
 */
export async function checkWorkingHours(
  ctx: ServiceContext,
  timeZone: string,
  staff: { userId: string; displayName: string }[],
  startsAt: Date,
  endsAt: Date,
): Promise<{ warnings: string[] }> {
  const spans = await loadSpans(
    ctx,
    staff.map((s) => s.userId),
  );
  const warnings: string[] = [];
  const refusals: { path: string; message: string }[] = [];
  const start = localParts(startsAt, timeZone);
  for (const person of staff) {
    const own = spans.get(person.userId) ?? [];
    if (own.length === 0) {
      warnings.push(`${person.displayName} has no working hours recorded.`);
      continue;
    }
    if (!withinWorkingHours(own, startsAt, endsAt, timeZone)) {
      const today = own
        .filter((s) => s.weekday === start.weekday)
        .map((s) => `${s.startsAt}–${s.endsAt}`)
        .join(', ');
      refusals.push({
        path: 'staff',
        message: `${person.displayName} works ${today ? `${today} on ${weekdayNames[start.weekday]}s` : `no hours on ${weekdayNames[start.weekday]}s`} (${timeZone}); this appointment starts at ${hhmm(start.minutes)}.`,
      });
    }
  }
  if (refusals.length) throw new Conflict('Outside working hours.', refusals);
  return { warnings };
}
