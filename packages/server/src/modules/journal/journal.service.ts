import { type JournalPrompt, journalPromptsFor } from '@kapstone/clinical';
import { and, asc, eq } from 'drizzle-orm';
import type { PatientActor, ServiceContext } from '../../context.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { journalEntryVersion } from '../../db/schema/index.ts';
import { Conflict, Invalid, NotFound } from '../../errors.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import { requireClinicalAccess } from '../screening/vitals.service.ts';
import type { JournalVersionInput, NewJournalEntryInput } from './journal.schemas.ts';
import { clinicFacts, patientSessions } from './journal.sessions.ts';

/*
 * The patient's journal (issue 6). Written only by the patient, in the portal. Each entry is private unless the
 * patient shares it, and the patient changes the words or the sharing whenever they like: every change is a
 * new version (append-only), so nothing the patient wrote is lost, and an entry's *latest* version decides
 * whether the care team sees it. Staff read only entries whose latest version is shared: un-sharing hides it
 * from then on, and the audit trail keeps which versions staff read while they were shared. The words are
 * sealed at rest; they are never put in an audit event, a log line or a mail (events carry ids only).
 */

type VersionRow = typeof journalEntryVersion.$inferSelect;

function patientOf(ctx: ServiceContext): PatientActor {
  if (ctx.actor.kind !== 'patient') throw new NotFound('Patient');
  return ctx.actor;
}

async function versionsOf(ctx: ServiceContext, patientId: string): Promise<VersionRow[]> {
  return ctx.tx
    .select()
    .from(journalEntryVersion)
    .where(and(eq(journalEntryVersion.clinicId, ctx.clinicId), eq(journalEntryVersion.patientId, patientId)))
    .orderBy(asc(journalEntryVersion.writtenAt), asc(journalEntryVersion.version));
}

/** The versions of each entry, oldest first, entries newest first (by their first version). */
function byEntry(rows: VersionRow[]): VersionRow[][] {
  const entries = new Map<string, VersionRow[]>();
  for (const row of rows) entries.set(row.entryId, [...(entries.get(row.entryId) ?? []), row]);
  for (const versions of entries.values()) versions.sort((a, b) => a.version - b.version);
  return [...entries.values()].sort(
    (a, b) => b[0]!.writtenAt.getTime() - a[0]!.writtenAt.getTime() || (b[0]!.id < a[0]!.id ? -1 : 1),
  );
}

async function sessionDates(ctx: ServiceContext, patientId: string, entries: VersionRow[][]) {
  const ids = [...new Set(entries.map((v) => v[0]!.sessionId).filter((id): id is string => id !== null))];
  if (ids.length === 0) return new Map<string, string>();
  const { timeZone } = await clinicFacts(ctx);
  const sessions = await patientSessions(ctx, patientId, timeZone, { ids });
  return new Map(sessions.map((s) => [s.id, s.date]));
}

function promptOf(row: VersionRow) {
  return row.promptKey && row.promptText
    ? { key: row.promptKey as JournalPrompt['key'], text: row.promptText }
    : null;
}

function presentOwn(box: SecretBox, versions: VersionRow[], dates: Map<string, string>) {
  const first = versions[0]!;
  const latest = versions.at(-1)!;
  const texts = versions.map((v) => box.open(v.textSealed));
  return {
    id: first.entryId,
    versionId: latest.id,
    version: latest.version,
    text: texts.at(-1)!,
    shared: latest.shared,
    prompt: promptOf(first),
    sessionId: first.sessionId,
    sessionDate: first.sessionId ? (dates.get(first.sessionId) ?? null) : null,
    createdAt: first.writtenAt.toISOString(),
    updatedAt: latest.writtenAt.toISOString(),
    history: versions.map((v, i) => ({
      versionId: v.id,
      version: v.version,
      shared: v.shared,
      textChanged: i === 0 || texts[i] !== texts[i - 1],
      writtenAt: v.writtenAt.toISOString(),
    })),
  };
}

async function ownEntry(ctx: ServiceContext, box: SecretBox, patientId: string, entryId: string) {
  const rows = await ctx.tx
    .select()
    .from(journalEntryVersion)
    .where(
      and(
        eq(journalEntryVersion.clinicId, ctx.clinicId),
        eq(journalEntryVersion.patientId, patientId),
        eq(journalEntryVersion.entryId, entryId),
      ),
    )
    .orderBy(asc(journalEntryVersion.version));
  if (rows.length === 0) throw new NotFound('Journal entry');
  return presentOwn(box, rows, await sessionDates(ctx, patientId, [rows]));
}

