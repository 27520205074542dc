import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiBase, request } from '../../api/client.ts';
import type { SessionView } from '../../api/types.ts';
import type { MailStatus } from '../mail/mail.api.ts';

export type InvitationStatus = 'pending' | 'expired' | 'accepted' | 'revoked' | 'replaced';

export interface Invitation {
  id: string;
  email: string;
  status: InvitationStatus;
  createdAt: string;
  createdBy: { id: string; displayName: string };
  expiresAt: string;
  acceptedAt: string | null;
  revokedAt: string | null;
  replacesId: string | null;
  mail: { id: string; status: MailStatus; sentAt: string | null } | null;
}

export interface IssuedInvitation extends Invitation {
  /** The link, in demo mode only (synthetic data), so a person walking the demo can follow it. */
  demoLink: string | null;
}

export interface PatientInvitations {
  portalAccount: { email: string; createdAt: string } | null;
  items: Invitation[];
}

export interface InvitationPreview {
  clinicName: string;
  givenName: string;
  expiresAt: string;
}

export const invitationKeys = {
  ofPatient: (patientId: string) => ['patients', patientId, 'invitations'] as const,
  preview: (token: string) => ['invitation-preview', token] as const,
};

const base = (patientId: string) => `${apiBase}/patients/${encodeURIComponent(patientId)}/invitations`;

export function usePatientInvitations(patientId: string, enabled = true) {
  return useQuery({
    queryKey: invitationKeys.ofPatient(patientId),
    queryFn: () => request<PatientInvitations>(base(patientId)),
    enabled,
  });
}

function useInvitationMutation<I, R extends Invitation>(patientId: string, send: (input: I) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: invitationKeys.ofPatient(patientId) }),
  });
}

export function useInvitePatient(patientId: string) {
  return useInvitationMutation(patientId, (input: { email?: string }) =>
    request<IssuedInvitation>(base(patientId), { method: 'POST', body: input }),
  );
}

export function useResendInvitation(patientId: string) {
  return useInvitationMutation(patientId, (input: { invitationId: string; email?: string }) =>
    request<IssuedInvitation>(`${base(patientId)}/${encodeURIComponent(input.invitationId)}/resend`, {
      method: 'POST',
      body: input.email ? { email: input.email } : {},
    }),
  );
}

export function useRevokeInvitation(patientId: string) {
  return useInvitationMutation(patientId, (invitationId: string) =>
    request<Invitation>(`${base(patientId)}/${encodeURIComponent(invitationId)}/revoke`, { method: 'POST' }),
  );
}

/** The public side: the token is the only credential, so these calls expect no session. */
export function useInvitationPreview(token: string) {
  return useQuery({
    queryKey: invitationKeys.preview(token),
    queryFn: () =>
      request<InvitationPreview>(`${apiBase}/invitations/${encodeURIComponent(token)}`, {
        unauthenticatedIsExpected: true,
      }),
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function acceptInvitation(token: string, password: string) {
  return request<{ status: 'authenticated'; session: SessionView }>(`${apiBase}/invitations/accept`, {
    method: 'POST',
    body: { token, password },
    unauthenticatedIsExpected: true,
  });
}
