import { integrationAdherenceStates, integrationTechniques } from '@kapstone/clinical';
import { z } from 'zod';

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `At most ${max.toLocaleString('en-US')} characters.`)
    .nullable()
    .optional();

/** The progress-note part of an integration note (the designated record set: clinical-reference 7.1). */
export const integrationContentSchema = z
  .strictObject({
    themes: text(4000),
    insights: text(4000),
    emotions: text(4000),
    bodyExperience: text(4000),
    intentionReflection: text(4000),
    techniques: z
      .array(z.enum(integrationTechniques))
      .max(integrationTechniques.length)
      .refine((list) => new Set(list).size === list.length, 'Each technique once.')
      .default([]),
    techniquesOther: text(500),
    actionItems: z
      .array(z.string().trim().min(1, 'Write the item, or remove it.').max(1000))
      .max(30)
      .default([]),
    nextFocus: text(2000),
  })
  .superRefine((content, issue) => {
    if (content.techniques.includes('other') && !content.techniquesOther)
      issue.addIssue({ code: 'custom', path: ['techniquesOther'], message: 'Say which other technique.' });
    if (!content.techniques.includes('other') && content.techniquesOther)
      issue.addIssue({
        code: 'custom',
        path: ['techniquesOther'],
        message: 'Tick “Other”, or leave this empty.',
      });
  });
export type IntegrationContentInput = z.infer<typeof integrationContentSchema>;

/**
 * Psychotherapy notes of the integration session: only their author ever reads them (clinical-reference 7.1).
 * They are written to the psychotherapy-note store; the integration note keeps only a flag.
 */
const psychotherapyNotes = z
  .string()
  .trim()
  .min(1, 'Write the notes, or leave the box empty.')
  .max(50_000, 'At most 50,000 characters.')
  .optional();

export const integrationNoteCreateSchema = z.strictObject({
  /** Client-generated: a retried save returns the note instead of saving it twice. */
  id: z.uuid(),
  /** The dosing session the integration session follows (discharged, the same patient). */
  dosingSessionId: z.uuid(),
  /** The integration appointment it was held in, when one was booked. */
  appointmentId: z.uuid().nullable().optional(),
  /** The day it took place, in the clinic's time zone. */
  heldOn: z.iso.date(),
  content: integrationContentSchema,
  psychotherapyNotes,
});
export type IntegrationNoteCreateInput = z.infer<typeof integrationNoteCreateSchema>;

export const integrationAmendmentSchema = z.strictObject({
  /** Client-generated id of the new version. */
  id: z.uuid(),
  /** The version this one corrects: the latest of the note. */
  amendsId: z.uuid(),
  reason: z.string().trim().min(3, 'Say why the note is amended.').max(2000),
  heldOn: z.iso.date(),
  content: integrationContentSchema,
  /** New or revised psychotherapy notes; absent: those already written stay as they are. */
  psychotherapyNotes,
});
export type IntegrationAmendmentInput = z.infer<typeof integrationAmendmentSchema>;

export const patientParams = z.strictObject({ patientId: z.uuid() });
export const noteParams = z.strictObject({ patientId: z.uuid(), integrationNoteId: z.uuid() });

export const integrationNoteListQuery = z.strictObject({ dosingSessionId: z.uuid().optional() });

const person = z.object({ id: z.uuid(), displayName: z.string() }).nullable();

const contentView = z.object({
  themes: z.string().nullable(),
  insights: z.string().nullable(),
  emotions: z.string().nullable(),
  bodyExperience: z.string().nullable(),
  sessionIntentions: z.array(z.string()),
  intentionReflection: z.string().nullable(),
  techniques: z.array(z.enum(integrationTechniques)),
  techniquesOther: z.string().nullable(),
  actionItems: z.array(z.string()),
  nextFocus: z.string().nullable(),
});

const versionView = z.object({
  id: z.uuid(),
  version: z.number().int(),
  amendsId: z.uuid().nullable(),
  amendmentReason: z.string().nullable(),
  heldOn: z.string(),
  content: contentView,
  writtenAt: z.string(),
  writtenBy: person,
});

export const integrationNoteView = z.object({
  /** The id of version 1: the note's id in URLs. */
  id: z.uuid(),
  patientId: z.uuid(),
  dosingSession: z.object({ id: z.uuid(), dosedAt: z.string().nullable(), dosedOn: z.string().nullable() }),
  appointmentId: z.uuid().nullable(),
  /**
   * Psychotherapy notes go with this session. Their words are never here: only their author opens them, through
   * /api/v1/psychotherapy-notes.
   */
  hasPsychotherapyNote: z.boolean(),
  /** For the author of those notes only (null for everyone else): the series to open them by. */
  ownPsychotherapyNoteSeriesId: z.uuid().nullable(),
  current: versionView,
  /** Every version, newest first (the current one included). */
  versions: z.array(versionView),
});
export type IntegrationNoteView = z.infer<typeof integrationNoteView>;

const adherenceState = z.enum(integrationAdherenceStates);

export const adherenceItemView = z.object({
  sessionId: z.uuid(),
  patient: z.object({ id: z.uuid(), displayName: z.string(), mrn: z.string() }),
  therapist: person,
  protocolId: z.string(),
  dosedAt: z.string(),
  dosedOn: z.string(),
  state: adherenceState,
  window: z.tuple([z.number().int(), z.number().int()]),
  opensOn: z.string(),
  closesOn: z.string(),
  /** The note that decided the state. */
  integration: z.object({ noteId: z.uuid(), heldOn: z.string(), dayAfterDose: z.number().int() }).nullable(),
  /** The next integration appointment booked after the dose, when no note decided the state yet. */
  booked: z.object({ appointmentId: z.uuid(), startsAt: z.string() }).nullable(),
});
export type AdherenceItemView = z.infer<typeof adherenceItemView>;

export const adherenceListQuery = z.strictObject({
  /** Only these states (comma-separated); absent: missing, late and due. */
  state: z
    .string()
    .max(100)
    .transform((value, issue) => {
      const states = value.split(',').map((s) => s.trim());
      for (const s of states)
        if (!(integrationAdherenceStates as readonly string[]).includes(s)) {
          issue.addIssue({ code: 'custom', message: `Unknown state: ${s.slice(0, 20)}.` });
          return z.NEVER;
        }
      return states as (typeof integrationAdherenceStates)[number][];
    })
    .optional(),
  /** Dosing sessions of the last N days (default 60). */
  days: z.coerce.number().int().min(1).max(365).default(60),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

export const adherenceListView = z.object({
  today: z.string(),
  items: z.array(adherenceItemView),
  /** More sessions matched than `limit`. */
  truncated: z.boolean(),
});

export const windowSetting = z
  .tuple([z.number().int().min(0).max(30), z.number().int().min(0).max(30)])
  .refine(([first, last]) => first <= last, 'The first day comes on or before the last.');

export const integrationSettingsBody = z.strictObject({
  /** [first, last] days after a dose, inclusive; null: each protocol's own window. */
  windowDays: windowSetting.nullable(),
});

export const integrationSettingsView = z.object({
  windowDays: z.tuple([z.number(), z.number()]).nullable(),
  /** The window each protocol holds its doses to now (null: the protocol expects no integration). */
  effective: z.record(z.string(), z.tuple([z.number(), z.number()]).nullable()),
});
