import type { ServiceContext } from '../../context.ts';
import { Conflict, Invalid, NotFound } from '../../errors.ts';
import { assertChartAccess, type GrantedChartAccess } from '../../security/care-scope.ts';
import { answerChanges, changedAnswerPaths } from './intake.diff.ts';
import {
  type IntakeHistoryView,
  type IntakeView,
  presentIntake,
  presentVersion,
} from './intake.presenter.ts';
import * as repo from './intake.repository.ts';
import {
  type IntakeAnswers,
  type IntakeDraft,
  type IntakeSection,
  intakeAnswersSchema,
  intakeDraftSchema,
  missingIntakeFields,
  withoutUnaskedFollowUps,
} from './intake.schemas.ts';

/**
 * The patient's intake: drafts the patient saves (a section at a time or whole), a submission that must be
 * complete, and staff who complete it with the patient or correct it afterwards. Every change is a new
 * append-only version (who, when, which answer paths changed, and for a correction the reason).
 *
 * After submission the patient can no longer change it alone: a correction goes through staff, with a
 * reason, and keeps the intake complete (a correction that leaves an answer missing is refused). There is
 * no "reopen": what the prescriber screened against stays the submitted record, and every later change is
 * attributable to a named staff member with a reason.
 */

export interface SaveIntakeInput {
  /** The version the client read (0 before the first save). A stale version is refused with 409. */
  version: number;
  /** The sections to save; each section present replaces the saved one, absent sections are kept. */
  answers: IntakeDraft;
  /** The portal step the patient is on, to resume there. */
  resumeSection?: IntakeSection;
  /** Client-generated id of this save: a retry with the same id is answered without a second version. */
  clientSaveId?: string;
}

export interface StaffSaveIntakeInput extends Omit<SaveIntakeInput, 'resumeSection'> {
  /** Required once the intake is submitted (a correction). */
  reason?: string;
  /** Submit on the patient's behalf (completing it with them); the answers must then be complete. */
  submit?: boolean;
}

function answerPath(path: string) {
  return `answers.${path}`;
}

async function clinicalAccess(ctx: ServiceContext, patientId: string): Promise<GrantedChartAccess> {
  const access = await assertChartAccess(ctx, patientId);
  if (access.level !== 'clinical') throw new NotFound('Patient');
  return access;
}

async function viewOf(
  ctx: ServiceContext,
  patientId: string,
  row: repo.IntakeRow | undefined,
): Promise<IntakeView> {
  const lastSavedBy =
    row && row.version > 0
      ? await repo.findVersionAuthor(ctx.tx, ctx.clinicId, row.id, row.version)
      : undefined;
  return presentIntake(patientId, row, lastSavedBy ?? null);
}

interface ApplySave {
  version: number;
  answers: IntakeDraft;
  resumeSection?: IntakeSection;
  clientSaveId?: string;
  reason?: string;
  submit: boolean;
}

/**
 * One save, under the head row's lock: the version check, the merge, the completeness rules, the new version
 * and the moved head happen in one transaction, so two writers can never both win from the same version.
 */
