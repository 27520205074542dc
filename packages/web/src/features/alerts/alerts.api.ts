import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { apiBase, request } from '../../api/client.ts';

export type AlertSeverity = 'critical' | 'high' | 'moderate' | 'low';
export type OnCallRole = 'prescriber' | 'nurse' | 'therapist';

/** Where an alert stands on escalation (the server computes it from the clinic's settings). */
export type AlertEscalation =
  | { state: 'not-configured' }
  | { state: 'scheduled'; dueAt: string }
  | { state: 'escalated'; at: string; toRole: string }
  | { state: 'not-escalated' };

export interface Person {
  id: string;
  displayName: string;
}

export interface AlertView {
  id: string;
  patient: { id: string; displayName: string; mrn: string };
  kind: string;
  severity: AlertSeverity;
  summary: string;
  source: { type: string; id: string };
  owner: Person | null;
  status: 'open' | 'acknowledged';
  raisedAt: string;
  acknowledgement: { at: string; by: Person; action: string } | null;
  escalation: AlertEscalation;
}

export interface AlertEvent {
  kind: 'raised' | 'routed' | 'escalated' | 'reassigned' | 'acknowledged';
  at: string;
  /** Null: Kapstone did it. */
  actor: Person | null;
  owner: Person | null;
  previousOwner: Person | null;
  role: string | null;
  note: string | null;
  notifiedCount: number | null;
}

export interface AlertDetail extends AlertView {
  events: AlertEvent[];
}

export type AlertScope = 'mine' | 'unassigned' | 'escalated' | 'all';

export interface AlertSettings {
  settings: {
    escalateAfterMinutes: Partial<Record<AlertSeverity, number>>;
    onCallRole: OnCallRole | null;
    onCallUserIds: string[];
  };
  onCall: Person[];
  /** Severities that never escalate until the clinic sets a time (the reference gives none). */
  notConfigured: AlertSeverity[];
}

export interface AlertSettingsForm extends AlertSettings {
  candidates: (Person & { roles: OnCallRole[] })[];
}

export interface AlertSettingsInput {
  escalateAfterMinutes: Partial<Record<AlertSeverity, number>>;
  onCallRole: OnCallRole | null;
  onCallUserIds: string[];
}

export const alertKeys = {
  list: (status: 'open' | 'acknowledged', scope: AlertScope = 'all') => ['alerts', status, scope] as const,
  pages: (status: 'open' | 'acknowledged', scope: AlertScope) => ['alerts', 'pages', status, scope] as const,
  detail: (alertId: string) => ['alerts', 'detail', alertId] as const,
  settings: ['alerts', 'settings'] as const,
  settingsForm: ['alerts', 'settings', 'admin'] as const,
};

export function useAlerts(status: 'open' | 'acknowledged', scope: AlertScope = 'all') {
  return useQuery({
    queryKey: alertKeys.list(status, scope),
    queryFn: ({ signal }) =>
      request<{ items: AlertView[]; nextCursor: string | null }>(`${apiBase}/alerts`, {
        query: { status, scope, limit: 100 },
        signal,
      }),
    refetchInterval: 60_000,
  });
}

type AlertPage = { items: AlertView[]; nextCursor: string | null };

/**
 * The inbox, a page at a time (the server's keyset cursor): every open alert stays reachable however many a
 * clinic has, never cut at the first page.
 */
export function useAlertPages(status: 'open' | 'acknowledged', scope: AlertScope) {
  return useInfiniteQuery({
    queryKey: alertKeys.pages(status, scope),
    queryFn: ({ pageParam, signal }) =>
      request<AlertPage>(`${apiBase}/alerts`, {
        query: { status, scope, limit: 100, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 60_000,
  });
}

/** One alert with its trail, fetched when `alertId` is set (the trail is opened). */
export function useAlert(alertId: string | null) {
  return useQuery({
    queryKey: alertKeys.detail(alertId ?? ''),
    queryFn: ({ signal }) =>
      request<AlertDetail>(`${apiBase}/alerts/${encodeURIComponent(alertId!)}`, { signal }),
    enabled: alertId !== null,
  });
}

export function useAlertSettings(enabled = true) {
  return useQuery({
    queryKey: alertKeys.settings,
    queryFn: ({ signal }) => request<AlertSettings>(`${apiBase}/care-settings/alerts`, { signal }),
    enabled,
  });
}

export function useAlertSettingsForm() {
  return useQuery({
    queryKey: alertKeys.settingsForm,
    queryFn: ({ signal }) => request<AlertSettingsForm>(`${apiBase}/care-settings/alerts/admin`, { signal }),
  });
}

export const alertsApi = {
  acknowledge: (alertId: string, action: string) =>
    request<AlertView>(`${apiBase}/alerts/${encodeURIComponent(alertId)}/acknowledge`, {
      method: 'POST',
      body: { action },
    }),
  reassign: (alertId: string, toUserId: string, reason: string) =>
    request<AlertDetail>(`${apiBase}/alerts/${encodeURIComponent(alertId)}/reassign`, {
      method: 'POST',
      body: { toUserId, reason },
    }),
  saveSettings: (input: AlertSettingsInput) =>
    request<AlertSettings>(`${apiBase}/care-settings/alerts`, { method: 'PUT', body: input }),
};
