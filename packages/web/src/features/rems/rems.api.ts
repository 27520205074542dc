import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiBase, request } from '../../api/client.ts';
import type { MarkSubmittedBody, RemsFormSummary } from './rems-model.ts';

/**
 * The SPRAVATO REMS Patient Monitoring Forms (clinical-reference 2.6): the forms due, each form's PDF, and
 * the record that it was submitted. A hand-kept mirror of the server's modules/session-safety REMS schemas.
 */

export const remsKeys = {
  all: ['rems'] as const,
  forms: (status: 'due' | 'submitted' | 'all') => ['rems', 'forms', status] as const,
};

export function useRemsForms(status: 'due' | 'submitted' | 'all') {
  return useQuery({
    queryKey: remsKeys.forms(status),
    queryFn: ({ signal }) =>
      request<{ items: RemsFormSummary[] }>(`${apiBase}/rems/forms`, {
        query: status === 'all' ? {} : { status },
        signal,
      }),
    retry: false,
    refetchInterval: 60_000,
  });
}

/** The form-like PDF, opened in a new tab (the browser's viewer prints it). */
export const remsFormPdfUrl = (formId: string) => `${apiBase}/rems/forms/${encodeURIComponent(formId)}/pdf`;

export function useMarkSubmitted() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ formId, ...body }: MarkSubmittedBody & { formId: string }) =>
      request<RemsFormSummary>(`${apiBase}/rems/forms/${encodeURIComponent(formId)}/submissions`, {
        method: 'POST',
        body,
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: remsKeys.all }),
  });
}
