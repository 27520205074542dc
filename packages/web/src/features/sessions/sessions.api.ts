import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiBase, request } from '../../api/client.ts';
import type {
  BoardView,
  SessionObservationSubmission,
  SessionView,
  SessionVitalsSubmission,
} from './sessions.types.ts';

/** The console's reads and its writes that are not queued (the queue is session-queue.ts). */

export const sessionPath = (sessionId: string) => `${apiBase}/sessions/${encodeURIComponent(sessionId)}`;

/** `['sessions', id]` is shared with the flow panels (flow.api.ts), which refresh `['sessions']` after a step. */
export const sessionKeys = {
  all: ['sessions'] as const,
  board: ['sessions', 'board'] as const,
  session: (sessionId: string) => ['sessions', sessionId] as const,
};

/**
 * How often the board and a chair re-read: other tablets record readings and alerts too. Each read is an
 * audited read of the record, so not faster than this; this tablet's own writes answer with the session and
 * show at once, and the due times tick on the tablet's clock in between.
 */
const boardRefreshMs = 20_000;
const chairRefreshMs = 30_000;

export function useBoard() {
  return useQuery({
    queryKey: sessionKeys.board,
    queryFn: ({ signal }) => request<BoardView>(`${apiBase}/sessions/board`, { signal }),
    refetchInterval: boardRefreshMs,
    staleTime: 5_000,
  });
}

export function useSessionView(sessionId: string) {
  return useQuery({
    queryKey: sessionKeys.session(sessionId),
    queryFn: ({ signal }) => request<SessionView>(sessionPath(sessionId), { signal }),
    refetchInterval: chairRefreshMs,
    staleTime: 5_000,
    retry: false,
  });
}

/** Records a reading; the answer is the whole session (201 the first time, 200 for the same id again). */
export function postSessionVitals(sessionId: string, body: SessionVitalsSubmission) {
  return request<SessionView>(`${sessionPath(sessionId)}/vitals`, { method: 'POST', body });
}

export function postSessionObservation(sessionId: string, body: SessionObservationSubmission) {
  return request<SessionView>(`${sessionPath(sessionId)}/observations`, { method: 'POST', body });
}

/** The session a write's answer carries, when it is one (the server answers writes with the session view). */
export function sessionOfAnswer(result: unknown, sessionId: string): SessionView | null {
  if (!result || typeof result !== 'object') return null;
  const candidate = result as Partial<SessionView>;
  return candidate.id === sessionId && Array.isArray(candidate.vitals) && typeof candidate.state === 'string'
    ? (candidate as SessionView)
    : null;
}

/** Acknowledges an alert of the session with the action taken (required, it goes in the record). */
export function useAcknowledgeSessionAlert(sessionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ alertId, action }: { alertId: string; action: string }) =>
      request<SessionView>(
        `${sessionPath(sessionId)}/alerts/${encodeURIComponent(alertId)}/acknowledgement`,
        { method: 'POST', body: { action } },
      ),
    onSuccess: (session) => {
      queryClient.setQueryData(sessionKeys.session(sessionId), session);
    },
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: sessionKeys.all });
      await queryClient.invalidateQueries({ queryKey: ['alerts'] });
    },
  });
}
