import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ApiProblem,
  isProblem,
  onSessionEnded,
  problemMessage,
  rememberCsrfToken,
  request,
  withQuery,
} from './client.ts';

type FetchArgs = [string, RequestInit];

function answer(status: number, body?: unknown, contentType = 'application/json'): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: body === undefined ? {} : { 'content-type': contentType },
  });
}

describe('withQuery', () => {
  it('leaves out empty filters and encodes the rest', () => {
    expect(
      withQuery('/api/v1/patients', { q: 'Ríos & co', mrn: '', dateOfBirth: undefined, limit: 25 }),
    ).toBe('/api/v1/patients?q=R%C3%ADos+%26+co&limit=25');
    expect(withQuery('/api/v1/patients', { q: '' })).toBe('/api/v1/patients');
  });
});

describe('request', () => {
  const fetchMock = vi.fn<(...args: FetchArgs) => Promise<Response>>();

  beforeEach(() => {
    vi.stubGlobal('fetch', fetchMock);
    rememberCsrfToken(null);
  });
  afterEach(() => {
    fetchMock.mockReset();
    vi.unstubAllGlobals();
  });

  it('sends the CSRF token on state-changing requests only', async () => {
    rememberCsrfToken('token-123');
    fetchMock.mockImplementation(async () => answer(200, { ok: true }));
    await request('/api/v1/patients');
    await request('/api/v1/patients/1', { method: 'PATCH', body: { version: 1 } });
    const [, getInit] = fetchMock.mock.calls[0]!;
    const [, patchInit] = fetchMock.mock.calls[1]!;
    expect((getInit.headers as Record<string, string>)['x-csrf-token']).toBeUndefined();
    expect((patchInit.headers as Record<string, string>)['x-csrf-token']).toBe('token-123');
    expect((patchInit.headers as Record<string, string>)['content-type']).toBe('application/json');
    expect(patchInit.body).toBe('{"version":1}');
  });

  it('turns problem+json into an ApiProblem with field messages', async () => {
    fetchMock.mockResolvedValue(
      answer(
        400,
        {
          type: 'https://kapstone.dev/problems/invalid',
          title: 'Invalid request',
          status: 400,
          detail: 'Check the highlighted fields.',
          requestId: 'req-1',
          errors: [
            { path: 'address.postalCode', message: 'Too short' },
            { path: 'address.postalCode', message: 'Second message is ignored' },
          ],
        },
        'application/problem+json; charset=utf-8',
      ),
    );
    const error = await request('/api/v1/patients', { method: 'POST', body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiProblem);
    const problem = error as ApiProblem;
    expect(problem.status).toBe(400);
    expect(problem.requestId).toBe('req-1');
    expect(problem.fieldMessages()).toEqual({ 'address.postalCode': 'Too short' });
    expect(problemMessage(problem)).toBe('Check the highlighted fields.');
  });

  it('announces a 401 as the end of the session, unless the caller expects it', async () => {
    const ended = vi.fn();
    const stop = onSessionEnded(ended);
    rememberCsrfToken('token-123');
    fetchMock.mockImplementation(async () => answer(401, { type: 'x', title: 'Not signed in', status: 401 }));

    await expect(
      request('/api/v1/auth/login', { method: 'POST', unauthenticatedIsExpected: true }),
    ).rejects.toSatisfy((e) => isProblem(e, 401));
    expect(ended).not.toHaveBeenCalled();

    await expect(request('/api/v1/patients')).rejects.toSatisfy((e) => isProblem(e, 401));
    expect(ended).toHaveBeenCalledTimes(1);

    // The token went with the session: the next state-changing call carries none.
    fetchMock.mockResolvedValue(answer(204));
    await request('/api/v1/auth/logout', { method: 'POST' });
    const [, init] = fetchMock.mock.calls.at(-1)!;
    expect((init.headers as Record<string, string>)['x-csrf-token']).toBeUndefined();
    stop();
  });

  it('reports an unreachable server as status 0 with a readable message', async () => {
    fetchMock.mockRejectedValue(new TypeError('fetch failed'));
    const error = await request('/api/v1/patients').catch((e: unknown) => e);
    expect(isProblem(error, 0)).toBe(true);
    expect(problemMessage(error)).toMatch(/could not be reached/);
  });

  it('builds a problem from the status when the body is not JSON', async () => {
    fetchMock.mockResolvedValue(
      new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    );
    const error = await request('/api/v1/patients').catch((e: unknown) => e);
    expect(isProblem(error, 502)).toBe(true);
    expect(problemMessage(error)).toBe('Bad Gateway');
  });
});
