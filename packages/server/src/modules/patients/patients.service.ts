import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { ServiceContext } from '../../context.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import {
  careTeamMember,
  patient,
  patientAllergy,
  patientCondition,
  patientMedication,
  patientVersion,
} from '../../db/schema/index.ts';
import type { PatientDemographics } from '../../db/schema/patients.ts';
import { Conflict, NotFound, PreconditionFailed } from '../../errors.ts';
import { decodeCursor, encodeCursor } from '../../http/cursor.ts';
import { assertChartAccess } from '../../security/care-scope.ts';
import { careTeamBoundRoles } from '../../security/permissions.ts';
import { presentPatient, presentSummary } from './patients.presenter.ts';
import * as repo from './patients.repository.ts';
import type {
  allergyCreateSchema,
  allergyStatusSchema,
  conditionCreateSchema,
  conditionStatusSchema,
  medicationCreateSchema,
  medicationStatusSchema,
  PatientCreateInput,
  PatientSearchInput,
  PatientUpdateInput,
  PatientView,
} from './patients.schemas.ts';

const demographicFields = [
  'givenName',
  'familyName',
  'preferredName',
  'dateOfBirth',
  'sexAtBirth',
  'genderIdentity',
  'pronouns',
  'email',
  'phone',
  'address',
  'emergencyContact',
] as const satisfies readonly (keyof PatientDemographics)[];

