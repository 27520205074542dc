import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { intake, intakeVersion, userAccount } from '../../db/schema/index.ts';

export type IntakeRow = typeof intake.$inferSelect;
export type IntakeVersionRow = typeof intakeVersion.$inferSelect;
export type NewIntakeVersion = Omit<typeof intakeVersion.$inferInsert, 'id' | 'clinicId'>;

export async function findByPatient(
  db: Db,
  clinicId: string,
  patientId: string,
): Promise<IntakeRow | undefined> {
  const [row] = await db
    .select()
    .from(intake)
    .where(and(eq(intake.clinicId, clinicId), eq(intake.patientId, patientId)));
  return row;
}

/**
 * The patient's intake, created empty (version 0) if it does not exist yet, and locked for this transaction.
 * ON CONFLICT DO NOTHING makes two first saves racing each other meet on the same row instead of one failing
 * with a unique violation; the row lock then serialises them, and the version check refuses the later one.
 */
export async function lockOrCreate(
  db: Db,
  clinicId: string,
  patientId: string,
  now: Date,
): Promise<IntakeRow> {
  await db
    .insert(intake)
    .values({ id: randomUUID(), clinicId, patientId, createdAt: now, updatedAt: now })
    .onConflictDoNothing({ target: [intake.clinicId, intake.patientId] });
  const [row] = await db
    .select()
    .from(intake)
    .where(and(eq(intake.clinicId, clinicId), eq(intake.patientId, patientId)))
    .for('update');
  if (!row) throw new Error('intake row vanished after insert');
  return row;
}

export async function findVersionByClientSaveId(
  db: Db,
  clinicId: string,
  intakeId: string,
  clientSaveId: string,
): Promise<IntakeVersionRow | undefined> {
  const [row] = await db
    .select()
    .from(intakeVersion)
    .where(
      and(
        eq(intakeVersion.clinicId, clinicId),
        eq(intakeVersion.intakeId, intakeId),
        eq(intakeVersion.clientSaveId, clientSaveId),
      ),
    );
  return row;
}

/** Appends a version and moves the head to it, in that order, inside the caller's transaction. */
export async function appendVersion(
  db: Db,
  clinicId: string,
  head: IntakeRow,
  version: NewIntakeVersion,
  headChanges: Partial<Pick<IntakeRow, 'status' | 'submittedAt' | 'submittedVersion' | 'resumeSection'>>,
): Promise<void> {
  await db.insert(intakeVersion).values({ id: randomUUID(), clinicId, ...version });
  await db
    .update(intake)
    .set({ ...headChanges, version: version.version, answers: version.answers, updatedAt: version.savedAt })
    .where(and(eq(intake.clinicId, clinicId), eq(intake.id, head.id), eq(intake.version, head.version)));
}

export async function setResumeSection(
  db: Db,
  clinicId: string,
  intakeId: string,
  resumeSection: string,
): Promise<void> {
  await db
    .update(intake)
    .set({ resumeSection })
    .where(and(eq(intake.clinicId, clinicId), eq(intake.id, intakeId)));
}

export interface VersionWithAuthor extends IntakeVersionRow {
  savedByName: string | null;
}

export async function listVersions(db: Db, clinicId: string, intakeId: string): Promise<VersionWithAuthor[]> {
  const rows = await db
    .select({ version: intakeVersion, savedByName: userAccount.displayName })
    .from(intakeVersion)
    .leftJoin(
      userAccount,
      and(eq(userAccount.clinicId, intakeVersion.clinicId), eq(userAccount.id, intakeVersion.savedBy)),
    )
    .where(and(eq(intakeVersion.clinicId, clinicId), eq(intakeVersion.intakeId, intakeId)))
    .orderBy(asc(intakeVersion.version));
  return rows.map((r) => ({ ...r.version, savedByName: r.savedByName }));
}

export async function findVersionAuthor(
  db: Db,
  clinicId: string,
  intakeId: string,
  version: number,
): Promise<{ id: string; displayName: string | null; kind: 'patient' | 'staff' } | undefined> {
  const [row] = await db
    .select({
      id: intakeVersion.savedBy,
      kind: intakeVersion.savedByKind,
      displayName: userAccount.displayName,
    })
    .from(intakeVersion)
    .leftJoin(
      userAccount,
      and(eq(userAccount.clinicId, intakeVersion.clinicId), eq(userAccount.id, intakeVersion.savedBy)),
    )
    .where(
      and(
        eq(intakeVersion.clinicId, clinicId),
        eq(intakeVersion.intakeId, intakeId),
        eq(intakeVersion.version, version),
      ),
    );
  return row;
}
