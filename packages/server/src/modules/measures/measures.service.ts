import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import {
  type InstrumentDefinition,
  type InstrumentId,
  type InstrumentScore,
  instruments,
  isInstrumentId,
  type ScoreContext,
  scoreInstrument,
} from '@kapstone/clinical';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { ServiceContext } from '../../context.ts';
import type { ClinicSettings } from '../../db/schema/clinic.ts';
import {
  alert,
  clinic,
  measureAssignment,
  observation,
  patient,
  questionnaireResponse,
  userAccount,
} from '../../db/schema/index.ts';
import type { MeasureReason, MeasureRespondent } from '../../db/schema/measures.ts';
import { Conflict, type FieldProblem, Invalid, NotFound } from '../../errors.ts';
import { assertChartAccess } from '../../security/care-scope.ts';
import { raiseChangeAlerts } from '../alerts/alerts.change.ts';
import { raiseAlert } from '../alerts/alerts.service.ts';
import { presentAssignment, presentQuestionnaire, presentResponse } from './measures.presenter.ts';
import { riskOf } from './measures.risk.ts';

/** The baseline screening set of issue 4, used when the clinic has not chosen its own. */
export const defaultScreeningInstruments: readonly InstrumentId[] = [
  'phq9',
  'gad7',
  'pcl5',
  'cssrs-screener',
  'mdq',
  'audit-c',
  'dast10',
];

/** The clinic's screening set (settings are stored data: unknown ids and repeats are left out), else the default. */
export function screeningSetOf(settings: ClinicSettings): readonly InstrumentId[] {
  const own = [...new Set((settings.screeningInstruments ?? []).filter((id) => isInstrumentId(id)))];
  return own.length > 0 ? own : defaultScreeningInstruments;
}

/**
 * Who may answer an instrument. Clinicians may enter any. Patients self-report the instruments their
 * definition marks as patient-completed, and those the clinic put in its screening set (the clinic decides,
 * for instance, that patients self-report the C-SSRS screener); a clinician-rated scale such as the MADRS
 * is never sent to the portal.
 */
function patientMayAnswer(id: InstrumentId, settings: ClinicSettings): boolean {
  return instruments[id].completedBy === 'patient' || screeningSetOf(settings).includes(id);
}

/** Crisis lines shown to a patient whose answers signal suicide risk. 988 is a national public number. */
export function crisisResourcesOf(settings: ClinicSettings) {
  return {
    lifeline: { name: '988 Suicide & Crisis Lifeline', call: '988', text: '988' },
    emergency: '911',
    clinicPhone: settings.crisisPhone ?? null,
  };
}

