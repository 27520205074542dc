import { useQuery } from '@tanstack/react-query';
import { apiBase, request } from '../../api/client.ts';

export interface AlertView {
  id: string;
  patient: { id: string; displayName: string; mrn: string };
  kind: string;
  severity: 'critical' | 'high' | 'moderate' | 'low';
  summary: string;
  source: { type: string; id: string };
  owner: { id: string; displayName: string } | null;
  status: 'open' | 'acknowledged';
  raisedAt: string;
  acknowledgement: { at: string; by: { id: string; displayName: string }; action: string } | null;
}

export const alertKeys = {
  list: (status: 'open' | 'acknowledged') => ['alerts', status] as const,
};

export function useAlerts(status: 'open' | 'acknowledged') {
  return useQuery({
    queryKey: alertKeys.list(status),
    queryFn: ({ signal }) =>
      request<{ items: AlertView[]; nextCursor: string | null }>(`${apiBase}/alerts`, {
        query: { status, limit: 100 },
        signal,
      }),
    refetchInterval: 60_000,
  });
}

export const alertsApi = {
  acknowledge: (alertId: string, action: string) =>
    request<AlertView>(`${apiBase}/alerts/${encodeURIComponent(alertId)}/acknowledge`, {
      method: 'POST',
      body: { action },
    }),
};
