import { z } from 'zod';
import type { AnswerChange } from './intake.diff.ts';
import type { IntakeRow, VersionWithAuthor } from './intake.repository.ts';
import {
  flaggedContraindicationAnswers,
  type IntakeDraft,
  incompleteSections,
  intakeAnswer,
  intakeSections,
  missingIntakeFields,
} from './intake.schemas.ts';

const person = z.object({ id: z.uuid(), displayName: z.string(), kind: z.enum(['patient', 'staff']) });

/** The intake as both the portal and the staff console see it (the portal is the patient's own record). */
export const intakeView = z.object({
  patientId: z.uuid(),
  status: z.enum(['not-started', 'draft', 'submitted']),
  /** Send this back with the next save: a stale one is refused with 409. */
  version: z.number().int(),
  answers: z.record(z.string(), z.unknown()),
  /** The answers a submission still needs, by path under `answers` (empty when complete). */
  missing: z.array(z.object({ path: z.string(), message: z.string() })),
  /** Each section in form order, and whether it is complete. */
  sections: z.array(z.object({ section: z.enum(intakeSections), complete: z.boolean() })),
  /** Where the portal resumes: the step last saved, else the first incomplete section. */
  resumeSection: z.enum(intakeSections),
  /** Answers to contraindication questions that need the prescriber's attention (clinical-reference 3). */
  flagged: z.array(z.object({ path: z.string(), reference: z.string(), answer: intakeAnswer })),
  /** The patient can still change it in the portal (false once submitted). */
  editableByPatient: z.boolean(),
  submittedAt: z.string().nullable(),
  submittedVersion: z.number().int().nullable(),
  updatedAt: z.string().nullable(),
  lastSavedBy: person.nullable(),
});
export type IntakeView = z.infer<typeof intakeView>;

export const intakeHistoryView = z.object({
  items: z.array(
    z.object({
      version: z.number().int(),
      kind: z.enum(['draft', 'submission', 'correction']),
      savedAt: z.string(),
      savedBy: person,
      reason: z.string().nullable(),
      changedPaths: z.array(z.string()),
      changes: z.array(z.object({ path: z.string(), from: z.unknown(), to: z.unknown() })),
    }),
  ),
});
export type IntakeHistoryView = z.infer<typeof intakeHistoryView>;

function answerAt(answers: unknown, path: string): unknown {
  let value = answers;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

export function presentIntake(
  patientId: string,
  row: IntakeRow | undefined,
  lastSavedBy: { id: string; displayName: string | null; kind: 'patient' | 'staff' } | null,
): IntakeView {
  const answers = (row?.answers ?? {}) as IntakeDraft;
  const missing = missingIntakeFields(answers);
  const incomplete = new Set(incompleteSections(answers));
  const saved = intakeSections.find((s) => s === row?.resumeSection);
  const firstIncomplete = intakeSections.find((s) => incomplete.has(s));
  return {
    patientId,
    status: !row || row.version === 0 ? 'not-started' : row.status,
    version: row?.version ?? 0,
    answers,
    missing: missing.map((m) => ({ path: `answers.${m.path}`, message: m.message })),
    sections: intakeSections.map((section) => ({ section, complete: !incomplete.has(section) })),
    resumeSection: saved ?? firstIncomplete ?? intakeSections[0],
    flagged: flaggedContraindicationAnswers(answers).map((q) => ({
      path: q.path,
      reference: q.reference,
      answer: (answerAt(answers, q.path) as { answer: z.infer<typeof intakeAnswer> }).answer,
    })),
    editableByPatient: row?.status !== 'submitted',
    submittedAt: row?.submittedAt?.toISOString() ?? null,
    submittedVersion: row?.submittedVersion ?? null,
    updatedAt: row && row.version > 0 ? row.updatedAt.toISOString() : null,
    lastSavedBy: lastSavedBy
      ? { id: lastSavedBy.id, displayName: lastSavedBy.displayName ?? 'Unknown', kind: lastSavedBy.kind }
      : null,
  };
}

export function presentVersion(
  version: VersionWithAuthor,
  changes: AnswerChange[],
): IntakeHistoryView['items'][number] {
  return {
    version: version.version,
    kind: version.kind,
    savedAt: version.savedAt.toISOString(),
    savedBy: {
      id: version.savedBy,
      displayName: version.savedByName ?? 'Unknown',
      kind: version.savedByKind,
    },
    reason: version.reason,
    changedPaths: version.changedPaths,
    changes: changes.map((c) => ({ path: c.path, from: c.from ?? null, to: c.to ?? null })),
  };
}