export async function searchPatients(ctx: ServiceContext, input: PatientSearchInput) {
  const after = input.cursor ? decodeCursor(input.cursor, ['familyName', 'givenName', 'id']) : undefined;
  const rows = await repo.search(ctx.tx, ctx.clinicId, ctx.actor.userId, {
    q: input.q,
    dateOfBirth: input.dateOfBirth,
    mrn: input.mrn,
    after,
    limit: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  // The search terms are identifying: the audit keeps which filters were used and how many matched, not the terms.
  ctx.audit.record({
    action: 'patient.search',
    resourceType: 'patient',
    detail: {
      filters: Object.keys(input).filter((k) => k !== 'limit' && k !== 'cursor'),
      results: page.length,
    },
  });
  return {
    items: page.map(presentSummary),
    nextCursor:
      rows.length > input.limit && last
        ? encodeCursor({ familyName: last.familyName, givenName: last.givenName, id: last.id })
        : null,
  };
}

export async function readPatient(ctx: ServiceContext, patientId: string): Promise<PatientView> {
  const access = await assertChartAccess(ctx, patientId);
  const row = await repo.findById(ctx.tx, ctx.clinicId, patientId);
  if (!row) throw new NotFound('Patient');
  const clinical = access.level === 'clinical';
  // One transaction is one connection: its queries run one after another (pg refuses to pipeline them).
  const conditions = clinical ? await repo.listConditions(ctx.tx, ctx.clinicId, patientId) : [];
  const medications = clinical ? await repo.listMedications(ctx.tx, ctx.clinicId, patientId) : [];
  const allergies = clinical ? await repo.listAllergies(ctx.tx, ctx.clinicId, patientId) : [];
  const inCareTeam = access.inCareTeam;
  ctx.audit.record({
    action: 'patient.read',
    resourceType: 'patient',
    resourceId: patientId,
    patientId,
    breakGlass: access.breakGlass,
    detail: { clinicalData: clinical },
  });
  return presentPatient(row, { inCareTeam, clinical, conditions, medications, allergies });
}

export async function createPatient(ctx: ServiceContext, input: PatientCreateInput): Promise<PatientView> {
  const now = ctx.clock.now();
  const id = randomUUID();
  const mrn = input.mrn ?? (await repo.nextMrn(ctx.tx, ctx.clinicId));
  const demographics: PatientDemographics = {
    givenName: input.givenName,
    familyName: input.familyName,
    preferredName: input.preferredName ?? null,
    dateOfBirth: input.dateOfBirth,
    sexAtBirth: input.sexAtBirth,
    genderIdentity: input.genderIdentity ?? null,
    pronouns: input.pronouns ?? null,
    email: input.email ?? null,
    phone: input.phone ?? null,
    address: input.address ?? null,
    emergencyContact: input.emergencyContact ?? null,
  };
  try {
    // A savepoint, so a duplicate MRN is answered 409 without aborting the whole unit of work.
    await ctx.tx.transaction(async (sp) => {
      await sp.insert(patient).values({
        id,
        clinicId: ctx.clinicId,
        mrn,
        ...demographics,
        searchName: repo.searchNameOf(demographics),
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new Conflict('A patient with this MRN already exists.', [
        { path: 'mrn', message: 'This MRN is taken.' },
      ]);
    }
    throw error;
  }
  // The clinician who registers a patient joins their care team.
  if (ctx.actor.kind === 'staff') {
    const role = ctx.actor.roles.find((r) => careTeamBoundRoles.includes(r));
    if (role) {
      await ctx.tx
        .insert(careTeamMember)
        .values({ clinicId: ctx.clinicId, patientId: id, userId: ctx.actor.userId, role, assignedAt: now });
    }
  }
  ctx.audit.record({ action: 'patient.create', resourceType: 'patient', resourceId: id, patientId: id });
  return readPatientAfterWrite(ctx, id);
}

/**
 * Amends demographics: the previous state is kept in patient_version, and a stale version is refused
 * (409), or a failed If-Match (412), in the same statement sequence that locks the row.
 */
export async function updatePatient(
  ctx: ServiceContext,
  patientId: string,
  input: PatientUpdateInput,
  ifMatchVersion?: number,
): Promise<PatientView> {
  const access = await assertChartAccess(ctx, patientId);
  if (ifMatchVersion !== undefined && ifMatchVersion !== input.version) {
    throw new PreconditionFailed('If-Match does not match the version in the body.');
  }
  const current = await repo.findByIdForUpdate(ctx.tx, ctx.clinicId, patientId, input.version);
  if (!current) {
    const exists = await repo.findById(ctx.tx, ctx.clinicId, patientId);
    if (!exists) throw new NotFound('Patient');
    const message = `This record was changed by someone else (now version ${exists.version}). Reload it and apply your change again.`;
    if (ifMatchVersion !== undefined) throw new PreconditionFailed(message);
    throw new Conflict(message);
  }
  const before = repo.demographicsOf(current);
  const after: PatientDemographics = { ...before };
  for (const field of demographicFields) {
    if (input[field] !== undefined) (after as unknown as Record<string, unknown>)[field] = input[field];
  }
  const changed = demographicFields.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]));
  if (changed.length === 0) return readPatientAfterWrite(ctx, patientId);
  const now = ctx.clock.now();
  await ctx.tx.insert(patientVersion).values({
    clinicId: ctx.clinicId,
    patientId,
    version: current.version,
    demographics: before,
    supersededBy: ctx.actor.userId,
    supersededAt: now,
    changedFields: changed,
  });
  await ctx.tx
    .update(patient)
    .set({ ...after, searchName: repo.searchNameOf(after), version: current.version + 1, updatedAt: now })
    .where(
      and(
        eq(patient.clinicId, ctx.clinicId),
        eq(patient.id, patientId),
        eq(patient.version, current.version),
      ),
    );
  // Field names only: the values are PHI and stay in the record, not the audit trail.
  ctx.audit.record({
    action: 'patient.update',
    resourceType: 'patient',
    resourceId: patientId,
    patientId,
    detail: { fields: changed, version: current.version + 1 },
    breakGlass: access.breakGlass,
  });
  return readPatientAfterWrite(ctx, patientId);
}

async function readPatientAfterWrite(ctx: ServiceContext, patientId: string): Promise<PatientView> {
  const row = await repo.findById(ctx.tx, ctx.clinicId, patientId);
  if (!row) throw new NotFound('Patient');
  const access = await assertChartAccess(ctx, patientId);
  const clinical = access.level === 'clinical';
  return presentPatient(row, {
    inCareTeam: access.inCareTeam,
    clinical,
    conditions: clinical ? await repo.listConditions(ctx.tx, ctx.clinicId, patientId) : [],
    medications: clinical ? await repo.listMedications(ctx.tx, ctx.clinicId, patientId) : [],
    allergies: clinical ? await repo.listAllergies(ctx.tx, ctx.clinicId, patientId) : [],
  });
}

export async function patientHistory(ctx: ServiceContext, patientId: string) {
  const access = await assertChartAccess(ctx, patientId);
  const current = await repo.findById(ctx.tx, ctx.clinicId, patientId);
  if (!current) throw new NotFound('Patient');
  const versions = await repo.listVersions(ctx.tx, ctx.clinicId, patientId);
  const states = [...versions.map((v) => v.version.demographics), repo.demographicsOf(current)];
  ctx.audit.record({
    action: 'patient.history.read',
    resourceType: 'patient',
    resourceId: patientId,
    patientId,
    breakGlass: access.breakGlass,
  });
  return {
    items: versions
      .map(({ version, changedByName }, i) => ({
        version: version.version + 1,
        changedAt: version.supersededAt.toISOString(),
        changedBy: version.supersededBy
          ? { id: version.supersededBy, displayName: changedByName ?? 'Unknown' }
          : null,
        changes: version.changedFields.map((field) => ({
          field,
          from: (states[i] as unknown as Record<string, unknown>)[field] ?? null,
          to: (states[i + 1] as unknown as Record<string, unknown>)[field] ?? null,
        })),
      }))
      .reverse(),
  };
}

async function requireClinicalAccess(
  ctx: ServiceContext,
  patientId: string,
): Promise<{ breakGlass: boolean }> {
  const access = await assertChartAccess(ctx, patientId);
  if (access.level !== 'clinical') throw new NotFound('Patient');
  return access;
}

export async function addCondition(
  ctx: ServiceContext,
  patientId: string,
  input: z.infer<typeof conditionCreateSchema>,
) {
  const access = await requireClinicalAccess(ctx, patientId);
  const [row] = await ctx.tx
    .insert(patientCondition)
    .values({
      id: randomUUID(),
      clinicId: ctx.clinicId,
      patientId,
      icd10: input.icd10,
      description: input.description,
      onsetDate: input.onsetDate ?? null,
      note: input.note ?? null,
      recordedAt: ctx.clock.now(),
      recordedBy: ctx.actor.userId,
    })
    .returning();
  ctx.audit.record({
    action: 'patient.condition.add',
    resourceType: 'condition',
    resourceId: row!.id,
    patientId,
    breakGlass: access.breakGlass,
  });
  return row!;
}

export async function addMedication(
  ctx: ServiceContext,
  patientId: string,
  input: z.infer<typeof medicationCreateSchema>,
) {
  const access = await requireClinicalAccess(ctx, patientId);
  const [row] = await ctx.tx
    .insert(patientMedication)
    .values({
      id: randomUUID(),
      clinicId: ctx.clinicId,
      patientId,
      name: input.name,
      rxnorm: input.rxnorm ?? null,
      dose: input.dose ?? null,
      route: input.route ?? null,
      frequency: input.frequency ?? null,
      startDate: input.startDate ?? null,
      note: input.note ?? null,
      recordedAt: ctx.clock.now(),
      recordedBy: ctx.actor.userId,
    })
    .returning();
  ctx.audit.record({
    action: 'patient.medication.add',
    resourceType: 'medication',
    resourceId: row!.id,
    patientId,
    breakGlass: access.breakGlass,
  });
  return row!;
}

export async function addAllergy(
  ctx: ServiceContext,
  patientId: string,
  input: z.infer<typeof allergyCreateSchema>,
) {
  const access = await requireClinicalAccess(ctx, patientId);
  const [row] = await ctx.tx
    .insert(patientAllergy)
    .values({
      id: randomUUID(),
      clinicId: ctx.clinicId,
      patientId,
      substance: input.substance,
      reaction: input.reaction ?? null,
      severity: input.severity ?? null,
      note: input.note ?? null,
      recordedAt: ctx.clock.now(),
      recordedBy: ctx.actor.userId,
    })
    .returning();
  ctx.audit.record({
    action: 'patient.allergy.add',
    resourceType: 'allergy',
    resourceId: row!.id,
    patientId,
    breakGlass: access.breakGlass,
  });
  return row!;
}

const listEntries = {
  condition: { table: patientCondition, label: 'Condition' },
  medication: { table: patientMedication, label: 'Medication' },
  allergy: { table: patientAllergy, label: 'Allergy' },
} as const;
type ListEntryKind = keyof typeof listEntries;
type ListEntryRow<K extends ListEntryKind> = (typeof listEntries)[K]['table']['$inferSelect'];

/**
 * Status changes keep the entry (entered-in-error is a status, not a deletion). One UPDATE scoped by clinic,
 * patient and entry id, so another chart's entry cannot be touched whatever id is sent.
 */
async function changeEntryStatus<K extends ListEntryKind>(
  ctx: ServiceContext,
  kind: K,
  patientId: string,
  entryId: string,
  input: { status: string; note?: string | null },
): Promise<ListEntryRow<K>> {
  const access = await requireClinicalAccess(ctx, patientId);
  // The three list tables share these columns; the status values were checked by the route's schema.
  const table = listEntries[kind].table as typeof patientCondition;
  const [row] = await ctx.tx
    .update(table)
    .set({
      status: input.status as (typeof patientCondition.$inferSelect)['status'],
      statusChangedAt: ctx.clock.now(),
      statusChangedBy: ctx.actor.userId,
      ...(input.note !== undefined ? { note: input.note } : {}),
    })
    .where(and(eq(table.clinicId, ctx.clinicId), eq(table.patientId, patientId), eq(table.id, entryId)))
    .returning();
  if (!row) throw new NotFound(listEntries[kind].label);
  ctx.audit.record({
    action: `patient.${kind}.status`,
    resourceType: kind,
    resourceId: entryId,
    patientId,
    breakGlass: access.breakGlass,
    detail: { status: input.status },
  });
  return row as ListEntryRow<K>;
}

export const changeConditionStatus = (
  ctx: ServiceContext,
  patientId: string,
  id: string,
  input: z.infer<typeof conditionStatusSchema>,
) => changeEntryStatus(ctx, 'condition', patientId, id, input);
export const changeMedicationStatus = (
  ctx: ServiceContext,
  patientId: string,
  id: string,
  input: z.infer<typeof medicationStatusSchema>,
) => changeEntryStatus(ctx, 'medication', patientId, id, input);
export const changeAllergyStatus = (
  ctx: ServiceContext,
  patientId: string,
  id: string,
  input: z.infer<typeof allergyStatusSchema>,
) => changeEntryStatus(ctx, 'allergy', patientId, id, input);
