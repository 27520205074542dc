import { type ProtocolId, protocols, type Route } from '@kapstone/clinical';
import { z } from 'zod';
import { treatmentPlanEndReasons } from '../../db/schema/plans.ts';
import { icd10Code } from '../patients/patients.schemas.ts';

export const protocolIds = Object.keys(protocols) as [ProtocolId, ...ProtocolId[]];
export const routes = ['iv', 'im', 'sublingual', 'oral', 'intranasal'] as const satisfies readonly Route[];
export const products = ['ketamine-racemic', 'esketamine'] as const;

const doseAmount = z.strictObject({
  value: z.number().positive().max(10_000),
  unit: z.enum(['mg/kg', 'mg']),
});

const planGoal = z.strictObject({
  text: z.string().trim().min(1).max(1000),
  /** Carried over from a preparation note: the note and the id of its goal or intention. */
  preparationNoteId: z.uuid().nullable().optional(),
  preparationItemId: z.uuid().nullable().optional(),
});

const courseFields = {
  protocolId: z.enum(protocolIds),
  startDate: z.iso.date(),
  dosingSessions: z.number().int().min(1).max(60),
  maintenanceDoses: z.number().int().min(1).max(52).nullable().optional(),
  maintenanceEveryWeeks: z
    .union([z.literal(1), z.literal(2)])
    .nullable()
    .optional(),
};

/** What the prescriber enters; route and product must be the protocol's own (checked by the service). */
export const planInputSchema = z.strictObject({
  indication: z.strictObject({
    icd10: icd10Code,
    description: z.string().trim().min(1).max(300),
    /** The indication is deliberately not one of the patient's active diagnoses (normally it is). */
    notOnProblemList: z.boolean().optional(),
  }),
  ...courseFields,
  route: z.enum(routes),
  product: z.enum(products),
  weightKg: z.number().positive().max(1000).nullable().optional(),
  startingDose: doseAmount,
  maximumDose: doseAmount,
  goals: z.array(planGoal).max(20).default([]),
  intentions: z.array(planGoal).max(20).default([]),
});
export type PlanInput = z.infer<typeof planInputSchema>;

export const planUpdateSchema = planInputSchema.extend({
  /** The draft's revision the prescriber edited (optimistic concurrency). */
  revision: z.number().int().min(1),
  /** For a draft amendment: its reason may be corrected while it is a draft. */
  amendmentReason: z.string().trim().min(3).max(2000).optional(),
});

/** The preview takes unsaved, possibly incomplete inputs: each part is computed when its inputs are there. */
export const planPreviewSchema = z.strictObject({
  ...courseFields,
  startDate: z.iso.date().optional(),
  dosingSessions: z.number().int().min(1).max(60).optional(),
  weightKg: z.number().positive().max(1000).nullable().optional(),
  startingDose: doseAmount.nullable().optional(),
  maximumDose: doseAmount.nullable().optional(),
});
export type PlanPreviewInput = z.infer<typeof planPreviewSchema>;

export const planSignatureSchema = z.strictObject({
  /** Client-generated: a retried signature returns the signed plan instead of failing. */
  signatureId: z.uuid(),
  password: z.string().min(1).max(1024),
  revision: z.number().int().min(1),
  /** Required when calculateDose answered 'warning' for the starting or the maximum dose. */
  acknowledgeDoseWarnings: z.boolean().optional(),
});

export const planAmendmentSchema = z.strictObject({ reason: z.string().trim().min(3).max(2000) });

export const planEndSchema = z.strictObject({
  reason: z.enum(treatmentPlanEndReasons),
  note: z.string().trim().max(2000).nullable().optional(),
});

const doseCalculationView = z.object({
  doseMg: z.number(),
  mgPerKg: z.number().optional(),
  volumeMl: z.number().optional(),
  devices: z.number().optional(),
  level: z.enum(['ok', 'warning', 'blocked']),
  messages: z.array(z.string()),
});

const plannedEventView = z.object({
  kind: z.enum(['preparation', 'dosing', 'integration', 'measure', 'follow-up']),
  week: z.number().optional(),
  earliest: z.string(),
  latest: z.string(),
  instruments: z.array(z.string()).optional(),
  note: z.string().optional(),
});

const person = z.object({ id: z.uuid(), displayName: z.string() }).nullable();

export const planView = z.object({
  id: z.uuid(),
  patientId: z.uuid(),
  seriesId: z.uuid(),
  version: z.number(),
  amendsId: z.uuid().nullable(),
  amendmentReason: z.string().nullable(),
  status: z.enum(['draft', 'signed', 'superseded', 'ended', 'discarded']),
  revision: z.number(),
  indication: z.object({ icd10: z.string(), description: z.string(), conditionId: z.uuid().nullable() }),
  protocolId: z.string(),
  protocolName: z.string(),
  route: z.string(),
  product: z.string(),
  startDate: z.string(),
  dosingSessions: z.number(),
  maintenanceDoses: z.number().nullable(),
  maintenanceEveryWeeks: z.number().nullable(),
  weightKg: z.number().nullable(),
  startingDose: z.object({ value: z.number(), unit: z.string(), calculation: doseCalculationView }),
  maximumDose: z.object({ value: z.number(), unit: z.string(), calculation: doseCalculationView }),
  plannedCourse: z.array(plannedEventView),
  measureSchedule: z.array(plannedEventView),
  goals: z.array(
    z.object({
      text: z.string(),
      preparationNoteId: z.uuid().nullable(),
      preparationItemId: z.uuid().nullable(),
    }),
  ),
  intentions: z.array(
    z.object({
      text: z.string(),
      preparationNoteId: z.uuid().nullable(),
      preparationItemId: z.uuid().nullable(),
    }),
  ),
  createdAt: z.string(),
  createdBy: person,
  updatedAt: z.string(),
  signedAt: z.string().nullable(),
  signedBy: person,
  doseWarningsAcknowledged: z.boolean(),
  closedAt: z.string().nullable(),
  closedBy: person,
  endReason: z.enum(treatmentPlanEndReasons).nullable(),
  endNote: z.string().nullable(),
  supersededById: z.uuid().nullable(),
});
export type PlanView = z.infer<typeof planView>;

export const planListView = z.object({ items: z.array(planView), activePlanId: z.uuid().nullable() });

export const planPreviewView = z.object({
  route: z.string(),
  product: z.string(),
  protocolName: z.string(),
  plannedCourse: z.array(plannedEventView).nullable(),
  courseProblem: z.object({ path: z.string(), message: z.string() }).nullable(),
  startingDose: doseCalculationView.nullable(),
  maximumDose: doseCalculationView.nullable(),
});
