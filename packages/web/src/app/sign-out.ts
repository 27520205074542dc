import { useCallback } from 'react';
import { useNavigate } from 'react-router';
import { useSignOut } from '../features/auth/auth.api.ts';
import type { LoginLocationState } from '../features/auth/login-page.tsx';
import { forgetPendingWrites } from '../features/sessions/session-queue.ts';

export function useSignOutAndLeave() {
  const signOut = useSignOut();
  const navigate = useNavigate();
  return useCallback(async () => {
    // Readings still queued for a dosing session are patient data: they do not outlive the sign-in.
    forgetPendingWrites();
    await signOut();
    const state: LoginLocationState = { reason: 'signed-out' };
    navigate('/login', { replace: true, state });
  }, [signOut, navigate]);
}
