import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiBase, request } from '../../api/client.ts';

export type ConsentKind =
  | 'general'
  | 'iv'
  | 'im'
  | 'sublingual-home'
  | 'esketamine'
  | 'touch'
  | 'recording'
  | 'research';
export type ConsentRoute = 'iv' | 'im' | 'sublingual' | 'oral' | 'intranasal';
export type ConsentState = 'not-signed' | 'outdated' | 'withdrawn' | 'awaiting-countersignature' | 'valid';

export interface ConsentSignature {
  id: string;
  templateId: string;
  templateKind: ConsentKind;
  title: string;
  templateVersionId: string;
  version: number;
  typedName: string;
  signedAt: string;
  signedAtLocal: string;
  textSha256: string;
  ip?: string | null;
  userAgent?: string | null;
  countersignature: { by: { id: string; displayName: string }; at: string } | null;
  withdrawal: { at: string; recordedBy: 'patient' | 'staff'; reason: string | null } | null;
}

export interface ConsentForm {
  template: { id: string; kind: ConsentKind; title: string; required: boolean; routes: ConsentRoute[] };
  currentVersion: { id: string; version: number };
  state: ConsentState;
  /** Needed before the next dosing session: the general form and the active plan's route forms. */
  neededNow: boolean;
  problem: string | null;
  latestSignature: ConsentSignature | null;
}

export interface ConsentOverview {
  /** The active treatment plan's route, when there is one. */
  route: ConsentRoute | null;
  status: { valid: boolean; problems: string[] };
  forms: ConsentForm[];
  signatures: ConsentSignature[];
}

export interface ConsentText {
  templateVersionId: string;
  templateId: string;
  kind: ConsentKind;
  title: string;
  version: number;
  current: boolean;
  changeNote: string | null;
  text: string;
  textSha256: string;
}

export interface ConsentTemplateVersionSummary {
  id: string;
  version: number;
  title: string;
  changeNote: string | null;
  publishedAt: string;
  publishedBy: { id: string; displayName: string };
}

export interface ConsentTemplate {
  id: string;
  kind: ConsentKind;
  title: string;
  required: boolean;
  routes: ConsentRoute[];
  createdAt: string;
  currentVersion: ConsentTemplateVersionSummary & { templateId: string; body: string };
  versions: ConsentTemplateVersionSummary[];
}

export const consentKeys = {
  mine: ['me', 'consents'] as const,
  text: (versionId: string) => ['me', 'consents', 'text', versionId] as const,
  patient: (patientId: string) => ['patients', patientId, 'consents'] as const,
  templates: ['consent-templates'] as const,
};

/** Where the printable copies live (opened in a new tab; the browser shows the PDF). */
export const consentDocumentUrl = {
  mine: (signatureId: string) => `${apiBase}/me/consents/${signatureId}/document`,
  patient: (patientId: string, signatureId: string) =>
    `${apiBase}/patients/${patientId}/consents/${signatureId}/document`,
};

// ---- Portal ----------------------------------------------------------------------------------------------

export function useMyConsents() {
  return useQuery({
    queryKey: consentKeys.mine,
    queryFn: ({ signal }) => request<ConsentOverview>(`${apiBase}/me/consents`, { signal }),
  });
}

export function useConsentText(versionId: string) {
  return useQuery({
    queryKey: consentKeys.text(versionId),
    queryFn: ({ signal }) => request<ConsentText>(`${apiBase}/me/consents/${versionId}`, { signal }),
    // The text carries today's date: never show a copy fetched on another day.
    staleTime: 0,
    gcTime: 0,
  });
}

export interface SignatureSubmission {
  id: string;
  typedName: string;
  agreed: true;
  textSha256: string;
}

export function useSignConsent(versionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SignatureSubmission) =>
      request<ConsentSignature>(`${apiBase}/me/consents/${versionId}/signatures`, { method: 'POST', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: consentKeys.mine }),
  });
}

export function useWithdrawMyConsent() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ signatureId, reason }: { signatureId: string; reason: string | null }) =>
      request<ConsentSignature>(`${apiBase}/me/consents/${signatureId}/withdrawal`, {
        method: 'POST',
        body: { reason },
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: consentKeys.mine }),
  });
}

// ---- Staff -----------------------------------------------------------------------------------------------

export function usePatientConsents(patientId: string) {
  return useQuery({
    queryKey: consentKeys.patient(patientId),
    queryFn: ({ signal }) =>
      request<ConsentOverview>(`${apiBase}/patients/${patientId}/consents`, { signal }),
  });
}

export function useCountersign(patientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (signatureId: string) =>
      request<ConsentSignature>(`${apiBase}/patients/${patientId}/consents/${signatureId}/countersignature`, {
        method: 'POST',
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: consentKeys.patient(patientId) }),
  });
}

export function useRecordWithdrawal(patientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ signatureId, reason }: { signatureId: string; reason: string }) =>
      request<ConsentSignature>(`${apiBase}/patients/${patientId}/consents/${signatureId}/withdrawal`, {
        method: 'POST',
        body: { reason },
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: consentKeys.patient(patientId) }),
  });
}

// ---- Admin -----------------------------------------------------------------------------------------------

export function useConsentTemplates() {
  return useQuery({
    queryKey: consentKeys.templates,
    queryFn: ({ signal }) =>
      request<{ items: ConsentTemplate[] }>(`${apiBase}/consent-templates`, { signal }),
  });
}

export function usePublishVersion(templateId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { title?: string; body: string; changeNote: string }) =>
      request<ConsentTemplate>(`${apiBase}/consent-templates/${templateId}/versions`, {
        method: 'POST',
        body,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: consentKeys.templates }),
  });
}

export interface NewTemplate {
  kind: ConsentKind;
  title: string;
  required: boolean;
  routes: ConsentRoute[];
  body: string;
}

export function useCreateTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NewTemplate) =>
      request<ConsentTemplate>(`${apiBase}/consent-templates`, { method: 'POST', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: consentKeys.templates }),
  });
}
