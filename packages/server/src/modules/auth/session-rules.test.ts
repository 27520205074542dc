import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import {
  absoluteTimeoutMs,
  idleExpiresAt,
  idleTimeoutMs,
  needsTouch,
  type SessionTimes,
  sessionState,
  touchIntervalMs,
} from './session-rules.ts';

const minute = 60_000;
const signedInAt = new Date('2026-03-02T09:00:00Z');

function freshSession(): SessionTimes {
  return {
    lastSeenAt: signedInAt,
    absoluteExpiresAt: new Date(signedInAt.getTime() + absoluteTimeoutMs),
    revokedAt: null,
  };
}

/** What the security plugin does on each request: check the state, then record activity at most once a minute. */
function request(session: SessionTimes, clock: ManualClock): ReturnType<typeof sessionState> {
  const now = clock.now();
  const state = sessionState(session, now);
  if (state === 'active' && needsTouch(session, now)) session.lastSeenAt = now;
  return state;
}

describe('session lifetime', () => {
  it('uses the timeouts the foundation issue asks for: 15 minutes idle, 12 hours absolute', () => {
    expect(idleTimeoutMs).toBe(15 * minute);
    expect(absoluteTimeoutMs).toBe(12 * 60 * minute);
    expect(touchIntervalMs).toBeLessThanOrEqual(minute);
  });

  it('expires exactly at 15 idle minutes', () => {
    const session = freshSession();
    const at = (ms: number) => new Date(signedInAt.getTime() + ms);
    expect(sessionState(session, at(15 * minute - 1))).toBe('active');
    expect(sessionState(session, at(15 * minute))).toBe('idle-expired');
  });

  it('slides the idle window with activity', () => {
    const clock = new ManualClock(signedInAt);
    const session = freshSession();
    clock.advanceMinutes(10);
    expect(request(session, clock)).toBe('active');
    clock.advanceMinutes(14); // 24 minutes after sign-in, 14 after the last request
    expect(request(session, clock)).toBe('active');
    clock.advanceMinutes(15);
    expect(request(session, clock)).toBe('idle-expired');
  });

  it('ends at 12 hours even for a session that is busy the whole time', () => {
    const clock = new ManualClock(signedInAt);
    const session = freshSession();
    let requests = 0;
    while (clock.now().getTime() < signedInAt.getTime() + absoluteTimeoutMs - 5 * minute) {
      clock.advanceMinutes(5);
      expect(request(session, clock)).toBe('active');
      requests += 1;
    }
    expect(requests).toBe(143);
    clock.advanceMinutes(5); // exactly 12 hours after sign-in
    expect(request(session, clock)).toBe('absolute-expired');
  });

  it('treats a revoked session as ended before anything else', () => {
    const session = { ...freshSession(), revokedAt: signedInAt };
    expect(sessionState(session, signedInAt)).toBe('revoked');
    expect(sessionState(session, new Date(signedInAt.getTime() + absoluteTimeoutMs))).toBe('revoked');
  });

  it('writes activity at most once a minute, so a busy session does not write on every request', () => {
    const clock = new ManualClock(signedInAt);
    const session = freshSession();
    const seen: number[] = [];
    for (let i = 0; i < 12; i++) {
      clock.advance(10_000);
      const before = session.lastSeenAt.getTime();
      request(session, clock);
      if (session.lastSeenAt.getTime() !== before) seen.push(session.lastSeenAt.getTime());
    }
    // Two minutes of requests every 10 seconds: two writes, one per minute.
    expect(seen.map((t) => (t - signedInAt.getTime()) / 1000)).toEqual([60, 120]);
  });

  it('reports the idle deadline the client should show, never past the absolute one', () => {
    const session = freshSession();
    expect(idleExpiresAt(session, new Date(signedInAt.getTime() + 30_000)).toISOString()).toBe(
      '2026-03-02T09:15:00.000Z',
    );
    // A request that will be recorded as activity moves the deadline with it.
    expect(idleExpiresAt(session, new Date(signedInAt.getTime() + 5 * minute)).toISOString()).toBe(
      '2026-03-02T09:20:00.000Z',
    );
    const late = { ...session, lastSeenAt: new Date(signedInAt.getTime() + absoluteTimeoutMs - 5 * minute) };
    expect(idleExpiresAt(late, late.lastSeenAt)).toEqual(session.absoluteExpiresAt);
  });
});
