import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import {
  calculateDose,
  type DoseCalculation,
  type DoseOrder,
  type DosingLimits,
  defaultDosingLimits,
  normaliseIcd10,
  type PlannedEvent,
  type PlanOptions,
  type ProtocolId,
  planCourse,
  protocols,
} from '@kapstone/clinical';
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { ServiceContext } from '../../context.ts';
import {
  clinic,
  patient,
  patientCondition,
  preparationNote,
  treatmentPlan,
  treatmentPlanEvent,
  userAccount,
} from '../../db/schema/index.ts';
import type { PlanCourseOptions, PlanGoal, TreatmentPlanEndReason } from '../../db/schema/plans.ts';
import { Conflict, type FieldProblem, Invalid, NotFound } from '../../errors.ts';
import { assertChartAccess } from '../../security/care-scope.ts';
import { syncMeasureSchedule } from '../measures/measure-schedule.service.ts';
import type { PlanInput, PlanPreviewInput, PlanView } from './plans.schemas.ts';

type PlanRow = typeof treatmentPlan.$inferSelect;
type EventRow = typeof treatmentPlanEvent.$inferSelect;

/** Clinical data of the chart: a level-'clinical' access, or 404 (never a hint that the chart exists). */
async function assertClinicalChart(ctx: ServiceContext, patientId: string) {
  const access = await assertChartAccess(ctx, patientId);
  if (access.level !== 'clinical') throw new NotFound('Patient');
  return access;
}

