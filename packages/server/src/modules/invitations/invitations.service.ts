import { randomUUID } from 'node:crypto';
import { and, count, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Clock } from '../../clock.ts';
import type { Actor, AuditEntry, RequestMeta, ServiceContext } from '../../context.ts';
import type { Database, Db } from '../../db/client.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import {
  type ClinicSettings,
  clinic,
  invitation,
  loginAttempt,
  type MailStatus,
  mailOutbox,
  patient,
  userAccount,
} from '../../db/schema/index.ts';
import { Conflict, Gone, Invalid, NotFound, TooManyRequests } from '../../errors.ts';
import { recordAuditEvents } from '../../http/unit-of-work.ts';
import { assertChartAccess } from '../../security/care-scope.ts';
import { hashPassword, maximumPasswordLength, minimumPasswordLength } from '../../security/passwords.ts';
import { appendAuditEvents } from '../audit/audit-chain.ts';
import { ipFailureLimit, ipFailureWindowMs } from '../auth/session-rules.ts';
import { type CreatedSession, createSession, newToken, sha256 } from '../auth/sessions.repository.ts';
import { cancelQueuedMail, enqueueMail } from '../mail/mail.service.ts';

/**
 * How long an invitation link stays valid when the clinic sets nothing (ClinicSettings.invitationExpiryHours):
 * a security setting, not a clinical number. Three days covers a weekend; a link forwarded or found later dies.
 */
export const defaultInvitationExpiryHours = 72;
const minimumExpiryHours = 1;
const maximumExpiryHours = 720;

export function invitationExpiryHours(settings: Pick<ClinicSettings, 'invitationExpiryHours'>): number {
  const hours = settings.invitationExpiryHours;
  if (typeof hours !== 'number' || !Number.isFinite(hours)) return defaultInvitationExpiryHours;
  return Math.min(maximumExpiryHours, Math.max(minimumExpiryHours, hours));
}

export type InvitationStatus = 'pending' | 'expired' | 'accepted' | 'revoked' | 'replaced';

type InvitationRow = typeof invitation.$inferSelect;

export function invitationStatus(row: InvitationRow, now: Date): InvitationStatus {
  if (row.acceptedAt) return 'accepted';
  if (row.revokedAt) return row.revokedReason === 'resent' ? 'replaced' : 'revoked';
  if (row.expiresAt <= now) return 'expired';
  return 'pending';
}

/** Where links point, and whether the link may be shown to staff (demo mode only: it is a credential). */
export interface InvitationLinks {
  baseUrl: string;
  exposeLinks: boolean;
}