/** The portal: all of my entries, each with its current words and sharing, newest first. */
export async function listMyJournal(ctx: ServiceContext, box: SecretBox) {
  const { patientId } = patientOf(ctx);
  const entries = byEntry(await versionsOf(ctx, patientId));
  const dates = await sessionDates(ctx, patientId, entries);
  ctx.audit.record({
    action: 'journal.list-own',
    resourceType: 'journal_entry',
    patientId,
    detail: { count: entries.length },
  });
  return { items: entries.map((versions) => presentOwn(box, versions, dates)) };
}

/** The guided prompts of my recent discharged sessions, each with the intentions set for it. */
export async function myJournalPrompts(ctx: ServiceContext) {
  const { patientId } = patientOf(ctx);
  const { timeZone } = await clinicFacts(ctx);
  const sessions = await patientSessions(ctx, patientId, timeZone, { dischargedOnly: true, limit: 5 });
  ctx.audit.record({
    action: 'journal.prompts',
    resourceType: 'dosing_session',
    patientId,
    detail: { sessions: sessions.length },
  });
  return {
    sessions: sessions.map((s) => ({
      sessionId: s.id,
      date: s.date,
      intentions: s.intentions,
      prompts: journalPromptsFor(s.intentions),
    })),
  };
}

const idUsed = () =>
  new Conflict('This id is already used: generate a new one.', [
    { path: 'id', message: 'Generate a new id.' },
  ]);

async function findVersion(ctx: ServiceContext, id: string): Promise<VersionRow | undefined> {
  const [row] = await ctx.tx.select().from(journalEntryVersion).where(eq(journalEntryVersion.id, id));
  return row;
}

/** Inside a savepoint, so a refused insert is answered without aborting the unit of work. */
async function insertVersion(ctx: ServiceContext, values: typeof journalEntryVersion.$inferInsert) {
  await ctx.tx.transaction(async (sp) => sp.insert(journalEntryVersion).values(values));
}

