import { randomUUID } from 'node:crypto';
import {
  type IntegrationAdherenceState,
  type IntegrationWindow,
  integrationAdherence,
  integrationWindowFor,
  type ProtocolId,
  protocols,
} from '@kapstone/clinical';
import { and, asc, desc, eq, gte, inArray, isNotNull, type SQL, sql } from 'drizzle-orm';
import type { ServiceContext } from '../../context.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import {
  appointment,
  appointmentStaff,
  careTeamMember,
  clinic,
  dosingSession,
  integrationNote,
  patient,
  psychotherapyNote,
  treatmentPlan,
  userAccount,
} from '../../db/schema/index.ts';
import type { IntegrationNoteContent } from '../../db/schema/integration.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../errors.ts';
import { withinCareScope } from '../../security/care-scope.ts';
import { hasPermission } from '../../security/permissions.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import { localParts } from '../scheduling/clinic-time.ts';
import { requireClinicalAccess } from '../screening/vitals.service.ts';
import { writePsychotherapyNote } from '../session-safety/psychotherapy-notes.service.ts';
import type {
  AdherenceItemView,
  IntegrationAmendmentInput,
  IntegrationContentInput,
  IntegrationNoteCreateInput,
  IntegrationNoteView,
} from './integration.schemas.ts';

/*
 * Integration session notes (issue 6). The progress-note part is the designated record set (clinical-reference
 * 7.1: a summary of treatment and progress is not a psychotherapy note), readable with patient.clinical.read.
 * What the therapist marks as psychotherapy notes goes through writePsychotherapyNote in the same transaction
 * (author-only, sealed); this module never returns a psychotherapy note's body (it opens the author's own only
 * to tell a retried save from an edited one), and an integration note keeps
 * only the flag that one exists (contract 6). Versions are append-only: a correction is a new version that
 * amends the latest one, with a reason.
 */

type NoteRow = typeof integrationNote.$inferSelect;
type SessionRow = typeof dosingSession.$inferSelect;

/** The clinic's time zone and its own integration window, if it set one. */
async function clinicFacts(
  ctx: ServiceContext,
): Promise<{ timeZone: string; window: IntegrationWindow | null }> {
  const [row] = await ctx.tx
    .select({ timeZone: clinic.timeZone, settings: clinic.settings })
    .from(clinic)
    .where(eq(clinic.id, ctx.clinicId));
  if (!row) throw new NotFound('Clinic');
  return { timeZone: row.timeZone, window: row.settings.integration?.windowDays ?? null };
}

function contentOf(input: IntegrationContentInput, sessionIntentions: string[]): IntegrationNoteContent {
  return {
    themes: input.themes || null,
    insights: input.insights || null,
    emotions: input.emotions || null,
    bodyExperience: input.bodyExperience || null,
    sessionIntentions,
    intentionReflection: input.intentionReflection || null,
    techniques: input.techniques,
    techniquesOther: input.techniquesOther || null,
    actionItems: input.actionItems,
    nextFocus: input.nextFocus || null,
  };
}

/** Stable JSON (sorted keys) so a retried save compares equal whatever the key order jsonb returns. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

const idUsed = () =>
  new Conflict('This note id is already used: generate a new one.', [
    { path: 'id', message: 'Generate a new id.' },
  ]);

async function findVersion(ctx: ServiceContext, id: string): Promise<NoteRow | undefined> {
  const [row] = await ctx.tx.select().from(integrationNote).where(eq(integrationNote.id, id));
  return row;
}

/** A discharged dosing session of this patient, or a field problem. */
async function dischargedSession(
  ctx: ServiceContext,
  patientId: string,
  sessionId: string,
): Promise<SessionRow> {
  const [session] = await ctx.tx
    .select()
    .from(dosingSession)
    .where(
      and(
        eq(dosingSession.clinicId, ctx.clinicId),
        eq(dosingSession.patientId, patientId),
        eq(dosingSession.id, sessionId),
      ),
    );
  if (!session)
    throw new Invalid('No such dosing session of this patient.', [
      { path: 'dosingSessionId', message: 'Choose one of the patient’s dosing sessions.' },
    ]);
  if (session.state !== 'discharged' || !session.dosingStartedAt)
    throw new Invalid('Integration follows a completed dosing session.', [
      { path: 'dosingSessionId', message: 'This session has not been discharged.' },
    ]);
  return session;
}

