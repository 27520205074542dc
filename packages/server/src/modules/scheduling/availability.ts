import { and, eq, inArray, lt, ne, sql } from 'drizzle-orm';
import type { ServiceContext } from '../../context.ts';
import { appointment, appointmentStaff, roleAssignment, room, userAccount } from '../../db/schema/index.ts';
import { addDays, localParts, minutesOf, zonedInstant } from './clinic-time.ts';
import type { WorkingSpan } from './working-hours.service.ts';
import { loadSpans } from './working-hours.service.ts';

interface Interval {
  start: number;
  end: number;
}
const overlaps = (list: readonly Interval[] | undefined, start: number, end: number) =>
  (list ?? []).some((b) => b.start < end && start < b.end);

export type SlotRole = 'prescriber' | 'nurse' | 'therapist' | 'monitor';

/** One person to find for a slot: any of `roles` (account roles), booked in `as`. */
export interface StaffNeed {
  /** Absent: the person's own role among `anyOfRoles` (a prescriber or a nurse administering). */
  as?: SlotRole;
  anyOfRoles: readonly string[];
  /** Try these people first (the dosing session's therapist for its integration). */
  prefer?: readonly string[];
}

export interface ProposedSlot {
  startsAt: string;
  endsAt: string;
  roomId: string | null;
  roomName: string | null;
  staff: { userId: string; role: SlotRole; displayName: string }[];
}

interface Person {
  id: string;
  displayName: string;
  roles: string[];
  spans: WorkingSpan[];
}

/** Granularity of proposed start times, in minutes. */
const step = 15;

/**
 * The clinic's free time between two instants for one patient: the booked appointments of its rooms, staff
 * and the patient, and its clinicians' working hours. Proposals are found here, and reserved as they are
 * found, so a course proposal never offers the same person or room twice at one time.
 */
export class Availability {
  private constructor(
    private readonly timeZone: string,
    private readonly people: Person[],
    private readonly rooms: { id: string; name: string; kind: string }[],
    private readonly staffBusy: Map<string, Interval[]>,
    private readonly roomBusy: Map<string, Interval[]>,
    private readonly patientBusy: Interval[],
  ) {}

  static async load(ctx: ServiceContext, timeZone: string, patientId: string, from: Date, to: Date) {
    const window = and(
      eq(appointment.clinicId, ctx.clinicId),
      ne(appointment.status, 'cancelled'),
      lt(appointment.startsAt, to),
      sql`${appointment.endsAt} > ${from.toISOString()}`,
    );
    const booked = await ctx.tx
      .select({
        id: appointment.id,
        patientId: appointment.patientId,
        roomId: appointment.roomId,
        startsAt: appointment.startsAt,
        endsAt: appointment.endsAt,
      })
      .from(appointment)
      .where(window);
    const staffRows = booked.length
      ? await ctx.tx
          .select({
            userId: appointmentStaff.userId,
            startsAt: appointmentStaff.startsAt,
            endsAt: appointmentStaff.endsAt,
          })
          .from(appointmentStaff)
          .where(
            and(
              eq(appointmentStaff.clinicId, ctx.clinicId),
              eq(appointmentStaff.active, true),
              inArray(
                appointmentStaff.appointmentId,
                booked.map((b) => b.id),
              ),
            ),
          )
      : [];
    const clinicians = await ctx.tx
      .select({ id: userAccount.id, displayName: userAccount.displayName, role: roleAssignment.role })
      .from(userAccount)
      .innerJoin(
        roleAssignment,
        and(eq(roleAssignment.clinicId, userAccount.clinicId), eq(roleAssignment.userId, userAccount.id)),
      )
      .where(
        and(
          eq(userAccount.clinicId, ctx.clinicId),
          eq(userAccount.kind, 'staff'),
          sql`${userAccount.disabledAt} IS NULL`,
          inArray(roleAssignment.role, ['prescriber', 'nurse', 'therapist']),
        ),
      );
    const byId = new Map<string, Person>();
    for (const c of clinicians) {
      const person = byId.get(c.id) ?? { id: c.id, displayName: c.displayName, roles: [], spans: [] };
      person.roles.push(c.role);
      byId.set(c.id, person);
    }
    const spans = await loadSpans(ctx, [...byId.keys()]);
    for (const person of byId.values()) person.spans = spans.get(person.id) ?? [];
    const rooms = await ctx.tx
      .select({ id: room.id, name: room.name, kind: room.kind })
      .from(room)
      .where(and(eq(room.clinicId, ctx.clinicId), eq(room.active, true)))
      .orderBy(room.name);
    const push = (map: Map<string, Interval[]>, key: string, i: Interval) =>
      map.set(key, [...(map.get(key) ?? []), i]);
    const staffBusy = new Map<string, Interval[]>();
    for (const s of staffRows)
      push(staffBusy, s.userId, { start: s.startsAt.getTime(), end: s.endsAt.getTime() });
    const roomBusy = new Map<string, Interval[]>();
    for (const b of booked)
      if (b.roomId) push(roomBusy, b.roomId, { start: b.startsAt.getTime(), end: b.endsAt.getTime() });
    const patientBusy = booked
      .filter((b) => b.patientId === patientId)
      .map((b) => ({ start: b.startsAt.getTime(), end: b.endsAt.getTime() }));
    return new Availability(
      timeZone,
      [...byId.values()].sort((a, b) => a.displayName.localeCompare(b.displayName)),
      rooms,
      staffBusy,
      roomBusy,
      patientBusy,
    );
  }

