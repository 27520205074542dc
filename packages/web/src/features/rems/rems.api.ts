import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiBase, request } from '../../api/client.ts';
import type { MarkSubmittedBody, RemsAnswersBody, RemsFormData, RemsFormSummary } from './rems-model.ts';

/**
 * The SPRAVATO REMS Patient Monitoring Forms (clinical-reference 2.6): the forms by status, one session's
 * form with its completeness, the clinician's answers, and the record that it was submitted. A hand-kept
 * mirror of the server's modules/rems/rems.schemas.ts.
 */

export type RemsListStatus = 'due' | 'overdue' | 'in-progress' | 'submitted' | 'all';

export interface RemsFormView {
  sessionId: string;
  patient: { id: string; displayName: string; mrn: string };
  sessionState: string;
  status: 'in-progress' | 'due' | 'submitted';
  deadline: RemsFormSummary['deadline'] | null;
  form: RemsFormData & {
    session: { treatmentDate: string | null; doseMg: number | null; lotNumbers: string[] };
  };
  completeness: {
    complete: boolean;
    missing: { field: string; label: string; requiredBy: 'rems-form' | 'session-record' }[];
    warnings: { field: string; message: string }[];
  };
  sources: Record<string, 'record' | 'clinician' | 'previous-form'>;
  submission: {
    id: string;
    submittedAt: string;
    method: 'online' | 'fax';
    confirmation: string | null;
    late: boolean;
  } | null;
  pdfUrl: string;
}

export const remsKeys = {
  all: ['rems'] as const,
  forms: (status: RemsListStatus) => ['rems', 'forms', status] as const,
  form: (sessionId: string) => ['rems', 'form', sessionId] as const,
};

const formPath = (sessionId: string) => `${apiBase}/sessions/${encodeURIComponent(sessionId)}/rems-form`;

export function useRemsForms(status: RemsListStatus) {
  return useQuery({
    queryKey: remsKeys.forms(status),
    queryFn: ({ signal }) =>
      request<{ items: RemsFormSummary[]; nextCursor: string | null; today: string }>(
        `${apiBase}/rems/forms`,
        {
          query: { status, limit: 50 },
          signal,
        },
      ),
    retry: false,
    refetchInterval: 60_000,
  });
}

export function useRemsForm(sessionId: string | null) {
  return useQuery({
    queryKey: remsKeys.form(sessionId ?? 'none'),
    enabled: sessionId !== null,
    queryFn: ({ signal }) => request<RemsFormView>(formPath(sessionId!), { signal }),
    retry: false,
  });
}

/** The form-like PDF (the server's `pdfUrl`, or the session's form path when a summary predates it). */
export const remsFormPdfUrl = (form: Pick<RemsFormSummary, 'pdfUrl' | 'sessionId'>) =>
  form.pdfUrl || `${formPath(form.sessionId)}.pdf`;

export function useSaveRemsAnswers(sessionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: RemsAnswersBody) =>
      request<RemsFormView>(`${formPath(sessionId)}/answers`, { method: 'POST', body }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: remsKeys.all }),
  });
}

export function useMarkSubmitted() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ sessionId, ...body }: MarkSubmittedBody & { sessionId: string }) =>
      request<RemsFormView>(`${formPath(sessionId)}/submission`, { method: 'POST', body }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: remsKeys.all }),
  });
}
