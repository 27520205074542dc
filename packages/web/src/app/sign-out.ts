import { useCallback } from 'react';
import { useNavigate } from 'react-router';
import { useSignOut } from '../features/auth/auth.api.ts';
import type { LoginLocationState } from '../features/auth/login-page.tsx';

export function useSignOutAndLeave() {
  const signOut = useSignOut();
  const navigate = useNavigate();
  return useCallback(async () => {
    await signOut();
    const state: LoginLocationState = { reason: 'signed-out' };
    navigate('/login', { replace: true, state });
  }, [signOut, navigate]);
}
