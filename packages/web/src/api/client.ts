import type { ProblemDetails } from './types.ts';

/**
 * The one way the app talks to `/api/v1`: JSON in and out, the CSRF header on every state-changing
 * request, RFC 9457 problems turned into ApiProblem, and a 401 announced as "the session ended".
 */

/** Every failed call surfaces as one of these, whatever the server or the network did. */
export class ApiProblem extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly requestId: string | undefined;
  readonly fieldErrors: { path: string; message: string }[];

  constructor(problem: ProblemDetails) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiProblem';
    this.status = problem.status;
    this.type = problem.type;
    this.title = problem.title;
    this.detail = problem.detail;
    this.requestId = problem.requestId;
    this.fieldErrors = problem.errors ?? [];
  }

  /** Field path -> first message, for showing server validation next to the input it concerns. */
  fieldMessages(): Record<string, string> {
    const messages: Record<string, string> = {};
    for (const { path, message } of this.fieldErrors) {
      if (!(path in messages)) messages[path] = message;
    }
    return messages;
  }
}

export function isProblem(error: unknown, status?: number): error is ApiProblem {
  return error instanceof ApiProblem && (status === undefined || error.status === status);
}

/** What to tell a person about a failed call, in one sentence. */
export function problemMessage(error: unknown): string {
  if (!(error instanceof ApiProblem)) return 'Something went wrong. Try again.';
  if (error.status === 403) return error.detail ?? 'Your role does not allow this.';
  return error.detail ?? error.title;
}

/*
 * The CSRF token lives in memory only: it comes with the session (GET /auth/session, or the login answer)
 * and goes back in `x-csrf-token` on every state-changing request (docs/api-contract.md, Conventions).
 */
let csrfToken: string | null = null;

export function rememberCsrfToken(token: string | null): void {
  csrfToken = token;
}

type Listener = () => void;
const sessionEndedListeners = new Set<Listener>();
const activityListeners = new Set<Listener>();
let lastActivityAt = Date.now();

/** Called when an authenticated call answers 401: the idle or absolute timeout has ended the session. */
export function onSessionEnded(listener: Listener): () => void {
  sessionEndedListeners.add(listener);
  return () => {
    sessionEndedListeners.delete(listener);
  };
}

/** Called after every answered request: the server slides the idle timeout with each one. */
export function onApiActivity(listener: Listener): () => void {
  activityListeners.add(listener);
  return () => {
    activityListeners.delete(listener);
  };
}

export function lastApiActivityAt(): number {
  return lastActivityAt;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

/** Appends the non-empty parameters; an empty filter is left out rather than sent as `?q=`. */
export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /**
   * Sign-in calls expect 401 as an ordinary answer (wrong password, no session yet); for them a 401 does
   * not mean "your session ended".
   */
  unauthenticatedIsExpected?: boolean;
}

export interface ApiResponse<T> {
  data: T;
  headers: Headers;
}

const jsonContentType = /^application\/(problem\+)?json/i;

async function readProblem(response: Response): Promise<ApiProblem> {
  if (jsonContentType.test(response.headers.get('content-type') ?? '')) {
    try {
      const body = (await response.json()) as Partial<ProblemDetails>;
      return new ApiProblem({
        type: body.type ?? 'about:blank',
        title: body.title ?? response.statusText,
        status: body.status ?? response.status,
        ...(body.detail ? { detail: body.detail } : {}),
        ...(body.requestId ? { requestId: body.requestId } : {}),
        ...(body.errors ? { errors: body.errors } : {}),
      });
    } catch {
      // The body was not the JSON it claimed to be: fall through to a problem built from the status.
    }
  }
  return new ApiProblem({
    type: 'about:blank',
    title: response.statusText || 'Error',
    status: response.status,
  });
}

export async function requestWithHeaders<T>(
  path: string,
  options: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiProblem({
      type: 'about:blank',
      title: 'Network error',
      status: 0,
      detail: 'Kapstone could not be reached. Check the connection and try again.',
    });
  }

  if (response.status !== 401) {
    lastActivityAt = Date.now();
    for (const listener of activityListeners) listener();
  }

  if (!response.ok) {
    const problem = await readProblem(response);
    if (response.status === 401 && !options.unauthenticatedIsExpected) {
      csrfToken = null;
      for (const listener of sessionEndedListeners) listener();
    }
    throw problem;
  }
  if (response.status === 204) return { data: undefined as T, headers: response.headers };
  return { data: (await response.json()) as T, headers: response.headers };
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  return (await requestWithHeaders<T>(path, options)).data;
}

export const apiBase = '/api/v1';
