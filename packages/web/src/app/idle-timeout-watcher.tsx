import { Button, Group, Modal, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { apiBase, isProblem, lastApiActivityAt, onApiActivity, request } from '../api/client.ts';
import { sessionKey, useSession } from '../features/auth/auth.api.ts';

/** How long before the idle timeout the person is asked whether they are still there. */
const warnBeforeMs = 60_000;
/** Probe a little after the expected end so the server, not the client clock, decides. */
const probeAfterMs = 2_000;

function formatRemaining(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return seconds >= 60
    ? `${Math.ceil(seconds / 60)} minute${seconds >= 120 ? 's' : ''}`
    : `${seconds} seconds`;
}

/**
 * The server ends a session after 15 idle minutes (and 12 hours in all). This watcher mirrors that clock
 * from the last answered request, warns a minute before, and at the end asks the server; a 401 then takes
 * the person to sign in through SessionEndedListener, with nothing left on screen.
 */
export function IdleTimeoutWatcher({ onSignOut }: { onSignOut: () => void }) {
  const session = useSession();
  const queryClient = useQueryClient();
  const [now, setNow] = useState(() => Date.now());
  const [lastActivity, setLastActivity] = useState(lastApiActivityAt);
  const probing = useRef(false);

  useEffect(() => onApiActivity(() => setLastActivity(lastApiActivityAt())), []);
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1_000);
    return () => window.clearInterval(timer);
  }, []);

  const idleWindowMs = session.data?.idleWindowMs ?? 15 * 60_000;
  const absoluteEnd = session.data
    ? Date.parse(session.data.view.absoluteExpiresAt)
    : Number.POSITIVE_INFINITY;
  const end = Math.min(lastActivity + idleWindowMs, absoluteEnd);
  const remaining = end - now;

  useEffect(() => {
    if (remaining > -probeAfterMs || probing.current) return;
    probing.current = true;
    // A 401 here is handled by the client's session-ended listeners; a 200 means another tab kept it alive.
    request(`${apiBase}/auth/session`)
      .catch((error: unknown) => {
        if (!isProblem(error, 401)) setLastActivity(Date.now());
      })
      .finally(() => {
        probing.current = false;
      });
  }, [remaining]);

  async function staySignedIn() {
    await queryClient.refetchQueries({ queryKey: sessionKey });
  }

  const warning = remaining <= warnBeforeMs && remaining > 0 && absoluteEnd - now > warnBeforeMs;
  return (
    <Modal
      opened={warning}
      onClose={staySignedIn}
      title="Are you still there?"
      closeOnClickOutside={false}
      centered
    >
      <Text mb="md" role="timer">
        For your patients’ privacy you will be signed out in {formatRemaining(remaining)} unless you continue.
      </Text>
      <Group justify="flex-end">
        <Button variant="default" onClick={onSignOut}>
          Sign out now
        </Button>
        <Button onClick={staySignedIn} data-autofocus>
          Stay signed in
        </Button>
      </Group>
    </Modal>
  );
}
