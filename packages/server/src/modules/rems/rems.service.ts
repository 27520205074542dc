import { remsFormCompleteness, remsSubmissionDeadline } from '@kapstone/clinical';
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { ServiceContext } from '../../context.ts';
import {
  clinic,
  dosingSession,
  remsFormAnswer,
  remsFormSubmission,
  userAccount,
} from '../../db/schema/index.ts';
import type { RemsFormAnswers } from '../../db/schema/session-safety.ts';
import { Conflict, Invalid, NotFound } from '../../errors.ts';
import { decodeCursor, encodeCursor } from '../../http/cursor.ts';
import { withinCareScope } from '../../security/care-scope.ts';
import { careTeamBoundRoles, rolePermissions } from '../../security/permissions.ts';
import { localParts } from '../scheduling/clinic-time.ts';
import {
  type DosingSessionRow,
  findSessionWithAccess,
  isUniqueViolation,
} from '../session-safety/session-access.ts';
import { assembleRemsForm } from './rems.form.ts';
import { renderRemsFormPdf } from './rems.pdf.ts';
import type { RemsAnswersInput, RemsFormSummary, RemsFormView, RemsSubmissionInput } from './rems.schemas.ts';

/** A submission time up to this far ahead of the server clock is accepted (device clocks drift); no further. */
const clockSkewMs = 5 * 60_000;

const pdfUrl = (sessionId: string) => `/api/v1/sessions/${sessionId}/rems-form.pdf`;

/**
 * The session of a SPRAVATO REMS form: an esketamine session of the clinic whose patient the caller may see.
 * REMS paperwork is also the office's (admins hold rems.read and rems.submit without clinical chart access),
 * so the demographic level of chart access suffices here; every read is audited.
 */
async function requireRemsSession(ctx: ServiceContext, sessionId: string) {
  const found = await findSessionWithAccess(ctx, sessionId, 'demographics');
  if (found.session.product !== 'esketamine') throw new NotFound('REMS form');
  return found;
}

async function findSubmission(ctx: ServiceContext, sessionId: string) {
  const [row] = await ctx.tx
    .select({ row: remsFormSubmission, name: userAccount.displayName })
    .from(remsFormSubmission)
    .innerJoin(
      userAccount,
      and(
        eq(userAccount.clinicId, remsFormSubmission.clinicId),
        eq(userAccount.id, remsFormSubmission.recordedBy),
      ),
    )
    .where(and(eq(remsFormSubmission.clinicId, ctx.clinicId), eq(remsFormSubmission.sessionId, sessionId)));
  return row;
}

function todayIn(ctx: ServiceContext, timeZone: string) {
  return localParts(ctx.clock.now(), timeZone).date;
}

async function buildView(ctx: ServiceContext, session: DosingSessionRow): Promise<RemsFormView> {
  const assembled = await assembleRemsForm(ctx, session);
  const submitted = await findSubmission(ctx, session.id);
  const form = submitted ? submitted.row.form : assembled.form;
  const treatmentDate = form.session.treatmentDate;
  return {
    sessionId: session.id,
    patient: { id: session.patientId, ...assembled.patient },
    sessionState: session.state,
    status: submitted ? 'submitted' : session.endedAt ? 'due' : 'in-progress',
    deadline: treatmentDate ? remsSubmissionDeadline(treatmentDate, todayIn(ctx, assembled.timeZone)) : null,
    form,
    completeness: remsFormCompleteness(form),
    sources: assembled.sources,
    answers: assembled.answers as RemsFormView['answers'],
    submission: submitted
      ? {
          id: submitted.row.id,
          submittedAt: submitted.row.submittedAt.toISOString(),
          method: submitted.row.method,
          confirmation: submitted.row.confirmation,
          complete: submitted.row.complete,
          late: submitted.row.late,
          recordedAt: submitted.row.recordedAt.toISOString(),
          recordedBy: { id: submitted.row.recordedBy, displayName: submitted.name },
        }
      : null,
    pdfUrl: pdfUrl(session.id),
  };
}

/** A session's monitoring form as it stands: the data, what is missing, the deadline and the submission. */
export async function getRemsForm(ctx: ServiceContext, sessionId: string): Promise<RemsFormView> {
  const { session, access } = await requireRemsSession(ctx, sessionId);
  const view = await buildView(ctx, session);
  ctx.audit.record({
    action: 'rems-form.read',
    resourceType: 'rems_form',
    resourceId: sessionId,
    patientId: session.patientId,
    breakGlass: access.breakGlass,
    detail: { status: view.status, complete: view.completeness.complete },
  });
  return view;
}