  private works(person: Person, start: Date, end: Date): boolean {
    const s = localParts(start, this.timeZone);
    const e = localParts(end, this.timeZone);
    const endMinutes = e.date === s.date ? e.minutes : e.minutes === 0 ? 24 * 60 : -1;
    return person.spans.some(
      (span) =>
        span.weekday === s.weekday &&
        minutesOf(span.startsAt) <= s.minutes &&
        endMinutes >= 0 &&
        endMinutes <= minutesOf(span.endsAt),
    );
  }

  /**
   * The earliest slot on one of `dates` (clinic-local YYYY-MM-DD, in order) of `minutes` length, within the
   * working hours of every person found, with every person and a room of `roomKinds` (in preference order;
   * empty: no room) free, and the patient free. Null when none.
   */
  find(input: {
    dates: readonly string[];
    minutes: number;
    needs: readonly StaffNeed[];
    roomKinds: readonly string[];
    roomRequired: boolean;
    notBefore?: number;
    accept?: (startsAt: Date) => boolean;
  }): ProposedSlot | null {
    for (const date of input.dates) {
      const starts = new Set<number>();
      for (const person of this.people)
        for (const span of person.spans)
          for (let m = minutesOf(span.startsAt); m + input.minutes <= minutesOf(span.endsAt); m += step)
            starts.add(m);
      for (const minute of [...starts].sort((a, b) => a - b)) {
        const startsAt = zonedInstant(date, minute, this.timeZone);
        if (localParts(startsAt, this.timeZone).date !== date) continue;
        const endsAt = new Date(startsAt.getTime() + input.minutes * 60_000);
        const [s, e] = [startsAt.getTime(), endsAt.getTime()];
        if (input.notBefore !== undefined && s < input.notBefore) continue;
        if (overlaps(this.patientBusy, s, e)) continue;
        if (input.accept && !input.accept(startsAt)) continue;
        const chosen: ProposedSlot['staff'] = [];
        let complete = true;
        for (const need of input.needs) {
          const candidates = [
            ...this.people.filter((p) => need.prefer?.includes(p.id)),
            ...this.people.filter((p) => !need.prefer?.includes(p.id)),
          ];
          const person = candidates.find(
            (p) =>
              !chosen.some((c) => c.userId === p.id) &&
              p.roles.some((r) => need.anyOfRoles.includes(r)) &&
              this.works(p, startsAt, endsAt) &&
              !overlaps(this.staffBusy.get(p.id), s, e),
          );
          if (!person) {
            complete = false;
            break;
          }
          const role = need.as ?? (person.roles.find((r) => need.anyOfRoles.includes(r)) as SlotRole);
          chosen.push({ userId: person.id, role, displayName: person.displayName });
        }
        if (!complete) continue;
        let roomChoice: { id: string; name: string } | null = null;
        for (const kind of input.roomKinds) {
          const free = this.rooms.find((r) => r.kind === kind && !overlaps(this.roomBusy.get(r.id), s, e));
          if (free) {
            roomChoice = free;
            break;
          }
        }
        if (input.roomRequired && !roomChoice) continue;
        return {
          startsAt: startsAt.toISOString(),
          endsAt: endsAt.toISOString(),
          roomId: roomChoice?.id ?? null,
          roomName: roomChoice?.name ?? null,
          staff: chosen,
        };
      }
    }
    return null;
  }

  /** Marks a proposed slot as taken, so later proposals avoid it. */
  reserve(slot: ProposedSlot): void {
    const i = { start: Date.parse(slot.startsAt), end: Date.parse(slot.endsAt) };
    this.patientBusy.push(i);
    for (const s of slot.staff) this.staffBusy.set(s.userId, [...(this.staffBusy.get(s.userId) ?? []), i]);
    if (slot.roomId) this.roomBusy.set(slot.roomId, [...(this.roomBusy.get(slot.roomId) ?? []), i]);
  }

  hasWorkingHours(): boolean {
    return this.people.some((p) => p.spans.length > 0);
  }
}

/** Clinic-local dates from `earliest` to `latest`, inclusive. */
export function datesBetween(earliest: string, latest: string): string[] {
  const out: string[] = [];
  for (let d = earliest; d <= latest && out.length < 62; d = addDays(d, 1)) out.push(d);
  return out;
}
