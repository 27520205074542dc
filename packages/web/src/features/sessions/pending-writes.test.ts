import { describe, expect, it } from 'vitest';
import { ApiProblem } from '../../api/client.ts';
import {
  type KeyValueStorage,
  outcomeOfFailure,
  type PendingWrite,
  PendingWrites,
  pendingWritesStorageKey,
} from './pending-writes.ts';

class MemoryStorage implements KeyValueStorage {
  readonly map = new Map<string, string>();
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.map.set(key, value);
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
}

const networkDown = () =>
  new ApiProblem({ type: 'about:blank', title: 'Network error', status: 0, detail: 'offline' });

/**
 * A stand-in for the server's idempotent write: the same id with the same body answers the first result, the
 * same id with another body is a 409. `mode` decides what the network does with the next request.
 */
class FakeServer {
  readonly stored = new Map<string, string>();
  requests = 0;
  mode: 'up' | 'down' | 'lose-answer' = 'up';
  refuse: ((body: PendingWrite['body']) => ApiProblem | null) | null = null;

  send = async (write: PendingWrite): Promise<unknown> => {
    this.requests++;
    if (this.mode === 'down') throw networkDown();
    const refusal = this.refuse?.(write.body);
    if (refusal) throw refusal;
    const text = JSON.stringify(write.body);
    const previous = this.stored.get(write.id);
    if (previous !== undefined && previous !== text)
      throw new ApiProblem({ type: 'conflict', title: 'Conflict', status: 409, detail: 'different content' });
    if (previous === undefined) this.stored.set(write.id, text);
    // The server recorded it, but the answer never reached the tablet.
    if (this.mode === 'lose-answer') throw networkDown();
    return { id: write.id, recorded: true };
  };
}

function reading(id: string, systolic: number, sessionId = 'session-1') {
  return {
    sessionId,
    kind: 'vitals' as const,
    body: { id, measuredAt: '2026-06-01T09:30:00.000Z', systolic, diastolic: 80 },
  };
}

function setup(options: { storage?: KeyValueStorage | null; now?: () => number } = {}) {
  const storage = options.storage === undefined ? new MemoryStorage() : options.storage;
  const server = new FakeServer();
  const sent: string[] = [];
  const queue = new PendingWrites({
    storage,
    send: server.send,
    onSent: (write) => sent.push(write.id),
    ...(options.now ? { now: options.now } : {}),
  });
  return { storage, server, queue, sent };
}

