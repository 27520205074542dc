import { useInfiniteQuery } from '@tanstack/react-query';
import { apiBase, request } from '../../api/client.ts';

/** 'cancelled': withdrawn before delivery (its invitation was revoked or replaced). */
export type MailStatus = 'queued' | 'sent' | 'failed' | 'cancelled';

export interface OutboxMail {
  id: string;
  to: string;
  subject: string;
  status: MailStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  nextAttemptAt: string | null;
  sentAt: string | null;
  failedAt: string | null;
  /** The text, in demo mode only. */
  text: string | null;
}

export interface OutboxPage {
  demo: boolean;
  items: OutboxMail[];
  nextCursor: string | null;
}

export const mailKeys = { outbox: (status: MailStatus | null) => ['mail', 'outbox', status] as const };

export function useOutbox(status: MailStatus | null) {
  return useInfiniteQuery({
    queryKey: mailKeys.outbox(status),
    queryFn: ({ pageParam }) =>
      request<OutboxPage>(`${apiBase}/mail/outbox`, {
        query: { limit: 25, cursor: pageParam, status },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // No polling: every read of the outbox is audited, so it is refreshed when the person asks.
  });
}
