import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiBase, request } from '../../api/client.ts';

export type ExportFormat = 'csv' | 'ndjson';
export type ExportStatus = 'queued' | 'running' | 'ready' | 'failed' | 'files-deleted';

/** One export as GET /api/v1/research/exports answers it: status, progress and counts, never data. */
export interface ResearchExport {
  id: string;
  requestedAt: string;
  requestedBy: { id: string; displayName: string };
  instruments: string[];
  from: string;
  to: string;
  formats: ExportFormat[];
  status: ExportStatus;
  progress: number;
  completedAt: string | null;
  patientCount: number | null;
  rowCounts: Record<string, number> | null;
  files: { name: string; contentType: string; byteSize: number; rowCount: number }[];
  filesDeletedAt: string | null;
}

export interface CreateExportBody {
  instruments: string[];
  from: string;
  to: string;
  formats: ExportFormat[];
}

const base = `${apiBase}/research/exports`;
export const researchExportsKey = ['research-exports'] as const;

/** An export still being built: the list refreshes while any is. */
export const isBuilding = (e: Pick<ResearchExport, 'status'>) =>
  e.status === 'queued' || e.status === 'running';

/** How often the list refreshes while an export is being built. */
export const refreshWhileBuildingMs = 2_000;

export function useResearchExports() {
  return useQuery({
    queryKey: researchExportsKey,
    queryFn: () => request<{ items: ResearchExport[] }>(base),
    refetchInterval: (query) => (query.state.data?.items.some(isBuilding) ? refreshWhileBuildingMs : false),
  });
}

export function useCreateExport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateExportBody) => request<ResearchExport>(base, { method: 'POST', body }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: researchExportsKey }),
  });
}

export function useDeleteExportFiles() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (exportId: string) =>
      request<ResearchExport>(`${base}/${encodeURIComponent(exportId)}/files`, { method: 'DELETE' }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: researchExportsKey }),
  });
}

/** A file's download address (a GET with the session cookie; the server audits it). */
export const exportFileUrl = (exportId: string, name: string) =>
  `${base}/${encodeURIComponent(exportId)}/files/${encodeURIComponent(name)}`;
