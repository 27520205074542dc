import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { ServiceContext } from '../../context.ts';
import { appointment, psychotherapyNote, userAccount } from '../../db/schema/index.ts';
import { Conflict, Invalid, NotFound } from '../../errors.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import { requireClinicalAccess } from '../screening/vitals.service.ts';
import type { PsychotherapyNoteInput, PsychotherapyNoteView } from './psychotherapy-notes.schemas.ts';
import { isUniqueViolation } from './session-access.ts';

type NoteRow = typeof psychotherapyNote.$inferSelect;

/*
 * Psychotherapy notes (clinical-reference 7.1; 45 CFR 164.501, 164.508(a)(2)): a separate store and a separate
 * access path. Every query here is scoped to the clinic *and the author*: nobody else reads or revises a
 * note, whatever their role, care-team membership or break-glass grant (a break-glass opens the chart, not
 * these notes). They are never joined into the session view, the chart, exports or FHIR. The author must still
 * be able to open the patient's chart (so a note cannot be written about a patient outside one's reach).
 * Audit events name the note and the patient, never its words.
 */

async function findOwnVersion(ctx: ServiceContext, id: string): Promise<NoteRow | undefined> {
  const [row] = await ctx.tx
    .select()
    .from(psychotherapyNote)
    .where(
      and(
        eq(psychotherapyNote.clinicId, ctx.clinicId),
        eq(psychotherapyNote.authorId, ctx.actor.userId),
        eq(psychotherapyNote.id, id),
      ),
    );
  return row;
}

async function idTaken(ctx: ServiceContext, id: string): Promise<boolean> {
  const [row] = await ctx.tx
    .select({ id: psychotherapyNote.id })
    .from(psychotherapyNote)
    .where(eq(psychotherapyNote.id, id));
  return Boolean(row);
}

const idUsed = () =>
  new Conflict('This note id is already used: generate a new one.', [
    { path: 'id', message: 'Generate a new id.' },
  ]);

/** Saves a new note or a revision of one; a retried save (same id, same words) returns what it saved. */
export async function writePsychotherapyNote(
  ctx: ServiceContext,
  box: SecretBox,
  input: PsychotherapyNoteInput,
): Promise<{ created: boolean; note: PsychotherapyNoteView }> {
  if (ctx.actor.kind !== 'staff') throw new NotFound('Patient');
  const access = await requireClinicalAccess(ctx, input.patientId);

  const existing = await findOwnVersion(ctx, input.id);
  if (existing) {
    const same =
      existing.patientId === input.patientId &&
      (existing.amendsId ?? undefined) === input.amendsId &&
      box.open(existing.bodySealed) === input.body;
    if (!same) throw idUsed();
    return { created: false, note: await findSeries(ctx, box, existing.seriesId) };
  }
  if (await idTaken(ctx, input.id)) throw idUsed();

  let seriesId = input.id;
  let version = 1;
  let appointmentId = input.appointmentId ?? null;
  if (input.amendsId) {
    const amended = await findOwnVersion(ctx, input.amendsId);
    if (!amended || amended.patientId !== input.patientId)
      throw new Invalid('No such note of yours for this patient.', [
        { path: 'amendsId', message: 'Revise one of your own notes about this patient.' },
      ]);
    if (input.appointmentId !== undefined && input.appointmentId !== amended.appointmentId)
      throw new Invalid('A revision keeps the session of the note it revises.', [
        { path: 'appointmentId', message: 'Leave the session as it was.' },
      ]);
    seriesId = amended.seriesId;
    version = amended.version + 1;
    appointmentId = amended.appointmentId;
  } else if (appointmentId) {
    const [booked] = await ctx.tx
      .select({ id: appointment.id })
      .from(appointment)
      .where(
        and(
          eq(appointment.clinicId, ctx.clinicId),
          eq(appointment.id, appointmentId),
          eq(appointment.patientId, input.patientId),
        ),
      );
    if (!booked)
      throw new Invalid('No such appointment of this patient.', [
        { path: 'appointmentId', message: 'Choose one of the patient’s appointments.' },
      ]);
  }

  try {
    // A savepoint: a refused insert is answered 409 without aborting the unit of work.
    await ctx.tx.transaction(async (sp) =>
      sp.insert(psychotherapyNote).values({
        id: input.id,
        clinicId: ctx.clinicId,
        patientId: input.patientId,
        seriesId,
        version,
        amendsId: input.amendsId ?? null,
        authorId: ctx.actor.userId,
        appointmentId,
        bodySealed: box.seal(input.body),
        writtenAt: ctx.clock.now(),
      }),
    );
  } catch (error) {
    if (
      isUniqueViolation(error, 'psychotherapy_note_amends_once_key') ||
      isUniqueViolation(error, 'psychotherapy_note_series_version_key')
    )
      throw new Conflict('That version was already revised: revise the latest version instead.', [
        { path: 'amendsId', message: 'Not the latest version.' },
      ]);
    if (isUniqueViolation(error)) {
      const raced = await findOwnVersion(ctx, input.id);
      if (raced && box.open(raced.bodySealed) === input.body && raced.patientId === input.patientId)
        return { created: false, note: await findSeries(ctx, box, raced.seriesId) };
      throw idUsed();
    }
    throw error;
  }
  ctx.audit.record({
    action: input.amendsId ? 'psychotherapy-note.revise' : 'psychotherapy-note.create',
    resourceType: 'psychotherapy_note',
    resourceId: input.id,
    patientId: input.patientId,
    breakGlass: access.breakGlass,
    detail: { seriesId, version },
  });
  return { created: true, note: await findSeries(ctx, box, seriesId) };
}

