import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { ServiceContext } from '../../context.ts';
import { preparationNote, preparationNoteVersion, userAccount } from '../../db/schema/index.ts';
import type { PreparationContent } from '../../db/schema/plans.ts';
import { Conflict, Invalid, NotFound } from '../../errors.ts';
import { assertChartAccess } from '../../security/care-scope.ts';
import type { PreparationContentInput, PreparationNoteView } from './preparation.schemas.ts';

/**
 * Preparation session notes. A progress note of the designated record set (clinical-reference 7.1: a
 * summary of treatment and progress is not a psychotherapy note), readable with patient.clinical.read.
 * Signing is a simple attestation by the signed-in therapist or prescriber, without re-entering a password:
 * the note orders nothing, unlike a treatment plan. Every save after signing is an amendment, a new signed
 * version in the append-only preparation_note_version.
 */

type NoteRow = typeof preparationNote.$inferSelect;
type VersionRow = typeof preparationNoteVersion.$inferSelect;

async function assertClinicalChart(ctx: ServiceContext, patientId: string): Promise<void> {
  const access = await assertChartAccess(ctx, patientId);
  if (access.level !== 'clinical') throw new NotFound('Patient');
}

/** The stored shape, with every optional field made explicit. */
function contentOf(input: PreparationContentInput): PreparationContent {
  const s = input.setAndSetting;
  return {
    sessionDate: input.sessionDate ?? null,
    goals: input.goals,
    intentions: input.intentions,
    concerns: input.concerns || null,
    psychoeducation: input.psychoeducation.map((p) => ({
      topic: p.topic,
      covered: p.covered,
      note: p.note || null,
    })),
    setAndSetting: {
      music: s.music || null,
      eyeMask: s.eyeMask ?? null,
      lighting: s.lighting || null,
      blanket: s.blanket ?? null,
      other: s.other || null,
    },
    supportPerson: input.supportPerson
      ? { ...input.supportPerson, phone: input.supportPerson.phone || null }
      : null,
    rideHome: input.rideHome ?? null,
  };
}

async function findNote(ctx: ServiceContext, patientId: string, noteId: string, lock = false) {
  const query = ctx.tx
    .select()
    .from(preparationNote)
    .where(
      and(
        eq(preparationNote.clinicId, ctx.clinicId),
        eq(preparationNote.patientId, patientId),
        eq(preparationNote.id, noteId),
      ),
    );
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw new NotFound('Preparation note');
  return row;
}

export async function createNote(
  ctx: ServiceContext,
  patientId: string,
  input: { content: PreparationContentInput },
): Promise<PreparationNoteView> {
  await assertClinicalChart(ctx, patientId);
  const id = randomUUID();
  const now = ctx.clock.now();
  await ctx.tx.insert(preparationNote).values({
    id,
    clinicId: ctx.clinicId,
    patientId,
    content: contentOf(input.content),
    createdAt: now,
    createdBy: ctx.actor.userId,
    updatedAt: now,
    updatedBy: ctx.actor.userId,
  });
  ctx.audit.record({
    action: 'preparation-note.create',
    resourceType: 'preparation_note',
    resourceId: id,
    patientId,
  });
  return getNote(ctx, patientId, id);
}