/** A new entry, private unless `shared`. A retried save (same id, same words) answers with what it saved. */
export async function createJournalEntry(ctx: ServiceContext, box: SecretBox, input: NewJournalEntryInput) {
  const { patientId } = patientOf(ctx);
  const existing = await findVersion(ctx, input.id);
  if (existing) {
    const same =
      existing.clinicId === ctx.clinicId &&
      existing.patientId === patientId &&
      existing.version === 1 &&
      existing.shared === input.shared &&
      box.open(existing.textSealed) === input.text;
    if (!same) throw idUsed();
    return { created: false, entry: await ownEntry(ctx, box, patientId, existing.entryId) };
  }
  if (input.prompt) {
    const { timeZone } = await clinicFacts(ctx);
    const [session] = await patientSessions(ctx, patientId, timeZone, { ids: [input.prompt.sessionId] });
    const offered = session ? journalPromptsFor(session.intentions) : [];
    if (!session)
      throw new Invalid('No such session of yours.', [
        { path: 'prompt.sessionId', message: 'Choose one of your sessions.' },
      ]);
    if (!offered.some((p) => p.key === input.prompt!.key && p.text === input.prompt!.text))
      throw new Invalid('That prompt is not one offered for this session.', [
        { path: 'prompt.text', message: 'Choose a prompt from the list for this session.' },
      ]);
  }
  try {
    await insertVersion(ctx, {
      id: input.id,
      clinicId: ctx.clinicId,
      patientId,
      entryId: input.id,
      version: 1,
      amendsId: null,
      textSealed: box.seal(input.text),
      shared: input.shared,
      promptKey: input.prompt?.key ?? null,
      promptText: input.prompt?.text ?? null,
      sessionId: input.prompt?.sessionId ?? null,
      writtenAt: ctx.clock.now(),
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw idUsed();
    throw error;
  }
  ctx.audit.record({
    action: 'journal.create',
    resourceType: 'journal_entry',
    resourceId: input.id,
    patientId,
    detail: { shared: input.shared, guided: Boolean(input.prompt) },
  });
  return { created: true, entry: await ownEntry(ctx, box, patientId, input.id) };
}

/**
 * A change of an entry's words or sharing: a new version amending the latest one. Un-sharing takes effect at
 * once for staff (they only ever read an entry whose latest version is shared).
 */
export async function reviseJournalEntry(
  ctx: ServiceContext,
  box: SecretBox,
  entryId: string,
  input: JournalVersionInput,
) {
  const { patientId } = patientOf(ctx);
  const rows = await ctx.tx
    .select()
    .from(journalEntryVersion)
    .where(
      and(
        eq(journalEntryVersion.clinicId, ctx.clinicId),
        eq(journalEntryVersion.patientId, patientId),
        eq(journalEntryVersion.entryId, entryId),
      ),
    )
    .orderBy(asc(journalEntryVersion.version));
  if (rows.length === 0) throw new NotFound('Journal entry');
  const latest = rows.at(-1)!;

  const retried = rows.find((r) => r.id === input.id);
  if (retried) {
    const same =
      retried.amendsId === input.amendsId &&
      (input.shared === undefined || retried.shared === input.shared) &&
      (input.text === undefined || box.open(retried.textSealed) === input.text);
    if (!same) throw idUsed();
    return { created: false, entry: await ownEntry(ctx, box, patientId, entryId) };
  }
  if (await findVersion(ctx, input.id)) throw idUsed();
  if (!rows.some((r) => r.id === input.amendsId))
    throw new Invalid('Not a version of this entry.', [
      { path: 'amendsId', message: 'Name the latest version of this entry.' },
    ]);
  if (latest.id !== input.amendsId)
    throw new Conflict('The entry changed since you opened it: reload it and make your change again.', [
      { path: 'amendsId', message: 'Not the latest version.' },
    ]);
  const currentText = box.open(latest.textSealed);
  const text = input.text ?? currentText;
  const shared = input.shared ?? latest.shared;
  if (text === currentText && shared === latest.shared)
    throw new Invalid('Nothing changed.', [{ path: 'text', message: 'Change the words or the sharing.' }]);
  try {
    await insertVersion(ctx, {
      id: input.id,
      clinicId: ctx.clinicId,
      patientId,
      entryId,
      version: latest.version + 1,
      amendsId: latest.id,
      textSealed: box.seal(text),
      shared,
      promptKey: latest.promptKey,
      promptText: latest.promptText,
      sessionId: latest.sessionId,
      writtenAt: ctx.clock.now(),
    });
  } catch (error) {
    if (isUniqueViolation(error, 'journal_entry_version_amends_once_key'))
      throw new Conflict('The entry changed since you opened it: reload it and make your change again.', [
        { path: 'amendsId', message: 'Not the latest version.' },
      ]);
    if (isUniqueViolation(error)) throw idUsed();
    throw error;
  }
  ctx.audit.record({
    action: 'journal.revise',
    resourceType: 'journal_entry',
    resourceId: entryId,
    patientId,
    detail: {
      versionId: input.id,
      version: latest.version + 1,
      shared,
      sharingChanged: shared !== latest.shared,
      textChanged: text !== currentText,
    },
  });
  return { created: true, entry: await ownEntry(ctx, box, patientId, entryId) };
}

/**
 * Staff: the entries the patient shares *now* (latest version shared), newest first. Private entries, and
 * entries shared once and since made private, are not returned, and their existence is not revealed. The
 * audit event names each version read, so the record shows what staff saw while it was shared.
 */
export async function listSharedJournal(ctx: ServiceContext, box: SecretBox, patientId: string) {
  const access = await requireClinicalAccess(ctx, patientId);
  const shared = byEntry(await versionsOf(ctx, patientId)).filter((versions) => versions.at(-1)!.shared);
  const dates = await sessionDates(ctx, patientId, shared);
  const items = shared.map((versions) => {
    const first = versions[0]!;
    const latest = versions.at(-1)!;
    return {
      id: first.entryId,
      versionId: latest.id,
      text: box.open(latest.textSealed),
      prompt: promptOf(first),
      sessionId: first.sessionId,
      sessionDate: first.sessionId ? (dates.get(first.sessionId) ?? null) : null,
      createdAt: first.writtenAt.toISOString(),
      sharedAt: latest.writtenAt.toISOString(),
    };
  });
  ctx.audit.record({
    action: 'journal.read-shared',
    resourceType: 'journal_entry',
    patientId,
    breakGlass: access.breakGlass,
    detail: { versionsRead: items.map((i) => i.versionId) },
  });
  return { items };
}