async function applySave(
  ctx: ServiceContext,
  patientId: string,
  access: GrantedChartAccess,
  input: ApplySave,
): Promise<IntakeView> {
  const now = ctx.clock.now();
  const by = ctx.actor.kind;
  const head = await repo.lockOrCreate(ctx.tx, ctx.clinicId, patientId, now);
  const auditBase = {
    resourceType: 'intake',
    resourceId: head.id,
    patientId,
    breakGlass: access.breakGlass,
  } as const;

  if (input.clientSaveId) {
    const replayed = await repo.findVersionByClientSaveId(ctx.tx, ctx.clinicId, head.id, input.clientSaveId);
    if (replayed) {
      ctx.audit.record({
        ...auditBase,
        action: 'intake.save-replayed',
        detail: { version: replayed.version, currentVersion: head.version },
      });
      return viewOf(ctx, patientId, head);
    }
  }

  const submitted = head.status === 'submitted';
  if (submitted && by === 'patient') {
    // A retried or repeated submission of what is already submitted is answered with the intake as it is.
    if (input.submit && input.version === head.version && Object.keys(input.answers).length === 0) {
      ctx.audit.record({ ...auditBase, action: 'intake.read', detail: { version: head.version } });
      return viewOf(ctx, patientId, head);
    }
    throw new Conflict(
      'Your intake has been submitted and can no longer be changed here. Please contact your clinic: a member of staff can correct it with you.',
    );
  }
  if (input.version !== head.version) {
    throw new Conflict(
      `The intake was changed by someone else since you opened it (now version ${head.version}). Reload it and apply your change again.`,
      [{ path: 'version', message: `The intake is now at version ${head.version}.` }],
    );
  }

  const merged = withoutUnaskedFollowUps(
    intakeDraftSchema.parse({ ...head.answers, ...input.answers }) as IntakeDraft,
  );
  // Parsed, so that both sides list their keys in form order (jsonb keeps its own order).
  const changedPaths = changedAnswerPaths(intakeDraftSchema.parse(head.answers), merged);
  const correction = submitted;
  const submitting = !submitted && input.submit;

  if (correction && !input.reason?.trim()) {
    throw new Invalid('A correction of a submitted intake needs a reason.', [
      { path: 'reason', message: 'Say why the submitted answers are being corrected.' },
    ]);
  }
  if (correction || submitting) {
    const missing = missingIntakeFields(merged);
    if (missing.length > 0) {
      throw new Invalid(
        correction
          ? 'A correction must leave the intake complete.'
          : `The intake is not complete yet: ${missing.length} answer${missing.length === 1 ? '' : 's'} missing.`,
        missing.map((m) => ({ path: answerPath(m.path), message: m.message })),
      );
    }
  }

  if (!submitting && changedPaths.length === 0) {
    // Nothing to version: the patient only moved between steps, or a correction changed nothing.
    if (input.resumeSection && by === 'patient' && input.resumeSection !== head.resumeSection) {
      await repo.setResumeSection(ctx.tx, ctx.clinicId, head.id, input.resumeSection);
    }
    ctx.audit.record({
      ...auditBase,
      action: 'intake.read',
      detail: { version: head.version, unchanged: true },
    });
    return viewOf(ctx, patientId, await repo.findByPatient(ctx.tx, ctx.clinicId, patientId));
  }

  const kind = correction ? 'correction' : submitting ? 'submission' : 'draft';
  let stored = merged as Record<string, unknown>;
  if (correction || submitting) {
    // Every answer is there; each must also be valid as a complete answer (e.g. a phone number's length).
    const parsed = intakeAnswersSchema.safeParse(merged);
    if (!parsed.success) {
      throw new Invalid(
        'Some answers are not valid yet.',
        parsed.error.issues.map((issue) => ({
          path: answerPath(issue.path.join('.')),
          message: issue.message,
        })),
      );
    }
    stored = parsed.data;
  }
  const nextVersion = head.version + 1;
  await repo.appendVersion(
    ctx.tx,
    ctx.clinicId,
    head,
    {
      intakeId: head.id,
      patientId,
      version: nextVersion,
      kind,
      answers: stored,
      changedPaths,
      savedBy: ctx.actor.userId,
      savedByKind: by,
      savedAt: now,
      reason: input.reason?.trim() || null,
      clientSaveId: input.clientSaveId ?? null,
    },
    {
      ...(submitting ? { status: 'submitted' as const, submittedAt: now } : {}),
      ...(correction || submitting ? { submittedVersion: nextVersion } : {}),
      ...(input.resumeSection && by === 'patient' ? { resumeSection: input.resumeSection } : {}),
    },
  );
  ctx.audit.record({
    ...auditBase,
    action: correction ? 'intake.correct' : submitting ? 'intake.submit' : 'intake.save',
    // Paths only, never answers: the audit trail is read by people who may not see clinical data.
    detail: {
      version: nextVersion,
      kind,
      savedBy: by,
      changedPaths,
      reasonGiven: Boolean(input.reason?.trim()),
    },
  });
  return viewOf(ctx, patientId, await repo.findByPatient(ctx.tx, ctx.clinicId, patientId));
}