async function presentSeries(ctx: ServiceContext, box: SecretBox, rows: NoteRow[]) {
  const [author] = await ctx.tx
    .select({ displayName: userAccount.displayName })
    .from(userAccount)
    .where(and(eq(userAccount.clinicId, ctx.clinicId), eq(userAccount.id, ctx.actor.userId)));
  const bySeries = new Map<string, NoteRow[]>();
  for (const row of rows) bySeries.set(row.seriesId, [...(bySeries.get(row.seriesId) ?? []), row]);
  return [...bySeries.values()].map((versions): PsychotherapyNoteView => {
    const ordered = versions
      .sort((a, b) => b.version - a.version)
      .map((v) => ({
        id: v.id,
        version: v.version,
        body: box.open(v.bodySealed),
        writtenAt: v.writtenAt.toISOString(),
      }));
    const first = versions[0]!;
    return {
      seriesId: first.seriesId,
      patientId: first.patientId,
      appointmentId: first.appointmentId,
      author: { id: ctx.actor.userId, displayName: author?.displayName ?? '' },
      current: ordered[0]!,
      versions: ordered,
    };
  });
}

async function findSeries(ctx: ServiceContext, box: SecretBox, seriesId: string) {
  const rows = await ctx.tx
    .select()
    .from(psychotherapyNote)
    .where(
      and(
        eq(psychotherapyNote.clinicId, ctx.clinicId),
        eq(psychotherapyNote.authorId, ctx.actor.userId),
        eq(psychotherapyNote.seriesId, seriesId),
      ),
    );
  const [note] = await presentSeries(ctx, box, rows);
  if (!note) throw new NotFound('Note');
  return note;
}

/** The caller's own notes about a patient (optionally of one appointment), newest first. */
export async function listOwnPsychotherapyNotes(
  ctx: ServiceContext,
  box: SecretBox,
  query: { patientId: string; appointmentId?: string },
): Promise<{ items: PsychotherapyNoteView[] }> {
  if (ctx.actor.kind !== 'staff') throw new NotFound('Patient');
  const access = await requireClinicalAccess(ctx, query.patientId);
  const scope = [
    eq(psychotherapyNote.clinicId, ctx.clinicId),
    eq(psychotherapyNote.authorId, ctx.actor.userId),
    eq(psychotherapyNote.patientId, query.patientId),
  ];
  const series = ctx.tx
    .selectDistinct({ seriesId: psychotherapyNote.seriesId })
    .from(psychotherapyNote)
    .where(
      and(
        ...scope,
        ...(query.appointmentId ? [eq(psychotherapyNote.appointmentId, query.appointmentId)] : []),
      ),
    );
  const rows = await ctx.tx
    .select()
    .from(psychotherapyNote)
    .where(and(...scope, inArray(psychotherapyNote.seriesId, series)))
    .orderBy(desc(psychotherapyNote.writtenAt), asc(psychotherapyNote.id))
    .limit(2000);
  const items = (await presentSeries(ctx, box, rows)).sort((a, b) =>
    b.current.writtenAt.localeCompare(a.current.writtenAt),
  );
  ctx.audit.record({
    action: 'psychotherapy-note.list',
    resourceType: 'psychotherapy_note',
    patientId: query.patientId,
    breakGlass: access.breakGlass,
    detail: { count: items.length },
  });
  return { items };
}
