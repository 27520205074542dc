import { ageBandIds, changeInstruments, cohortSexes } from '@kapstone/clinical';
import { z } from 'zod';

const icd10 = z
  .string()
  .trim()
  .regex(/^[A-Za-z]\d{2}(\.?[A-Za-z0-9]{1,4})?$/, 'An ICD-10-CM code or category, e.g. F33.2 or F33.');

/** The cohort filters: every one optional but the instrument (PHQ-9 when absent). */
export const outcomesQuery = z
  .strictObject({
    instrument: z.enum(changeInstruments).default('phq9'),
    /** An ICD-10-CM code or a category prefix (F33 holds F33.0–F33.9). */
    indication: icd10.optional(),
    route: z.enum(['iv', 'im', 'sublingual', 'oral', 'intranasal']).optional(),
    protocol: z.enum(['iv-series', 'spravato-trd', 'spravato-mdd-si', 'kap-im', 'kap-sublingual']).optional(),
    ageBand: z.enum(ageBandIds).optional(),
    sex: z.enum(cohortSexes).optional(),
    /** Courses whose first dose fell on or after this clinic-local day. */
    from: z.iso.date().optional(),
    /** Courses whose first dose fell on or before this clinic-local day. */
    to: z.iso.date().optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    path: ['to'],
    message: 'The end is before the start.',
  });
export type OutcomesQuery = z.infer<typeof outcomesQuery>;

const suppressed = z.object({ suppressed: z.literal(true), fewerThan: z.number() });
const meanCell = z.union([
  z.object({
    suppressed: z.literal(false),
    n: z.number(),
    mean: z.number().nullable(),
    sd: z.number().nullable(),
  }),
  suppressed,
]);
const rateCell = z.union([
  z.object({
    suppressed: z.literal(false),
    n: z.number(),
    count: z.number(),
    percent: z.number().nullable(),
  }),
  suppressed,
]);
const countCell = z.union([z.object({ suppressed: z.literal(false), n: z.number() }), suppressed]);

const note = z.object({
  id: z.string(),
  title: z.string(),
  citation: z.object({ section: z.string(), source: z.string(), evidence: z.string() }),
});

/** Aggregates only: no patient id, name, date of birth or date of care (the serializer drops anything else). */
export const outcomesView = z.object({
  filters: z.object({
    instrument: z.enum(changeInstruments),
    indication: z.string().nullable(),
    route: z.string().nullable(),
    protocol: z.string().nullable(),
    ageBand: z.string().nullable(),
    sex: z.string().nullable(),
    from: z.string().nullable(),
    to: z.string().nullable(),
  }),
  instrument: z.object({ id: z.enum(changeInstruments), shortName: z.string(), name: z.string() }),
  suppression: z.object({
    minimumCellSize: z.number().nullable(),
    /** True when the viewer may see only de-identified aggregates (the researcher role). */
    researchView: z.boolean(),
    notice: z.string().nullable(),
  }),
  /** True when nothing is shown: a research view and no minimum cell size set by the clinic. */
  withheld: z.boolean(),
  summary: z
    .object({
      n: countCell,
      age: meanCell,
      sex: z.record(z.enum(cohortSexes), countCell),
      ageBands: z.array(z.object({ band: z.enum(ageBandIds), count: countCell })),
      baseline: meanCell,
      endOfCourse: meanCell,
      change: meanCell,
      criteria: z.object({ response: z.boolean(), remission: z.boolean() }),
      response: rateCell,
      remission: rateCell,
      followUps: z.array(
        z.object({
          months: z.number(),
          score: meanCell,
          durability: rateCell,
          remissionKept: rateCell,
        }),
      ),
    })
    .nullable(),
  weekly: z
    .array(z.object({ week: z.number(), score: meanCell, response: rateCell, remission: rateCell }))
    .nullable(),
  notes: z.array(note),
});
export type OutcomesView = z.infer<typeof outcomesView>;