/** Drops the answers set to null ("use the record again"), at both levels. */
function withoutNulls(answers: RemsFormAnswers): RemsFormAnswers {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(answers)) {
    if (value === null || value === undefined) continue;
    if (typeof value === 'object') {
      const inner = Object.fromEntries(
        Object.entries(value).filter(([, v]) => v !== null && v !== undefined),
      );
      if (Object.keys(inner).length > 0) out[key] = inner;
    } else out[key] = value;
  }
  return out as RemsFormAnswers;
}

function merge(previous: RemsFormAnswers, change: RemsFormAnswers): RemsFormAnswers {
  const merged: Record<string, unknown> = { ...previous };
  for (const [key, value] of Object.entries(change)) {
    if (value === undefined) continue;
    const before = merged[key];
    merged[key] =
      value !== null && typeof value === 'object' && before && typeof before === 'object'
        ? { ...before, ...value }
        : value;
  }
  return withoutNulls(merged as RemsFormAnswers);
}

/** Whether the stored (merged) answers hold exactly what a retried save sends (null: no answer). */
function answersMatch(stored: RemsFormAnswers, sent: RemsFormAnswers): boolean {
  const s = stored as Record<string, unknown>;
  for (const [key, value] of Object.entries(sent)) {
    if (value === undefined) continue;
    if (value !== null && typeof value === 'object') {
      const inner = (s[key] ?? {}) as Record<string, unknown>;
      for (const [k, v] of Object.entries(value))
        if (v !== undefined && (inner[k] ?? null) !== v) return false;
    } else if ((s[key] ?? null) !== value) return false;
  }
  return true;
}

/**
 * Saves the clinician's answers for the form, merged over their earlier answers (null clears one: the
 * record's value counts again). Each save is a new row; a retried save with the same id is answered.
 */
export async function saveRemsAnswers(
  ctx: ServiceContext,
  sessionId: string,
  input: RemsAnswersInput,
): Promise<{ created: boolean; form: RemsFormView }> {
  const { session, access } = await requireRemsSession(ctx, sessionId);
  const [existing] = await ctx.tx
    .select()
    .from(remsFormAnswer)
    .where(and(eq(remsFormAnswer.clinicId, ctx.clinicId), eq(remsFormAnswer.id, input.id)));
  if (existing) {
    if (
      existing.sessionId !== sessionId ||
      existing.recordedBy !== ctx.actor.userId ||
      !answersMatch(existing.answers, input.answers as RemsFormAnswers)
    )
      throw new Conflict('These answers were saved with another id: generate a new one.', [
        { path: 'id', message: 'Generate a new id.' },
      ]);
    return { created: false, form: await buildView(ctx, session) };
  }
  if (await findSubmission(ctx, sessionId))
    throw new Conflict('The form was submitted to the REMS: it is kept as it was submitted.');
  const previous = (await assembleRemsForm(ctx, session)).answers;
  const answers = merge(previous?.answers ?? {}, input.answers as RemsFormAnswers);
  try {
    await ctx.tx.transaction(async (sp) =>
      sp.insert(remsFormAnswer).values({
        id: input.id,
        clinicId: ctx.clinicId,
        sessionId,
        revision: (previous?.revision ?? 0) + 1,
        answers,
        recordedBy: ctx.actor.userId,
        recordedAt: ctx.clock.now(),
      }),
    );
  } catch (error) {
    if (isUniqueViolation(error, 'rems_form_answer_revision_key'))
      throw new Conflict('Someone saved answers for this form at the same time: reload it and answer again.');
    if (!isUniqueViolation(error)) throw error;
    throw new Conflict('These answers were saved with another id: generate a new one.', [
      { path: 'id', message: 'Generate a new id.' },
    ]);
  }
  ctx.audit.record({
    action: 'rems-form.answer',
    resourceType: 'rems_form',
    resourceId: sessionId,
    patientId: session.patientId,
    breakGlass: access.breakGlass,
    detail: { answerId: input.id, fields: Object.keys(input.answers).sort() },
  });
  return { created: true, form: await buildView(ctx, session) };
}

/**
 * Marks the form submitted to the REMS: once, after the session ended, with the form as it stood (snapshot).
 * An incomplete form may be marked only with `acknowledgeIncomplete` (it was completed on the REMS site).
 */
