import { z } from 'zod';
import { instrumentId } from '../measures/measures.schemas.ts';

export const patientParams = z.strictObject({ patientId: z.uuid() });

const citation = z.object({
  section: z.string(),
  source: z.string(),
  evidence: z.enum(['primary', 'secondary', 'unconfirmed']),
});

const band = z.object({ id: z.string(), label: z.string(), min: z.number(), max: z.number() });

const line = z
  .object({
    value: z.number(),
    meets: z.enum(['below', 'at-or-below', 'at-or-above']),
    label: z.string(),
    citation,
  })
  .nullable();

const scorePoint = z.object({
  responseId: z.uuid(),
  total: z.number(),
  band: z.string().nullable(),
  bandLabel: z.string().nullable(),
  at: z.string(),
  reason: z.string().nullable(),
  scheduleKey: z.string().nullable(),
  /** Where the point sits in the course: before the baseline, the baseline, during the course, or follow-up. */
  phase: z.enum(['before-baseline', 'baseline', 'course', 'follow-up']),
});

const dosingMarker = z.object({
  sessionId: z.uuid(),
  planId: z.uuid(),
  at: z.string(),
  route: z.string(),
  product: z.string(),
  /** Total mg given in the session (every dose of it); null when no dose row was recorded. */
  doseMg: z.number().nullable(),
  doses: z.number().int(),
});

const changeClassification = z.object({
  change: z.number(),
  percentChange: z.number(),
  response: z.boolean(),
  remission: z.boolean(),
  worsening: z.boolean(),
});

const maintenanceView = z.object({
  strength: z.enum(['firm', 'early']),
  baseline: z.number(),
  best: scorePoint,
  latest: scorePoint,
  riseFromBest: z.number(),
  fractionTowardBaseline: z.number(),
  mcid: z.number().nullable(),
  points: z.array(scorePoint),
  reasons: z.array(z.string()),
  explanation: z.string(),
  citations: z.array(citation),
});

export const instrumentSummaryView = z.object({
  instrument: instrumentId,
  name: z.string(),
  shortName: z.string(),
  range: z.object({ min: z.number(), max: z.number() }),
  bands: z.array(band),
  series: z.array(scorePoint),
  baseline: scorePoint.nullable(),
  lines: z.object({ response: line, remission: line, worsening: line }),
  course: z
    .object({
      status: z.enum([
        'insufficient-data',
        'remitted',
        'responding',
        'worsening',
        'lost-response',
        'no-response-yet',
        'no-response',
      ]),
      everResponded: z.boolean(),
      latest: changeClassification.nullable(),
      reasons: z.array(z.string()),
    })
    .nullable(),
  maintenance: maintenanceView.nullable(),
});

export const measurementSummaryView = z.object({
  patientId: z.uuid(),
  sessionsCompleted: z.number().int(),
  /** The clinic's setting, or null when it has none (then no course reads as non-response). */
  noResponseAfterSessions: z.number().int().nullable(),
  doses: z.array(dosingMarker),
  instruments: z.array(instrumentSummaryView),
});

/** The patient's own view: totals, bands and dosing dates, in plain words; nothing only clinicians see. */
export const progressView = z.object({
  instruments: z.array(
    z.object({
      instrument: instrumentId,
      name: z.string(),
      shortName: z.string(),
      /** What the questionnaire asks about, in a patient's words. */
      about: z.string(),
      range: z.object({ min: z.number(), max: z.number() }),
      bands: z.array(band),
      points: z.array(
        z.object({
          at: z.string(),
          total: z.number(),
          band: z.string().nullable(),
          bandLabel: z.string().nullable(),
        }),
      ),
      /** One sentence about the latest score against the first one. */
      summary: z.string(),
    }),
  ),
  sessions: z.array(z.object({ at: z.string() })),
});