function checkHeldOn(heldOn: string, session: SessionRow, timeZone: string, now: Date): void {
  const dosedOn = localParts(session.dosingStartedAt!, timeZone).date;
  const today = localParts(now, timeZone).date;
  if (heldOn < dosedOn)
    throw new Invalid('An integration session follows its dose.', [
      { path: 'heldOn', message: `On or after the dose (${dosedOn}).` },
    ]);
  if (heldOn > today)
    throw new Invalid('An integration session is recorded once it took place.', [
      { path: 'heldOn', message: 'Not a day in the future.' },
    ]);
}

async function assertIntegrationAppointment(ctx: ServiceContext, patientId: string, appointmentId: string) {
  const [booked] = await ctx.tx
    .select({ id: appointment.id })
    .from(appointment)
    .where(
      and(
        eq(appointment.clinicId, ctx.clinicId),
        eq(appointment.id, appointmentId),
        eq(appointment.patientId, patientId),
        eq(appointment.kind, 'integration'),
        eq(appointment.status, 'scheduled'),
      ),
    );
  if (!booked)
    throw new Invalid('No such integration appointment of this patient.', [
      { path: 'appointmentId', message: 'Choose one of the patient’s integration appointments.' },
    ]);
}

async function planIntentions(ctx: ServiceContext, planId: string): Promise<string[]> {
  const [plan] = await ctx.tx
    .select({ intentions: treatmentPlan.intentions })
    .from(treatmentPlan)
    .where(and(eq(treatmentPlan.clinicId, ctx.clinicId), eq(treatmentPlan.id, planId)));
  return (plan?.intentions ?? []).map((i) => i.text);
}

function assertMayWritePsychotherapyNotes(ctx: ServiceContext): void {
  if (!hasPermission(ctx.actor, 'psychotherapy-notes.write'))
    throw new Forbidden('Your role does not write psychotherapy notes.', [
      { path: 'psychotherapyNotes', message: 'Leave this empty.' },
    ]);
}

/** A retried save: the same id with the same words returns the saved note; anything else is a 409. */
function sameSave(
  row: NoteRow,
  ctx: ServiceContext,
  expected: { patientId: string; amendsId: string | null; heldOn: string; content: IntegrationContentInput },
  withPsychotherapy: boolean,
): boolean {
  const { sessionIntentions: _, ...stored } = row.content;
  return (
    row.clinicId === ctx.clinicId &&
    row.patientId === expected.patientId &&
    row.writtenBy === ctx.actor.userId &&
    row.amendsId === expected.amendsId &&
    row.heldOn === expected.heldOn &&
    canonical(stored) === canonical(withoutIntentions(expected.content)) &&
    (row.psychotherapyNoteId !== null) === withPsychotherapy
  );
}

/**
 * Whether a retried save carries the psychotherapy words saved with that version (the author's own, compared
 * here and never returned), so a retry whose words were edited is a 409, not a 200 that drops the edit.
 */
async function samePsychotherapyWords(
  ctx: ServiceContext,
  box: SecretBox,
  row: NoteRow,
  words: string | undefined,
): Promise<boolean> {
  if (words === undefined || row.psychotherapyNoteId === null)
    return (words === undefined) === (row.psychotherapyNoteId === null);
  const [saved] = await ctx.tx
    .select({ bodySealed: psychotherapyNote.bodySealed })
    .from(psychotherapyNote)
    .where(
      and(
        eq(psychotherapyNote.clinicId, ctx.clinicId),
        eq(psychotherapyNote.authorId, ctx.actor.userId),
        eq(psychotherapyNote.id, row.psychotherapyNoteId),
      ),
    );
  return saved !== undefined && box.open(saved.bodySealed) === words;
}

function withoutIntentions(
  content: IntegrationContentInput,
): Omit<IntegrationNoteContent, 'sessionIntentions'> {
  const { sessionIntentions: _, ...rest } = contentOf(content, []);
  return rest;
}

async function insertVersion(
  ctx: ServiceContext,
  values: typeof integrationNote.$inferInsert,
): Promise<void> {
  // A savepoint: a refused insert is answered 409 without aborting the unit of work.
  await ctx.tx.transaction(async (sp) => sp.insert(integrationNote).values(values));
}

