import { ApiProblem } from '../../api/client.ts';

/**
 * The console's queue of readings and observations not yet confirmed by the server.
 *
 * A nurse running four chairs cannot lose a blood pressure because the Wi-Fi dropped. Every write gets its id
 * in the browser before the first attempt; the server treats the same id again as the same reading (it
 * answers with the first result), so sending again after a lost answer never makes a second reading. The
 * queue keeps each write until the server has answered it, sends in the order the readings were taken, one
 * at a time, and says what is still pending.
 *
 * The copy in browser storage exists only so that a reload mid-outage loses nothing. It lives in
 * sessionStorage (gone with the tab), holds only what the server needs (ids and numbers, no names), and is
 * emptied when the session ends (discharge or stop), at sign-out and when the server ends the sign-in.
 */

export type PendingKind = 'vitals' | 'observation';

export interface PendingWrite {
  /** The client-generated id the server deduplicates on. */
  id: string;
  sessionId: string;
  kind: PendingKind;
  /** The request body, exactly as it will be sent every time. */
  body: { id: string } & Record<string, unknown>;
  /** When it was put in the queue (ms since the epoch). */
  queuedAt: number;
  attempts: number;
  /**
   * `pending`: waiting for the connection (sent as soon as it returns). `rejected`: the server refused it
   * (for example a value out of range); it is not sent again and the nurse decides what to do with it.
   */
  status: 'pending' | 'rejected';
  /** Why the last attempt did not go through, in the words shown to the nurse. */
  problem: string | null;
}

/** The part of the Web Storage interface the queue uses (sessionStorage, or a map in tests). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export type SendOutcome =
  | { outcome: 'sent'; result: unknown }
  /** The connection or the server failed: keep it and try again later. */
  | { outcome: 'retry'; problem: string }
  /** The server answered no: keep it for the nurse, do not resend. */
  | { outcome: 'rejected'; problem: string }
  /** The sign-in ended: stop; the session-ended handling empties the queue. */
  | { outcome: 'signed-out' };

export interface FlushReport {
  sent: number;
  rejected: number;
  /** Writes still waiting for the connection. */
  waiting: number;
}

/** Decides what a failed attempt means for the write. */
export function outcomeOfFailure(error: unknown): Exclude<SendOutcome, { outcome: 'sent' }> {
  if (error instanceof ApiProblem) {
    if (error.status === 401) return { outcome: 'signed-out' };
    // 0: no answer at all (offline, DNS, reset); 408/429/5xx: the server may answer later.
    if (error.status === 0 || error.status === 408 || error.status === 429 || error.status >= 500)
      return { outcome: 'retry', problem: 'Not sent yet: waiting for the connection.' };
    if (error.status === 409)
      return {
        outcome: 'rejected',
        problem: error.detail ?? 'The server already holds a different entry with this id.',
      };
    return { outcome: 'rejected', problem: error.detail ?? error.title };
  }
  // A thrown TypeError or similar: treat as a connection problem rather than lose the reading.
  return { outcome: 'retry', problem: 'Not sent yet: waiting for the connection.' };
}

export const pendingWritesStorageKey = 'kapstone.pending-session-writes.v1';
/** A sign-in lasts at most 12 hours: anything older in storage is a leftover and is dropped unread. */
const maxAgeMs = 12 * 60 * 60_000;

export interface PendingWritesOptions {
  /** Where the copy lives; null keeps the queue in memory only (storage unavailable). */
  storage: KeyValueStorage | null;
  /** Sends one write; resolves with the server's answer or rejects with the error (ApiProblem). */
  send: (write: PendingWrite) => Promise<unknown>;
  /** Called after the server confirmed a write (e.g. to refresh the session on screen). */
  onSent?: (write: PendingWrite, result: unknown) => void;
  now?: () => number;
  storageKey?: string;
}

function isPendingWrite(value: unknown): value is PendingWrite {
  if (!value || typeof value !== 'object') return false;
  const w = value as Partial<PendingWrite>;
  return (
    typeof w.id === 'string' &&
    typeof w.sessionId === 'string' &&
    (w.kind === 'vitals' || w.kind === 'observation') &&
    !!w.body &&
    typeof w.body === 'object' &&
    w.body.id === w.id &&
    typeof w.queuedAt === 'number' &&
    typeof w.attempts === 'number' &&
    (w.status === 'pending' || w.status === 'rejected')
  );
}

export class PendingWrites {
  private writes: PendingWrite[] = [];
  private readonly listeners = new Set<() => void>();
  private flushing: Promise<FlushReport> | null = null;
  /** Bumped by every clear: an answer that arrives after a clear must not bring the write back. */
  private generation = 0;
  private readonly storage: KeyValueStorage | null;
  private readonly key: string;
  private readonly now: () => number;
  /** False once the browser refused to store the copy (quota, private mode): the queue still works in memory. */
  persistent: boolean;

  constructor(private readonly options: PendingWritesOptions) {
    this.storage = options.storage;
    this.key = options.storageKey ?? pendingWritesStorageKey;
    this.now = options.now ?? Date.now;
    this.persistent = this.storage !== null;
    this.writes = this.load();
  }