/** Saves the note: a draft is edited in place; a signed note gets a new signed version (an amendment). */
export async function saveNote(
  ctx: ServiceContext,
  patientId: string,
  noteId: string,
  input: { revision: number; content: PreparationContentInput; amendmentReason?: string; saveId?: string },
): Promise<PreparationNoteView> {
  await assertClinicalChart(ctx, patientId);
  const note = await findNote(ctx, patientId, noteId, true);
  if (input.saveId) {
    const [retried] = await ctx.tx
      .select({ noteId: preparationNoteVersion.noteId })
      .from(preparationNoteVersion)
      .where(
        and(
          eq(preparationNoteVersion.clinicId, ctx.clinicId),
          eq(preparationNoteVersion.requestId, input.saveId),
        ),
      );
    if (retried?.noteId === noteId) return getNote(ctx, patientId, noteId);
    if (retried)
      throw new Conflict('This save id was already used.', [{ path: 'saveId', message: 'Use a new id.' }]);
  }
  if (note.revision !== input.revision)
    throw new Conflict('The note changed since you opened it. Reload it and make your change again.', [
      { path: 'revision', message: `The note is at revision ${note.revision}.` },
    ]);
  const content = contentOf(input.content);
  const now = ctx.clock.now();
  if (note.status === 'draft') {
    if (input.amendmentReason !== undefined)
      throw new Invalid('A draft is not an amendment.', [
        { path: 'amendmentReason', message: 'Only a signed note is amended.' },
      ]);
    await updateNote(ctx, note, {
      content,
      revision: note.revision + 1,
      updatedAt: now,
      updatedBy: ctx.actor.userId,
    });
    ctx.audit.record({
      action: 'preparation-note.update',
      resourceType: 'preparation_note',
      resourceId: noteId,
      patientId,
      detail: { revision: note.revision + 1 },
    });
    return getNote(ctx, patientId, noteId);
  }
  if (!input.amendmentReason)
    throw new Invalid('The note is signed: say why it is amended.', [
      { path: 'amendmentReason', message: 'An amendment needs a reason.' },
    ]);
  const version = note.latestVersion + 1;
  await ctx.tx.insert(preparationNoteVersion).values({
    id: randomUUID(),
    clinicId: ctx.clinicId,
    noteId,
    patientId,
    version,
    content,
    amendmentReason: input.amendmentReason,
    signedAt: now,
    signedBy: ctx.actor.userId,
    requestId: input.saveId ?? randomUUID(),
  });
  await updateNote(ctx, note, {
    content,
    revision: note.revision + 1,
    latestVersion: version,
    updatedAt: now,
    updatedBy: ctx.actor.userId,
  });
  ctx.audit.record({
    action: 'preparation-note.amend',
    resourceType: 'preparation_note',
    resourceId: noteId,
    patientId,
    detail: { version },
  });
  return getNote(ctx, patientId, noteId);
}

async function updateNote(ctx: ServiceContext, note: NoteRow, values: Partial<NoteRow>): Promise<void> {
  await ctx.tx
    .update(preparationNote)
    .set(values)
    .where(
      and(
        eq(preparationNote.clinicId, ctx.clinicId),
        eq(preparationNote.id, note.id),
        eq(preparationNote.revision, note.revision),
      ),
    );
}

/** Signs a draft note: version 1 in the append-only versions. Idempotent by signatureId. */
export async function signNote(
  ctx: ServiceContext,
  patientId: string,
  noteId: string,
  input: { signatureId: string; revision: number },
): Promise<PreparationNoteView> {
  await assertClinicalChart(ctx, patientId);
  const note = await findNote(ctx, patientId, noteId, true);
  const [retried] = await ctx.tx
    .select({ noteId: preparationNoteVersion.noteId, signedBy: preparationNoteVersion.signedBy })
    .from(preparationNoteVersion)
    .where(
      and(
        eq(preparationNoteVersion.clinicId, ctx.clinicId),
        eq(preparationNoteVersion.requestId, input.signatureId),
      ),
    );
  if (retried) {
    if (retried.noteId === noteId && retried.signedBy === ctx.actor.userId)
      return getNote(ctx, patientId, noteId);
    throw new Conflict('This signature id was already used.', [
      { path: 'signatureId', message: 'Use a new id.' },
    ]);
  }
  if (note.status !== 'draft')
    throw new Conflict('The note is already signed: a change is an amendment.', [
      { path: 'noteId', message: 'Save an amendment instead.' },
    ]);
  if (note.revision !== input.revision)
    throw new Conflict('The note changed since you reviewed it. Review it again before signing.', [
      { path: 'revision', message: `The note is at revision ${note.revision}.` },
    ]);
  const now = ctx.clock.now();
  await ctx.tx.insert(preparationNoteVersion).values({
    id: randomUUID(),
    clinicId: ctx.clinicId,
    noteId,
    patientId,
    version: 1,
    content: note.content,
    amendmentReason: null,
    signedAt: now,
    signedBy: ctx.actor.userId,
    requestId: input.signatureId,
  });
  await updateNote(ctx, note, {
    status: 'signed',
    latestVersion: 1,
    revision: note.revision + 1,
    updatedAt: now,
    updatedBy: ctx.actor.userId,
  });
  ctx.audit.record({
    action: 'preparation-note.sign',
    resourceType: 'preparation_note',
    resourceId: noteId,
    patientId,
    detail: { version: 1 },
  });
  return getNote(ctx, patientId, noteId);
}

