import { describe, expect, it } from 'vitest';
import { idleDeadlines } from './idle-timeout-watcher.tsx';

const minute = 60_000;

describe('idleDeadlines', () => {
  it('allows for the server recording activity once a minute', () => {
    expect(idleDeadlines(0, 15 * minute, Number.POSITIVE_INFINITY)).toEqual({
      earliestEnd: 14 * minute,
      latestEnd: 15 * minute,
    });
  });

  it('stops at the absolute end of the session', () => {
    expect(idleDeadlines(0, 15 * minute, 10 * minute)).toEqual({
      earliestEnd: 10 * minute,
      latestEnd: 10 * minute,
    });
  });
});