export async function markRemsSubmitted(
  ctx: ServiceContext,
  sessionId: string,
  input: RemsSubmissionInput,
): Promise<{ created: boolean; form: RemsFormView }> {
  const { session, access } = await requireRemsSession(ctx, sessionId);
  const existing = await findSubmission(ctx, sessionId);
  if (existing) {
    const same =
      existing.row.id === input.id &&
      existing.row.method === input.method &&
      existing.row.submittedAt.getTime() === new Date(input.submittedAt).getTime() &&
      existing.row.confirmation === (input.confirmation ?? null);
    if (!same)
      throw new Conflict('The form was already marked submitted.', [
        { path: 'id', message: 'Already submitted.' },
      ]);
    return { created: false, form: await buildView(ctx, session) };
  }
  if (!session.endedAt || !session.dosingStartedAt)
    throw new Conflict('The session has not ended: the form is submitted after the patient is discharged.');
  const submittedAt = new Date(input.submittedAt);
  if (submittedAt.getTime() > ctx.clock.now().getTime() + clockSkewMs)
    throw new Invalid('A submission cannot be in the future.', [
      { path: 'submittedAt', message: 'Use when it was sent.' },
    ]);
  if (submittedAt.getTime() < session.dosingStartedAt.getTime())
    throw new Invalid('The form cannot be submitted before the session.', [
      { path: 'submittedAt', message: 'Use when it was sent.' },
    ]);
  const assembled = await assembleRemsForm(ctx, session);
  const completeness = remsFormCompleteness(assembled.form);
  if (!completeness.complete && !input.acknowledgeIncomplete)
    throw new Invalid(`The form is incomplete: ${completeness.missing.map((m) => m.label).join('; ')}.`, [
      {
        path: 'acknowledgeIncomplete',
        message: 'Complete the form first, or confirm it was completed on the REMS site.',
      },
    ]);
  const deadline = remsSubmissionDeadline(
    assembled.form.session.treatmentDate!,
    localParts(submittedAt, assembled.timeZone).date,
  );
  try {
    await ctx.tx.transaction(async (sp) =>
      sp.insert(remsFormSubmission).values({
        id: input.id,
        clinicId: ctx.clinicId,
        sessionId,
        submittedAt,
        method: input.method,
        confirmation: input.confirmation ?? null,
        form: assembled.form,
        complete: completeness.complete,
        dueDate: deadline.dueDate,
        late: deadline.overdue,
        recordedBy: ctx.actor.userId,
        recordedAt: ctx.clock.now(),
      }),
    );
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const raced = await findSubmission(ctx, sessionId);
    if (raced?.row.id === input.id) return { created: false, form: await buildView(ctx, session) };
    throw new Conflict('The form was already marked submitted.', [
      { path: 'id', message: 'Already submitted.' },
    ]);
  }
  ctx.audit.record({
    action: 'rems-form.submit',
    resourceType: 'rems_form',
    resourceId: sessionId,
    patientId: session.patientId,
    breakGlass: access.breakGlass,
    detail: {
      submissionId: input.id,
      method: input.method,
      complete: completeness.complete,
      late: deadline.overdue,
    },
  });
  return { created: true, form: await buildView(ctx, session) };
}

/** The PDF of a session's form (as submitted, once it was). */
export async function remsFormDocument(ctx: ServiceContext, sessionId: string) {
  const { session, access } = await requireRemsSession(ctx, sessionId);
  const view = await buildView(ctx, session);
  const [row] = await ctx.tx
    .select({ timeZone: clinic.timeZone })
    .from(clinic)
    .where(eq(clinic.id, ctx.clinicId));
  const pdf = await renderRemsFormPdf({
    form: view.form,
    completeness: view.completeness,
    deadline: view.deadline,
    submission: view.submission,
    printedAt: printedAt(ctx.clock.now(), row!.timeZone),
  });
  ctx.audit.record({
    action: 'rems-form.print',
    resourceType: 'rems_form',
    resourceId: sessionId,
    patientId: session.patientId,
    breakGlass: access.breakGlass,
    detail: { status: view.status },
  });
  return { pdf, filename: `spravato-rems-monitoring-${view.form.session.treatmentDate ?? 'session'}.pdf` };
}

function printedAt(now: Date, timeZone: string) {
  return `${new Intl.DateTimeFormat('en-US', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(now)} (${timeZone})`;
}

/**
 * The forms of the clinic by status, for the REMS dashboard: esketamine sessions with a dose given, visible to
 * the caller (their care team's patients, or clinic-wide for an admin). Due forms oldest first (the nearest
 * deadline first); submitted and all, newest first. Keyset pages of at most 50.
 */
