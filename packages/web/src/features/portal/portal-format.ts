/** Dates and times of the portal, always in the clinic's time zone (the appointments are kept there). */

export function sessionDay(instant: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    year: 'numeric',
  }).format(new Date(instant));
}

export function clockTime(instant: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: '2-digit' }).format(
    new Date(instant),
  );
}

/** "Wednesday, June 3, 2026, 10:00 AM – 12:00 PM" */
export function sessionWhen(startsAt: string, endsAt: string, timeZone: string): string {
  return `${sessionDay(startsAt, timeZone)}, ${clockTime(startsAt, timeZone)} – ${clockTime(endsAt, timeZone)}`;
}

export const checklistStateLabels = {
  done: 'Done',
  'to-do': 'To do',
  waiting: 'Waiting for the clinic',
  info: 'On the day',
} as const;
