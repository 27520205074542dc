import { classifyVitals, type Vitals } from '@kapstone/clinical';
import { and, asc, desc, eq, isNotNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { ServiceContext } from '../../context.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { userAccount, vitalSigns } from '../../db/schema/index.ts';
import type { VitalSignsContext } from '../../db/schema/screening.ts';
import { Conflict, Invalid, NotFound } from '../../errors.ts';
import { assertChartAccess } from '../../security/care-scope.ts';
import type { VitalSignsInput, VitalSignsView } from './vitals.schemas.ts';

type VitalSignsRow = typeof vitalSigns.$inferSelect;

/** A reading taken up to this far ahead of the server clock is accepted (device clocks drift); no further. */
const clockSkewMs = 5 * 60_000;

export async function requireClinicalAccess(ctx: ServiceContext, patientId: string) {
  const access = await assertChartAccess(ctx, patientId);
  if (access.level !== 'clinical') throw new NotFound('Patient');
  return access;
}

/** The values a retry must repeat exactly to be the same reading. */
function sameReading(row: VitalSignsRow, patientId: string, input: VitalSignsInput): boolean {
  return (
    row.patientId === patientId &&
    row.context === input.context &&
    row.measuredAt.getTime() === new Date(input.measuredAt).getTime() &&
    row.systolic === (input.systolic ?? null) &&
    row.diastolic === (input.diastolic ?? null) &&
    row.heartRate === (input.heartRate ?? null) &&
    row.spo2 === (input.spo2 ?? null) &&
    row.respiratoryRate === (input.respiratoryRate ?? null) &&
    row.weightKg === (input.weightKg ?? null) &&
    row.heightCm === (input.heightCm ?? null) &&
    row.supersedesId === (input.supersedesId ?? null) &&
    row.enteredInError === (input.enteredInError ?? false)
  );
}

/**
 * Records a set of vital signs, or a correction of one. Idempotent by the client's id: the same request
 * again returns the reading it made (`created: false`); the same id with other values is a conflict.
 */
export async function recordVitals(
  ctx: ServiceContext,
  patientId: string,
  input: VitalSignsInput,
): Promise<{ created: boolean; reading: VitalSignsView }> {
  const access = await requireClinicalAccess(ctx, patientId);
  const now = ctx.clock.now();
  const measuredAt = new Date(input.measuredAt);
  if (measuredAt.getTime() > now.getTime() + clockSkewMs)
    throw new Invalid('A reading cannot be taken in the future.', [
      { path: 'measuredAt', message: 'Use the time the reading was taken.' },
    ]);

  const existing = await findReading(ctx, input.id);
  if (existing) return { created: false, reading: await replay(ctx, existing, patientId, input) };

  if (input.supersedesId) {
    const target = await findReading(ctx, input.supersedesId);
    if (!target || target.patientId !== patientId)
      throw new Invalid('No such reading in this chart.', [
        { path: 'supersedesId', message: 'Choose one of the patient’s readings.' },
      ]);
    if (target.enteredInError)
      throw new Invalid('A retraction cannot be corrected.', [
        { path: 'supersedesId', message: 'Correct a reading, not the mark of an error.' },
      ]);
    if (target.context !== input.context)
      throw new Invalid('A correction keeps the context of the reading it corrects.', [
        { path: 'context', message: `Use ${target.context}.` },
      ]);
  }

  try {
    // A savepoint, so a refused write is answered 409 without aborting the unit of work (and its audit).
    const inserted = await ctx.tx.transaction(async (sp) =>
      sp
        .insert(vitalSigns)
        .values({
          id: input.id,
          clinicId: ctx.clinicId,
          patientId,
          context: input.context,
          sessionId: null,
          systolic: input.systolic ?? null,
          diastolic: input.diastolic ?? null,
          heartRate: input.heartRate ?? null,
          spo2: input.spo2 ?? null,
          respiratoryRate: input.respiratoryRate ?? null,
          weightKg: input.weightKg ?? null,
          heightCm: input.heightCm ?? null,
          measuredAt,
          recordedAt: now,
          recordedBy: ctx.actor.userId,
          supersedesId: input.supersedesId ?? null,
          enteredInError: input.enteredInError ?? false,
          correctionReason: input.correctionReason ?? null,
          note: input.note ?? null,
        })
        .onConflictDoNothing({ target: vitalSigns.id })
        .returning({ id: vitalSigns.id }),
    );
    if (inserted.length === 0) {
      // A concurrent retry won the race, or the id belongs to another clinic's row.
      const raced = await findReading(ctx, input.id);
      if (raced) return { created: false, reading: await replay(ctx, raced, patientId, input) };
      throw new Conflict('This reading id is already used: generate a new one.', [
        { path: 'id', message: 'Generate a new id.' },
      ]);
    }
  } catch (error) {
    if (isUniqueViolation(error, 'vital_signs_supersedes_once_key'))
      throw new Conflict('That reading was already corrected: correct the latest version instead.', [
        { path: 'supersedesId', message: 'Already corrected.' },
      ]);
    if (isUniqueViolation(error)) {
      // A concurrent retry with the same id that the id index did not arbitrate (the primary key caught it).
      const raced = await findReading(ctx, input.id);
      if (raced) return { created: false, reading: await replay(ctx, raced, patientId, input) };
      throw new Conflict('This reading id is already used: generate a new one.', [
        { path: 'id', message: 'Generate a new id.' },
      ]);
    }
    throw error;
  }
  ctx.audit.record({
    action: input.supersedesId
      ? input.enteredInError
        ? 'vitals.entered-in-error'
        : 'vitals.correct'
      : 'vitals.record',
    resourceType: 'vital_signs',
    resourceId: input.id,
    patientId,
    breakGlass: access.breakGlass,
    detail: { context: input.context, ...(input.supersedesId ? { supersedes: input.supersedesId } : {}) },
  });
  const reading = (await listReadings(ctx, patientId)).find((r) => r.id === input.id)!;
  return { created: true, reading };
}

async function replay(
  ctx: ServiceContext,
  row: VitalSignsRow,
  patientId: string,
  input: VitalSignsInput,
): Promise<VitalSignsView> {
  if (!sameReading(row, patientId, input))
    throw new Conflict('A different reading was already saved with this id: generate a new one.', [
      { path: 'id', message: 'Generate a new id for a new reading.' },
    ]);
  return (await listReadings(ctx, patientId)).find((r) => r.id === row.id)!;
}

async function findReading(ctx: ServiceContext, id: string): Promise<VitalSignsRow | undefined> {
  const [row] = await ctx.tx
    .select()
    .from(vitalSigns)
    .where(and(eq(vitalSigns.clinicId, ctx.clinicId), eq(vitalSigns.id, id)));
  return row;
}

const toVitals = (row: VitalSignsRow): Vitals => {
  const vitals: Vitals = {};
  if (row.systolic !== null) vitals.systolic = row.systolic;
  if (row.diastolic !== null) vitals.diastolic = row.diastolic;
  if (row.heartRate !== null) vitals.heartRate = row.heartRate;
  if (row.spo2 !== null) vitals.spo2 = row.spo2;
  if (row.respiratoryRate !== null) vitals.respiratoryRate = row.respiratoryRate;
  return vitals;
};

/** Every reading of the patient, newest first, each with its status in the correction chain. */
async function listReadings(ctx: ServiceContext, patientId: string): Promise<VitalSignsView[]> {
  const later = alias(vitalSigns, 'later');
  const rows = await ctx.tx
    .select({
      row: vitalSigns,
      recordedByName: userAccount.displayName,
      supersededById: later.id,
      supersededByError: later.enteredInError,
    })
    .from(vitalSigns)
    .innerJoin(
      userAccount,
      and(eq(userAccount.clinicId, vitalSigns.clinicId), eq(userAccount.id, vitalSigns.recordedBy)),
    )
    .leftJoin(later, and(eq(later.clinicId, vitalSigns.clinicId), eq(later.supersedesId, vitalSigns.id)))
    .where(and(eq(vitalSigns.clinicId, ctx.clinicId), eq(vitalSigns.patientId, patientId)))
    .orderBy(desc(vitalSigns.measuredAt), desc(vitalSigns.recordedAt), asc(vitalSigns.id))
    .limit(500);
  return rows.map(({ row, recordedByName, supersededById, supersededByError }) => {
    const status: VitalSignsView['status'] = row.enteredInError
      ? 'retraction'
      : supersededById
        ? supersededByError
          ? 'entered-in-error'
          : 'superseded'
        : 'current';
    const vitals = toVitals(row);
    return {
      id: row.id,
      patientId: row.patientId,
      context: row.context,
      sessionId: row.sessionId,
      systolic: row.systolic,
      diastolic: row.diastolic,
      heartRate: row.heartRate,
      spo2: row.spo2,
      respiratoryRate: row.respiratoryRate,
      weightKg: row.weightKg,
      heightCm: row.heightCm,
      measuredAt: row.measuredAt.toISOString(),
      recordedAt: row.recordedAt.toISOString(),
      recordedBy: { id: row.recordedBy, displayName: recordedByName },
      note: row.note,
      supersedesId: row.supersedesId,
      correctionReason: row.correctionReason,
      enteredInError: row.enteredInError,
      status,
      supersededById: supersededById ?? null,
      classification: status === 'current' && Object.keys(vitals).length > 0 ? classifyVitals(vitals) : null,
    };
  });
}

export async function listVitals(ctx: ServiceContext, patientId: string) {
  const access = await requireClinicalAccess(ctx, patientId);
  const items = await listReadings(ctx, patientId);
  ctx.audit.record({
    action: 'vitals.list',
    resourceType: 'vital_signs',
    patientId,
    breakGlass: access.breakGlass,
    detail: { count: items.length },
  });
  return { items };
}

/**
 * The most recent standing blood-pressure reading of a context (not superseded, not retracted), for the
 * eligibility profile. Access must already be checked by the caller.
 */
export async function latestStandingBloodPressure(
  ctx: ServiceContext,
  patientId: string,
  context: VitalSignsContext = 'screening',
): Promise<VitalSignsRow | null> {
  const [row] = await ctx.tx
    .select()
    .from(vitalSigns)
    .where(
      and(
        eq(vitalSigns.clinicId, ctx.clinicId),
        eq(vitalSigns.patientId, patientId),
        eq(vitalSigns.context, context),
        eq(vitalSigns.enteredInError, false),
        isNotNull(vitalSigns.systolic),
        sql`NOT EXISTS (SELECT 1 FROM ${vitalSigns} s WHERE s.clinic_id = ${vitalSigns.clinicId} AND s.supersedes_id = ${vitalSigns.id})`,
      ),
    )
    .orderBy(desc(vitalSigns.measuredAt), desc(vitalSigns.recordedAt))
    .limit(1);
  return row ?? null;
}