// ---------------------------------------------------------------------------------------------------------
// Portal (the patient's own intake; the patient id comes from the session, never from the client)

export async function readOwnIntake(ctx: ServiceContext, patientId: string): Promise<IntakeView> {
  const access = await clinicalAccess(ctx, patientId);
  const row = await repo.findByPatient(ctx.tx, ctx.clinicId, patientId);
  ctx.audit.record({
    action: 'intake.read',
    resourceType: 'intake',
    resourceId: row?.id ?? null,
    patientId,
    breakGlass: access.breakGlass,
    detail: { version: row?.version ?? 0 },
  });
  return viewOf(ctx, patientId, row);
}

export async function saveOwnIntake(
  ctx: ServiceContext,
  patientId: string,
  input: SaveIntakeInput,
): Promise<IntakeView> {
  const access = await clinicalAccess(ctx, patientId);
  return applySave(ctx, patientId, access, { ...input, submit: false });
}

export async function submitOwnIntake(
  ctx: ServiceContext,
  patientId: string,
  input: { version: number; clientSaveId?: string },
): Promise<IntakeView> {
  const access = await clinicalAccess(ctx, patientId);
  return applySave(ctx, patientId, access, { ...input, answers: {}, submit: true });
}

// ---------------------------------------------------------------------------------------------------------
// Staff

export async function readIntake(ctx: ServiceContext, patientId: string): Promise<IntakeView> {
  return readOwnIntake(ctx, patientId);
}

export async function saveIntakeAsStaff(
  ctx: ServiceContext,
  patientId: string,
  input: StaffSaveIntakeInput,
): Promise<IntakeView> {
  const access = await clinicalAccess(ctx, patientId);
  return applySave(ctx, patientId, access, {
    version: input.version,
    answers: input.answers,
    reason: input.reason,
    clientSaveId: input.clientSaveId,
    submit: input.submit ?? false,
  });
}

export async function listIntakeVersions(ctx: ServiceContext, patientId: string): Promise<IntakeHistoryView> {
  const access = await clinicalAccess(ctx, patientId);
  const row = await repo.findByPatient(ctx.tx, ctx.clinicId, patientId);
  const versions = row ? await repo.listVersions(ctx.tx, ctx.clinicId, row.id) : [];
  ctx.audit.record({
    action: 'intake.history.read',
    resourceType: 'intake',
    resourceId: row?.id ?? null,
    patientId,
    breakGlass: access.breakGlass,
    detail: { versions: versions.length },
  });
  const inFormOrder = versions.map((version) => intakeDraftSchema.parse(version.answers));
  const items = versions.map((version, index) =>
    presentVersion(version, answerChanges(index > 0 ? inFormOrder[index - 1] : {}, inFormOrder[index])),
  );
  // Newest first: the history a clinician reads starts with the latest change.
  return { items: items.reverse() };
}

// ---------------------------------------------------------------------------------------------------------
// For other areas (screening view, eligibility engine)

export interface CurrentIntake {
  status: 'submitted';
  /** The version of the answers returned (the latest submission or staff correction). */
  version: number;
  submittedAt: string;
  /** When the answers were last changed (the submission, or the latest correction). */
  updatedAt: string;
  answers: IntakeAnswers;
}

/**
 * The latest submitted intake answers of a patient (including any staff corrections), or null when the
 * patient has not submitted one yet. Checks chart access at the clinical level (NotFound otherwise); it does
 * not record an audit event itself: the caller's use case records its own read of the chart.
 */
export async function findCurrentIntake(
  ctx: ServiceContext,
  patientId: string,
): Promise<CurrentIntake | null> {
  await clinicalAccess(ctx, patientId);
  const row = await repo.findByPatient(ctx.tx, ctx.clinicId, patientId);
  if (row?.status !== 'submitted' || !row.submittedAt || row.submittedVersion === null) return null;
  return {
    status: 'submitted',
    version: row.submittedVersion,
    submittedAt: row.submittedAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    // Stored only after intakeAnswersSchema parsed it complete (submission and correction both).
    answers: row.answers as IntakeAnswers,
  };
}
