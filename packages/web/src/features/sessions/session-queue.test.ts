import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pendingWritesStorageKey } from './pending-writes.ts';

/**
 * The tab's queue wired to the browser: sessionStorage, the API client and the "sign-in ended" signal. The
 * browser is stood in for by a window with a sessionStorage and a fetch that answers as told.
 */

class MemoryStorage {
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

const storage = new MemoryStorage();
const requests: { url: string; method: string; body: unknown }[] = [];
let answer: 'network-down' | 'ok' | 'unauthorized' = 'ok';
const sessionId = '00000000-0000-4000-8000-0000000000aa';
const readingId = '00000000-0000-4000-8000-000000000101';

type Queue = typeof import('./session-queue.ts');
let queue: Queue;
let client: typeof import('../../api/client.ts');

beforeAll(async () => {
  (globalThis as unknown as { window: unknown }).window = {
    sessionStorage: storage,
    addEventListener: () => {},
  };
  // A copy left in the tab by an earlier page: the queue picks it up when the module loads.
  storage.setItem(pendingWritesStorageKey, '[]');
  globalThis.fetch = (async (url: string, init: RequestInit) => {
    requests.push({
      url,
      method: init.method ?? 'GET',
      body: init.body ? JSON.parse(String(init.body)) : null,
    });
    if (answer === 'network-down') throw new TypeError('Failed to fetch');
    if (answer === 'unauthorized')
      return new Response(JSON.stringify({ type: 'about:blank', title: 'Unauthorized', status: 401 }), {
        status: 401,
        headers: { 'content-type': 'application/problem+json' },
      });
    return new Response(JSON.stringify({ id: sessionId, state: 'monitoring', vitals: [] }), {
      status: 201,
      headers: { 'content-type': 'application/json' },
    });
  }) as typeof fetch;
  client = await import('../../api/client.ts');
  queue = await import('./session-queue.ts');
});

afterEach(() => {
  requests.length = 0;
  answer = 'ok';
});

const until = async (check: () => boolean) => {
  for (let i = 0; i < 50 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe('the tab’s queue', () => {
  it('sends a reading to the session’s vitals route with its client id, and keeps nothing once sent', async () => {
    const sent: string[] = [];
    const stop = queue.onPendingWriteSent((write) => sent.push(write.id));
    queue.queueVitals(sessionId, {
      id: readingId,
      measuredAt: '2026-06-01T09:40:00.000Z',
      systolic: 132,
      diastolic: 84,
    });
    await until(() => sent.length === 1);
    stop();
    expect(requests).toEqual([
      {
        url: `/api/v1/sessions/${sessionId}/vitals`,
        method: 'POST',
        body: { id: readingId, measuredAt: '2026-06-01T09:40:00.000Z', systolic: 132, diastolic: 84 },
      },
    ]);
    expect(queue.pendingWrites().list()).toEqual([]);
    expect(storage.getItem(pendingWritesStorageKey)).toBeNull();
  });

  it('keeps a reading in sessionStorage while the network is down, and empties it when the server ends the sign-in', async () => {
    answer = 'network-down';
    queue.queueObservation(sessionId, {
      id: '00000000-0000-4000-8000-000000000102',
      observedAt: '2026-06-01T09:41:00.000Z',
      kind: 'moaas',
      moaas: 4,
    });
    await until(() => requests.length === 1);
    await queue.pendingWrites().flush();
    expect(requests[0]?.url).toBe(`/api/v1/sessions/${sessionId}/observations`);
    expect(queue.pendingWrites().list()).toHaveLength(1);
    expect(storage.getItem(pendingWritesStorageKey)).toContain('"moaas":4');

    // Any call answered 401: the idle or absolute timeout ended the sign-in.
    answer = 'unauthorized';
    await expect(client.request('/api/v1/sessions/board')).rejects.toMatchObject({ status: 401 });
    expect(queue.pendingWrites().list()).toEqual([]);
    expect(storage.getItem(pendingWritesStorageKey)).toBeNull();
  });

  it('empties the queue and its stored copy at sign-out', async () => {
    answer = 'network-down';
    queue.queueVitals(sessionId, {
      id: '00000000-0000-4000-8000-000000000103',
      measuredAt: '2026-06-01T09:42:00.000Z',
      heartRate: 90,
    });
    await queue.pendingWrites().flush();
    expect(storage.getItem(pendingWritesStorageKey)).toContain('"heartRate":90');
    queue.forgetPendingWrites();
    expect(queue.pendingWrites().list()).toEqual([]);
    expect(storage.getItem(pendingWritesStorageKey)).toBeNull();
  });
});