export interface InvitationView {
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

export interface IssuedInvitation extends InvitationView {
  /** The link itself, in demo mode only (so a person walking the demo can follow it); otherwise null. */
  demoLink: string | null;
}

const creator = alias(userAccount, 'creator');

async function findInvitationViews(
  ctx: ServiceContext,
  patientId: string,
  invitationId?: string,
): Promise<InvitationView[]> {
  const rows = await ctx.tx
    .select({
      invitation,
      creatorName: creator.displayName,
      mailStatus: mailOutbox.status,
      mailSentAt: mailOutbox.sentAt,
    })
    .from(invitation)
    .innerJoin(creator, and(eq(creator.clinicId, invitation.clinicId), eq(creator.id, invitation.createdBy)))
    .leftJoin(
      mailOutbox,
      and(eq(mailOutbox.clinicId, invitation.clinicId), eq(mailOutbox.id, invitation.mailId)),
    )
    .where(
      and(
        eq(invitation.clinicId, ctx.clinicId),
        eq(invitation.patientId, patientId),
        invitationId ? eq(invitation.id, invitationId) : undefined,
      ),
    )
    .orderBy(desc(invitation.createdAt), desc(invitation.id));
  const now = ctx.clock.now();
  return rows.map(({ invitation: row, creatorName, mailStatus, mailSentAt }) => ({
    id: row.id,
    email: row.email,
    status: invitationStatus(row, now),
    createdAt: row.createdAt.toISOString(),
    createdBy: { id: row.createdBy, displayName: creatorName },
    expiresAt: row.expiresAt.toISOString(),
    acceptedAt: row.acceptedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    replacesId: row.replacesId,
    mail:
      row.mailId && mailStatus
        ? { id: row.mailId, status: mailStatus, sentAt: mailSentAt?.toISOString() ?? null }
        : null,
  }));
}

async function portalAccountOf(db: Db, clinicId: string, patientId: string) {
  const [account] = await db
    .select({ id: userAccount.id, email: userAccount.email, createdAt: userAccount.createdAt })
    .from(userAccount)
    .where(
      and(
        eq(userAccount.clinicId, clinicId),
        eq(userAccount.patientId, patientId),
        eq(userAccount.kind, 'patient'),
      ),
    );
  return account ?? null;
}

/** The patient's invitations, newest first, and their portal account if they have one. */
export async function listInvitations(ctx: ServiceContext, patientId: string) {
  const access = await assertChartAccess(ctx, patientId);
  const items = await findInvitationViews(ctx, patientId);
  const account = await portalAccountOf(ctx.tx, ctx.clinicId, patientId);
  ctx.audit.record({
    action: 'invitation.list',
    resourceType: 'invitation',
    patientId,
    breakGlass: access.breakGlass,
  });
  return {
    portalAccount: account ? { email: account.email, createdAt: account.createdAt.toISOString() } : null,
    items,
  };
}

/**
 * Locks the patient's row for the rest of the transaction, so that creating, resending and accepting
 * invitations of one patient happen one after the other (no two pending links, no two portal accounts).
 */
async function lockPatient(ctx: ServiceContext, patientId: string) {
  const [row] = await ctx.tx
    .select({
      email: patient.email,
      givenName: patient.givenName,
      clinicName: clinic.name,
      timeZone: clinic.timeZone,
      settings: clinic.settings,
    })
    .from(patient)
    .innerJoin(clinic, eq(clinic.id, patient.clinicId))
    .where(and(eq(patient.clinicId, ctx.clinicId), eq(patient.id, patientId)))
    .for('update', { of: patient });
  if (!row) throw new NotFound('Patient');
  return row;
}

async function assertNoPortalAccount(ctx: ServiceContext, patientId: string): Promise<void> {
  if (await portalAccountOf(ctx.tx, ctx.clinicId, patientId)) {
    throw new Conflict('This patient already has a portal account.');
  }
}

async function assertEmailFree(ctx: ServiceContext, email: string): Promise<void> {
  const [taken] = await ctx.tx
    .select({ id: userAccount.id })
    .from(userAccount)
    .where(eq(userAccount.email, email));
  if (taken) {
    throw new Conflict('This email address already belongs to an account.', [
      { path: 'email', message: 'Use another address: this one already signs in to Kapstone.' },
    ]);
  }
}

function inviteLink(links: InvitationLinks, token: string): string {
  return `${links.baseUrl.replace(/\/+$/, '')}/invite/${token}`;
}

/**
 * The mail carries what the patient needs and nothing else: the clinic's name, the link and when it
 * expires. No name, no appointment, nothing clinical (a mailbox may be shared or read over a shoulder).
 */
function invitationMail(clinicName: string, timeZone: string, link: string, expiresAt: Date) {
  const expiry = new Intl.DateTimeFormat('en-US', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(expiresAt);
  return {
    subject: `Your invitation to the ${clinicName} patient portal`,
    text: [
      'Hello,',
      '',
      `${clinicName} has invited you to set up your account on its patient portal.`,
      '',
      'Open this link to choose your password. It works once:',
      link,
      '',
      `The link expires on ${expiry}. If it has expired, ask the clinic to send you a new one.`,
      '',
      'If you were not expecting this message, you can ignore it; nothing happens unless the link is used.',
    ].join('\n'),
  };
}

async function issue(
  ctx: ServiceContext,
  patientId: string,
  email: string,
  held: Awaited<ReturnType<typeof lockPatient>>,
  links: InvitationLinks,
  replacesId: string | null,
): Promise<{ id: string; link: string; expiresAt: Date }> {
  const token = newToken();
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + invitationExpiryHours(held.settings) * 3_600_000);
  const link = inviteLink(links, token);
  const mail = await enqueueMail(ctx, {
    to: email,
    ...invitationMail(held.clinicName, held.timeZone, link, expiresAt),
  });
  const id = randomUUID();
  await ctx.tx.insert(invitation).values({
    id,
    clinicId: ctx.clinicId,
    patientId,
    email,
    tokenHash: sha256(token),
    createdAt: now,
    createdBy: ctx.actor.userId,
    expiresAt,
    replacesId,
    mailId: mail.id,
  });
  return { id, link, expiresAt };
}

async function presentIssued(
  ctx: ServiceContext,
  patientId: string,
  issued: { id: string; link: string },
  links: InvitationLinks,
): Promise<IssuedInvitation> {
  const [view] = await findInvitationViews(ctx, patientId, issued.id);
  return { ...view!, demoLink: links.exposeLinks ? issued.link : null };
}

function openInvitations(ctx: ServiceContext, patientId: string) {
  return and(
    eq(invitation.clinicId, ctx.clinicId),
    eq(invitation.patientId, patientId),
    isNull(invitation.acceptedAt),
    isNull(invitation.revokedAt),
  );
}

/**
 * Invites a patient of the clinic who has no portal account yet: a single-use link, valid for the clinic's
 * invitation period, mailed to the chart's address or to the one given. A pending invitation must be resent
 * or revoked first, so a patient never holds two live links.
 */
export async function createInvitation(
  ctx: ServiceContext,
  patientId: string,
  input: { email?: string | null },
  links: InvitationLinks,
): Promise<IssuedInvitation> {
  const access = await assertChartAccess(ctx, patientId);
  const held = await lockPatient(ctx, patientId);
  await assertNoPortalAccount(ctx, patientId);
  const email = (input.email ?? held.email)?.trim().toLowerCase();
  if (!email) {
    throw new Invalid('The chart has no email address.', [
      { path: 'email', message: 'Give the address the invitation should go to.' },
    ]);
  }
  const now = ctx.clock.now();
  const [pending] = await ctx.tx
    .select({ id: invitation.id })
    .from(invitation)
    .where(and(openInvitations(ctx, patientId), gt(invitation.expiresAt, now)));
  if (pending) {
    throw new Conflict('An invitation is already pending for this patient: resend or revoke it.');
  }
  await assertEmailFree(ctx, email);
  const issued = await issue(ctx, patientId, email, held, links, null);
  ctx.audit.record({
    action: 'invitation.create',
    resourceType: 'invitation',
    resourceId: issued.id,
    patientId,
    breakGlass: access.breakGlass,
    detail: { emailFrom: input.email ? 'given' : 'chart', expiresAt: issued.expiresAt.toISOString() },
  });
  return presentIssued(ctx, patientId, issued, links);
}

/**
 * Sends a new link in place of an invitation that has not been accepted (lost mail, expired link, corrected
 * address): every open invitation of the patient is revoked as 'resent' and a new token goes out.
 */
export async function resendInvitation(
  ctx: ServiceContext,
  patientId: string,
  invitationId: string,
  input: { email?: string | null },
  links: InvitationLinks,
): Promise<IssuedInvitation> {
  const access = await assertChartAccess(ctx, patientId);
  const held = await lockPatient(ctx, patientId);
  const [previous] = await ctx.tx
    .select()
    .from(invitation)
    .where(
      and(
        eq(invitation.clinicId, ctx.clinicId),
        eq(invitation.patientId, patientId),
        eq(invitation.id, invitationId),
      ),
    );
  if (!previous) throw new NotFound('Invitation');
  if (previous.acceptedAt) throw new Conflict('This invitation was accepted: the patient has an account.');
  await assertNoPortalAccount(ctx, patientId);
  const email = input.email?.trim().toLowerCase() ?? previous.email;
  await assertEmailFree(ctx, email);
  const now = ctx.clock.now();
  const replaced = await ctx.tx
    .update(invitation)
    .set({ revokedAt: now, revokedBy: ctx.actor.userId, revokedReason: 'resent' })
    .where(openInvitations(ctx, patientId))
    .returning({ mailId: invitation.mailId });
  // A mail still waiting for the old link (to a mistyped address, say) is withdrawn rather than sent.
  const withdrawn = await cancelQueuedMail(
    ctx,
    replaced.flatMap((r) => (r.mailId ? [r.mailId] : [])),
  );
  const issued = await issue(ctx, patientId, email, held, links, previous.id);
  ctx.audit.record({
    action: 'invitation.resend',
    resourceType: 'invitation',
    resourceId: issued.id,
    patientId,
    breakGlass: access.breakGlass,
    detail: {
      replaces: previous.id,
      addressChanged: email !== previous.email,
      expiresAt: issued.expiresAt.toISOString(),
      mailsWithdrawn: withdrawn.length,
    },
  });
  return presentIssued(ctx, patientId, issued, links);
}

/**
 * Withdraws an invitation: its link stops working at once. Revoking one already revoked changes nothing
 * (a retried request gets the same answer); an accepted one cannot be revoked (disable the account instead).
 */
export async function revokeInvitation(
  ctx: ServiceContext,
  patientId: string,
  invitationId: string,
): Promise<InvitationView> {
  const access = await assertChartAccess(ctx, patientId);
  const revoked = await ctx.tx
    .update(invitation)
    .set({ revokedAt: ctx.clock.now(), revokedBy: ctx.actor.userId, revokedReason: 'revoked' })
    .where(and(openInvitations(ctx, patientId), eq(invitation.id, invitationId)))
    .returning({ id: invitation.id, mailId: invitation.mailId });
  const withdrawn = await cancelQueuedMail(ctx, revoked[0]?.mailId ? [revoked[0].mailId] : []);
  const [view] = await findInvitationViews(ctx, patientId, invitationId);
  if (!view) throw new NotFound('Invitation');
  if (revoked.length === 1) {
    ctx.audit.record({
      action: 'invitation.revoke',
      resourceType: 'invitation',
      resourceId: invitationId,
      patientId,
      breakGlass: access.breakGlass,
      detail: { mailsWithdrawn: withdrawn.length },
    });
    return view;
  }
  if (view.status === 'accepted') {
    throw new Conflict('This invitation was accepted: disable the portal account instead.');
  }
  return view;
}

// ---------------------------------------------------------------------------------------------------------
// The public side: a patient holding the link. No actor, so these run in transactions of their own, audited
// under the invitation's clinic, and rate-limited per address like sign-in.
// ---------------------------------------------------------------------------------------------------------

export interface PublicDeps {
  database: Database;
  clock: Clock;
}

/**
 * Failed link look-ups share sign-in's per-address budget (login_attempt): a guessed token, a wrong password
 * and a stuffed credential all come out of the same allowance of an address.
 */
async function assertWithinRateLimit(deps: PublicDeps, request: RequestMeta): Promise<void> {
  const now = deps.clock.now();
  const windowStart = new Date(now.getTime() - ipFailureWindowMs);
  const [recent] = await deps.database
    .select({ failures: count() })
    .from(loginAttempt)
    .where(and(eq(loginAttempt.ip, request.ip ?? 'unknown'), gt(loginAttempt.attemptedAt, windowStart)));
  if ((recent?.failures ?? 0) >= ipFailureLimit) {
    throw new TooManyRequests(
      'Too many failed attempts from this address. Wait a few minutes and try again.',
      Math.ceil(ipFailureWindowMs / 1000),
    );
  }
}

async function noteFailedAttempt(deps: PublicDeps, request: RequestMeta): Promise<void> {
  const now = deps.clock.now();
  await deps.database
    .delete(loginAttempt)
    .where(lt(loginAttempt.attemptedAt, new Date(now.getTime() - ipFailureWindowMs)));
  await deps.database.insert(loginAttempt).values({ ip: request.ip ?? 'unknown', attemptedAt: now });
}

/** A token that was never issued: 404 (nothing to say about it). */
function unknownLink(): NotFound {
  const error = new NotFound('Invitation');
  error.message =
    'This invitation link is not valid. Check that the whole link was copied, or ask the clinic.';
  return error;
}

/** Why a link no longer works, in words for the patient. */
function goneFor(status: InvitationStatus): Gone {
  const messages: Record<Exclude<InvitationStatus, 'pending'>, string> = {
    accepted: 'This invitation has already been used. Sign in with your email address and password.',
    expired: 'This invitation has expired. Ask the clinic to send you a new one.',
    revoked: 'This invitation was withdrawn by the clinic. Ask the clinic if you need a new one.',
    replaced: 'A newer invitation was sent in place of this one: use the link in the latest mail.',
  };
  return new Gone(messages[status as Exclude<InvitationStatus, 'pending'>], [
    { path: 'token', message: status },
  ]);
}

async function findByToken(db: Db, token: string) {
  const [row] = await db
    .select({
      invitation,
      givenName: patient.givenName,
      clinicName: clinic.name,
    })
    .from(invitation)
    .innerJoin(patient, and(eq(patient.clinicId, invitation.clinicId), eq(patient.id, invitation.patientId)))
    .innerJoin(clinic, eq(clinic.id, invitation.clinicId))
    .where(eq(invitation.tokenHash, sha256(token)));
  return row ?? null;
}

function publicAudit(row: InvitationRow, action: string, outcome: AuditEntry['outcome'] = 'success') {
  return {
    action,
    resourceType: 'invitation',
    resourceId: row.id,
    patientId: row.patientId,
    outcome,
  } satisfies AuditEntry;
}

/**
 * What the invitation page shows before the patient chooses a password: whose clinic, and the given name
 * to greet them with. Nothing else of the record. A link that no longer works is a 410 saying why.
 */
export async function lookupInvitation(
  deps: PublicDeps,
  token: string,
  request: RequestMeta,
): Promise<{ clinicName: string; givenName: string; expiresAt: string }> {
  await assertWithinRateLimit(deps, request);
  const found = await findByToken(deps.database, token);
  if (!found) {
    await noteFailedAttempt(deps, request);
    throw unknownLink();
  }
  const status = invitationStatus(found.invitation, deps.clock.now());
  if (status !== 'pending') {
    await noteFailedAttempt(deps, request);
    throw goneFor(status);
  }
  await recordAuditEvents(
    deps.database,
    found.invitation.clinicId,
    null,
    [publicAudit(found.invitation, 'invitation.view')],
    request,
    deps.clock,
  );
  return {
    clinicName: found.clinicName,
    givenName: found.givenName,
    expiresAt: found.invitation.expiresAt.toISOString(),
  };
}

export interface AcceptedInvitation {
  session: CreatedSession;
  userId: string;
  patientId: string;
}

/**
 * Accepts an invitation: creates the patient's portal account (kind 'patient', linked to the record, the
 * password hashed as at sign-in) and signs the patient in. The invitation is consumed by one statement that
 * marks it used only while it is still open and unexpired and inserts the account in the same breath, so
 * of any number of concurrent accepts exactly one succeeds; the others get 410.
 */
export async function acceptInvitation(
  deps: PublicDeps,
  input: { token: string; password: string },
  request: RequestMeta,
): Promise<AcceptedInvitation> {
  await assertWithinRateLimit(deps, request);
  if (input.password.length < minimumPasswordLength || input.password.length > maximumPasswordLength) {
    throw new Invalid('Choose a longer password.', [
      {
        path: 'password',
        message: `Use at least ${minimumPasswordLength} and at most ${maximumPasswordLength} characters.`,
      },
    ]);
  }
  const found = await findByToken(deps.database, input.token);
  if (!found) {
    await noteFailedAttempt(deps, request);
    throw unknownLink();
  }
  const early = invitationStatus(found.invitation, deps.clock.now());
  if (early !== 'pending') {
    await noteFailedAttempt(deps, request);
    await recordAuditEvents(
      deps.database,
      found.invitation.clinicId,
      null,
      [
        {
          ...publicAudit(found.invitation, 'invitation.accept-refused', 'failure'),
          detail: { status: early },
        },
      ],
      request,
      deps.clock,
    );
    throw goneFor(early);
  }
  const passwordHash = await hashPassword(input.password);
  const { clinicId, patientId } = found.invitation;
  try {
    return await deps.database.transaction(async (tx) => {
      const now = deps.clock.now();
      // Accepts of one patient's invitations, and staff resends, queue here one after the other.
      await tx
        .select({ id: patient.id })
        .from(patient)
        .where(and(eq(patient.clinicId, clinicId), eq(patient.id, patientId)))
        .for('update');
      const userId = randomUUID();
      const consumed = await tx.execute(sql`
        WITH consumed AS (
          UPDATE invitation SET accepted_at = ${now.toISOString()}, accepted_user_id = ${userId}
           WHERE token_hash = ${sha256(input.token)} AND accepted_at IS NULL AND revoked_at IS NULL
             AND expires_at > ${now.toISOString()}
             AND NOT EXISTS (SELECT 1 FROM user_account a
                              WHERE a.clinic_id = invitation.clinic_id AND a.patient_id = invitation.patient_id)
          RETURNING clinic_id, patient_id, email)
        INSERT INTO user_account (id, clinic_id, email, display_name, kind, patient_id, password_hash,
                                  password_changed_at, created_at)
        SELECT ${userId}, c.clinic_id, c.email,
               coalesce(nullif(p.preferred_name, ''), p.given_name) || ' ' || p.family_name,
               'patient', c.patient_id, ${passwordHash}, ${now.toISOString()}, ${now.toISOString()}
          FROM consumed c JOIN patient p ON p.clinic_id = c.clinic_id AND p.id = c.patient_id
        RETURNING id, email, display_name`);
      const account = (consumed as unknown as { rows: { id: string; email: string; display_name: string }[] })
        .rows[0];
      if (!account) throw new InvitationRefused();
      const session = await createSession(tx, { id: userId, clinicId }, now, false);
      const actor: Actor = {
        kind: 'patient',
        userId,
        clinicId,
        sessionId: session.id,
        email: account.email,
        displayName: account.display_name,
        patientId,
      };
      await appendAuditEvents(
        tx,
        clinicId,
        actor,
        [
          publicAudit(found.invitation, 'invitation.accept'),
          {
            action: 'auth.login',
            resourceType: 'user_account',
            resourceId: userId,
            detail: { via: 'invitation' },
          },
        ],
        request,
        now,
      );
      return { session, userId, patientId };
    });
  } catch (error) {
    if (error instanceof InvitationRefused) {
      // Someone else consumed it (a concurrent accept), staff revoked it, or it expired meanwhile.
      await noteFailedAttempt(deps, request);
      const again = await findByToken(deps.database, input.token);
      const status = again ? invitationStatus(again.invitation, deps.clock.now()) : 'revoked';
      if (status === 'pending') throw new Conflict('This patient already has a portal account.');
      throw goneFor(status);
    }
    if (isUniqueViolation(error)) {
      throw new Conflict('This email address already belongs to an account. Ask the clinic for help.');
    }
    throw error;
  }
}

class InvitationRefused extends Error {}