  private load(): PendingWrite[] {
    if (!this.storage) return [];
    let text: string | null;
    try {
      text = this.storage.getItem(this.key);
    } catch {
      this.persistent = false;
      return [];
    }
    if (!text) return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
    const cutoff = this.now() - maxAgeMs;
    const kept = Array.isArray(parsed)
      ? parsed.filter(isPendingWrite).filter((w) => w.queuedAt >= cutoff)
      : [];
    const unique = kept.filter((w, i) => kept.findIndex((other) => other.id === w.id) === i);
    if (!Array.isArray(parsed) || unique.length !== parsed.length) this.persist(unique);
    return unique;
  }

  private persist(writes: PendingWrite[] = this.writes): void {
    if (!this.storage) return;
    try {
      if (writes.length === 0) this.storage.removeItem(this.key);
      else this.storage.setItem(this.key, JSON.stringify(writes));
      this.persistent = true;
    } catch {
      this.persistent = false;
    }
  }

  private changed(): void {
    this.persist();
    for (const listener of this.listeners) listener();
  }

  /** Called on every change of the queue (for useSyncExternalStore). */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** The writes in the order they were queued; a new array after every change (a stable snapshot otherwise). */
  list(): readonly PendingWrite[] {
    return this.writes;
  }

  forSession(sessionId: string): PendingWrite[] {
    return this.writes.filter((w) => w.sessionId === sessionId);
  }

  /**
   * Queues a write. The same id twice is one write (a double tap, or a form submitted again after a lost
   * answer): the first stays, the second is ignored.
   */
  enqueue(write: { sessionId: string; kind: PendingKind; body: PendingWrite['body'] }): PendingWrite {
    const existing = this.writes.find((w) => w.id === write.body.id);
    if (existing) return existing;
    const queued: PendingWrite = {
      id: write.body.id,
      sessionId: write.sessionId,
      kind: write.kind,
      body: write.body,
      queuedAt: this.now(),
      attempts: 0,
      status: 'pending',
      problem: null,
    };
    this.writes = [...this.writes, queued];
    this.changed();
    return queued;
  }

  /** The nurse chose to drop a write the server refused (or one no longer wanted). */
  discard(id: string): void {
    const next = this.writes.filter((w) => w.id !== id);
    if (next.length === this.writes.length) return;
    this.writes = next;
    this.changed();
  }

  /** The session ended (discharged or stopped): nothing about it stays in the browser. */
  clearSession(sessionId: string): void {
    if (!this.writes.some((w) => w.sessionId === sessionId)) return;
    this.generation++;
    this.writes = this.writes.filter((w) => w.sessionId !== sessionId);
    this.changed();
  }

  /** Sign-out, or the server ended the sign-in: the queue and its stored copy go. */
  clearAll(): void {
    this.generation++;
    this.writes = [];
    this.changed();
    // Also remove a copy this instance never loaded (e.g. written by an earlier page of the tab).
    if (this.storage) {
      try {
        this.storage.removeItem(this.key);
      } catch {
        // Nothing stored, or storage unavailable: either way nothing is left.
      }
    }
  }

  /**
   * Sends the pending writes, oldest first, one at a time. Only one flush runs at once: a second call while
   * one is running waits for it (so two triggers never send the same write side by side). A connection
   * failure stops the flush (the rest would fail too, and order is kept); a refusal marks that write and
   * moves on.
   */
  flush(): Promise<FlushReport> {
    if (this.flushing) return this.flushing;
    this.flushing = this.runFlush().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async runFlush(): Promise<FlushReport> {
    const report: FlushReport = { sent: 0, rejected: 0, waiting: 0 };
    const generation = this.generation;
    // Each write is tried at most once per flush; one queued while the flush runs is picked up by it.
    const tried = new Set<string>();
    while (generation === this.generation) {
      const write = this.writes.find((w) => w.status === 'pending' && !tried.has(w.id));
      if (!write) break;
      const id = write.id;
      tried.add(id);
      let outcome: SendOutcome;
      try {
        outcome = { outcome: 'sent', result: await this.options.send(write) };
      } catch (error) {
        outcome = outcomeOfFailure(error);
      }
      // Cleared while the request was out (discharge, sign-out): the answer changes nothing.
      if (generation !== this.generation || !this.writes.some((w) => w.id === id)) break;
      if (outcome.outcome === 'signed-out') break;
      if (outcome.outcome === 'sent') {
        this.writes = this.writes.filter((w) => w.id !== id);
        this.changed();
        report.sent++;
        this.options.onSent?.(write, outcome.result);
        continue;
      }
      this.writes = this.writes.map((w) =>
        w.id === id
          ? {
              ...w,
              attempts: w.attempts + 1,
              status: outcome.outcome === 'rejected' ? 'rejected' : 'pending',
              problem: outcome.problem,
            }
          : w,
      );
      this.changed();
      if (outcome.outcome === 'rejected') {
        report.rejected++;
        continue;
      }
      break;
    }
    report.waiting = this.writes.filter((w) => w.status === 'pending').length;
    return report;
  }
}
