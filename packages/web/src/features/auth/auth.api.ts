import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import {
  ApiProblem,
  apiBase,
  isProblem,
  rememberCsrfToken,
  request,
  requestWithHeaders,
} from '../../api/client.ts';
import type {
  LoginOutcome,
  Meta,
  MfaEnrolment,
  MfaEnrolmentConfirmed,
  SessionView,
} from '../../api/types.ts';

export const sessionKey = ['session'] as const;
export const metaKey = ['meta'] as const;

/**
 * The session as the client knows it, plus how long the server's idle window is. The window is measured
 * against the server's own clock (the Date header) so a skewed laptop clock does not shorten or stretch it.
 */
export interface KnownSession {
  view: SessionView;
  idleWindowMs: number;
}

const defaultIdleWindowMs = 15 * 60_000;

function idleWindowOf(view: SessionView, serverDate: string | null): number {
  const serverNow = serverDate ? Date.parse(serverDate) : Number.NaN;
  const reference = Number.isNaN(serverNow) ? Date.now() : serverNow;
  const window = Date.parse(view.idleExpiresAt) - reference;
  if (!Number.isFinite(window) || window < 60_000) return defaultIdleWindowMs;
  return window;
}

export function knownSession(view: SessionView, serverDate: string | null): KnownSession {
  rememberCsrfToken(view.csrfToken);
  return { view, idleWindowMs: idleWindowOf(view, serverDate) };
}

async function fetchSession(): Promise<KnownSession | null> {
  try {
    const { data, headers } = await requestWithHeaders<SessionView>(`${apiBase}/auth/session`, {
      unauthenticatedIsExpected: true,
    });
    return knownSession(data, headers.get('date'));
  } catch (error) {
    if (isProblem(error, 401)) {
      rememberCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export function useSession() {
  return useQuery({ queryKey: sessionKey, queryFn: fetchSession, staleTime: Number.POSITIVE_INFINITY });
}

/** The signed-in session; only for components rendered behind the session guard. */
export function useSignedInSession(): SessionView {
  const { data } = useSession();
  if (!data) throw new Error('useSignedInSession is used outside a signed-in page');
  return data.view;
}

export function usePermissions() {
  const { data } = useSession();
  return useCallback((permission: string) => data?.view.permissions.includes(permission) ?? false, [data]);
}

export function useMeta() {
  return useQuery({
    queryKey: metaKey,
    queryFn: () => request<Meta>(`${apiBase}/meta`, { unauthenticatedIsExpected: true }),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export async function signIn(email: string, password: string): Promise<LoginOutcome> {
  return request<LoginOutcome>(`${apiBase}/auth/login`, {
    method: 'POST',
    body: { email, password },
    unauthenticatedIsExpected: true,
  });
}

export async function verifyMfaCode(code: string): Promise<LoginOutcome> {
  return request<LoginOutcome>(`${apiBase}/auth/mfa/verify`, {
    method: 'POST',
    body: { code },
    unauthenticatedIsExpected: true,
  });
}

export async function beginMfaEnrolment(): Promise<MfaEnrolment> {
  return request<MfaEnrolment>(`${apiBase}/auth/mfa/enrolment`, {
    method: 'POST',
    unauthenticatedIsExpected: true,
  });
}

export async function confirmMfaEnrolment(code: string): Promise<MfaEnrolmentConfirmed> {
  return request<MfaEnrolmentConfirmed>(`${apiBase}/auth/mfa/enrolment/confirm`, {
    method: 'POST',
    body: { code },
    unauthenticatedIsExpected: true,
  });
}

/** Ends the session server-side, then forgets everything the app held in memory. */
export function useSignOut() {
  const queryClient = useQueryClient();
  return useCallback(async () => {
    try {
      await request<void>(`${apiBase}/auth/logout`, { method: 'POST', unauthenticatedIsExpected: true });
    } catch (error) {
      // Already signed out (401) or the server is gone: the local sign-out below still happens.
      if (!(error instanceof ApiProblem)) throw error;
    } finally {
      rememberCsrfToken(null);
      // Toasts can name what was just done to a chart; they go with the session.
      notifications.clean();
      queryClient.clear();
      queryClient.setQueryData(sessionKey, null);
    }
  }, [queryClient]);
}