/** Whole years between a date of birth and a date (both YYYY-MM-DD), for calculateDose's `ageYears`. */
function ageOn(dateOfBirth: string, on: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** @kapstone/clinical's dose limits with the clinic's overrides (ClinicSettings.dosingLimits) merged over them. */
async function dosingLimitsOf(ctx: ServiceContext): Promise<DosingLimits> {
  const [row] = await ctx.tx
    .select({ settings: clinic.settings })
    .from(clinic)
    .where(eq(clinic.id, ctx.clinicId));
  const own = row?.settings.dosingLimits ?? {};
  return {
    iv: { ...defaultDosingLimits.iv, ...own.iv },
    im: { ...defaultDosingLimits.im, ...own.im },
    sublingualOral: { ...defaultDosingLimits.sublingualOral, ...own.sublingualOral },
    intranasalRacemic: { ...defaultDosingLimits.intranasalRacemic, ...own.intranasalRacemic },
    esketamine: { ...defaultDosingLimits.esketamine, ...own.esketamine },
  };
}

interface DoseInputs {
  product: DoseOrder['product'];
  route: DoseOrder['route'];
  weightKg?: number | null;
  dose: { value: number; unit: 'mg/kg' | 'mg' };
  ageYears?: number;
}

/** The order calculateDose understands: mg/kg with the weight for IV and IM, mg otherwise. */
function doseOrder(input: DoseInputs): DoseOrder {
  return {
    product: input.product,
    route: input.route,
    ...(input.weightKg ? { weightKg: input.weightKg } : {}),
    ...(input.dose.unit === 'mg/kg' ? { mgPerKg: input.dose.value } : { doseMg: input.dose.value }),
    ...(input.ageYears !== undefined ? { ageYears: input.ageYears } : {}),
  };
}

/** The unit a dose of this route is written in (calculateDose: IV and IM are weight-based). */
function doseUnitFor(route: string): 'mg/kg' | 'mg' {
  return route === 'iv' || route === 'im' ? 'mg/kg' : 'mg';
}

/** The planCourse options for the requested number of sessions (the protocol's own number needs none). */
function courseOptionsFor(
  protocolId: ProtocolId,
  input: { dosingSessions: number; maintenanceDoses?: number | null; maintenanceEveryWeeks?: 1 | 2 | null },
): PlanCourseOptions {
  const options: PlanCourseOptions = {};
  if (input.dosingSessions !== protocols[protocolId].dosingDays.length)
    options.dosingSessions = input.dosingSessions;
  if (input.maintenanceDoses) options.maintenanceDoses = input.maintenanceDoses;
  if (input.maintenanceEveryWeeks) options.maintenanceEveryWeeks = input.maintenanceEveryWeeks;
  return options;
}

/** planCourse, with its refusal turned into a field problem. */
function courseOf(
  protocolId: ProtocolId,
  startDate: string,
  options: PlanCourseOptions,
): { course: PlannedEvent[]; problem: null } | { course: null; problem: FieldProblem } {
  try {
    return { course: planCourse(protocolId, startDate, options as PlanOptions), problem: null };
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const path = /startDate/.test(error.message)
      ? 'startDate'
      : /maintenance/.test(error.message)
        ? 'maintenanceEveryWeeks'
        : 'dosingSessions';
    const message =
      path === 'dosingSessions' && /fixed number/.test(error.message)
        ? `${protocols[protocolId].name} has a fixed course of ${protocols[protocolId].dosingDays.length} dosing sessions.`
        : error.message;
    return { course: null, problem: { path, message } };
  }
}

interface Evaluated {
  courseOptions: PlanCourseOptions;
  plannedCourse: PlannedEvent[];
  startingDoseCalculation: DoseCalculation;
  maximumDoseCalculation: DoseCalculation;
  indicationIcd10: string;
  indicationConditionId: string | null;
}

/**
 * Checks a plan against @kapstone/clinical and returns what it computed: the protocol fixes route and
 * product; planCourse makes the course; calculateDose checks the starting and the maximum dose. The server
 * computes nothing clinical itself. Every refusal is a 400 naming its field.
 */
async function evaluatePlan(ctx: ServiceContext, patientId: string, input: PlanInput): Promise<Evaluated> {
  const protocol = protocols[input.protocolId];
  const problems: FieldProblem[] = [];
  if (input.route !== protocol.route)
    problems.push({ path: 'route', message: `${protocol.name} is given by the ${protocol.route} route.` });
  if (input.product !== protocol.product)
    problems.push({ path: 'product', message: `${protocol.name} uses ${protocol.product}.` });
  if (problems.length) throw new Invalid('The route and product must be those of the protocol.', problems);

  const unit = doseUnitFor(protocol.route);
  for (const field of ['startingDose', 'maximumDose'] as const) {
    if (input[field].unit !== unit)
      problems.push({ path: `${field}.unit`, message: `A ${protocol.route} dose is written in ${unit}.` });
  }
  if (!!input.maintenanceDoses !== !!input.maintenanceEveryWeeks)
    problems.push({
      path: 'maintenanceEveryWeeks',
      message: 'Give both the number of maintenance doses and how many weeks apart they are.',
    });
  if (problems.length) throw new Invalid('The plan has problems.', problems);

  const courseOptions = courseOptionsFor(input.protocolId, input);
  const course = courseOf(input.protocolId, input.startDate, courseOptions);
  if (course.problem) throw new Invalid(course.problem.message, [course.problem]);

  const [person] = await ctx.tx
    .select({ dateOfBirth: patient.dateOfBirth })
    .from(patient)
    .where(and(eq(patient.clinicId, ctx.clinicId), eq(patient.id, patientId)));
  if (!person) throw new NotFound('Patient');
  const ageYears = ageOn(person.dateOfBirth, input.startDate);
  const limits = await dosingLimitsOf(ctx);
  const dose = (field: 'startingDose' | 'maximumDose') =>
    calculateDose(
      doseOrder({
        product: protocol.product,
        route: protocol.route,
        weightKg: input.weightKg,
        dose: input[field],
        ageYears,
      }),
      limits,
    );
  const startingDoseCalculation = dose('startingDose');
  const maximumDoseCalculation = dose('maximumDose');
  for (const [field, calculation] of [
    ['startingDose', startingDoseCalculation],
    ['maximumDose', maximumDoseCalculation],
  ] as const) {
    if (calculation.level === 'blocked') {
      const path = unit === 'mg/kg' && !input.weightKg ? 'weightKg' : field;
      problems.push({ path, message: calculation.messages.join(' ') });
    }
  }
  if (problems.length) throw new Invalid('The dose is refused by the dose check.', problems);
  if (input.maximumDose.value < input.startingDose.value)
    throw new Invalid('The maximum dose is below the starting dose.', [
      { path: 'maximumDose', message: 'The titration limit must be at least the starting dose.' },
    ]);

  const indicationIcd10 = input.indication.icd10;
  const active = await ctx.tx
    .select({ id: patientCondition.id, icd10: patientCondition.icd10 })
    .from(patientCondition)
    .where(
      and(
        eq(patientCondition.clinicId, ctx.clinicId),
        eq(patientCondition.patientId, patientId),
        eq(patientCondition.status, 'active'),
      ),
    )
    .orderBy(asc(patientCondition.recordedAt));
  const condition = active.find((c) => normaliseIcd10(c.icd10) === normaliseIcd10(indicationIcd10));
  if (!condition && !input.indication.notOnProblemList)
    throw new Invalid('The indication is not one of the patient’s active diagnoses.', [
      {
        path: 'indication.icd10',
        message: 'Choose one of the active diagnoses, or confirm an indication not on the problem list.',
      },
    ]);

  await assertPreparationLinks(ctx, patientId, input.goals, 'goals');
  await assertPreparationLinks(ctx, patientId, input.intentions, 'intentions');

  return {
    courseOptions,
    plannedCourse: course.course,
    startingDoseCalculation,
    maximumDoseCalculation,
    indicationIcd10,
    indicationConditionId: condition?.id ?? null,
  };
}

/** A goal carried over from a preparation note must name a note of this patient and one of its items. */
async function assertPreparationLinks(
  ctx: ServiceContext,
  patientId: string,
  goals: PlanInput['goals'],
  field: 'goals' | 'intentions',
): Promise<void> {
  const noteIds = [...new Set(goals.map((g) => g.preparationNoteId).filter((id): id is string => !!id))];
  const notes = noteIds.length
    ? await ctx.tx
        .select({ id: preparationNote.id, content: preparationNote.content })
        .from(preparationNote)
        .where(
          and(
            eq(preparationNote.clinicId, ctx.clinicId),
            eq(preparationNote.patientId, patientId),
            inArray(preparationNote.id, noteIds),
          ),
        )
    : [];
  goals.forEach((goal, index) => {
    if (!goal.preparationNoteId && !goal.preparationItemId) return;
    const note = notes.find((n) => n.id === goal.preparationNoteId);
    const items = note ? [...note.content.goals, ...note.content.intentions] : [];
    if (!note || !items.some((item) => item.id === goal.preparationItemId))
      throw new Invalid('A goal names a preparation note item that does not exist.', [
        {
          path: `${field}.${index}.preparationItemId`,
          message: 'Choose a goal or intention from one of this patient’s preparation notes.',
        },
      ]);
  });
}

const goalsOf = (goals: PlanInput['goals']): PlanGoal[] =>
  goals.map((g) => ({
    text: g.text,
    preparationNoteId: g.preparationNoteId ?? null,
    preparationItemId: g.preparationItemId ?? null,
  }));

function planColumns(input: PlanInput, evaluated: Evaluated) {
  return {
    indicationIcd10: evaluated.indicationIcd10,
    indicationDescription: input.indication.description,
    indicationConditionId: evaluated.indicationConditionId,
    protocolId: input.protocolId,
    route: input.route,
    product: input.product,
    startDate: input.startDate,
    dosingSessions: input.dosingSessions,
    courseOptions: evaluated.courseOptions,
    doseUnit: input.startingDose.unit,
    startingDose: input.startingDose.value,
    maximumDose: input.maximumDose.value,
    weightKg: input.weightKg ?? null,
    startingDoseCalculation: evaluated.startingDoseCalculation,
    maximumDoseCalculation: evaluated.maximumDoseCalculation,
    plannedCourse: evaluated.plannedCourse,
    goals: goalsOf(input.goals),
    intentions: goalsOf(input.intentions),
  };
}

/** The stored inputs of a version, as the prescriber entered them. */
function inputOf(row: PlanRow): PlanInput {
  return {
    indication: {
      icd10: row.indicationIcd10,
      description: row.indicationDescription,
      notOnProblemList: row.indicationConditionId === null,
    },
    protocolId: row.protocolId,
    route: row.route,
    product: row.product,
    startDate: row.startDate,
    dosingSessions: row.dosingSessions,
    maintenanceDoses: row.courseOptions.maintenanceDoses ?? null,
    maintenanceEveryWeeks: row.courseOptions.maintenanceEveryWeeks ?? null,
    weightKg: row.weightKg,
    startingDose: { value: row.startingDose, unit: row.doseUnit },
    maximumDose: { value: row.maximumDose, unit: row.doseUnit },
    goals: row.goals,
    intentions: row.intentions,
  };
}

/** Locks the patient's row: the plans of one patient change one request at a time (one active plan). */
async function lockPatient(ctx: ServiceContext, patientId: string): Promise<void> {
  await ctx.tx
    .select({ id: patient.id })
    .from(patient)
    .where(and(eq(patient.clinicId, ctx.clinicId), eq(patient.id, patientId)))
    .for('update');
}

async function findPlanRow(ctx: ServiceContext, patientId: string, planId: string, lock = false) {
  const query = ctx.tx
    .select()
    .from(treatmentPlan)
    .where(
      and(
        eq(treatmentPlan.clinicId, ctx.clinicId),
        eq(treatmentPlan.patientId, patientId),
        eq(treatmentPlan.id, planId),
      ),
    );
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw new NotFound('Treatment plan');
  return row;
}

async function closingEventOf(ctx: ServiceContext, planId: string): Promise<EventRow | undefined> {
  const [event] = await ctx.tx
    .select()
    .from(treatmentPlanEvent)
    .where(and(eq(treatmentPlanEvent.clinicId, ctx.clinicId), eq(treatmentPlanEvent.planId, planId)));
  return event;
}

/** The signed versions of a patient that nothing has closed (superseded or ended): at most one. */
async function openSignedVersions(ctx: ServiceContext, patientId: string): Promise<PlanRow[]> {
  const rows = await ctx.tx
    .select({ plan: treatmentPlan })
    .from(treatmentPlan)
    .leftJoin(
      treatmentPlanEvent,
      and(
        eq(treatmentPlanEvent.clinicId, treatmentPlan.clinicId),
        eq(treatmentPlanEvent.planId, treatmentPlan.id),
      ),
    )
    .where(
      and(
        eq(treatmentPlan.clinicId, ctx.clinicId),
        eq(treatmentPlan.patientId, patientId),
        eq(treatmentPlan.status, 'signed'),
        isNull(treatmentPlanEvent.id),
      ),
    )
    .orderBy(desc(treatmentPlan.signedAt));
  return rows.map((r) => r.plan);
}

// ---------------------------------------------------------------------------------------------- use cases

/** Creates a draft (version 1 of a new plan). Several drafts may exist; only one plan can be active. */
export async function createDraft(
  ctx: ServiceContext,
  patientId: string,
  input: PlanInput,
): Promise<PlanView> {
  await assertClinicalChart(ctx, patientId);
  const evaluated = await evaluatePlan(ctx, patientId, input);
  const id = randomUUID();
  const now = ctx.clock.now();
  await ctx.tx.insert(treatmentPlan).values({
    id,
    clinicId: ctx.clinicId,
    patientId,
    seriesId: id,
    version: 1,
    ...planColumns(input, evaluated),
    createdAt: now,
    createdBy: ctx.actor.userId,
    updatedAt: now,
    updatedBy: ctx.actor.userId,
  });
  ctx.audit.record({
    action: 'treatment-plan.create',
    resourceType: 'treatment_plan',
    resourceId: id,
    patientId,
    detail: { version: 1, protocolId: input.protocolId },
  });
  return getPlan(ctx, patientId, id);
}

/** Edits a draft at the revision the prescriber read; a signed version is never edited (409). */
export async function updateDraft(
  ctx: ServiceContext,
  patientId: string,
  planId: string,
  input: PlanInput & { revision: number; amendmentReason?: string },
): Promise<PlanView> {
  await assertClinicalChart(ctx, patientId);
  const current = await findPlanRow(ctx, patientId, planId, true);
  if (current.status !== 'draft')
    throw new Conflict(
      current.status === 'signed'
        ? 'This version is signed and cannot be changed: amend it instead.'
        : 'This draft was discarded and cannot be changed.',
      [{ path: 'planId', message: 'Signed plans are amended, not edited.' }],
    );
  if (current.revision !== input.revision)
    throw new Conflict('The draft changed since you opened it. Reload it and make your change again.', [
      { path: 'revision', message: `The draft is at revision ${current.revision}.` },
    ]);
  if (input.amendmentReason !== undefined && current.version === 1)
    throw new Invalid('Only an amendment has a reason.', [
      { path: 'amendmentReason', message: 'Version 1 is not an amendment.' },
    ]);
  const evaluated = await evaluatePlan(ctx, patientId, input);
  await ctx.tx
    .update(treatmentPlan)
    .set({
      ...planColumns(input, evaluated),
      ...(input.amendmentReason !== undefined ? { amendmentReason: input.amendmentReason } : {}),
      revision: current.revision + 1,
      updatedAt: ctx.clock.now(),
      updatedBy: ctx.actor.userId,
    })
    .where(
      and(
        eq(treatmentPlan.clinicId, ctx.clinicId),
        eq(treatmentPlan.id, planId),
        eq(treatmentPlan.status, 'draft'),
        eq(treatmentPlan.revision, input.revision),
      ),
    );
  ctx.audit.record({
    action: 'treatment-plan.update',
    resourceType: 'treatment_plan',
    resourceId: planId,
    patientId,
    detail: { version: current.version, revision: current.revision + 1 },
  });
  return getPlan(ctx, patientId, planId);
}

/**
 * Signs a draft. The signer's password has been checked by the route (confirmPasswordForSignature). The
 * doses and the course are computed again: if @kapstone/clinical now answers differently from what the draft
 * showed, the prescriber reviews it first (409). A 'warning' dose needs `acknowledgeDoseWarnings`.
 * Signing an amendment supersedes the version it amends, in the same transaction. Idempotent by signatureId.
 */
export async function signPlan(
  ctx: ServiceContext,
  patientId: string,
  planId: string,
  input: { signatureId: string; revision: number; acknowledgeDoseWarnings?: boolean },
): Promise<PlanView> {
  await assertClinicalChart(ctx, patientId);
  await lockPatient(ctx, patientId);
  const [bySignature] = await ctx.tx
    .select({ id: treatmentPlan.id, signedBy: treatmentPlan.signedBy })
    .from(treatmentPlan)
    .where(and(eq(treatmentPlan.clinicId, ctx.clinicId), eq(treatmentPlan.signatureId, input.signatureId)));
  const current = await findPlanRow(ctx, patientId, planId, true);
  if (bySignature) {
    if (bySignature.id === planId && bySignature.signedBy === ctx.actor.userId)
      return getPlan(ctx, patientId, planId);
    throw new Conflict('This signature id was already used.', [
      { path: 'signatureId', message: 'Use a new signature id.' },
    ]);
  }
  if (current.status !== 'draft')
    throw new Conflict(`This version is ${current.status} and cannot be signed again.`, [
      { path: 'planId', message: 'Only a draft can be signed.' },
    ]);
  if (current.revision !== input.revision)
    throw new Conflict('The draft changed since you reviewed it. Review it again before signing.', [
      { path: 'revision', message: `The draft is at revision ${current.revision}.` },
    ]);

  const evaluated = await evaluatePlan(ctx, patientId, inputOf(current));
  // Deep equality regardless of key order (jsonb does not keep the order the rules produced).
  const same = (a: unknown, b: unknown) => isDeepStrictEqual(a, b);
  if (
    !same(evaluated.plannedCourse, current.plannedCourse) ||
    !same(evaluated.startingDoseCalculation, current.startingDoseCalculation) ||
    !same(evaluated.maximumDoseCalculation, current.maximumDoseCalculation)
  ) {
    throw new Conflict(
      'The dose check or the course changed since the draft was saved. Save it again and review.',
    );
  }
  const warnings = [current.startingDoseCalculation, current.maximumDoseCalculation]
    .filter((c) => c.level === 'warning')
    .flatMap((c) => c.messages);
  if (warnings.length > 0 && input.acknowledgeDoseWarnings !== true)
    throw new Invalid('The dose check gave warnings: acknowledge them to sign.', [
      { path: 'acknowledgeDoseWarnings', message: warnings.join(' ') },
    ]);

  const open = await openSignedVersions(ctx, patientId);
  const now = ctx.clock.now();
  if (current.amendsId) {
    if (!open.some((p) => p.id === current.amendsId))
      throw new Conflict('The version this amends is no longer active (superseded or ended).', [
        { path: 'planId', message: 'Amend the active version.' },
      ]);
  } else if (open.length > 0) {
    throw new Conflict('The patient already has an active treatment plan: amend it or end it first.', [
      { path: 'planId', message: 'One active plan per patient.' },
    ]);
  }

  await ctx.tx
    .update(treatmentPlan)
    .set({
      status: 'signed',
      signedAt: now,
      signedBy: ctx.actor.userId,
      signatureId: input.signatureId,
      doseWarningsAcknowledged: warnings.length > 0,
      updatedAt: now,
      updatedBy: ctx.actor.userId,
    })
    .where(and(eq(treatmentPlan.clinicId, ctx.clinicId), eq(treatmentPlan.id, planId)));
  if (current.amendsId) {
    await ctx.tx.insert(treatmentPlanEvent).values({
      id: randomUUID(),
      clinicId: ctx.clinicId,
      planId: current.amendsId,
      patientId,
      kind: 'superseded',
      supersededById: planId,
      occurredAt: now,
      actorId: ctx.actor.userId,
    });
    ctx.audit.record({
      action: 'treatment-plan.supersede',
      resourceType: 'treatment_plan',
      resourceId: current.amendsId,
      patientId,
      detail: { supersededBy: planId },
    });
  }
  ctx.audit.record({
    action: 'treatment-plan.sign',
    resourceType: 'treatment_plan',
    resourceId: planId,
    patientId,
    detail: {
      version: current.version,
      protocolId: current.protocolId,
      doseWarningsAcknowledged: warnings.length > 0,
      signatureId: input.signatureId,
    },
  });
  // The plan's measure schedule starts (or follows the amendment) in the same transaction.
  await syncMeasureSchedule(ctx, patientId);
  return getPlan(ctx, patientId, planId);
}

/** Starts an amendment: a new draft version copied from the active signed version, with the reason. */
export async function amendPlan(
  ctx: ServiceContext,
  patientId: string,
  planId: string,
  reason: string,
): Promise<PlanView> {
  await assertClinicalChart(ctx, patientId);
  await lockPatient(ctx, patientId);
  const source = await findPlanRow(ctx, patientId, planId);
  if (source.status !== 'signed' || (await closingEventOf(ctx, planId)))
    throw new Conflict('Only the active signed version of a plan can be amended.', [
      { path: 'planId', message: 'Amend the active version.' },
    ]);
  const [draft] = await ctx.tx
    .select({ id: treatmentPlan.id })
    .from(treatmentPlan)
    .where(
      and(
        eq(treatmentPlan.clinicId, ctx.clinicId),
        eq(treatmentPlan.seriesId, source.seriesId),
        eq(treatmentPlan.status, 'draft'),
      ),
    );
  if (draft)
    throw new Conflict('An amendment of this plan is already in draft: edit and sign that one.', [
      { path: 'planId', message: `Draft ${draft.id} is open.` },
    ]);
  const [{ latest } = { latest: 0 }] = await ctx.tx
    .select({ latest: sql<number>`max(${treatmentPlan.version})`.mapWith(Number) })
    .from(treatmentPlan)
    .where(and(eq(treatmentPlan.clinicId, ctx.clinicId), eq(treatmentPlan.seriesId, source.seriesId)));
  const id = randomUUID();
  const now = ctx.clock.now();
  const {
    id: _id,
    version: _v,
    status: _s,
    revision: _r,
    signedAt: _sa,
    signedBy: _sb,
    signatureId: _si,
    doseWarningsAcknowledged: _d,
    ...content
  } = source;
  await ctx.tx.insert(treatmentPlan).values({
    ...content,
    id,
    version: latest + 1,
    amendsId: source.id,
    amendmentReason: reason,
    createdAt: now,
    createdBy: ctx.actor.userId,
    updatedAt: now,
    updatedBy: ctx.actor.userId,
  });
  ctx.audit.record({
    action: 'treatment-plan.amend',
    resourceType: 'treatment_plan',
    resourceId: id,
    patientId,
    detail: { amends: source.id, version: latest + 1 },
  });
  return getPlan(ctx, patientId, id);
}

/**
 * Ends the active plan (course complete, or stopped): an event, never an edit of the signed version. A draft
 * amendment still open is discarded (kept, never signable).
 */
export async function endPlan(
  ctx: ServiceContext,
  patientId: string,
  planId: string,
  input: { reason: TreatmentPlanEndReason; note?: string | null },
): Promise<PlanView> {
  await assertClinicalChart(ctx, patientId);
  await lockPatient(ctx, patientId);
  const plan = await findPlanRow(ctx, patientId, planId);
  if (plan.status !== 'signed' || (await closingEventOf(ctx, planId)))
    throw new Conflict('Only the active signed version of a plan can be ended.', [
      { path: 'planId', message: 'This version is not the active plan.' },
    ]);
  const now = ctx.clock.now();
  await ctx.tx.insert(treatmentPlanEvent).values({
    id: randomUUID(),
    clinicId: ctx.clinicId,
    planId,
    patientId,
    kind: 'ended',
    reason: input.reason,
    note: input.note ?? null,
    occurredAt: now,
    actorId: ctx.actor.userId,
  });
  const discarded = await ctx.tx
    .update(treatmentPlan)
    .set({ status: 'discarded', updatedAt: now, updatedBy: ctx.actor.userId })
    .where(
      and(
        eq(treatmentPlan.clinicId, ctx.clinicId),
        eq(treatmentPlan.seriesId, plan.seriesId),
        eq(treatmentPlan.status, 'draft'),
      ),
    )
    .returning({ id: treatmentPlan.id });
  ctx.audit.record({
    action: 'treatment-plan.end',
    resourceType: 'treatment_plan',
    resourceId: planId,
    patientId,
    detail: { reason: input.reason, discardedDrafts: discarded.map((d) => d.id) },
  });
  // Pre-dose measures of doses that will not happen are cancelled; end of course and follow-ups begin.
  await syncMeasureSchedule(ctx, patientId);
  return getPlan(ctx, patientId, planId);
}

/** Discards a draft that will not be signed (a new plan or an amendment): kept as 'discarded', never signable. */
export async function discardDraft(
  ctx: ServiceContext,
  patientId: string,
  planId: string,
): Promise<PlanView> {
  await assertClinicalChart(ctx, patientId);
  await lockPatient(ctx, patientId);
  const plan = await findPlanRow(ctx, patientId, planId, true);
  if (plan.status !== 'draft')
    throw new Conflict(`This version is ${plan.status}: only a draft can be discarded.`, [
      { path: 'planId', message: 'Only a draft can be discarded.' },
    ]);
  await ctx.tx
    .update(treatmentPlan)
    .set({ status: 'discarded', updatedAt: ctx.clock.now(), updatedBy: ctx.actor.userId })
    .where(and(eq(treatmentPlan.clinicId, ctx.clinicId), eq(treatmentPlan.id, planId)));
  ctx.audit.record({
    action: 'treatment-plan.discard',
    resourceType: 'treatment_plan',
    resourceId: planId,
    patientId,
    detail: { version: plan.version },
  });
  return getPlan(ctx, patientId, planId);
}

/** What the form shows for unsaved inputs: planCourse and calculateDose, each where its inputs are given. */
export async function previewPlan(ctx: ServiceContext, patientId: string, input: PlanPreviewInput) {
  await assertClinicalChart(ctx, patientId);
  const protocol = protocols[input.protocolId];
  const [person] = await ctx.tx
    .select({ dateOfBirth: patient.dateOfBirth })
    .from(patient)
    .where(and(eq(patient.clinicId, ctx.clinicId), eq(patient.id, patientId)));
  const unit = doseUnitFor(protocol.route);
  let plannedCourse: PlannedEvent[] | null = null;
  let courseProblem: FieldProblem | null = null;
  if (input.startDate) {
    if (!!input.maintenanceDoses !== !!input.maintenanceEveryWeeks) {
      courseProblem = {
        path: 'maintenanceEveryWeeks',
        message: 'Give both the number of maintenance doses and how many weeks apart they are.',
      };
    } else {
      const result = courseOf(
        input.protocolId,
        input.startDate,
        courseOptionsFor(input.protocolId, {
          dosingSessions: input.dosingSessions ?? protocol.dosingDays.length,
          maintenanceDoses: input.maintenanceDoses,
          maintenanceEveryWeeks: input.maintenanceEveryWeeks,
        }),
      );
      plannedCourse = result.course;
      courseProblem = result.problem;
    }
  }
  const ageYears = person && input.startDate ? ageOn(person.dateOfBirth, input.startDate) : undefined;
  const limits = await dosingLimitsOf(ctx);
  const dose = (amount: PlanPreviewInput['startingDose']): DoseCalculation | null => {
    if (!amount) return null;
    if (amount.unit !== unit)
      return { doseMg: 0, level: 'blocked', messages: [`A ${protocol.route} dose is written in ${unit}.`] };
    return calculateDose(
      doseOrder({
        product: protocol.product,
        route: protocol.route,
        weightKg: input.weightKg,
        dose: amount,
        ...(ageYears !== undefined ? { ageYears } : {}),
      }),
      limits,
    );
  };
  ctx.audit.record({
    action: 'treatment-plan.preview',
    resourceType: 'treatment_plan',
    patientId,
    detail: { protocolId: input.protocolId },
  });
  return {
    route: protocol.route,
    product: protocol.product,
    protocolName: protocol.name,
    plannedCourse,
    courseProblem,
    startingDose: dose(input.startingDose),
    maximumDose: dose(input.maximumDose),
  };
}

/** Every version of every plan of the patient, newest plan first, and which one is active. */
export async function listPlans(ctx: ServiceContext, patientId: string) {
  await assertClinicalChart(ctx, patientId);
  const rows = await ctx.tx
    .select()
    .from(treatmentPlan)
    .where(and(eq(treatmentPlan.clinicId, ctx.clinicId), eq(treatmentPlan.patientId, patientId)))
    .orderBy(desc(treatmentPlan.createdAt), desc(treatmentPlan.version));
  const items = await presentPlans(ctx, rows);
  ctx.audit.record({
    action: 'treatment-plan.list',
    resourceType: 'treatment_plan',
    patientId,
    detail: { count: items.length },
  });
  return { items, activePlanId: items.find((p) => p.status === 'signed')?.id ?? null };
}

async function getPlan(ctx: ServiceContext, patientId: string, planId: string): Promise<PlanView> {
  const row = await findPlanRow(ctx, patientId, planId);
  const [view] = await presentPlans(ctx, [row]);
  return view!;
}

/** The presenter: the only place a plan row becomes JSON; the status comes from the row and its events. */
async function presentPlans(ctx: ServiceContext, rows: PlanRow[]): Promise<PlanView[]> {
  if (rows.length === 0) return [];
  const events = await ctx.tx
    .select()
    .from(treatmentPlanEvent)
    .where(
      and(
        eq(treatmentPlanEvent.clinicId, ctx.clinicId),
        inArray(
          treatmentPlanEvent.planId,
          rows.map((r) => r.id),
        ),
      ),
    );
  const userIds = [
    ...new Set(
      [...rows.flatMap((r) => [r.createdBy, r.signedBy]), ...events.map((e) => e.actorId)].filter(
        (id): id is string => !!id,
      ),
    ),
  ];
  const users = userIds.length
    ? await ctx.tx
        .select({ id: userAccount.id, displayName: userAccount.displayName })
        .from(userAccount)
        .where(and(eq(userAccount.clinicId, ctx.clinicId), inArray(userAccount.id, userIds)))
    : [];
  const person = (id: string | null) => (id ? (users.find((u) => u.id === id) ?? null) : null);
  return rows.map((row) => {
    const event = events.find((e) => e.planId === row.id);
    const status =
      row.status === 'signed' && event ? (event.kind === 'ended' ? 'ended' : 'superseded') : row.status;
    return {
      id: row.id,
      patientId: row.patientId,
      seriesId: row.seriesId,
      version: row.version,
      amendsId: row.amendsId,
      amendmentReason: row.amendmentReason,
      status,
      revision: row.revision,
      indication: {
        icd10: row.indicationIcd10,
        description: row.indicationDescription,
        conditionId: row.indicationConditionId,
      },
      protocolId: row.protocolId,
      protocolName: protocols[row.protocolId]?.name ?? row.protocolId,
      route: row.route,
      product: row.product,
      startDate: row.startDate,
      dosingSessions: row.dosingSessions,
      maintenanceDoses: row.courseOptions.maintenanceDoses ?? null,
      maintenanceEveryWeeks: row.courseOptions.maintenanceEveryWeeks ?? null,
      weightKg: row.weightKg,
      startingDose: { value: row.startingDose, unit: row.doseUnit, calculation: row.startingDoseCalculation },
      maximumDose: { value: row.maximumDose, unit: row.doseUnit, calculation: row.maximumDoseCalculation },
      plannedCourse: row.plannedCourse,
      measureSchedule: row.plannedCourse.filter((e) => (e.instruments?.length ?? 0) > 0),
      goals: row.goals,
      intentions: row.intentions,
      createdAt: row.createdAt.toISOString(),
      createdBy: person(row.createdBy),
      updatedAt: row.updatedAt.toISOString(),
      signedAt: row.signedAt?.toISOString() ?? null,
      signedBy: person(row.signedBy),
      doseWarningsAcknowledged: row.doseWarningsAcknowledged,
      closedAt: event?.occurredAt.toISOString() ?? null,
      closedBy: event ? person(event.actorId) : null,
      endReason: event?.kind === 'ended' ? (event.reason ?? null) : null,
      endNote: event?.kind === 'ended' ? event.note : null,
      supersededById: event?.supersededById ?? null,
    };
  });
}

export interface ActivePlan {
  id: string;
  seriesId: string;
  version: number;
  protocolId: ProtocolId;
  route: PlanRow['route'];
  product: PlanRow['product'];
  startDate: string;
  dosingSessions: number;
  /** The whole course as planCourse made it when the plan was signed. */
  plannedCourse: PlannedEvent[];
  /** The dosing sessions of that course, in order. */
  dosingEvents: PlannedEvent[];
  /** The events with instruments due (baseline, before each dose, end of course, follow-ups). */
  measureSchedule: PlannedEvent[];
  doseLimits: {
    unit: 'mg/kg' | 'mg';
    startingDose: number;
    maximumDose: number;
    weightKg: number | null;
    startingDoseMg: number;
    maximumDoseMg: number;
  };
  signedAt: string;
  signedBy: string;
}

/**
 * The active plan of a patient: the latest signed version of the patient's current plan that is neither
 * superseded nor ended, or null. For other areas (scheduling, measures): it proves the chart is in the
 * caller's clinic and reach (assertChartAccess, any level, so the front desk can book a course) and records
 * no audit event of its own; the caller audits what it reads and shows.
 */
export async function findActivePlan(ctx: ServiceContext, patientId: string): Promise<ActivePlan | null> {
  await assertChartAccess(ctx, patientId);
  const [row] = await openSignedVersions(ctx, patientId);
  if (!row?.signedAt || !row.signedBy) return null;
  return {
    id: row.id,
    seriesId: row.seriesId,
    version: row.version,
    protocolId: row.protocolId,
    route: row.route,
    product: row.product,
    startDate: row.startDate,
    dosingSessions: row.dosingSessions,
    plannedCourse: row.plannedCourse,
    dosingEvents: row.plannedCourse.filter((e) => e.kind === 'dosing'),
    measureSchedule: row.plannedCourse.filter((e) => (e.instruments?.length ?? 0) > 0),
    doseLimits: {
      unit: row.doseUnit,
      startingDose: row.startingDose,
      maximumDose: row.maximumDose,
      weightKg: row.weightKg,
      startingDoseMg: row.startingDoseCalculation.doseMg,
      maximumDoseMg: row.maximumDoseCalculation.doseMg,
    },
    signedAt: row.signedAt.toISOString(),
    signedBy: row.signedBy,
  };
}
