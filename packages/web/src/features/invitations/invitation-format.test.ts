import { describe, expect, it } from 'vitest';
import { invitationActions, invitationPathIn } from './invitation-format.ts';
import type { Invitation, InvitationStatus } from './invitations.api.ts';

const token = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde';

function invitation(status: InvitationStatus): Invitation {
  return {
    id: '1',
    email: 'p@mail.test',
    status,
    createdAt: '2026-03-02T15:00:00.000Z',
    createdBy: { id: '2', displayName: 'Front desk' },
    expiresAt: '2026-03-05T15:00:00.000Z',
    acceptedAt: null,
    revokedAt: null,
    replacesId: null,
    mail: null,
  };
}

describe('invitationPathIn', () => {
  it('finds the invitation path in a mail, whatever host the link names', () => {
    expect(token).toHaveLength(43);
    expect(
      invitationPathIn(`Open this link:\nhttp://localhost:3000/invite/${token}\n\nThe link expires`),
    ).toBe(`/invite/${token}`);
    expect(invitationPathIn(`https://kap.example.org/invite/${token}`)).toBe(`/invite/${token}`);
  });

  it('finds nothing in a mail without a whole token, or without text', () => {
    expect(invitationPathIn('/invite/too-short')).toBeNull();
    expect(invitationPathIn(`/invite/${token}x`)).toBeNull();
    expect(invitationPathIn(null)).toBeNull();
  });
});

describe('invitationActions', () => {
  it('offers what the server allows for the newest invitation', () => {
    expect(invitationActions(null, false)).toEqual({ invite: true, resend: false, revoke: false });
    expect(invitationActions(invitation('pending'), false)).toEqual({
      invite: false,
      resend: true,
      revoke: true,
    });
    expect(invitationActions(invitation('expired'), false)).toEqual({
      invite: false,
      resend: true,
      revoke: false,
    });
    expect(invitationActions(invitation('revoked'), false)).toEqual({
      invite: true,
      resend: false,
      revoke: false,
    });
    expect(invitationActions(invitation('replaced'), false)).toEqual({
      invite: true,
      resend: false,
      revoke: false,
    });
    expect(invitationActions(invitation('accepted'), false)).toEqual({
      invite: false,
      resend: false,
      revoke: false,
    });
  });

  it('offers nothing once the patient has an account', () => {
    for (const status of ['pending', 'expired', 'revoked'] as const)
      expect(invitationActions(invitation(status), true)).toEqual({
        invite: false,
        resend: false,
        revoke: false,
      });
  });
});