function clinicDay(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

async function clinicOf(ctx: ServiceContext) {
  const [row] = await ctx.tx
    .select({ settings: clinic.settings, timeZone: clinic.timeZone })
    .from(clinic)
    .where(eq(clinic.id, ctx.clinicId));
  if (!row) throw new NotFound('Clinic');
  return row;
}

/** Clinical data: the chart must open at the clinical level for this caller, else the patient "is not there". */
async function assertClinicalAccess(ctx: ServiceContext, patientId: string) {
  const access = await assertChartAccess(ctx, patientId);
  if (access.level !== 'clinical') throw new NotFound('Patient');
  return access;
}

async function people(ctx: ServiceContext, ids: (string | null)[]) {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map<string, { id: string; displayName: string }>();
  const rows = await ctx.tx
    .select({ id: userAccount.id, displayName: userAccount.displayName })
    .from(userAccount)
    .where(and(eq(userAccount.clinicId, ctx.clinicId), inArray(userAccount.id, wanted)));
  return new Map(rows.map((r) => [r.id, r]));
}

export interface AssignInput {
  /** Absent: the clinic's screening set. */
  instruments?: InstrumentId[];
  reason?: MeasureReason;
  dueDate?: string;
  respondent?: MeasureRespondent;
}

/**
 * Assigns instruments to a patient: the clinic's screening set in one call, or the chosen ones. An
 * instrument already pending for the same reason is not assigned twice (a partial unique index decides, so
 * two concurrent calls cannot both add it); it is returned under `alreadyPending`.
 */
export async function assignMeasures(ctx: ServiceContext, patientId: string, input: AssignInput) {
  const access = await assertClinicalAccess(ctx, patientId);
  const { settings, timeZone } = await clinicOf(ctx);
  const chosen = input.instruments ?? [...screeningSetOf(settings)];
  const reason = input.reason ?? 'baseline';
  const problems: FieldProblem[] = [];
  const rows = chosen.map((instrument, index) => {
    const respondent: MeasureRespondent =
      input.respondent ?? (patientMayAnswer(instrument, settings) ? 'patient' : 'clinician');
    if (respondent === 'patient' && !patientMayAnswer(instrument, settings)) {
      problems.push({
        path: input.instruments ? `instruments.${index}` : 'respondent',
        message: `${instruments[instrument].shortName} is rated by a clinician, not self-reported in the portal.`,
      });
    }
    return {
      id: randomUUID(),
      clinicId: ctx.clinicId,
      patientId,
      instrument,
      reason,
      respondent,
      dueDate: input.dueDate ?? clinicDay(ctx.clock.now(), timeZone),
      assignedAt: ctx.clock.now(),
      assignedBy: ctx.actor.userId,
    };
  });
  if (problems.length > 0) throw new Invalid('Some instruments cannot be self-reported.', problems);
  const created = await ctx.tx
    .insert(measureAssignment)
    .values(rows)
    .onConflictDoNothing()
    .returning({ id: measureAssignment.id });
  const createdIds = new Set(created.map((c) => c.id));
  const skipped = rows.filter((r) => !createdIds.has(r.id)).map((r) => r.instrument);
  const pending = skipped.length
    ? await ctx.tx
        .select()
        .from(measureAssignment)
        .where(
          and(
            eq(measureAssignment.clinicId, ctx.clinicId),
            eq(measureAssignment.patientId, patientId),
            eq(measureAssignment.reason, reason),
            eq(measureAssignment.status, 'pending'),
            inArray(measureAssignment.instrument, skipped),
          ),
        )
    : [];
  const assigned = created.length
    ? await ctx.tx
        .select()
        .from(measureAssignment)
        .where(
          and(
            eq(measureAssignment.clinicId, ctx.clinicId),
            inArray(
              measureAssignment.id,
              created.map((c) => c.id),
            ),
          ),
        )
    : [];
  const names = await people(
    ctx,
    [...assigned, ...pending].map((a) => a.assignedBy),
  );
  const order = (a: { instrument: InstrumentId }) => chosen.indexOf(a.instrument);
  for (const row of assigned) {
    ctx.audit.record({
      action: 'measure-assignment.create',
      resourceType: 'measure-assignment',
      resourceId: row.id,
      patientId,
      breakGlass: access.breakGlass,
      detail: { instrument: row.instrument, reason: row.reason, respondent: row.respondent },
    });
  }
  return {
    assigned: assigned
      .sort((a, b) => order(a) - order(b))
      .map((a) => presentAssignment(a, names.get(a.assignedBy) ?? null)),
    alreadyPending: pending
      .sort((a, b) => order(a) - order(b))
      .map((a) => presentAssignment(a, names.get(a.assignedBy) ?? null)),
  };
}

async function loadResponses(ctx: ServiceContext, patientId: string) {
  const responses = await ctx.tx
    .select()
    .from(questionnaireResponse)
    .where(
      and(eq(questionnaireResponse.clinicId, ctx.clinicId), eq(questionnaireResponse.patientId, patientId)),
    )
    .orderBy(desc(questionnaireResponse.authoredAt), asc(questionnaireResponse.id));
  const supersededBy = new Map(
    responses.filter((r) => r.supersedesId).map((r) => [r.supersedesId as string, r.id]),
  );
  return { responses, supersededBy };
}

/** Responses with their observations, alerts and who entered them, as the care team sees them. */
async function presentResponses(
  ctx: ServiceContext,
  patientId: string,
  responses: (typeof questionnaireResponse.$inferSelect)[],
  supersededBy: Map<string, string>,
) {
  const observations = await ctx.tx
    .select()
    .from(observation)
    .where(and(eq(observation.clinicId, ctx.clinicId), eq(observation.patientId, patientId)))
    .orderBy(asc(observation.key));
  const alerts = await ctx.tx
    .select({ id: alert.id, sourceId: alert.sourceId, severity: alert.severity, status: alert.status })
    .from(alert)
    .where(
      and(
        eq(alert.clinicId, ctx.clinicId),
        eq(alert.patientId, patientId),
        eq(alert.sourceType, 'questionnaire-response'),
      ),
    );
  const names = await people(
    ctx,
    responses.map((r) => r.enteredBy),
  );
  return responses.map((r) =>
    presentResponse(r, {
      enteredBy: names.get(r.enteredBy) ?? null,
      supersededBy: supersededBy.get(r.id) ?? null,
      observations: observations.filter((o) => o.responseId === r.id),
      alerts: alerts
        .filter((a) => a.sourceId === r.id)
        .map(({ id, severity, status }) => ({ id, severity, status })),
    }),
  );
}

/** A patient's assignments and responses (scores with bands), for the care team. */
export async function listPatientMeasures(ctx: ServiceContext, patientId: string) {
  const access = await assertClinicalAccess(ctx, patientId);
  const assignments = await ctx.tx
    .select()
    .from(measureAssignment)
    .where(and(eq(measureAssignment.clinicId, ctx.clinicId), eq(measureAssignment.patientId, patientId)))
    .orderBy(desc(measureAssignment.assignedAt), asc(measureAssignment.id));
  // Assigned together (one call): in the order of the clinic's screening set.
  const set = screeningSetOf((await clinicOf(ctx)).settings);
  const position = (id: InstrumentId) => (set.includes(id) ? set.indexOf(id) : set.length);
  assignments.sort(
    (a, b) =>
      b.assignedAt.getTime() - a.assignedAt.getTime() || position(a.instrument) - position(b.instrument),
  );
  const { responses, supersededBy } = await loadResponses(ctx, patientId);
  const names = await people(
    ctx,
    assignments.map((a) => a.assignedBy),
  );
  ctx.audit.record({
    action: 'measures.read',
    resourceType: 'questionnaire-response',
    patientId,
    breakGlass: access.breakGlass,
    detail: { assignments: assignments.length, responses: responses.length },
  });
  return {
    assignments: assignments.map((a) => presentAssignment(a, names.get(a.assignedBy) ?? null)),
    responses: await presentResponses(ctx, patientId, responses, supersededBy),
  };
}

/**
 * The latest score of each instrument for a patient (the newest response not superseded by a correction),
 * as stored when it was scored. For other areas (screening, eligibility): the caller must be able to open
 * the chart at the clinical level, else NotFound.
 */
export async function latestScores(
  ctx: ServiceContext,
  patientId: string,
): Promise<Partial<Record<InstrumentId, InstrumentScore & { respondedAt: string }>>> {
  await assertClinicalAccess(ctx, patientId);
  const { responses, supersededBy } = await loadResponses(ctx, patientId);
  const latest: Partial<Record<InstrumentId, InstrumentScore & { respondedAt: string }>> = {};
  // Newest first: the first current response of each instrument wins.
  for (const r of responses) {
    if (supersededBy.has(r.id) || latest[r.instrument]) continue;
    latest[r.instrument] = { ...r.score, respondedAt: r.authoredAt.toISOString() };
  }
  return latest;
}

/**
 * Checks the answers against the instrument before scoring, so the caller hears which answer is wrong
 * (`answers.3`): one answer per item in item order, each one of the item's scores or null, and every item the
 * form asks (not optional, its enableWhen condition met) answered. Structure only: no score is computed here.
 */
function answerProblems(definition: InstrumentDefinition, answers: (number | null)[]): FieldProblem[] {
  if (answers.length !== definition.items.length) {
    return [
      {
        path: 'answers',
        message: `${definition.shortName} has ${definition.items.length} items: send one answer per item (null where not asked), got ${answers.length}.`,
      },
    ];
  }
  const problems: FieldProblem[] = [];
  const index = new Map(definition.items.map((item, i) => [item.id, i]));
  definition.items.forEach((item, i) => {
    const answer = answers[i];
    if (answer !== null && answer !== undefined) {
      if (!item.options.some((o) => o.score === answer)) {
        problems.push({
          path: `answers.${i}`,
          message: `Item ${item.number}: ${answer} is not one of ${item.options.map((o) => o.score).join(', ')}.`,
        });
      }
      return;
    }
    const condition = item.enableWhen;
    const asked =
      !condition || condition.answers.includes(answers[index.get(condition.item) ?? -1] as number);
    if (asked && !item.optional) {
      problems.push({ path: `answers.${i}`, message: `Item ${item.number} needs an answer.` });
    }
  });
  return problems;
}

export interface ResponseInput {
  id: string;
  answers: (number | null)[];
}

interface StoredResponse {
  response: typeof questionnaireResponse.$inferSelect;
  created: boolean;
}

/**
 * Stores a response to an assignment, idempotently by the client's id: the same id with the same answers
 * from the same person returns the stored response (nothing is written twice); the same id with other
 * answers, for another assignment or from someone else, is a 409. The assignment row is locked first, so concurrent submissions for it are decided one
 * after the other. The score is computed here by @kapstone/clinical, with the clinic's cut-offs and the
 * patient's sex at birth, and stored with the answers; each total and subscale becomes an observation; a
 * risk signal raises an alert in the same transaction.
 */
async function storeResponse(
  ctx: ServiceContext,
  assignment: typeof measureAssignment.$inferSelect,
  input: ResponseInput & {
    source: 'patient' | 'staff';
    supersedesId?: string | null;
    breakGlass?: boolean;
  },
): Promise<StoredResponse> {
  const [existing] = await ctx.tx
    .select()
    .from(questionnaireResponse)
    .where(and(eq(questionnaireResponse.clinicId, ctx.clinicId), eq(questionnaireResponse.id, input.id)));
  if (existing) {
    if (
      existing.assignmentId === assignment.id &&
      existing.patientId === assignment.patientId &&
      existing.enteredBy === ctx.actor.userId &&
      existing.supersedesId === (input.supersedesId ?? null) &&
      isDeepStrictEqual(existing.answers, input.answers)
    ) {
      return { response: existing, created: false };
    }
    throw new Conflict('A different response was already stored with this id.', [
      { path: 'id', message: 'Use a new id for a new response.' },
    ]);
  }
  if (input.supersedesId) {
    // A correction replaces the response that currently completes the assignment, never an older one.
    if (assignment.status !== 'completed' || assignment.responseId !== input.supersedesId) {
      throw new Conflict('Only the current response of a completed questionnaire can be corrected.', [
        { path: 'supersedes', message: 'Name the response that currently completes this questionnaire.' },
      ]);
    }
  } else if (assignment.status !== 'pending') {
    throw new Conflict(
      assignment.status === 'completed'
        ? 'This questionnaire was already completed.'
        : 'This questionnaire was cancelled.',
    );
  }
  const definition = instruments[assignment.instrument];
  const problems = answerProblems(definition, input.answers);
  if (problems.length > 0) throw new Invalid('Some answers are missing or not valid.', problems);

  const [facts] = await ctx.tx
    .select({ sexAtBirth: patient.sexAtBirth, settings: clinic.settings })
    .from(patient)
    .innerJoin(clinic, eq(clinic.id, patient.clinicId))
    .where(and(eq(patient.clinicId, ctx.clinicId), eq(patient.id, assignment.patientId)));
  if (!facts) throw new NotFound('Patient');
  const context: ScoreContext = {
    ...(facts.sexAtBirth === 'female' || facts.sexAtBirth === 'male' ? { sex: facts.sexAtBirth } : {}),
    ...(facts.settings.cutoffs ? { cutoffs: facts.settings.cutoffs } : {}),
  };
  let score: InstrumentScore;
  try {
    score = scoreInstrument(assignment.instrument, input.answers, context);
  } catch (error) {
    // The answers were checked above, so what remains is the clinic's cut-off setting (out of range): a
    // server-side misconfiguration, not the caller's input, and never silently replaced by a default.
    if (error instanceof RangeError && /cut-off/.test(error.message)) {
      throw new Error(`The clinic's screening cut-off setting is invalid: ${error.message}`);
    }
    if (error instanceof RangeError)
      throw new Invalid(error.message, [{ path: 'answers', message: error.message }]);
    throw error;
  }
  if (!score.complete) {
    // @kapstone/clinical found the form incomplete although every required item is answered (MDQ question 2
    // is needed once two symptoms are checked): point at the first unanswered item the form shows.
    const index = input.answers.findIndex((a, i) => {
      const condition = definition.items[i]?.enableWhen;
      const positionOf = (id: string) => definition.items.findIndex((item) => item.id === id);
      return (
        a === null &&
        (!condition || condition.answers.includes(input.answers[positionOf(condition.item)] as number))
      );
    });
    throw new Invalid('The questionnaire is not complete.', [
      {
        path: index >= 0 ? `answers.${index}` : 'answers',
        message: 'This answer is needed to complete the questionnaire.',
      },
    ]);
  }
  const now = ctx.clock.now();
  const [inserted] = await ctx.tx
    .insert(questionnaireResponse)
    .values({
      id: input.id,
      clinicId: ctx.clinicId,
      patientId: assignment.patientId,
      assignmentId: assignment.id,
      instrument: assignment.instrument,
      answers: input.answers,
      score,
      scoreContext: context,
      source: input.source,
      enteredBy: ctx.actor.userId,
      authoredAt: now,
      supersedesId: input.supersedesId ?? null,
    })
    // The id is unique across clinics: an id taken elsewhere is a conflict, not an error.
    .onConflictDoNothing()
    .returning();
  if (!inserted) {
    throw new Conflict('A different response was already stored with this id.', [
      { path: 'id', message: 'Use a new id for a new response.' },
    ]);
  }
  const observed = [
    {
      key: 'total',
      code: definition.loinc?.total ?? null,
      display: `${definition.shortName} ${score.total === null ? 'result' : 'total score'}`,
      value: score.total,
      band: score.band,
    },
    ...Object.entries(score.subscales ?? {}).map(([name, value]) => ({
      key: `subscale:${name}`,
      code: null,
      display: `${definition.shortName} ${name}`,
      value,
      band: null,
    })),
  ];
  await ctx.tx.insert(observation).values(
    observed.map((o) => ({
      id: randomUUID(),
      clinicId: ctx.clinicId,
      patientId: assignment.patientId,
      responseId: inserted.id,
      instrument: assignment.instrument,
      key: o.key,
      codeSystem: o.code ? 'http://loinc.org' : null,
      code: o.code,
      display: o.display,
      value: o.value,
      band: o.band,
      effectiveAt: now,
    })),
  );
  await ctx.tx
    .update(measureAssignment)
    .set(
      input.supersedesId
        ? { responseId: inserted.id }
        : { status: 'completed', completedAt: now, responseId: inserted.id },
    )
    .where(and(eq(measureAssignment.clinicId, ctx.clinicId), eq(measureAssignment.id, assignment.id)));
  ctx.audit.record({
    action: 'questionnaire-response.create',
    resourceType: 'questionnaire-response',
    resourceId: inserted.id,
    patientId: assignment.patientId,
    breakGlass: input.breakGlass ?? false,
    detail: {
      instrument: assignment.instrument,
      source: input.source,
      supersedes: input.supersedesId ?? null,
    },
  });
  const risk = riskOf(score);
  if (risk.alert) {
    await raiseAlert(ctx, {
      patientId: assignment.patientId,
      ...risk.alert,
      source: { type: 'questionnaire-response', id: inserted.id },
    });
  }
  await raiseChangeAlerts(ctx, {
    patientId: assignment.patientId,
    instrument: assignment.instrument,
    responseId: inserted.id,
    supersedesId: input.supersedesId ?? null,
  });
  return { response: inserted, created: true };
}

async function lockAssignment(ctx: ServiceContext, patientId: string, assignmentId: string) {
  const [row] = await ctx.tx
    .select()
    .from(measureAssignment)
    .where(
      and(
        eq(measureAssignment.clinicId, ctx.clinicId),
        eq(measureAssignment.patientId, patientId),
        eq(measureAssignment.id, assignmentId),
      ),
    )
    .for('update');
  return row;
}

function ownPatientId(ctx: ServiceContext): string {
  // Portal routes carry portal.self, which only patient accounts hold; this narrows the actor.
  if (ctx.actor.kind !== 'patient') throw new NotFound('Questionnaire');
  return ctx.actor.patientId;
}

/** What the patient has to fill in (pending, self-reported), soonest due first. */
export async function listDueForPatient(ctx: ServiceContext) {
  const patientId = ownPatientId(ctx);
  await assertChartAccess(ctx, patientId);
  const rows = await ctx.tx
    .select()
    .from(measureAssignment)
    .where(
      and(
        eq(measureAssignment.clinicId, ctx.clinicId),
        eq(measureAssignment.patientId, patientId),
        eq(measureAssignment.respondent, 'patient'),
        eq(measureAssignment.status, 'pending'),
      ),
    )
    .orderBy(asc(measureAssignment.dueDate), asc(measureAssignment.assignedAt), asc(measureAssignment.id));
  // Same day and time (one assignment call): in the order of the clinic's screening set.
  const { settings } = await clinicOf(ctx);
  const set = screeningSetOf(settings);
  const position = (id: InstrumentId) => (set.includes(id) ? set.indexOf(id) : set.length);
  rows.sort(
    (a, b) =>
      a.dueDate.localeCompare(b.dueDate) ||
      a.assignedAt.getTime() - b.assignedAt.getTime() ||
      position(a.instrument) - position(b.instrument),
  );
  ctx.audit.record({
    action: 'measures.portal-list',
    resourceType: 'measure-assignment',
    patientId,
    detail: { count: rows.length },
  });
  return {
    items: rows.map((r) => ({
      id: r.id,
      instrument: r.instrument,
      name: instruments[r.instrument].name,
      shortName: instruments[r.instrument].shortName,
      dueDate: r.dueDate,
      status: r.status,
      itemCount: instruments[r.instrument].items.length,
    })),
  };
}

async function ownAssignment(ctx: ServiceContext, assignmentId: string, lock: boolean) {
  const patientId = ownPatientId(ctx);
  await assertChartAccess(ctx, patientId);
  const row = lock
    ? await lockAssignment(ctx, patientId, assignmentId)
    : (
        await ctx.tx
          .select()
          .from(measureAssignment)
          .where(
            and(
              eq(measureAssignment.clinicId, ctx.clinicId),
              eq(measureAssignment.patientId, patientId),
              eq(measureAssignment.id, assignmentId),
            ),
          )
      )[0];
  // A clinician-rated assignment is not the patient's to answer: it does not exist in the portal.
  if (!row) throw new NotFound('Questionnaire');
  if (row.respondent !== 'patient') throw new NotFound('Questionnaire');
  return row;
}

/** The questionnaire of one of the patient's own assignments, as the portal shows it. */
export async function portalQuestionnaire(ctx: ServiceContext, assignmentId: string) {
  const row = await ownAssignment(ctx, assignmentId, false);
  ctx.audit.record({
    action: 'measure-assignment.read',
    resourceType: 'measure-assignment',
    resourceId: row.id,
    patientId: row.patientId,
  });
  return {
    assignment: {
      id: row.id,
      status: row.status,
      dueDate: row.dueDate,
      completedAt: row.completedAt?.toISOString() ?? null,
    },
    questionnaire: presentQuestionnaire(instruments[row.instrument]),
  };
}

/**
 * The patient's own submission from the portal. The answer confirms receipt without the score (the care team
 * reviews it) and, when the answers signal suicide risk, carries the crisis resources to show at once.
 */
export async function submitPortalResponse(ctx: ServiceContext, assignmentId: string, input: ResponseInput) {
  const row = await ownAssignment(ctx, assignmentId, true);
  const stored = await storeResponse(ctx, row, { ...input, source: 'patient' });
  const { settings } = await clinicOf(ctx);
  const risk = riskOf(stored.response.score);
  return {
    created: stored.created,
    body: {
      id: stored.response.id,
      assignmentId: row.id,
      instrument: stored.response.instrument,
      authoredAt: stored.response.authoredAt.toISOString(),
      crisisResources: risk.crisisResources ? crisisResourcesOf(settings) : null,
    },
  };
}

/**
 * A staff member enters a response: a clinician-rated instrument (MADRS), a questionnaire answered on the
 * patient's behalf, or a correction of a completed one (`supersedes`: the response it replaces, which stays
 * stored). Returns the stored response as the care team sees it.
 */
export async function recordStaffResponse(
  ctx: ServiceContext,
  patientId: string,
  assignmentId: string,
  input: ResponseInput & { supersedes?: string | null },
) {
  const access = await assertClinicalAccess(ctx, patientId);
  const row = await lockAssignment(ctx, patientId, assignmentId);
  if (!row) throw new NotFound('Assignment');
  const stored = await storeResponse(ctx, row, {
    ...input,
    source: 'staff',
    supersedesId: input.supersedes ?? null,
    breakGlass: access.breakGlass,
  });
  const { responses, supersededBy } = await loadResponses(ctx, patientId);
  const [body] = await presentResponses(
    ctx,
    patientId,
    responses.filter((r) => r.id === stored.response.id),
    supersededBy,
  );
  return { created: stored.created, body: body! };
}
