import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { apiBase, request, withQuery } from '../../api/client.ts';
import type { AuditEventView, AuditFilters, BreakGlassGrantView, Page } from '../../api/types.ts';

const pageSize = 50;

export function useAuditEvents(filters: AuditFilters, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: ['audit-events', filters],
    queryFn: ({ pageParam, signal }) =>
      request<Page<AuditEventView>>(`${apiBase}/audit-events`, {
        query: { ...filters, limit: pageSize, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
    staleTime: 0,
  });
}

export function auditExportUrl(filters: AuditFilters): string {
  return withQuery(`${apiBase}/audit-events/export.csv`, { ...filters });
}

export function useBreakGlassGrants(activeOnly: boolean, enabled: boolean) {
  return useQuery({
    queryKey: ['break-glass-grants', activeOnly],
    queryFn: ({ signal }) =>
      request<{ items: BreakGlassGrantView[] }>(`${apiBase}/break-glass-grants`, {
        query: { active: activeOnly ? 'true' : undefined },
        signal,
      }),
    enabled,
    staleTime: 0,
  });
}
