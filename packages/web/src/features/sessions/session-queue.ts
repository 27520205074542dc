import { useMemo, useSyncExternalStore } from 'react';
import { onSessionEnded } from '../../api/client.ts';
import {
  type KeyValueStorage,
  type PendingWrite,
  PendingWrites,
  pendingWritesStorageKey,
} from './pending-writes.ts';
import { postSessionObservation, postSessionVitals } from './sessions.api.ts';
import type { SessionObservationSubmission, SessionVitalsSubmission } from './sessions.types.ts';

/**
 * The one queue of the tab (pending-writes.ts is the logic; this is its place in the browser): kept in
 * sessionStorage, flushed at once after each reading, when the browser says the connection is back, and
 * every few seconds while anything waits. Emptied at sign-out (app/sign-out.ts calls forgetPendingWrites) and
 * when the server ends the sign-in (any 401).
 */

const retryEveryMs = 10_000;

function tabStorage(): KeyValueStorage | null {
  try {
    return typeof window === 'undefined' ? null : window.sessionStorage;
  } catch {
    // Storage disabled (a privacy setting): the queue still holds readings while the page is open.
    return null;
  }
}

function send(write: PendingWrite): Promise<unknown> {
  if (write.kind === 'vitals')
    return postSessionVitals(write.sessionId, write.body as unknown as SessionVitalsSubmission);
  return postSessionObservation(write.sessionId, write.body as unknown as SessionObservationSubmission);
}

const sentListeners = new Set<(write: PendingWrite, result: unknown) => void>();
let queue: PendingWrites | null = null;
let retryTimer: ReturnType<typeof setInterval> | null = null;

function syncRetryTimer(current: PendingWrites): void {
  const waiting = current.list().some((w) => w.status === 'pending');
  if (waiting && retryTimer === null) {
    retryTimer = setInterval(() => {
      void current.flush();
    }, retryEveryMs);
  } else if (!waiting && retryTimer !== null) {
    clearInterval(retryTimer);
    retryTimer = null;
  }
}

export function pendingWrites(): PendingWrites {
  if (queue) return queue;
  const created = new PendingWrites({
    storage: tabStorage(),
    send,
    onSent: (write, result) => {
      for (const listener of sentListeners) listener(write, result);
    },
  });
  created.subscribe(() => syncRetryTimer(created));
  if (typeof window !== 'undefined') {
    window.addEventListener('online', () => {
      void created.flush();
    });
  }
  queue = created;
  syncRetryTimer(created);
  return created;
}

/** Called after the server confirmed a queued write (the session on screen refreshes). */
export function onPendingWriteSent(listener: (write: PendingWrite, result: unknown) => void): () => void {
  sentListeners.add(listener);
  return () => {
    sentListeners.delete(listener);
  };
}

/** Queues a reading and tries to send it at once. */
export function queueVitals(sessionId: string, body: SessionVitalsSubmission): PendingWrite {
  const current = pendingWrites();
  const write = current.enqueue({ sessionId, kind: 'vitals', body: { ...body } });
  void current.flush();
  return write;
}

export function queueObservation(sessionId: string, body: SessionObservationSubmission): PendingWrite {
  const current = pendingWrites();
  const write = current.enqueue({ sessionId, kind: 'observation', body: { ...body } });
  void current.flush();
  return write;
}

/** Sign-out or a sign-in ended by the server: nothing of any session stays in this tab. */
export function forgetPendingWrites(): void {
  if (queue) queue.clearAll();
  else {
    try {
      tabStorage()?.removeItem(pendingWritesStorageKey);
    } catch {
      // Storage unavailable: nothing was stored.
    }
  }
}

onSessionEnded(forgetPendingWrites);

// A reload in the middle of an outage: pick the queue up again straight away, wherever the app opens.
if (tabStorage()?.getItem(pendingWritesStorageKey)) void pendingWrites().flush();

const noWrites: readonly PendingWrite[] = [];

/** The queue's writes (of one session, when given), re-rendered on every change. */
export function usePendingWrites(sessionId?: string): readonly PendingWrite[] {
  const current = pendingWrites();
  const all = useSyncExternalStore(
    (listener) => current.subscribe(listener),
    () => current.list(),
    () => noWrites,
  );
  return useMemo(
    () => (sessionId === undefined ? all : all.filter((w) => w.sessionId === sessionId)),
    [all, sessionId],
  );
}