describe('PendingWrites', () => {
  it('sends a reading at once when the connection is up and keeps nothing afterwards', async () => {
    const { queue, server, storage, sent } = setup();
    queue.enqueue(reading('r1', 120));
    expect(queue.list()).toHaveLength(1);
    const report = await queue.flush();
    expect(report).toEqual({ sent: 1, rejected: 0, waiting: 0 });
    expect(sent).toEqual(['r1']);
    expect(server.stored.has('r1')).toBe(true);
    expect(queue.list()).toEqual([]);
    expect((storage as MemoryStorage).map.size).toBe(0);
  });

  it('keeps readings taken offline, says they are pending, and sends them in order when the connection returns', async () => {
    const { queue, server, sent } = setup();
    server.mode = 'down';
    queue.enqueue(reading('r1', 120));
    queue.enqueue(reading('r2', 130));
    queue.enqueue(reading('r3', 140));
    const offline = await queue.flush();
    expect(offline).toEqual({ sent: 0, rejected: 0, waiting: 3 });
    // Stops at the first connection failure: one request, not three.
    expect(server.requests).toBe(1);
    expect(queue.list().map((w) => [w.id, w.status])).toEqual([
      ['r1', 'pending'],
      ['r2', 'pending'],
      ['r3', 'pending'],
    ]);
    expect(queue.list()[0]?.problem).toMatch(/waiting for the connection/);
    expect(queue.list()[0]?.attempts).toBe(1);

    server.mode = 'up';
    const online = await queue.flush();
    expect(online).toEqual({ sent: 3, rejected: 0, waiting: 0 });
    expect(sent).toEqual(['r1', 'r2', 'r3']);
    expect([...server.stored.keys()]).toEqual(['r1', 'r2', 'r3']);
  });

  it('resends a reading whose answer was lost with the same id and body, so the server keeps one reading', async () => {
    const { queue, server, sent } = setup();
    queue.enqueue(reading('r1', 150));
    server.mode = 'lose-answer';
    await queue.flush();
    expect(server.stored.size).toBe(1);
    expect(queue.list()).toHaveLength(1);

    server.mode = 'up';
    await queue.flush();
    expect(server.requests).toBe(2);
    expect(server.stored.size).toBe(1);
    expect(queue.list()).toEqual([]);
    expect(sent).toEqual(['r1']);
  });

  it('treats the same id queued twice (a double tap) as one write', async () => {
    const { queue, server } = setup();
    const first = queue.enqueue(reading('r1', 120));
    const second = queue.enqueue(reading('r1', 120));
    expect(second).toBe(first);
    expect(queue.list()).toHaveLength(1);
    await queue.flush();
    expect(server.requests).toBe(1);
  });

  it('runs one flush at a time: triggers that overlap never send the same reading side by side', async () => {
    const { queue, server } = setup();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const inFlight: string[] = [];
    let overlap = false;
    const slow = new PendingWrites({
      storage: null,
      send: async (write) => {
        if (inFlight.length > 0) overlap = true;
        inFlight.push(write.id);
        await gate;
        inFlight.pop();
        return server.send(write);
      },
    });
    slow.enqueue(reading('r1', 120));
    const a = slow.flush();
    const b = slow.flush();
    slow.enqueue(reading('r2', 121));
    const c = slow.flush();
    expect(b).toBe(a);
    expect(c).toBe(a);
    release();
    const report = await a;
    // The write queued during the flush went out in the same flush, after the first.
    expect(report.sent).toBe(2);
    expect(overlap).toBe(false);
    expect(server.requests).toBe(2);
    expect(slow.list()).toEqual([]);
    expect(queue.list()).toEqual([]);
  });

  it('marks a refused write (400, 409) for the nurse, does not resend it, and carries on with the rest', async () => {
    const { queue, server, sent } = setup();
    server.refuse = (body) =>
      body.systolic === 999
        ? new ApiProblem({
            type: 'validation',
            title: 'Invalid',
            status: 400,
            detail: 'Systolic must be at most 300 mmHg.',
          })
        : null;
    queue.enqueue(reading('bad', 999));
    queue.enqueue(reading('good', 120));
    const report = await queue.flush();
    expect(report).toEqual({ sent: 1, rejected: 1, waiting: 0 });
    expect(sent).toEqual(['good']);
    const [refused] = queue.list();
    expect(refused?.status).toBe('rejected');
    expect(refused?.problem).toBe('Systolic must be at most 300 mmHg.');

    await queue.flush();
    expect(server.requests).toBe(2);
    queue.discard('bad');
    expect(queue.list()).toEqual([]);
  });

  it('reports a 409 (same id, other content) as refused, never as sent', async () => {
    const { queue, server } = setup();
    server.stored.set('r1', JSON.stringify({ id: 'r1', systolic: 1 }));
    queue.enqueue(reading('r1', 120));
    const report = await queue.flush();
    expect(report.rejected).toBe(1);
    expect(queue.list()[0]?.status).toBe('rejected');
    expect(queue.list()[0]?.problem).toBe('different content');
  });

  it('stops at a 401 and leaves the emptying to sign-out', async () => {
    const { queue } = setup();
    const signedOut = new PendingWrites({
      storage: null,
      send: async () => {
        throw new ApiProblem({ type: 'about:blank', title: 'Unauthorized', status: 401 });
      },
    });
    signedOut.enqueue(reading('r1', 120));
    signedOut.enqueue(reading('r2', 120));
    const report = await signedOut.flush();
    expect(report).toEqual({ sent: 0, rejected: 0, waiting: 2 });
    signedOut.clearAll();
    expect(signedOut.list()).toEqual([]);
    expect(queue.list()).toEqual([]);
  });

  it('survives a reload: a new queue over the same storage finds the pending readings and sends them once', async () => {
    const storage = new MemoryStorage();
    const first = setup({ storage });
    first.server.mode = 'down';
    first.queue.enqueue(reading('r1', 120));
    first.queue.enqueue(reading('r2', 125));
    await first.queue.flush();

    const server = new FakeServer();
    const reloaded = new PendingWrites({ storage, send: server.send });
    expect(reloaded.list().map((w) => w.id)).toEqual(['r1', 'r2']);
    expect(reloaded.list()[0]?.body).toEqual(reading('r1', 120).body);
    await reloaded.flush();
    expect([...server.stored.keys()]).toEqual(['r1', 'r2']);
    expect(storage.map.size).toBe(0);
  });

  it('holds nothing in storage for a session once it ends, and keeps the other chairs’ readings', async () => {
    const { queue, server, storage } = setup();
    server.mode = 'down';
    queue.enqueue(reading('a1', 120, 'chair-a'));
    queue.enqueue(reading('b1', 130, 'chair-b'));
    await queue.flush();
    queue.clearSession('chair-a');
    expect(queue.list().map((w) => w.id)).toEqual(['b1']);
    const stored = (storage as MemoryStorage).map.get(pendingWritesStorageKey) ?? '';
    expect(stored).not.toContain('chair-a');
    expect(stored).toContain('chair-b');
    queue.clearSession('chair-b');
    expect((storage as MemoryStorage).map.has(pendingWritesStorageKey)).toBe(false);
  });

  it('empties the queue and its stored copy at sign-out', async () => {
    const { queue, server, storage } = setup();
    server.mode = 'down';
    queue.enqueue(reading('r1', 120));
    await queue.flush();
    expect((storage as MemoryStorage).map.size).toBe(1);
    queue.clearAll();
    expect(queue.list()).toEqual([]);
    expect((storage as MemoryStorage).map.size).toBe(0);
  });

  it('does not bring a write back when its answer arrives after the session was cleared', async () => {
    const storage = new MemoryStorage();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const sent: string[] = [];
    const queue = new PendingWrites({
      storage,
      send: async () => {
        await gate;
        throw networkDown();
      },
      onSent: (w) => sent.push(w.id),
    });
    queue.enqueue(reading('r1', 120));
    const flushing = queue.flush();
    queue.clearAll();
    release();
    await flushing;
    expect(queue.list()).toEqual([]);
    expect(storage.map.size).toBe(0);
    expect(sent).toEqual([]);
  });

  it('drops leftovers older than a sign-in can last, and unreadable or duplicated entries, without sending them', () => {
    const storage = new MemoryStorage();
    const now = Date.parse('2026-06-01T12:00:00Z');
    const fresh: PendingWrite = {
      id: 'fresh',
      sessionId: 's',
      kind: 'vitals',
      body: { id: 'fresh', systolic: 120 },
      queuedAt: now - 60_000,
      attempts: 0,
      status: 'pending',
      problem: null,
    };
    const stale = { ...fresh, id: 'stale', body: { id: 'stale' }, queuedAt: now - 13 * 60 * 60_000 };
    const mismatched = { ...fresh, id: 'other', body: { id: 'not-other' } };
    storage.setItem(
      pendingWritesStorageKey,
      JSON.stringify([fresh, stale, mismatched, { nonsense: true }, fresh]),
    );
    const queue = new PendingWrites({ storage, send: async () => ({}), now: () => now });
    expect(queue.list().map((w) => w.id)).toEqual(['fresh']);
    expect(JSON.parse(storage.getItem(pendingWritesStorageKey) ?? '[]')).toHaveLength(1);

    storage.setItem(pendingWritesStorageKey, '{not json');
    const broken = new PendingWrites({ storage, send: async () => ({}), now: () => now });
    expect(broken.list()).toEqual([]);
    expect(storage.getItem(pendingWritesStorageKey)).toBeNull();
  });

  it('still queues in memory when the browser refuses to store, and says so', async () => {
    const refusing: KeyValueStorage = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
      removeItem: () => {},
    };
    const server = new FakeServer();
    server.mode = 'down';
    const queue = new PendingWrites({ storage: refusing, send: server.send });
    queue.enqueue(reading('r1', 120));
    expect(queue.persistent).toBe(false);
    expect(queue.list()).toHaveLength(1);
    server.mode = 'up';
    await queue.flush();
    expect(server.stored.has('r1')).toBe(true);
  });

  it('notifies subscribers on every change and gives a new snapshot only when something changed', async () => {
    const { queue } = setup();
    let calls = 0;
    const unsubscribe = queue.subscribe(() => calls++);
    const before = queue.list();
    expect(queue.list()).toBe(before);
    queue.enqueue(reading('r1', 120));
    expect(queue.list()).not.toBe(before);
    await queue.flush();
    expect(calls).toBe(2);
    unsubscribe();
    queue.enqueue(reading('r2', 120));
    expect(calls).toBe(2);
  });
});

describe('outcomeOfFailure', () => {
  const problem = (status: number, detail?: string) =>
    new ApiProblem({ type: 'x', title: 'T', status, ...(detail ? { detail } : {}) });
  it.each([
    [0, 'retry'],
    [408, 'retry'],
    [429, 'retry'],
    [500, 'retry'],
    [503, 'retry'],
    [400, 'rejected'],
    [403, 'rejected'],
    [404, 'rejected'],
    [409, 'rejected'],
    [422, 'rejected'],
    [401, 'signed-out'],
  ])('status %i → %s', (status, outcome) => {
    expect(outcomeOfFailure(problem(status)).outcome).toBe(outcome);
  });
  it('keeps a reading on an unexpected error rather than lose it', () => {
    expect(outcomeOfFailure(new TypeError('Failed to fetch')).outcome).toBe('retry');
  });
});
