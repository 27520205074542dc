import type { Invitation, InvitationStatus } from './invitations.api.ts';

export const invitationStatusLabels: Record<InvitationStatus, string> = {
  pending: 'Pending',
  expired: 'Expired',
  accepted: 'Accepted',
  revoked: 'Revoked',
  replaced: 'Replaced by a newer one',
};

export const invitationStatusColors: Record<InvitationStatus, string> = {
  pending: 'blue',
  expired: 'orange',
  accepted: 'green',
  revoked: 'gray',
  replaced: 'gray',
};

/** The invitation staff act on: the newest one, unless it was accepted (then there is nothing to do). */
export function currentInvitation(items: Invitation[]): Invitation | null {
  return items[0] ?? null;
}

/** What staff may do with the newest invitation. */
export function invitationActions(current: Invitation | null, hasAccount: boolean) {
  if (hasAccount) return { invite: false, resend: false, revoke: false };
  if (!current) return { invite: true, resend: false, revoke: false };
  switch (current.status) {
    case 'pending':
      return { invite: false, resend: true, revoke: true };
    case 'expired':
      return { invite: false, resend: true, revoke: false };
    case 'revoked':
    case 'replaced':
      return { invite: true, resend: false, revoke: false };
    case 'accepted':
      return { invite: false, resend: false, revoke: false };
  }
}

/**
 * The path of an invitation link found in a mail's text (`/invite/<token>`), so the demo's Sent mail view
 * can open it inside this app whatever host the server put in the link.
 */
export function invitationPathIn(text: string | null): string | null {
  if (!text) return null;
  const match = /\/invite\/([A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/.exec(text);
  return match ? `/invite/${match[1]}` : null;
}
