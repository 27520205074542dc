import { describe, expect, it } from 'vitest';
import { localParts, parseHhmm, placeOnDay, viewRange, weekStart, zonedInstant } from './calendar-model.ts';

const ny = 'America/New_York';

describe('calendar model', () => {
  it('turns clinic wall-clock times into instants across daylight-saving changes', () => {
    expect(zonedInstant('2026-06-22', 9 * 60, ny).toISOString()).toBe('2026-06-22T13:00:00.000Z');
    expect(zonedInstant('2026-12-07', 9 * 60, ny).toISOString()).toBe('2026-12-07T14:00:00.000Z');
    // 02:30 does not exist on 8 March 2026 in New York: it resolves to the instant after the gap.
    expect(zonedInstant('2026-03-08', 150, ny).toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(localParts(new Date('2026-06-22T13:00:00Z'), ny)).toEqual({
      date: '2026-06-22',
      weekday: 1,
      minutes: 540,
    });
  });

  it('covers a day or a Monday-to-Sunday week in the clinic’s zone', () => {
    expect(weekStart('2026-06-25')).toBe('2026-06-22');
    expect(weekStart('2026-06-28')).toBe('2026-06-22');
    const week = viewRange('week', '2026-06-25', ny);
    expect(week.days).toEqual([
      '2026-06-22',
      '2026-06-23',
      '2026-06-24',
      '2026-06-25',
      '2026-06-26',
      '2026-06-27',
      '2026-06-28',
    ]);
    expect(week.from).toBe('2026-06-22T04:00:00.000Z');
    expect(week.to).toBe('2026-06-29T04:00:00.000Z');
    expect(viewRange('day', '2026-06-25', 'Europe/Berlin')).toMatchObject({
      days: ['2026-06-25'],
      from: '2026-06-24T22:00:00.000Z',
      to: '2026-06-25T22:00:00.000Z',
    });
  });

  it('places appointments in their room or staff columns, clipped to the visible hours', () => {
    const appointments = [
      {
        id: 'a',
        startsAt: '2026-06-22T13:00:00Z',
        endsAt: '2026-06-22T15:00:00Z',
        roomId: 'r1',
        staff: [{ userId: 'u1' }, { userId: 'u2' }],
      },
      {
        id: 'b',
        startsAt: '2026-06-22T10:00:00Z',
        endsAt: '2026-06-22T13:30:00Z',
        roomId: null,
        staff: [{ userId: 'u1' }],
      },
      { id: 'c', startsAt: '2026-06-23T13:00:00Z', endsAt: '2026-06-23T14:00:00Z', roomId: 'r1', staff: [] },
    ];
    const visible = { fromMinutes: 7 * 60, toMinutes: 20 * 60 };
    const byRoom = placeOnDay(appointments, '2026-06-22', 'room', ['r1'], ny, visible);
    expect(byRoom.get('r1')!.map((p) => [p.appointment.id, p.top, p.bottom])).toEqual([['a', 540, 660]]);
    const byStaff = placeOnDay(appointments, '2026-06-22', 'staff', ['u1', 'u2'], ny, visible);
    expect(byStaff.get('u1')!.map((p) => [p.appointment.id, p.top, p.bottom])).toEqual([
      ['a', 540, 660],
      ['b', 420, 570],
    ]);
    expect(byStaff.get('u2')!.map((p) => p.appointment.id)).toEqual(['a']);
  });

  it('reads 24-hour times', () => {
    expect(parseHhmm('09:30')).toBe(570);
    expect(parseHhmm('9:30')).toBeNull();
    expect(parseHhmm('24:00')).toBeNull();
  });
});