/** Writes version 1 of an integration note (and its psychotherapy notes, author-only, in the same transaction). */
export async function createIntegrationNote(
  ctx: ServiceContext,
  box: SecretBox,
  patientId: string,
  input: IntegrationNoteCreateInput,
): Promise<{ created: boolean; note: IntegrationNoteView }> {
  if (ctx.actor.kind !== 'staff') throw new NotFound('Patient');
  const access = await requireClinicalAccess(ctx, patientId);
  const expected = { patientId, amendsId: null, heldOn: input.heldOn, content: input.content };
  const withPsychotherapy = input.psychotherapyNotes !== undefined;

  const existing = await findVersion(ctx, input.id);
  if (existing) {
    if (
      !sameSave(existing, ctx, expected, withPsychotherapy) ||
      existing.dosingSessionId !== input.dosingSessionId ||
      !(await samePsychotherapyWords(ctx, box, existing, input.psychotherapyNotes))
    )
      throw idUsed();
    return { created: false, note: await findNote(ctx, patientId, existing.seriesId) };
  }

  const { timeZone } = await clinicFacts(ctx);
  const session = await dischargedSession(ctx, patientId, input.dosingSessionId);
  checkHeldOn(input.heldOn, session, timeZone, ctx.clock.now());
  if (input.appointmentId) await assertIntegrationAppointment(ctx, patientId, input.appointmentId);
  const intentions = await planIntentions(ctx, session.planId);

  let psychotherapyNoteId: string | null = null;
  if (input.psychotherapyNotes !== undefined) {
    assertMayWritePsychotherapyNotes(ctx);
    const written = await writePsychotherapyNote(ctx, box, {
      id: randomUUID(),
      patientId,
      appointmentId: input.appointmentId ?? null,
      body: input.psychotherapyNotes,
    });
    psychotherapyNoteId = written.note.current.id;
  }

  try {
    await insertVersion(ctx, {
      id: input.id,
      clinicId: ctx.clinicId,
      patientId,
      seriesId: input.id,
      version: 1,
      amendsId: null,
      amendmentReason: null,
      dosingSessionId: session.id,
      appointmentId: input.appointmentId ?? null,
      heldOn: input.heldOn,
      content: contentOf(input.content, intentions),
      hasPsychotherapyNote: psychotherapyNoteId !== null,
      psychotherapyNoteId,
      writtenBy: ctx.actor.userId,
      writtenAt: ctx.clock.now(),
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw idUsed();
    throw error;
  }
  ctx.audit.record({
    action: 'integration-note.create',
    resourceType: 'integration_note',
    resourceId: input.id,
    patientId,
    breakGlass: access.breakGlass,
    detail: { version: 1, dosingSessionId: session.id, hasPsychotherapyNote: psychotherapyNoteId !== null },
  });
  return { created: true, note: await findNote(ctx, patientId, input.id) };
}

/** The caller's own psychotherapy-note series among those written with a note's versions, and its latest version. */
async function ownPsychotherapySeries(
  ctx: ServiceContext,
  psychotherapyNoteIds: string[],
): Promise<{ seriesId: string; latestId: string } | null> {
  if (psychotherapyNoteIds.length === 0) return null;
  // Only ids and series, never the body; scoped by author like every psychotherapy-note query.
  const mine = await ctx.tx
    .select({ seriesId: psychotherapyNote.seriesId })
    .from(psychotherapyNote)
    .where(
      and(
        eq(psychotherapyNote.clinicId, ctx.clinicId),
        eq(psychotherapyNote.authorId, ctx.actor.userId),
        inArray(psychotherapyNote.id, psychotherapyNoteIds),
      ),
    );
  const seriesId = mine.at(-1)?.seriesId;
  if (!seriesId) return null;
  const [latest] = await ctx.tx
    .select({ id: psychotherapyNote.id })
    .from(psychotherapyNote)
    .where(
      and(
        eq(psychotherapyNote.clinicId, ctx.clinicId),
        eq(psychotherapyNote.authorId, ctx.actor.userId),
        eq(psychotherapyNote.seriesId, seriesId),
      ),
    )
    .orderBy(desc(psychotherapyNote.version))
    .limit(1);
  return latest ? { seriesId, latestId: latest.id } : null;
}

/** A correction: a new version that amends the latest one, with a reason. */
export async function amendIntegrationNote(
  ctx: ServiceContext,
  box: SecretBox,
  patientId: string,
  noteId: string,
  input: IntegrationAmendmentInput,
): Promise<{ created: boolean; note: IntegrationNoteView }> {
  if (ctx.actor.kind !== 'staff') throw new NotFound('Patient');
  const access = await requireClinicalAccess(ctx, patientId);
  const versions = await ctx.tx
    .select()
    .from(integrationNote)
    .where(
      and(
        eq(integrationNote.clinicId, ctx.clinicId),
        eq(integrationNote.patientId, patientId),
        eq(integrationNote.seriesId, noteId),
      ),
    )
    .orderBy(asc(integrationNote.version));
  if (versions.length === 0) throw new NotFound('Integration note');
  const withPsychotherapy = input.psychotherapyNotes !== undefined;

  const existing = await findVersion(ctx, input.id);
  if (existing) {
    const expected = { patientId, amendsId: input.amendsId, heldOn: input.heldOn, content: input.content };
    if (
      existing.seriesId !== noteId ||
      !sameSave(existing, ctx, expected, withPsychotherapy) ||
      !(await samePsychotherapyWords(ctx, box, existing, input.psychotherapyNotes))
    )
      throw idUsed();
    return { created: false, note: await findNote(ctx, patientId, noteId) };
  }

  const amended = versions.find((v) => v.id === input.amendsId);
  if (!amended)
    throw new Invalid('No such version of this note.', [
      { path: 'amendsId', message: 'Amend the latest version of this note.' },
    ]);
  const latest = versions.at(-1)!;
  if (amended.id !== latest.id)
    throw new Conflict('That version was already amended: amend the latest version instead.', [
      { path: 'amendsId', message: `The latest version is ${latest.version}.` },
    ]);

  const { timeZone } = await clinicFacts(ctx);
  const session = await dischargedSession(ctx, patientId, amended.dosingSessionId);
  checkHeldOn(input.heldOn, session, timeZone, ctx.clock.now());

  let psychotherapyNoteId: string | null = null;
  if (input.psychotherapyNotes !== undefined) {
    assertMayWritePsychotherapyNotes(ctx);
    const own = await ownPsychotherapySeries(
      ctx,
      versions.flatMap((v) => (v.psychotherapyNoteId ? [v.psychotherapyNoteId] : [])),
    );
    const written = await writePsychotherapyNote(ctx, box, {
      id: randomUUID(),
      patientId,
      ...(own ? { amendsId: own.latestId } : { appointmentId: amended.appointmentId }),
      body: input.psychotherapyNotes,
    });
    psychotherapyNoteId = written.note.current.id;
  }

  const version = amended.version + 1;
  try {
    await insertVersion(ctx, {
      id: input.id,
      clinicId: ctx.clinicId,
      patientId,
      seriesId: noteId,
      version,
      amendsId: amended.id,
      amendmentReason: input.reason,
      dosingSessionId: amended.dosingSessionId,
      appointmentId: amended.appointmentId,
      heldOn: input.heldOn,
      content: contentOf(input.content, amended.content.sessionIntentions),
      hasPsychotherapyNote: amended.hasPsychotherapyNote || psychotherapyNoteId !== null,
      psychotherapyNoteId,
      writtenBy: ctx.actor.userId,
      writtenAt: ctx.clock.now(),
    });
  } catch (error) {
    if (
      isUniqueViolation(error, 'integration_note_amends_once_key') ||
      isUniqueViolation(error, 'integration_note_series_version_key')
    )
      throw new Conflict('That version was already amended: amend the latest version instead.', [
        { path: 'amendsId', message: 'Not the latest version.' },
      ]);
    if (isUniqueViolation(error)) throw idUsed();
    throw error;
  }
  ctx.audit.record({
    action: 'integration-note.amend',
    resourceType: 'integration_note',
    resourceId: noteId,
    patientId,
    breakGlass: access.breakGlass,
    detail: { version, versionId: input.id, psychotherapyNoteWritten: psychotherapyNoteId !== null },
  });
  return { created: true, note: await findNote(ctx, patientId, noteId) };
}

async function findNote(
  ctx: ServiceContext,
  patientId: string,
  seriesId: string,
): Promise<IntegrationNoteView> {
  const rows = await ctx.tx
    .select()
    .from(integrationNote)
    .where(
      and(
        eq(integrationNote.clinicId, ctx.clinicId),
        eq(integrationNote.patientId, patientId),
        eq(integrationNote.seriesId, seriesId),
      ),
    );
  const [note] = await presentNotes(ctx, rows);
  if (!note) throw new NotFound('Integration note');
  return note;
}

/** The presenter: the only place an integration note becomes JSON. It never reads a psychotherapy note's body. */
async function presentNotes(ctx: ServiceContext, rows: NoteRow[]): Promise<IntegrationNoteView[]> {
  if (rows.length === 0) return [];
  const { timeZone } = await clinicFacts(ctx);
  const sessionIds = [...new Set(rows.map((r) => r.dosingSessionId))];
  const sessions = await ctx.tx
    .select({ id: dosingSession.id, dosingStartedAt: dosingSession.dosingStartedAt })
    .from(dosingSession)
    .where(and(eq(dosingSession.clinicId, ctx.clinicId), inArray(dosingSession.id, sessionIds)));
  const userIds = [...new Set(rows.map((r) => r.writtenBy))];
  const users = await ctx.tx
    .select({ id: userAccount.id, displayName: userAccount.displayName })
    .from(userAccount)
    .where(and(eq(userAccount.clinicId, ctx.clinicId), inArray(userAccount.id, userIds)));
  const psychotherapyIds = rows.flatMap((r) => (r.psychotherapyNoteId ? [r.psychotherapyNoteId] : []));
  const mine =
    psychotherapyIds.length === 0
      ? []
      : await ctx.tx
          .select({ id: psychotherapyNote.id, seriesId: psychotherapyNote.seriesId })
          .from(psychotherapyNote)
          .where(
            and(
              eq(psychotherapyNote.clinicId, ctx.clinicId),
              eq(psychotherapyNote.authorId, ctx.actor.userId),
              inArray(psychotherapyNote.id, psychotherapyIds),
            ),
          );
  const person = (id: string) => users.find((u) => u.id === id) ?? null;
  const bySeries = new Map<string, NoteRow[]>();
  for (const row of rows) bySeries.set(row.seriesId, [...(bySeries.get(row.seriesId) ?? []), row]);
  return [...bySeries.values()].map((series) => {
    const ordered = series.sort((a, b) => b.version - a.version);
    const current = ordered[0]!;
    const first = ordered.at(-1)!;
    const session = sessions.find((s) => s.id === first.dosingSessionId);
    const own = mine.filter((m) => series.some((v) => v.psychotherapyNoteId === m.id)).at(-1);
    const versions = ordered.map((v) => ({
      id: v.id,
      version: v.version,
      amendsId: v.amendsId,
      amendmentReason: v.amendmentReason,
      heldOn: v.heldOn,
      content: v.content,
      writtenAt: v.writtenAt.toISOString(),
      writtenBy: person(v.writtenBy),
    }));
    return {
      id: first.seriesId,
      patientId: first.patientId,
      dosingSession: {
        id: first.dosingSessionId,
        dosedAt: session?.dosingStartedAt?.toISOString() ?? null,
        dosedOn: session?.dosingStartedAt ? localParts(session.dosingStartedAt, timeZone).date : null,
      },
      appointmentId: first.appointmentId,
      hasPsychotherapyNote: current.hasPsychotherapyNote,
      ownPsychotherapyNoteSeriesId: own?.seriesId ?? null,
      current: versions[0]!,
      versions,
    };
  });
}

/** A patient's integration notes, newest session first. Never a psychotherapy note's words. */
export async function listIntegrationNotes(
  ctx: ServiceContext,
  patientId: string,
  query: { dosingSessionId?: string },
): Promise<{ items: IntegrationNoteView[] }> {
  const access = await requireClinicalAccess(ctx, patientId);
  const rows = await ctx.tx
    .select()
    .from(integrationNote)
    .where(
      and(
        eq(integrationNote.clinicId, ctx.clinicId),
        eq(integrationNote.patientId, patientId),
        ...(query.dosingSessionId ? [eq(integrationNote.dosingSessionId, query.dosingSessionId)] : []),
      ),
    )
    .limit(5000);
  const items = (await presentNotes(ctx, rows)).sort(
    (a, b) =>
      b.current.heldOn.localeCompare(a.current.heldOn) ||
      b.versions.at(-1)!.writtenAt.localeCompare(a.versions.at(-1)!.writtenAt),
  );
  ctx.audit.record({
    action: 'integration-note.list',
    resourceType: 'integration_note',
    patientId,
    breakGlass: access.breakGlass,
    detail: { count: items.length },
  });
  return { items };
}

// ---------------------------------------------------------------------------------------------------------
// Adherence

interface DoseRow {
  session: Pick<
    SessionRow,
    'id' | 'patientId' | 'planId' | 'protocolId' | 'appointmentId' | 'dosingStartedAt'
  >;
  givenName: string;
  familyName: string;
  preferredName: string | null;
  mrn: string;
}

/** Discharged dosing sessions that got a dose, matching `where`, newest first. */
function doseQuery(ctx: ServiceContext, where: SQL[]) {
  return ctx.tx
    .select({
      session: {
        id: dosingSession.id,
        patientId: dosingSession.patientId,
        planId: dosingSession.planId,
        protocolId: dosingSession.protocolId,
        appointmentId: dosingSession.appointmentId,
        dosingStartedAt: dosingSession.dosingStartedAt,
      },
      givenName: patient.givenName,
      familyName: patient.familyName,
      preferredName: patient.preferredName,
      mrn: patient.mrn,
    })
    .from(dosingSession)
    .innerJoin(
      patient,
      and(eq(patient.clinicId, dosingSession.clinicId), eq(patient.id, dosingSession.patientId)),
    )
    .where(
      and(
        eq(dosingSession.clinicId, ctx.clinicId),
        eq(dosingSession.state, 'discharged'),
        isNotNull(dosingSession.dosingStartedAt),
        ...where,
      ),
    )
    .orderBy(desc(dosingSession.dosingStartedAt), asc(dosingSession.id));
}

/** Each dose's adherence state, with the note that decided it, its therapist and the next booked integration. */
async function assess(
  ctx: ServiceContext,
  doses: DoseRow[],
): Promise<{ today: string; items: AdherenceItemView[] }> {
  const { timeZone, window: clinicWindow } = await clinicFacts(ctx);
  const today = localParts(ctx.clock.now(), timeZone).date;
  if (doses.length === 0) return { today, items: [] };
  const sessionIds = doses.map((d) => d.session.id);
  const patientIds = [...new Set(doses.map((d) => d.session.patientId))];

  const notes = await ctx.tx
    .select({
      seriesId: integrationNote.seriesId,
      version: integrationNote.version,
      sessionId: integrationNote.dosingSessionId,
      heldOn: integrationNote.heldOn,
    })
    .from(integrationNote)
    .where(
      and(eq(integrationNote.clinicId, ctx.clinicId), inArray(integrationNote.dosingSessionId, sessionIds)),
    );
  const currentNotes = new Map<string, (typeof notes)[number]>();
  for (const n of notes) {
    const seen = currentNotes.get(n.seriesId);
    if (!seen || seen.version < n.version) currentNotes.set(n.seriesId, n);
  }

  const earliest = doses.reduce(
    (min, d) => (d.session.dosingStartedAt! < min ? d.session.dosingStartedAt! : min),
    doses[0]!.session.dosingStartedAt!,
  );
  const booked = await ctx.tx
    .select({ id: appointment.id, patientId: appointment.patientId, startsAt: appointment.startsAt })
    .from(appointment)
    .where(
      and(
        eq(appointment.clinicId, ctx.clinicId),
        inArray(appointment.patientId, patientIds),
        eq(appointment.kind, 'integration'),
        eq(appointment.status, 'scheduled'),
        gte(appointment.startsAt, earliest),
      ),
    )
    .orderBy(asc(appointment.startsAt));

  const bookedTherapists = await ctx.tx
    .select({
      appointmentId: appointmentStaff.appointmentId,
      id: userAccount.id,
      displayName: userAccount.displayName,
    })
    .from(appointmentStaff)
    .innerJoin(
      userAccount,
      and(eq(userAccount.clinicId, appointmentStaff.clinicId), eq(userAccount.id, appointmentStaff.userId)),
    )
    .where(
      and(
        eq(appointmentStaff.clinicId, ctx.clinicId),
        inArray(
          appointmentStaff.appointmentId,
          doses.map((d) => d.session.appointmentId),
        ),
        eq(appointmentStaff.role, 'therapist'),
      ),
    );
  const teamTherapists = await ctx.tx
    .select({ patientId: careTeamMember.patientId, id: userAccount.id, displayName: userAccount.displayName })
    .from(careTeamMember)
    .innerJoin(
      userAccount,
      and(eq(userAccount.clinicId, careTeamMember.clinicId), eq(userAccount.id, careTeamMember.userId)),
    )
    .where(
      and(
        eq(careTeamMember.clinicId, ctx.clinicId),
        inArray(careTeamMember.patientId, patientIds),
        eq(careTeamMember.role, 'therapist'),
      ),
    )
    .orderBy(asc(careTeamMember.assignedAt));

  const items: AdherenceItemView[] = [];
  for (const dose of doses) {
    const s = dose.session;
    const window = protocols[s.protocolId as ProtocolId]
      ? integrationWindowFor(s.protocolId as ProtocolId, clinicWindow)
      : null;
    if (!window) continue;
    const dosedOn = localParts(s.dosingStartedAt!, timeZone).date;
    const contacts = [...currentNotes.values()]
      .filter((n) => n.sessionId === s.id)
      .map((n) => ({ noteId: n.seriesId, sessionId: s.id, date: n.heldOn }));
    const [result] = integrationAdherence({
      doses: [{ sessionId: s.id, dosedAt: s.dosingStartedAt!.toISOString(), localDate: dosedOn }],
      integrations: contacts,
      window,
      today,
    });
    if (!result) continue;
    const nextDose = doses
      .filter((d) => d.session.patientId === s.patientId && d.session.dosingStartedAt! > s.dosingStartedAt!)
      .reduce<Date | null>(
        (min, d) => (!min || d.session.dosingStartedAt! < min ? d.session.dosingStartedAt! : min),
        null,
      );
    const nextBooking = result.integration
      ? undefined
      : booked.find(
          (b) =>
            b.patientId === s.patientId &&
            b.startsAt > s.dosingStartedAt! &&
            (!nextDose || b.startsAt < nextDose),
        );
    const therapist =
      bookedTherapists.find((t) => t.appointmentId === s.appointmentId) ??
      teamTherapists.find((t) => t.patientId === s.patientId);
    items.push({
      sessionId: s.id,
      patient: {
        id: s.patientId,
        displayName: `${dose.preferredName ?? dose.givenName} ${dose.familyName}`,
        mrn: dose.mrn,
      },
      therapist: therapist ? { id: therapist.id, displayName: therapist.displayName } : null,
      protocolId: s.protocolId,
      dosedAt: s.dosingStartedAt!.toISOString(),
      dosedOn,
      state: result.state,
      window: [window[0], window[1]],
      opensOn: result.opensOn,
      closesOn: result.closesOn,
      integration: result.integration
        ? {
            noteId: result.integration.noteId!,
            heldOn: result.integration.date,
            dayAfterDose: result.integration.dayAfterDose,
          }
        : null,
      booked: nextBooking
        ? { appointmentId: nextBooking.id, startsAt: nextBooking.startsAt.toISOString() }
        : null,
    });
  }
  return { today, items };
}

/** One patient's doses with their integration adherence, newest first. */
export async function patientAdherence(ctx: ServiceContext, patientId: string) {
  const access = await requireClinicalAccess(ctx, patientId);
  const doses = await doseQuery(ctx, [eq(dosingSession.patientId, patientId)]).limit(500);
  const assessed = await assess(ctx, doses);
  // The chart's note form shows each session's intentions (from the plan it was dosed under).
  const planIds = [...new Set(doses.map((d) => d.session.planId))];
  const plans =
    planIds.length === 0
      ? []
      : await ctx.tx
          .select({ id: treatmentPlan.id, intentions: treatmentPlan.intentions })
          .from(treatmentPlan)
          .where(and(eq(treatmentPlan.clinicId, ctx.clinicId), inArray(treatmentPlan.id, planIds)));
  const planOf = new Map(doses.map((d) => [d.session.id, d.session.planId]));
  const result = {
    today: assessed.today,
    items: assessed.items.map((item) => ({
      ...item,
      intentions: (plans.find((p) => p.id === planOf.get(item.sessionId))?.intentions ?? []).map(
        (i) => i.text,
      ),
    })),
  };
  ctx.audit.record({
    action: 'integration-adherence.read',
    resourceType: 'dosing_session',
    patientId,
    breakGlass: access.breakGlass,
    detail: { count: result.items.length },
  });
  return result;
}

const consoleStates: IntegrationAdherenceState[] = ['missing', 'late', 'due'];

/**
 * The console's list: recent doses of the patients whose clinical record the caller may open (their care team,
 * every patient in a clinic-wide care scope, or a patient under an active break-glass grant, as the alerts list),
 * in the states asked for (missing, late and due by default), newest dose first.
 */
export async function adherenceList(
  ctx: ServiceContext,
  query: { state?: IntegrationAdherenceState[]; days: number; limit: number },
) {
  const since = new Date(ctx.clock.now().getTime() - query.days * 86_400_000);
  const doses = await doseQuery(ctx, [
    gte(dosingSession.dosingStartedAt, since),
    sql`(${withinCareScope(dosingSession.clinicId, dosingSession.patientId, ctx.actor.userId)}
      OR EXISTS (SELECT 1 FROM break_glass_grant g WHERE g.clinic_id = ${dosingSession.clinicId}
        AND g.patient_id = ${dosingSession.patientId} AND g.user_id = ${ctx.actor.userId}
        AND g.expires_at > ${ctx.clock.now().toISOString()}))`,
  ]).limit(2000);
  const states = query.state ?? consoleStates;
  const { today, items } = await assess(ctx, doses);
  const matching = items.filter((i) => states.includes(i.state));
  const page = matching.slice(0, query.limit);
  ctx.audit.record({
    action: 'integration-adherence.list',
    resourceType: 'dosing_session',
    detail: { states, days: query.days, count: page.length },
  });
  // A patient listed only through a break-glass grant: that read is the patient's, flagged, as a chart read is.
  const listed = [...new Set(page.map((i) => i.patient.id))];
  const viaBreakGlass =
    listed.length === 0
      ? []
      : await ctx.tx
          .select({ id: patient.id })
          .from(patient)
          .where(
            and(
              eq(patient.clinicId, ctx.clinicId),
              inArray(patient.id, listed),
              sql`NOT ${withinCareScope(patient.clinicId, patient.id, ctx.actor.userId)}`,
            ),
          );
  for (const { id } of viaBreakGlass)
    ctx.audit.record({
      action: 'integration-adherence.list',
      resourceType: 'dosing_session',
      patientId: id,
      breakGlass: true,
      detail: { count: page.filter((i) => i.patient.id === id).length },
    });
  return { today, items: page, truncated: matching.length > page.length || doses.length === 2000 };
}

// ---------------------------------------------------------------------------------------------------------
// The clinic's window

function settingsView(window: IntegrationWindow | null) {
  const effective: Record<string, [number, number] | null> = {};
  for (const id of Object.keys(protocols) as ProtocolId[]) {
    const w = integrationWindowFor(id, window);
    effective[id] = w ? [w[0], w[1]] : null;
  }
  return { windowDays: window ? ([window[0], window[1]] as [number, number]) : null, effective };
}

export async function getIntegrationSettings(ctx: ServiceContext) {
  const { window } = await clinicFacts(ctx);
  return settingsView(window);
}

/** Sets (or clears, with null) the clinic's integration window. Admins; audited with the old and new window. */
export async function updateIntegrationSettings(
  ctx: ServiceContext,
  input: { windowDays: [number, number] | null },
) {
  const before = await clinicFacts(ctx);
  const value = input.windowDays ? { windowDays: input.windowDays } : {};
  await ctx.tx
    .update(clinic)
    .set({ settings: sql`jsonb_set(${clinic.settings}, '{integration}', ${JSON.stringify(value)}::jsonb)` })
    .where(eq(clinic.id, ctx.clinicId));
  ctx.audit.record({
    action: 'integration-settings.update',
    resourceType: 'clinic',
    resourceId: ctx.clinicId,
    detail: { windowDays: input.windowDays, previous: before.window },
  });
  return settingsView(input.windowDays);
}
