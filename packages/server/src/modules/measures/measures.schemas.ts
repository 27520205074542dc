import { type InstrumentId, instruments } from '@kapstone/clinical';
import { z } from 'zod';

export const instrumentId = z.enum(Object.keys(instruments) as [InstrumentId, ...InstrumentId[]]);

export const assignBody = z.strictObject({
  /** Absent: the clinic's screening set. */
  instruments: z
    .array(instrumentId)
    .min(1)
    .max(Object.keys(instruments).length)
    .refine((list) => new Set(list).size === list.length, 'List each instrument once.')
    .optional(),
  reason: z.enum(['baseline']).optional(),
  dueDate: z.iso.date().optional(),
  respondent: z.enum(['patient', 'clinician']).optional(),
});

/** One answer per item in item order: the option's score, or null for an item not asked or skipped. */
export const responseBody = z.strictObject({
  id: z.uuid(),
  answers: z.array(z.number().int().min(0).max(100).nullable()).min(1).max(100),
});

export const staffResponseBody = responseBody.extend({
  /** The response this one corrects (it stays stored). */
  supersedes: z.uuid().nullable().optional(),
});

const person = z.object({ id: z.uuid(), displayName: z.string() }).nullable();

export const assignmentView = z.object({
  id: z.uuid(),
  instrument: instrumentId,
  name: z.string(),
  shortName: z.string(),
  reason: z.string(),
  respondent: z.enum(['patient', 'clinician']),
  dueDate: z.string(),
  status: z.enum(['pending', 'completed', 'cancelled']),
  assignedAt: z.string(),
  assignedBy: person,
  completedAt: z.string().nullable(),
  responseId: z.uuid().nullable(),
});

export const responseView = z.object({
  id: z.uuid(),
  assignmentId: z.uuid().nullable(),
  instrument: instrumentId,
  shortName: z.string(),
  answers: z.array(z.number().nullable()),
  score: z.object({
    total: z.number().nullable(),
    totalRange: z.object({ min: z.number(), max: z.number() }).nullable(),
    band: z.string(),
    bandLabel: z.string().nullable(),
    complete: z.boolean(),
    flags: z.array(z.string()),
    subscales: z.record(z.string(), z.number()).nullable(),
  }),
  source: z.enum(['patient', 'staff']),
  enteredBy: person,
  authoredAt: z.string(),
  supersedesId: z.uuid().nullable(),
  supersededBy: z.uuid().nullable(),
  observations: z.array(
    z.object({
      id: z.uuid(),
      key: z.string(),
      code: z.object({ system: z.string(), code: z.string() }).nullable(),
      display: z.string(),
      value: z.number().nullable(),
      band: z.string().nullable(),
      effectiveAt: z.string(),
    }),
  ),
  alerts: z.array(z.object({ id: z.uuid(), severity: z.string(), status: z.string() })),
});

export const patientMeasuresView = z.object({
  assignments: z.array(assignmentView),
  responses: z.array(responseView),
});

export const dueListView = z.object({
  items: z.array(
    z.object({
      id: z.uuid(),
      instrument: instrumentId,
      name: z.string(),
      shortName: z.string(),
      dueDate: z.string(),
      status: z.enum(['pending', 'completed', 'cancelled']),
      itemCount: z.number().int(),
    }),
  ),
});

export const questionnaireView = z.object({
  assignment: z.object({
    id: z.uuid(),
    status: z.enum(['pending', 'completed', 'cancelled']),
    dueDate: z.string(),
    completedAt: z.string().nullable(),
  }),
  questionnaire: z.object({
    instrument: instrumentId,
    name: z.string(),
    shortName: z.string(),
    recallPeriod: z.string(),
    licence: z.string(),
    items: z.array(
      z.object({
        id: z.string(),
        number: z.number().int(),
        text: z.string(),
        options: z.array(z.object({ score: z.number(), label: z.string() })),
        enableWhen: z.object({ item: z.string(), answers: z.array(z.number()) }).nullable(),
        optional: z.boolean(),
      }),
    ),
  }),
});

export const crisisResourcesView = z.object({
  lifeline: z.object({ name: z.string(), call: z.string(), text: z.string() }),
  emergency: z.string(),
  clinicPhone: z.string().nullable(),
});

export const submissionView = z.object({
  id: z.uuid(),
  assignmentId: z.uuid(),
  instrument: instrumentId,
  authoredAt: z.string(),
  crisisResources: crisisResourcesView.nullable(),
});
