/**
 * The calendar's arithmetic, in the clinic's IANA time zone (not the browser's): which instants a day or a
 * week covers, which column and rows an appointment takes, and local wall-clock times turned into instants.
 */

export interface LocalParts {
  date: string;
  weekday: number;
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}
const weekdays: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

function parts(instant: Date, timeZone: string) {
  const out: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) out[p.type] = p.value;
  return {
    year: Number(out.year),
    month: Number(out.month),
    day: Number(out.day),
    hour: Number(out.hour),
    minute: Number(out.minute),
    second: Number(out.second),
    weekday: weekdays[out.weekday ?? 'Mon'] ?? 1,
  };
}

export function localParts(instant: Date, timeZone: string): LocalParts {
  const p = parts(instant, timeZone);
  return {
    date: `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`,
    weekday: p.weekday,
    minutes: p.hour * 60 + p.minute,
  };
}

function offsetMs(instant: Date, timeZone: string): number {
  const p = parts(instant, timeZone);
  return (
    Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) -
    Math.floor(instant.getTime() / 1000) * 1000
  );
}

/** The instant at which the clinic's clocks show `date` at `minutes` after midnight. */
export function zonedInstant(date: string, minutes: number, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, 0, minutes);
  let guess = wall - offsetMs(new Date(wall), timeZone);
  const second = wall - offsetMs(new Date(guess), timeZone);
  if (second !== guess) guess = Math.max(guess, second);
  return new Date(guess);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Monday of the week of `date` (ISO weeks). */
export function weekStart(date: string): string {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((day + 6) % 7));
}

export type CalendarView = 'day' | 'week';

/** The local dates a view shows, and the instants to ask the server for. */
export function viewRange(view: CalendarView, date: string, timeZone: string) {
  const first = view === 'day' ? date : weekStart(date);
  const days = Array.from({ length: view === 'day' ? 1 : 7 }, (_, i) => addDays(first, i));
  return {
    days,
    from: zonedInstant(first, 0, timeZone).toISOString(),
    to: zonedInstant(addDays(days.at(-1)!, 1), 0, timeZone).toISOString(),
  };
}

export const hhmm = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

export function parseHhmm(value: string): number | null {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

interface Placeable {
  id: string;
  startsAt: string;
  endsAt: string;
  roomId: string | null;
  staff: { userId: string }[];
}

/**
 * Appointments of one local day per column (a room or a staff member), with their first and last minute
 * on that day clipped to the visible hours. An appointment with several staff appears in each one's column.
 */
export function placeOnDay<T extends Placeable>(
  appointments: readonly T[],
  day: string,
  by: 'room' | 'staff',
  columnIds: readonly string[],
  timeZone: string,
  visible: { fromMinutes: number; toMinutes: number },
): Map<string, { appointment: T; top: number; bottom: number }[]> {
  const out = new Map(columnIds.map((id) => [id, [] as { appointment: T; top: number; bottom: number }[]]));
  const dayStart = zonedInstant(day, 0, timeZone).getTime();
  const dayEnd = zonedInstant(addDays(day, 1), 0, timeZone).getTime();
  for (const a of appointments) {
    const s = Date.parse(a.startsAt);
    const e = Date.parse(a.endsAt);
    if (!(s < dayEnd && e > dayStart)) continue;
    const startMinutes = s <= dayStart ? 0 : localParts(new Date(s), timeZone).minutes;
    const endMinutes = e >= dayEnd ? 24 * 60 : localParts(new Date(e), timeZone).minutes;
    const top = Math.max(startMinutes, visible.fromMinutes);
    const bottom = Math.min(endMinutes, visible.toMinutes);
    if (bottom <= top) continue;
    const columns = by === 'room' ? (a.roomId ? [a.roomId] : []) : a.staff.map((s) => s.userId);
    for (const column of columns) out.get(column)?.push({ appointment: a, top, bottom });
  }
  return out;
}

export function formatTime(instant: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: '2-digit' }).format(
    new Date(instant),
  );
}

export function formatDay(date: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: 'UTC',
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    year: 'numeric',
  }).format(new Date(`${date}T12:00:00Z`));
}

export function formatShortDay(date: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: 'UTC',
    weekday: 'short',
    month: 'short',
    day: 'numeric',
  }).format(new Date(`${date}T12:00:00Z`));
}