export async function listNotes(
  ctx: ServiceContext,
  patientId: string,
): Promise<{ items: PreparationNoteView[] }> {
  await assertClinicalChart(ctx, patientId);
  const notes = await ctx.tx
    .select()
    .from(preparationNote)
    .where(and(eq(preparationNote.clinicId, ctx.clinicId), eq(preparationNote.patientId, patientId)))
    .orderBy(desc(preparationNote.createdAt));
  const items = await presentNotes(ctx, notes);
  ctx.audit.record({
    action: 'preparation-note.list',
    resourceType: 'preparation_note',
    patientId,
    detail: { count: items.length },
  });
  return { items };
}

async function getNote(ctx: ServiceContext, patientId: string, noteId: string): Promise<PreparationNoteView> {
  const [view] = await presentNotes(ctx, [await findNote(ctx, patientId, noteId)]);
  return view!;
}

/** The presenter: the only place a note becomes JSON. */
async function presentNotes(ctx: ServiceContext, notes: NoteRow[]): Promise<PreparationNoteView[]> {
  if (notes.length === 0) return [];
  const versions: VersionRow[] = await ctx.tx
    .select()
    .from(preparationNoteVersion)
    .where(
      and(
        eq(preparationNoteVersion.clinicId, ctx.clinicId),
        inArray(
          preparationNoteVersion.noteId,
          notes.map((n) => n.id),
        ),
      ),
    )
    .orderBy(asc(preparationNoteVersion.version));
  const userIds = [...new Set([...notes.map((n) => n.createdBy), ...versions.map((v) => v.signedBy)])];
  const users = await ctx.tx
    .select({ id: userAccount.id, displayName: userAccount.displayName })
    .from(userAccount)
    .where(and(eq(userAccount.clinicId, ctx.clinicId), inArray(userAccount.id, userIds)));
  const person = (id: string) => users.find((u) => u.id === id) ?? null;
  return notes.map((note) => ({
    id: note.id,
    patientId: note.patientId,
    status: note.status,
    revision: note.revision,
    content: note.content,
    createdAt: note.createdAt.toISOString(),
    createdBy: person(note.createdBy),
    updatedAt: note.updatedAt.toISOString(),
    versions: versions
      .filter((v) => v.noteId === note.id)
      .map((v) => ({
        id: v.id,
        version: v.version,
        content: v.content,
        amendmentReason: v.amendmentReason,
        signedAt: v.signedAt.toISOString(),
        signedBy: person(v.signedBy),
      })),
  }));
}

export interface LatestPreparation {
  noteId: string;
  version: number;
  signedAt: string;
  signedBy: string;
  content: PreparationContent;
}

/**
 * The latest signed preparation of a patient (the newest signed version of the most recently created signed
 * note), or null. For other areas (scheduling's ride-home check, the plan form): it proves the chart is in the
 * caller's reach (assertChartAccess, any level) and records no audit event; the caller audits what it shows.
 */
export async function findLatestPreparation(
  ctx: ServiceContext,
  patientId: string,
): Promise<LatestPreparation | null> {
  await assertChartAccess(ctx, patientId);
  const [row] = await ctx.tx
    .select({ version: preparationNoteVersion })
    .from(preparationNoteVersion)
    .innerJoin(
      preparationNote,
      and(
        eq(preparationNote.clinicId, preparationNoteVersion.clinicId),
        eq(preparationNote.id, preparationNoteVersion.noteId),
      ),
    )
    .where(
      and(eq(preparationNoteVersion.clinicId, ctx.clinicId), eq(preparationNoteVersion.patientId, patientId)),
    )
    .orderBy(desc(preparationNote.createdAt), desc(preparationNoteVersion.version))
    .limit(1);
  if (!row) return null;
  return {
    noteId: row.version.noteId,
    version: row.version.version,
    signedAt: row.version.signedAt.toISOString(),
    signedBy: row.version.signedBy,
    content: row.version.content,
  };
}
