import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/client.ts';
import { invitation } from '../../db/schema/index.ts';
import { createTestDatabase } from '../../testing/database.ts';
import { createClinic, createPatient, createStaffUser, databaseError } from '../../testing/factories.ts';
import {
  defaultInvitationExpiryHours,
  invitationExpiryHours,
  invitationStatus,
} from './invitations.service.ts';

let database: DatabaseHandle;
let clinicId: string;
let patientId: string;
let staffId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  clinicId = (await createClinic(database.db)).id;
  patientId = (await createPatient(database.db, clinicId)).id;
  staffId = (await createStaffUser(database.db, clinicId, ['frontdesk'])).id;
});
afterAll(async () => {
  await database?.close();
});

async function newInvitation() {
  const id = randomUUID();
  await database.db.insert(invitation).values({
    id,
    clinicId,
    patientId,
    email: 'kept@mail.test',
    tokenHash: randomUUID().replaceAll('-', '').padEnd(64, '0'),
    createdAt: new Date('2026-03-02T15:00:00Z'),
    createdBy: staffId,
    expiresAt: new Date('2026-03-05T15:00:00Z'),
  });
  return id;
}

describe('invitation rows, as the database keeps them', () => {
  it('are never deleted', async () => {
    const id = await newInvitation();
    expect(await databaseError(database.db.delete(invitation).where(eq(invitation.id, id)))).toMatch(
      /append-only: DELETE is not allowed/,
    );
  });

  it('never change what they were: token, address, patient, expiry', async () => {
    const id = await newInvitation();
    for (const change of [
      { tokenHash: 'f'.repeat(64) },
      { email: 'other@mail.test' },
      { expiresAt: new Date('2027-01-01T00:00:00Z') },
    ]) {
      expect(
        await databaseError(database.db.update(invitation).set(change).where(eq(invitation.id, id))),
      ).toMatch(/only accepting or revoking/);
    }
  });

  it('close once: a revoked invitation cannot be reopened or accepted', async () => {
    const id = await newInvitation();
    await database.db
      .update(invitation)
      .set({ revokedAt: new Date('2026-03-03T00:00:00Z'), revokedBy: staffId, revokedReason: 'revoked' })
      .where(eq(invitation.id, id));
    expect(
      await databaseError(
        database.db
          .update(invitation)
          .set({ revokedAt: null, revokedReason: null })
          .where(eq(invitation.id, id)),
      ),
    ).toMatch(/is closed/);
    const [row] = await database.db.select().from(invitation).where(eq(invitation.id, id));
    expect(row!.revokedReason).toBe('revoked');
  });
});

describe('invitation rules', () => {
  it('reads the expiry from the clinic setting, kept within 1 to 720 hours', () => {
    expect(invitationExpiryHours({})).toBe(defaultInvitationExpiryHours);
    expect(defaultInvitationExpiryHours).toBe(72);
    expect(invitationExpiryHours({ invitationExpiryHours: 24 })).toBe(24);
    expect(invitationExpiryHours({ invitationExpiryHours: 0 })).toBe(1);
    expect(invitationExpiryHours({ invitationExpiryHours: 10_000 })).toBe(720);
    expect(invitationExpiryHours({ invitationExpiryHours: Number.NaN })).toBe(72);
  });

  it('derives the status: accepted and revoked are final, expiry is the instant itself', () => {
    const base = {
      id: 'i',
      clinicId: 'c',
      patientId: 'p',
      email: 'e',
      tokenHash: 'h',
      createdAt: new Date('2026-03-02T15:00:00Z'),
      createdBy: 's',
      expiresAt: new Date('2026-03-05T15:00:00Z'),
      acceptedAt: null,
      acceptedUserId: null,
      revokedAt: null,
      revokedBy: null,
      revokedReason: null,
      replacesId: null,
      mailId: null,
    };
    const before = new Date('2026-03-05T14:59:59Z');
    const at = new Date('2026-03-05T15:00:00Z');
    expect(invitationStatus(base, before)).toBe('pending');
    expect(invitationStatus(base, at)).toBe('expired');
    expect(invitationStatus({ ...base, acceptedAt: before }, at)).toBe('accepted');
    expect(invitationStatus({ ...base, revokedAt: before, revokedReason: 'resent' }, before)).toBe(
      'replaced',
    );
    expect(invitationStatus({ ...base, revokedAt: before, revokedReason: 'revoked' }, before)).toBe(
      'revoked',
    );
  });
});

describe('request logs', () => {
  it('never carry an invitation or calendar-feed token: the paths are logged without it', async () => {
    const { withoutUrlSecrets } = await import('../../app.ts');
    const token = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde';
    expect(withoutUrlSecrets(`/invite/${token}`)).toBe('/invite/[token]');
    expect(withoutUrlSecrets(`/api/v1/invitations/${token}`)).toBe('/api/v1/invitations/[token]');
    expect(withoutUrlSecrets('/api/v1/invitations/accept')).toBe('/api/v1/invitations/accept');
    expect(withoutUrlSecrets('/api/v1/patients/abc/invitations')).toBe('/api/v1/patients/abc/invitations');
    expect(withoutUrlSecrets(`/api/v1/calendar-feeds/${token}.ics`)).toBe(
      '/api/v1/calendar-feeds/[token].ics',
    );
    expect(withoutUrlSecrets(`/api/v1/calendar-feeds/${token}`)).toBe('/api/v1/calendar-feeds/[token]');
  });
});
