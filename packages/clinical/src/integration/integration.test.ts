import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type IntegrationContact, integrationAdherence, integrationWindowFor } from './index.ts';

const dose = (sessionId: string, localDate: string, time = '15:00:00Z') => ({
  sessionId,
  localDate,
  dosedAt: `${localDate}T${time}`,
});
const one = (integrations: IntegrationContact[], today: string, window: [number, number] = [1, 3]) => {
  const [result] = integrationAdherence({ doses: [dose('s1', '2026-03-02')], integrations, window, today });
  return result!;
};

describe('integrationAdherence (window 1–3 days, dose on Monday 2 March)', () => {
  it.each([
    ['the day of the dose', '2026-03-02', 'not-due-yet'],
    ['day 1, the window opens', '2026-03-03', 'due'],
    ['day 3, the window’s last day', '2026-03-05', 'due'],
    ['day 4, the window closed', '2026-03-06', 'missing'],
    ['weeks later', '2026-04-01', 'missing'],
  ] as const)('with no integration, on %s: %s', (_, today, state) => {
    expect(one([], today).state).toBe(state);
  });

  it.each([
    ['day 1 (inclusive)', '2026-03-03', 'done', 1],
    ['day 2', '2026-03-04', 'done', 2],
    ['day 3 (inclusive)', '2026-03-05', 'done', 3],
    ['day 4 (one past the window)', '2026-03-06', 'late', 4],
    ['day 10', '2026-03-12', 'late', 10],
  ] as const)('an integration note on %s is %s', (_, date, state, day) => {
    const result = one([{ noteId: 'n1', sessionId: 's1', date }], '2026-03-20');
    expect(result.state).toBe(state);
    expect(result.integration).toMatchObject({ noteId: 'n1', dayAfterDose: day });
  });

  it('gives the window’s calendar dates', () => {
    expect(one([], '2026-03-02')).toMatchObject({ opensOn: '2026-03-03', closesOn: '2026-03-05' });
    expect(one([], '2026-03-02', [0, 30])).toMatchObject({ opensOn: '2026-03-02', closesOn: '2026-04-01' });
  });

  it('counts a same-day integration as done (early is not a lapse) and shows it was day 0', () => {
    const result = one([{ noteId: 'n1', sessionId: 's1', date: '2026-03-02' }], '2026-03-02');
    expect(result).toMatchObject({ state: 'done', integration: { dayAfterDose: 0 } });
  });

  it('prefers the integration within the window to a later one', () => {
    const result = one(
      [
        { noteId: 'late', sessionId: 's1', date: '2026-03-09' },
        { noteId: 'on-time', sessionId: 's1', date: '2026-03-04' },
      ],
      '2026-03-20',
    );
    expect(result).toMatchObject({ state: 'done', integration: { noteId: 'on-time' } });
  });

  it('holds each dose to the clinic’s own window when it set one (2–7 days)', () => {
    // With the clinic's window of 2–7 days, day 4 is on time.
    expect(one([{ noteId: 'n1', sessionId: 's1', date: '2026-03-06' }], '2026-03-20', [2, 7]).state).toBe(
      'done',
    );
    expect(one([], '2026-03-03', [2, 7]).state).toBe('not-due-yet');
    expect(one([], '2026-03-09', [2, 7]).state).toBe('due');
    expect(one([], '2026-03-10', [2, 7]).state).toBe('missing');
  });

  it('attributes a note to the dose it names, and an unlinked appointment to the latest earlier dose', () => {
    const results = integrationAdherence({
      doses: [dose('s2', '2026-03-09'), dose('s1', '2026-03-02')],
      integrations: [
        // Names s1 though it is after s2: it follows s1 (late), not s2.
        { noteId: 'n1', sessionId: 's1', date: '2026-03-10' },
        // Names no session: it follows s2, the latest dose on or before its date.
        { appointmentId: 'a1', date: '2026-03-11' },
      ],
      window: [1, 3],
      today: '2026-03-20',
    });
    expect(results.map((r) => [r.sessionId, r.state])).toEqual([
      ['s1', 'late'],
      ['s2', 'done'],
    ]);
    expect(results[1]!.integration).toMatchObject({ appointmentId: 'a1', dayAfterDose: 2 });
  });

  it('ignores an integration before its dose and one naming an unknown session', () => {
    const result = one(
      [
        { appointmentId: 'before', date: '2026-03-01' },
        { noteId: 'other', sessionId: 'elsewhere', date: '2026-03-03' },
        { noteId: 'backdated', sessionId: 's1', date: '2026-02-27' },
      ],
      '2026-03-06',
    );
    expect(result).toMatchObject({ state: 'missing', integration: null });
  });

  it('keeps two doses of one day in the order given', () => {
    const results = integrationAdherence({
      doses: [dose('pm', '2026-03-02', '18:00:00Z'), dose('am', '2026-03-02', '09:00:00Z')],
      integrations: [{ appointmentId: 'a1', date: '2026-03-03' }],
      window: [1, 3],
      today: '2026-03-03',
    });
    expect(results.map((r) => [r.sessionId, r.state])).toEqual([
      ['am', 'due'],
      ['pm', 'done'],
    ]);
  });

  it('refuses a window that is not 0 ≤ first ≤ last whole days, and a date that is not a date', () => {
    expect(() => one([], '2026-03-02', [3, 1])).toThrow(RangeError);
    expect(() => one([], '2026-03-02', [-1, 3])).toThrow(RangeError);
    expect(() => one([], '2026-03-02', [1.5, 3])).toThrow(RangeError);
    expect(() => one([], '2026-3-2')).toThrow(RangeError);
  });

  it('property: adding an integration never makes a dose missing or due, and the state is one of five', () => {
    const day = fc.integer({ min: 0, max: 40 });
    fc.assert(
      fc.property(
        day,
        day,
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 0, max: 10 }),
        (integrationDay, todayOffset, a, b) => {
          const window: [number, number] = [Math.min(a, b), Math.max(a, b)];
          const at = (n: number) => new Date(Date.UTC(2026, 2, 2 + n)).toISOString().slice(0, 10);
          const today = at(Math.max(integrationDay, todayOffset));
          const without = one([], today, window).state;
          const withIt = one(
            [{ noteId: 'n', sessionId: 's1', date: at(integrationDay) }],
            today,
            window,
          ).state;
          expect(['done', 'late']).toContain(withIt);
          expect(withIt === 'late').toBe(integrationDay > window[1]);
          expect(['due', 'missing', 'not-due-yet']).toContain(without);
        },
      ),
    );
  });
});

describe('integrationWindowFor', () => {
  it('takes the protocol’s 1–3 days, or the clinic’s own window, and none for the SPRAVATO protocols', () => {
    expect(integrationWindowFor('kap-im')).toEqual([1, 3]);
    expect(integrationWindowFor('iv-series', [2, 5])).toEqual([2, 5]);
    expect(integrationWindowFor('spravato-trd')).toBeNull();
    expect(integrationWindowFor('spravato-mdd-si', [1, 3])).toBeNull();
    expect(() => integrationWindowFor('kap-im', [4, 2])).toThrow(RangeError);
    expect(() => integrationWindowFor('nope' as never)).toThrow(RangeError);
  });
});