export async function listRemsForms(
  ctx: ServiceContext,
  query: { status: 'due' | 'overdue' | 'in-progress' | 'submitted' | 'all'; limit: number; cursor?: string },
): Promise<{
  items: RemsFormSummary[];
  nextCursor: string | null;
  today: string;
  counts: { due: number; overdue: number };
}> {
  const [clinicRow] = await ctx.tx
    .select({ timeZone: clinic.timeZone })
    .from(clinic)
    .where(eq(clinic.id, ctx.clinicId));
  const today = todayIn(ctx, clinicRow!.timeZone);
  const newestFirst = query.status === 'submitted' || query.status === 'all';
  const where: SQL[] = [
    eq(dosingSession.clinicId, ctx.clinicId),
    eq(dosingSession.product, 'esketamine'),
    sql`${dosingSession.dosingStartedAt} IS NOT NULL`,
  ];
  const actor = ctx.actor;
  const clinicWide =
    actor.kind === 'staff' &&
    actor.roles.some(
      (role) => rolePermissions[role].includes('rems.read') && !careTeamBoundRoles.includes(role),
    );
  if (!clinicWide)
    where.push(sql`(${withinCareScope(dosingSession.clinicId, dosingSession.patientId, actor.userId)}
      OR EXISTS (SELECT 1 FROM break_glass_grant g WHERE g.clinic_id = ${dosingSession.clinicId}
        AND g.patient_id = ${dosingSession.patientId} AND g.user_id = ${actor.userId}
        AND g.expires_at > ${ctx.clock.now().toISOString()}))`);
  const submittedId = sql`(SELECT r.id FROM rems_form_submission r WHERE r.clinic_id = ${dosingSession.clinicId} AND r.session_id = ${dosingSession.id})`;
  const due = sql`${dosingSession.endedAt} IS NOT NULL AND ${submittedId} IS NULL`;
  const overdue = sql`((${dosingSession.dosingStartedAt} AT TIME ZONE ${clinicRow!.timeZone})::date + 7) < ${today}::date`;
  // The dashboard's badges: how many forms wait, and how many are late, whatever page is shown.
  const [counts] = await ctx.tx
    .select({
      due: sql<number>`(count(*) FILTER (WHERE ${due}))::int`,
      overdue: sql<number>`(count(*) FILTER (WHERE ${due} AND ${overdue}))::int`,
    })
    .from(dosingSession)
    .where(and(...where));
  if (query.status === 'due' || query.status === 'overdue') where.push(due);
  if (query.status === 'overdue') where.push(overdue);
  if (query.status === 'in-progress') where.push(sql`${dosingSession.endedAt} IS NULL`);
  if (query.status === 'submitted') where.push(sql`${submittedId} IS NOT NULL`);
  if (query.cursor) {
    const key = decodeCursor(query.cursor, ['startedAt', 'id'] as const);
    where.push(
      newestFirst
        ? sql`(${dosingSession.dosingStartedAt}, ${dosingSession.id}) < (${key.startedAt}::timestamptz, ${key.id}::uuid)`
        : sql`(${dosingSession.dosingStartedAt}, ${dosingSession.id}) > (${key.startedAt}::timestamptz, ${key.id}::uuid)`,
    );
  }
  const rows = await ctx.tx
    .select()
    .from(dosingSession)
    .where(and(...where))
    .orderBy(
      ...(newestFirst
        ? [sql`${dosingSession.dosingStartedAt} DESC`, sql`${dosingSession.id} DESC`]
        : [sql`${dosingSession.dosingStartedAt} ASC`, sql`${dosingSession.id} ASC`]),
    )
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const items: RemsFormSummary[] = [];
  for (const session of page) {
    const view = await buildView(ctx, session);
    items.push({
      sessionId: session.id,
      patient: view.patient,
      treatmentDate:
        view.form.session.treatmentDate ?? localParts(session.dosingStartedAt!, clinicRow!.timeZone).date,
      status: view.status,
      deadline:
        view.deadline ??
        remsSubmissionDeadline(localParts(session.dosingStartedAt!, clinicRow!.timeZone).date, today),
      complete: view.completeness.complete,
      missing: view.completeness.missing.map((m) => m.label),
      submittedAt: view.submission?.submittedAt ?? null,
      pdfUrl: view.pdfUrl,
    });
  }
  const last = page.at(-1);
  ctx.audit.record({
    action: 'rems-form.list',
    resourceType: 'rems_form',
    detail: { status: query.status, count: items.length },
  });
  return {
    items,
    nextCursor:
      rows.length > query.limit && last
        ? encodeCursor({ startedAt: last.dosingStartedAt!.toISOString(), id: last.id })
        : null,
    today,
    counts: { due: Number(counts?.due ?? 0), overdue: Number(counts?.overdue ?? 0) },
  };
}
