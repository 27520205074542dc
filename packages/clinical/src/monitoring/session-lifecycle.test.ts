import { describe, expect, it } from 'vitest';
import {
  allowedSessionEvents,
  dissociationRatingDue,
  type SessionEvent,
  type SessionEventKind,
  type SessionState,
  sessionEventKinds,
  sessionStates,
  sessionTransition,
} from './session-lifecycle.ts';

const clearGate: SessionEvent = {
  kind: 'clear-to-dose',
  gate: { blockers: [], cautions: [] },
  overriddenCautions: [],
};
const ready: SessionEvent = { kind: 'discharge', readiness: { ready: true, unmet: [] } };

/** A valid instance of each event (its facts satisfied), so the table tests the states alone. */
const validEvent: Record<SessionEventKind, SessionEvent> = {
  'check-in': { kind: 'check-in' },
  'clear-to-dose': clearGate,
  'reopen-checks': { kind: 'reopen-checks', reasons: ['BP 190/105 is above 180/100: do not dose.'] },
  administer: { kind: 'administer' },
  'start-monitoring': { kind: 'start-monitoring' },
  discharge: ready,
  abort: { kind: 'abort', reason: 'Patient asked to stop' },
};

/** Every allowed (state, event) → next state; any pair not listed must be refused. */
const allowed: Record<string, SessionState> = {
  'scheduled/check-in': 'checked-in',
  'scheduled/abort': 'aborted',
  'checked-in/clear-to-dose': 'cleared-to-dose',
  'checked-in/abort': 'aborted',
  'cleared-to-dose/reopen-checks': 'checked-in',
  'cleared-to-dose/administer': 'dosing',
  'cleared-to-dose/abort': 'aborted',
  'dosing/administer': 'dosing',
  'dosing/start-monitoring': 'monitoring',
  'dosing/abort': 'aborted',
  'monitoring/administer': 'monitoring',
  'monitoring/discharge': 'discharged',
  'monitoring/abort': 'aborted',
};

describe('session lifecycle', () => {
  for (const state of sessionStates) {
    for (const kind of sessionEventKinds) {
      const key = `${state}/${kind}`;
      const to = allowed[key];
      it(`${key} is ${to ? `allowed → ${to}` : 'refused'}`, () => {
        const result = sessionTransition(state, validEvent[kind]);
        if (to) expect(result).toEqual({ allowed: true, to });
        else {
          expect(result.allowed).toBe(false);
          if (!result.allowed) expect(result.reasons[0]).toMatch(/cannot/);
        }
        expect(allowedSessionEvents(state).includes(kind)).toBe(Boolean(to));
      });
    }
  }

  it('walks the whole course: check-in, gate, doses, monitoring, discharge', () => {
    let state: SessionState = 'scheduled';
    for (const event of [
      validEvent['check-in'],
      clearGate,
      validEvent.administer,
      validEvent.administer,
      validEvent['start-monitoring'],
      validEvent.administer,
      ready,
    ]) {
      const step = sessionTransition(state, event);
      if (!step.allowed) throw new Error(step.reasons.join('; '));
      state = step.to;
    }
    expect(state).toBe('discharged');
  });

  it('refuses to clear dosing while a blocker stands, even with every caution overridden', () => {
    const result = sessionTransition('checked-in', {
      kind: 'clear-to-dose',
      gate: { blockers: ['No confirmed ride home with a named escort.'], cautions: ['BP 150/95'] },
      overriddenCautions: ['BP 150/95'],
    });
    expect(result).toEqual({
      allowed: false,
      reasons: ['Blocker: No confirmed ride home with a named escort.'],
    });
  });

  it('refuses to clear dosing until every caution is overridden', () => {
    const result = sessionTransition('checked-in', {
      kind: 'clear-to-dose',
      gate: { blockers: [], cautions: ['BP 150/95', 'Baseline MOAA/S is 4'] },
      overriddenCautions: ['BP 150/95'],
    });
    expect(result).toEqual({
      allowed: false,
      reasons: ['Caution not overridden by a prescriber: Baseline MOAA/S is 4'],
    });
    expect(
      sessionTransition('checked-in', {
        kind: 'clear-to-dose',
        gate: { blockers: [], cautions: ['BP 150/95', 'Baseline MOAA/S is 4'] },
        overriddenCautions: ['BP 150/95', 'Baseline MOAA/S is 4'],
      }),
    ).toEqual({ allowed: true, to: 'cleared-to-dose' });
  });

  it('refuses an override that names a blocker', () => {
    const result = sessionTransition('checked-in', {
      kind: 'clear-to-dose',
      gate: { blockers: ['The patient is pregnant'], cautions: [] },
      overriddenCautions: ['The patient is pregnant'],
    });
    expect(result.allowed).toBe(false);
    if (!result.allowed)
      expect(result.reasons).toContain('A blocker cannot be overridden: The patient is pregnant');
  });

  it('refuses discharge against an unmet criterion without a rationale, and allows it with one', () => {
    const notReady = { ready: false, unmet: ['Observed 90 of at least 120 minutes.'] };
    const refused = sessionTransition('monitoring', { kind: 'discharge', readiness: notReady });
    expect(refused).toEqual({
      allowed: false,
      reasons: [
        'Discharge criterion not met: Observed 90 of at least 120 minutes.',
        'Only a prescriber may discharge against an unmet criterion, with a rationale.',
      ],
    });
    expect(
      sessionTransition('monitoring', { kind: 'discharge', readiness: notReady, overrideRationale: '   ' })
        .allowed,
    ).toBe(false);
    expect(
      sessionTransition('monitoring', {
        kind: 'discharge',
        readiness: notReady,
        overrideRationale: 'Transferred to the emergency department with an escort.',
      }),
    ).toEqual({ allowed: true, to: 'discharged' });
  });

  it('reopens the checks only with a reason the clearance did not cover', () => {
    expect(sessionTransition('cleared-to-dose', { kind: 'reopen-checks', reasons: [] })).toEqual({
      allowed: false,
      reasons: ['Nothing new for the pre-dose checks: the clearance stands.'],
    });
  });

  it('refuses an abort without a reason', () => {
    expect(sessionTransition('dosing', { kind: 'abort', reason: ' ' })).toEqual({
      allowed: false,
      reasons: ['Say why the session is stopped.'],
    });
  });

  it('never moves a session that has ended', () => {
    for (const state of ['discharged', 'aborted'] as const) {
      for (const kind of sessionEventKinds) {
        const result = sessionTransition(state, validEvent[kind]);
        expect(result.allowed).toBe(false);
        if (!result.allowed) expect(result.reasons[0]).toMatch(/cannot change/);
      }
      expect(allowedSessionEvents(state)).toEqual([]);
    }
  });
});

describe('dissociationRatingDue (clinical-reference 4.4)', () => {
  it.each([
    { now: 10, rated: [], due: { dueAtMinutes: 40, overdue: false } },
    { now: 41, rated: [], due: { dueAtMinutes: 40, overdue: true } },
    { now: 41, rated: [-5], due: { dueAtMinutes: 40, overdue: true } },
    { now: 41, rated: [29], due: { dueAtMinutes: 40, overdue: true } },
    { now: 35, rated: [30], due: { dueAtMinutes: null, overdue: false } },
    { now: 90, rated: [-5, 42], due: { dueAtMinutes: null, overdue: false } },
  ])('at $now min with ratings at $rated', ({ now, rated, due }) => {
    expect(dissociationRatingDue(now, rated)).toEqual(due);
  });
});
