import { useQuery } from '@tanstack/react-query';
import { apiBase, request } from '../../api/client.ts';
import type { DischargeInstructionsView } from '../sessions/flow/flow.api.ts';

/** The same instructions as a PDF. */
export const ownInstructionsPdfUrl = (sessionId: string) =>
  `${apiBase}/me/sessions/${encodeURIComponent(sessionId)}/discharge-instructions.pdf`;

export const ownInstructionsKeys = {
  list: ['me', 'discharge-instructions'] as const,
  one: (sessionId: string) => ['me', 'discharge-instructions', sessionId] as const,
};

/**
 * The patient's own discharge instructions, one per session, newest first (the portal's `/me` scope: the
 * server answers only the signed-in patient's sessions).
 */
export function useOwnDischargeInstructions() {
  return useQuery({
    queryKey: ownInstructionsKeys.list,
    queryFn: ({ signal }) =>
      request<{ items: DischargeInstructionsView[] }>(`${apiBase}/me/discharge-instructions`, { signal }),
    retry: false,
  });
}

export function useOwnSessionInstructions(sessionId: string) {
  return useQuery({
    queryKey: ownInstructionsKeys.one(sessionId),
    queryFn: ({ signal }) =>
      request<DischargeInstructionsView>(
        `${apiBase}/me/sessions/${encodeURIComponent(sessionId)}/discharge-instructions`,
        { signal },
      ),
    retry: false,
  });
}
