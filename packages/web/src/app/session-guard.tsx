import { Alert, Button, Center, Loader, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { onSessionEnded, problemMessage, rememberCsrfToken } from '../api/client.ts';
import { sessionKey, useSession } from '../features/auth/auth.api.ts';
import type { LoginLocationState } from '../features/auth/login-page.tsx';

export function FullPageLoader({ label }: { label: string }) {
  return (
    <Center mih="60vh">
      <Loader aria-label={label} />
    </Center>
  );
}

/** Renders its routes only for a signed-in user of the given kind; sends everyone else to sign in. */
export function RequireSession({ kind }: { kind?: 'staff' | 'patient' }) {
  const session = useSession();
  const location = useLocation();

  if (session.isPending) return <FullPageLoader label="Checking your session" />;
  if (session.isError) {
    return (
      <Center mih="60vh">
        <Stack>
          <Alert color="red" role="alert" title="Kapstone is not answering">
            {problemMessage(session.error)}
          </Alert>
          <Button onClick={() => session.refetch()}>Try again</Button>
        </Stack>
      </Center>
    );
  }
  if (!session.data) {
    const state: LoginLocationState = { from: location.pathname };
    return <Navigate to="/login" replace state={state} />;
  }
  if (kind && session.data.view.user.kind !== kind) return <Navigate to="/" replace />;
  return <Outlet />;
}

/**
 * When any call answers 401 the server has ended the session (idle or absolute timeout, revoked by a
 * password change or sign-out elsewhere). Everything held in memory goes, and the person signs in again.
 */
export function SessionEndedListener() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const onLoginPage = location.pathname === '/login';
  const from = location.pathname;

  useEffect(
    () =>
      onSessionEnded(() => {
        rememberCsrfToken(null);
        notifications.clean();
        queryClient.clear();
        queryClient.setQueryData(sessionKey, null);
        if (onLoginPage) return;
        const state: LoginLocationState = { reason: 'session-ended', from };
        navigate('/login', { replace: true, state });
      }),
    [queryClient, navigate, onLoginPage, from],
  );
  return null;
}
