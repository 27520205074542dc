import { describe, expect, it } from 'vitest';
import { dueView, elapsedView, formatDuration, scheduleText } from './session-clock.ts';

const t0 = Date.parse('2026-06-01T09:00:00Z');
const at = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();
const ms = (minutes: number) => t0 + minutes * 60_000;

describe('formatDuration', () => {
  it.each([
    [0, 'under a minute'],
    [59_999, 'under a minute'],
    [60_000, '1 min'],
    [48 * 60_000 + 30_000, '48 min'],
    [60 * 60_000, '1 h 00 min'],
    [125 * 60_000, '2 h 05 min'],
    [Number.NaN, 'under a minute'],
  ])('%d ms → %s', (value, text) => {
    expect(formatDuration(value)).toBe(text);
  });
});

describe('elapsedView', () => {
  it('counts from the start of the dose once there is one', () => {
    expect(elapsedView({ state: 'monitoring', checkedInAt: at(-30), doseStartedAt: at(0) }, ms(42))).toEqual({
      label: 'Since the dose',
      text: '42 min',
      ms: 42 * 60_000,
    });
  });
  it('counts from check-in before the dose', () => {
    expect(elapsedView({ state: 'checked-in', checkedInAt: at(0) }, ms(12))?.label).toBe('Since check-in');
  });
  it('has no running clock before arrival or after the end', () => {
    expect(elapsedView({ state: 'scheduled' }, ms(1))).toBeNull();
    expect(elapsedView({ state: 'discharged', doseStartedAt: at(0) }, ms(200))).toBeNull();
    expect(elapsedView({ state: 'aborted', checkedInAt: at(0) }, ms(200))).toBeNull();
  });
  it('never shows a negative time when the tablet clock is behind the server', () => {
    expect(elapsedView({ state: 'dosing', doseStartedAt: at(5) }, ms(0))?.text).toBe('under a minute');
  });
});

describe('dueView', () => {
  it('counts down to the next reading', () => {
    expect(dueView({ dueAt: at(40), overdue: false }, ms(34))).toEqual({
      tone: 'upcoming',
      text: 'Next reading in 6 min',
      dueAt: ms(40),
    });
  });
  it('says due now in the last minute', () => {
    expect(dueView({ dueAt: at(40), overdue: false }, ms(39.5)).tone).toBe('due');
  });
  it('turns overdue against the tablet clock, whatever the flag said at the last refresh', () => {
    const view = dueView({ dueAt: at(40), overdue: false }, ms(44));
    expect(view.tone).toBe('overdue');
    expect(view.text).toBe('Reading overdue by 4 min');
  });
  it('says when the schedule has no reading left (as clinically needed)', () => {
    expect(dueView({ dueAt: null, overdue: false }, ms(0)).tone).toBe('none');
    expect(dueView(null, ms(0)).text).toMatch(/No reading scheduled/);
  });
  it('counts a reading taken offline as taken: waiting to be sent, not overdue', () => {
    const view = dueView({ dueAt: at(40), overdue: false }, ms(45), {
      confirmedReadings: [{ measuredAt: at(0) }],
      pendingReadings: [{ kind: 'vitals', body: { id: 'p1', measuredAt: at(41) } }],
    });
    expect(view.tone).toBe('waiting-to-send');
    expect(view.text).toBe('Reading taken, waiting to be sent');
  });
  it('ignores queued observations and queued readings older than the last confirmed one', () => {
    const view = dueView({ dueAt: at(40), overdue: true }, ms(45), {
      confirmedReadings: [{ measuredAt: at(20) }],
      pendingReadings: [
        { kind: 'observation', body: { id: 'o1', observedAt: at(44) } },
        { kind: 'vitals', body: { id: 'p0', measuredAt: at(10) } },
      ],
    });
    expect(view.tone).toBe('overdue');
  });
  it('says the session ended once it did', () => {
    expect(dueView({ dueAt: at(40), overdue: true }, ms(300), { state: 'discharged' }).tone).toBe('none');
  });
});

describe('scheduleText', () => {
  it('words the IV schedule', () => {
    expect(
      scheduleText({
        readingsAtMinutes: [0, 10, 20, 30, 40, 55, 70],
        thenEveryMinutes: null,
        minimumObservationMinutes: 70,
      }),
    ).toBe(
      'Readings before the dose and at 10, 20, 30, 40, 55 and 70 min, then as clinically needed · observe at least 1 h 10 min',
    );
  });
  it('words SPRAVATO and a clinic interval', () => {
    expect(
      scheduleText({ readingsAtMinutes: [0, 40], thenEveryMinutes: 15, minimumObservationMinutes: 120 }),
    ).toBe('Readings before the dose and at 40 min, then every 15 min · observe at least 2 h 00 min');
  });
  it('says what the clinic has not set', () => {
    expect(
      scheduleText({ readingsAtMinutes: [0], thenEveryMinutes: null, minimumObservationMinutes: null }),
    ).toBe('Reading before the dose, then as clinically needed · minimum observation not set by the clinic');
    expect(scheduleText(null)).toBeNull();
  });
});
