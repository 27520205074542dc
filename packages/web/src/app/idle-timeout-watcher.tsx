import { Button, Group, Modal, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import {
  apiBase,
  isProblem,
  lastApiActivityAt,
  onApiActivity,
  request,
  requestWithHeaders,
} from '../api/client.ts';
import type { SessionView } from '../api/types.ts';
import { knownSession, sessionKey, useSession } from '../features/auth/auth.api.ts';

/** How long before the earliest possible end the person is asked whether they are still there. */
const warnBeforeMs = 60_000;
/**
 * The server records activity at most once a minute (touchIntervalMs in the server's session rules), so
 * its idle clock may have started up to this much before our last request.
 */
const activityRecordingSlackMs = 60_000;
/** Asking the server counts as activity, so ask only once the session must have ended. */
const probeAfterMs = 2_000;

export interface IdleDeadlines {
  /** From here on the server may already have ended the session. */
  earliestEnd: number;
  /** By here the server has certainly ended it, unless another tab kept it alive. */
  latestEnd: number;
}

export function idleDeadlines(
  lastActivityAt: number,
  idleWindowMs: number,
  absoluteEnd: number,
): IdleDeadlines {
  const latestEnd = Math.min(lastActivityAt + idleWindowMs, absoluteEnd);
  return {
    earliestEnd: latestEnd === absoluteEnd ? absoluteEnd : latestEnd - activityRecordingSlackMs,
    latestEnd,
  };
}

function formatRemaining(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds <= 0) return 'any moment now';
  return seconds >= 60 ? 'about a minute' : `${seconds} seconds`;
}

/**
 * The server ends a session after 15 idle minutes (and 12 hours in all). This watcher mirrors that clock
 * from the last answered request, warns before the end, and once the session must have ended asks the
 * server; its 401 then takes the person to sign in (SessionEndedListener) with nothing left on screen.
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
  const { earliestEnd, latestEnd } = idleDeadlines(lastActivity, idleWindowMs, absoluteEnd);

  useEffect(() => {
    if (now < latestEnd + probeAfterMs || probing.current) return;
    probing.current = true;
    // A 401 is handled by the client's session-ended listeners; a 200 means another tab kept it alive.
    request(`${apiBase}/auth/session`)
      .catch((error: unknown) => {
        if (!isProblem(error, 401)) setLastActivity(Date.now());
      })
      .finally(() => {
        probing.current = false;
      });
  }, [now, latestEnd]);

  async function staySignedIn() {
    // Any answered request slides the server's idle clock; a 401 here goes through the session-ended path.
    try {
      const { data, headers } = await requestWithHeaders<SessionView>(`${apiBase}/auth/session`);
      queryClient.setQueryData(sessionKey, knownSession(data, headers.get('date')));
    } catch {
      // The session-ended listeners or the next probe take it from here.
    }
  }

  // Near the absolute end, staying active cannot help: the probe above then ends the session without a prompt.
  const warning = now >= earliestEnd - warnBeforeMs && now < latestEnd && absoluteEnd - now > warnBeforeMs;
  return (
    <Modal
      opened={warning}
      onClose={staySignedIn}
      title="Are you still there?"
      closeOnClickOutside={false}
      centered
    >
      <Text mb="md" role="timer">
        To protect patient information you will be signed out in {formatRemaining(earliestEnd - now)} unless
        you continue.
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
