import { sessionEventKinds, sessionStates } from '@kapstone/clinical';
import { z } from 'zod';
import { sideEffects } from '../../db/schema/sessions.ts';
import { plausible } from '../screening/vitals.schemas.ts';
import { adverseEventView } from '../session-safety/adverse-events.schemas.ts';

// The dosing session's HTTP shapes (helper: sessions-core). The session's id is its dosing appointment's id:
// one session per appointment, known before the patient arrives (state 'scheduled', no row yet); check-in
// creates the row from the appointment.

const person = z.object({ id: z.uuid(), displayName: z.string() });
const routeEnum = z.enum(['iv', 'im', 'sublingual', 'oral', 'intranasal']);
const productEnum = z.enum(['ketamine-racemic', 'esketamine']);
const stateEnum = z.enum(sessionStates);
const classification = z.object({
  level: z.enum(['normal', 'warning', 'critical']),
  reasons: z.array(z.string()),
});
const doseCalculation = z.object({
  doseMg: z.number(),
  mgPerKg: z.number().optional(),
  volumeMl: z.number().optional(),
  devices: z.number().optional(),
  level: z.enum(['ok', 'warning', 'blocked']),
  messages: z.array(z.string()),
});
const vitalsValues = z.object({
  systolic: z.number().optional(),
  diastolic: z.number().optional(),
  heartRate: z.number().optional(),
  spo2: z.number().optional(),
  respiratoryRate: z.number().optional(),
});
const thresholds = z.object({
  critical: z.object({
    systolicAtLeast: z.number(),
    diastolicAtLeast: z.number(),
    systolicRiseAtLeast: z.number(),
    diastolicRiseAtLeast: z.number(),
    heartRateAbove: z.number().nullable(),
    spo2Below: z.number().nullable(),
    respiratoryRateBelow: z.number().nullable(),
  }),
  warning: z.object({
    systolicAbove: z.number(),
    diastolicAbove: z.number(),
    heartRateAbove: z.number().nullable(),
    spo2Below: z.number().nullable(),
    respiratoryRateBelow: z.number().nullable(),
  }),
});

/** The order of the active plan the session was booked under, and the clinic's settings that bind a dose. */
export const planOrderView = z.object({
  planId: z.uuid(),
  route: routeEnum,
  product: productEnum,
  dose: z.object({ value: z.number(), unit: z.enum(['mg/kg', 'mg']) }),
  maximumDose: z.object({ value: z.number(), unit: z.enum(['mg/kg', 'mg']) }),
  weightKg: z.number().nullable(),
  startingDoseMg: z.number(),
  maximumDoseMg: z.number(),
  /** calculateDose of the starting dose (with the clinic's limits), for the administration form. */
  calculation: doseCalculation,
  /** The clinic requires a second staff signature on each dose (ClinicSettings.sessions.secondSignerRequired). */
  secondSignerRequired: z.boolean(),
  /** IV: the infusion time (40 min, clinical-reference 2.1); null for the other routes. */
  infusionMinutes: z.number().nullable(),
  /** mg given so far this session, and what the plan's maximum leaves for additional doses. */
  givenMg: z.number(),
  remainingMg: z.number(),
});

export const checklistView = z.object({
  id: z.uuid(),
  recordedAt: z.string(),
  recordedBy: person,
  answers: z.object({
    hoursSinceFood: z.number().nullable(),
    hoursSinceLiquids: z.number().nullable(),
    pregnant: z.boolean().nullable(),
    pregnancyTestNegative: z.boolean().nullable(),
    medicationChanges: z.array(z.object({ name: z.string() })),
    suicideRiskAssessedToday: z.boolean(),
    escortPresent: z.boolean(),
    note: z.string().nullable(),
  }),
  blockers: z.array(z.string()),
  cautions: z.array(z.string()),
  /** No blockers; cautions still need a prescriber's override before dosing. */
  proceed: z.boolean(),
  sources: z.object({
    baselineVitalsId: z.uuid().nullable(),
    baselineMoaasObservationId: z.uuid().nullable(),
    rideHomeId: z.uuid().nullable(),
    noDrivingAcknowledgementId: z.uuid().nullable(),
    scores: z.array(z.object({ instrument: z.string(), respondedAt: z.string() })),
    preparationNoteId: z.uuid().nullable(),
    preparationVersion: z.number().nullable(),
    intentions: z.array(z.string()),
  }),
  override: z
    .object({
      id: z.uuid(),
      cautions: z.array(z.string()),
      rationale: z.string(),
      prescriber: person,
      signedAt: z.string(),
    })
    .nullable(),
});

export const administrationView = z.object({
  id: z.uuid(),
  sequence: z.number(),
  product: productEnum,
  route: routeEnum,
  site: z.string().nullable(),
  lotId: z.uuid(),
  lotNumber: z.string(),
  lotExpiry: z.string(),
  concentration: z.number(),
  concentrationUnit: z.string(),
  doseMg: z.number(),
  volumeMl: z.number().nullable(),
  devices: z.number().nullable(),
  quantity: z.number(),
  calculation: doseCalculation,
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  administeredBy: person,
  secondSigner: person.nullable(),
  ledgerEntryId: z.uuid(),
  note: z.string().nullable(),
  recordedAt: z.string(),
});

export const sessionVitalsView = z.object({
  id: z.uuid(),
  measuredAt: z.string(),
  recordedAt: z.string(),
  systolic: z.number().nullable(),
  diastolic: z.number().nullable(),
  heartRate: z.number().nullable(),
  spo2: z.number().nullable(),
  respiratoryRate: z.number().nullable(),
  /** Minutes from the start of the first dose (negative before it); null before dosing started. */
  minutesFromDoseStart: z.number().nullable(),
  /** The pre-dose reading rises are measured against (the latest before the first dose). */
  baseline: z.boolean(),
  status: z.enum(['current', 'superseded', 'entered-in-error', 'retraction']),
  supersedesId: z.uuid().nullable(),
  correctionReason: z.string().nullable(),
  /** classifyVitals against the baseline and the clinic's thresholds (current readings only). */
  classification: classification.nullable(),
  recordedBy: person,
  note: z.string().nullable(),
  /** The alert this reading raised (warning or critical). */
  alertId: z.uuid().nullable(),
});

export const observationView = z.object({
  id: z.uuid(),
  kind: z.enum(['moaas', 'cadss6', 'side-effects']),
  observedAt: z.string(),
  minutesFromDoseStart: z.number().nullable(),
  /** MOAA/S 0–5 (5 = alert; clinical-reference 4.3). */
  moaas: z.number().nullable(),
  /** CADSS-6 answers in item order (0–4) and the total scored by @kapstone/clinical (clinical-reference 1.11). */
  cadss6: z.object({ answers: z.array(z.number()), total: z.number() }).nullable(),
  sideEffects: z.array(z.enum(sideEffects)),
  note: z.string().nullable(),
  recordedBy: person,
  recordedAt: z.string(),
});

export const sessionAlertView = z.object({
  id: z.uuid(),
  kind: z.string(),
  severity: z.enum(['critical', 'high', 'moderate', 'low']),
  summary: z.string(),
  source: z.object({ type: z.string(), id: z.uuid() }),
  raisedAt: z.string(),
  status: z.enum(['open', 'acknowledged']),
  acknowledgement: z.object({ at: z.string(), by: person, action: z.string() }).nullable(),
});

export const nextReadingDueView = z.object({
  /** When the next reading is due; null when the schedule has none left ("as clinically warranted"). */
  dueAt: z.string().nullable(),
  overdue: z.boolean(),
});

export const observationPlanView = z.object({
  readingsAtMinutes: z.array(z.number()),
  /** Null: the clinic has not set an interval for this route (clinical-reference 4.1). */
  thenEveryMinutes: z.number().nullable(),
  /** Null: the clinic must set one for this route before discharge can be met. */
  minimumObservationMinutes: z.number().nullable(),
  citation: z.object({ section: z.string(), source: z.string(), evidence: z.string() }),
});

export const dischargeReadinessView = z.object({
  ready: z.boolean(),
  unmet: z.array(z.string()),
  minutesSinceDoseStart: z.number().nullable(),
});

export const dischargeRecordView = z.object({
  id: z.uuid(),
  ready: z.boolean(),
  unmet: z.array(z.string()),
  overrideRationale: z.string().nullable(),
  overriddenBy: person.nullable(),
  escortName: z.string().nullable(),
  instructionsGiven: z.boolean(),
  note: z.string().nullable(),
  dischargedBy: person,
  dischargedAt: z.string(),
});

export const sessionEventView = z.object({
  id: z.uuid(),
  kind: z.enum(sessionEventKinds),
  fromState: stateEnum,
  toState: stateEnum,
  reason: z.string().nullable(),
  actor: person,
  occurredAt: z.string(),
});

/** One dosing session, everything the console shows (H5, H6 build from this). */
export const sessionView = z.object({
  /** The dosing appointment's id. */
  id: z.uuid(),
  state: stateEnum,
  patient: z.object({ id: z.uuid(), displayName: z.string(), mrn: z.string() }),
  appointment: z.object({
    id: z.uuid(),
    startsAt: z.string(),
    endsAt: z.string(),
    roomId: z.uuid().nullable(),
    roomName: z.string().nullable(),
  }),
  route: routeEnum,
  product: productEnum,
  protocolId: z.string().nullable(),
  planOrder: planOrderView.nullable(),
  checkedInAt: z.string().nullable(),
  checkedInBy: person.nullable(),
  clearedAt: z.string().nullable(),
  /** When the first dose started: the observation schedule and discharge count from here. */
  doseStartedAt: z.string().nullable(),
  monitoringStartedAt: z.string().nullable(),
  /** Discharged or aborted at. */
  endedAt: z.string().nullable(),
  abortReason: z.string().nullable(),
  /** The newest pre-dose checklist run, with its override. */
  checklist: checklistView.nullable(),
  /** Today's intentions, from the therapist's latest signed preparation note. */
  intentions: z.array(z.string()),
  /** The confirmed ride home (scheduling's pre-check-in). */
  escort: z.object({ name: z.string().nullable(), phone: z.string().nullable() }).nullable(),
  noDrivingAcknowledged: z.boolean(),
  administrations: z.array(administrationView),
  /** Session readings, oldest first: every row of the correction chain with its status (chart the 'current'). */
  vitals: z.array(sessionVitalsView),
  baselineVitals: vitalsValues.nullable(),
  baselineMoaas: z.number().nullable(),
  /** The clinic's thresholds classifyVitals uses (for the chart's bands). */
  thresholds,
  observations: z.array(observationView),
  /** The alerts raised in this session (vitals), open first. */
  alerts: z.array(sessionAlertView),
  observationPlan: observationPlanView,
  nextReadingDue: nextReadingDueView.nullable(),
  /** The CADSS-6 at about 40 minutes (dissociationRatingDue); null once rated, or before the dose. */
  dissociationRatingDue: nextReadingDueView.nullable(),
  dischargeReadiness: dischargeReadinessView.nullable(),
  discharge: dischargeRecordView.nullable(),
  /** Adverse events of the session (H4's session-safety; amendments are versions, newest shown). */
  adverseEvents: z.array(adverseEventView),
  events: z.array(sessionEventView),
  /**
   * The lifecycle steps the session accepts now (@kapstone/clinical allowedSessionEvents) that the signed-in
   * user's roles may take; the console hides the rest (the server still decides).
   */
  allowedActions: z.array(z.enum(sessionEventKinds)),
});
export type SessionView = z.infer<typeof sessionView>;

export const sessionListView = z.object({ items: z.array(sessionView) });

/** One line of the nurse's board. */
export const boardSessionView = z.object({
  id: z.uuid(),
  state: stateEnum,
  patient: z.object({ id: z.uuid(), displayName: z.string(), mrn: z.string() }),
  roomName: z.string().nullable(),
  route: routeEnum,
  product: productEnum,
  startsAt: z.string(),
  checkedInAt: z.string().nullable(),
  doseStartedAt: z.string().nullable(),
  /** Minutes since the first dose (or since check-in before it); null before check-in. */
  elapsedMinutes: z.number().nullable(),
  nextReadingDue: nextReadingDueView.nullable(),
  latestVitals: sessionVitalsView.nullable(),
  openAlerts: z.number(),
  worstAlert: z.enum(['critical', 'high', 'moderate', 'low']).nullable(),
});
export const boardView = z.object({ date: z.string(), items: z.array(boardSessionView) });

// ---- inputs ----

const text = (max: number, message: string) => z.string().trim().min(1, message).max(max);
const measure = (name: keyof typeof plausible) => {
  const { min, max, unit } = plausible[name];
  return z
    .number({ error: `A number in ${unit}.` })
    .int(`A whole number of ${unit}.`)
    .min(min, `At least ${min} ${unit}: check the reading.`)
    .max(max, `At most ${max} ${unit}: check the reading.`)
    .optional();
};
const password = z.string().min(1, 'Re-enter your password to sign.').max(1024);

export const checkInSchema = z.strictObject({});

export const checklistInputSchema = z.strictObject({
  /** Client-generated id of this run (a retry returns it). */
  id: z.uuid(),
  hoursSinceFood: z.number().min(0).max(72).nullable(),
  hoursSinceLiquids: z.number().min(0).max(72).nullable(),
  pregnant: z.boolean().nullable(),
  pregnancyTestNegative: z.boolean().nullable(),
  medicationChanges: z.array(z.strictObject({ name: text(200, 'Name the medication.') })).max(30),
  suicideRiskAssessedToday: z.boolean(),
  escortPresent: z.boolean(),
  note: z.string().trim().max(2000).nullable(),
});
export type ChecklistInput = z.infer<typeof checklistInputSchema>;

export const gateOverrideSchema = z.strictObject({
  id: z.uuid(),
  checklistId: z.uuid(),
  /** The cautions overridden, exactly as the checklist run gave them. */
  cautions: z.array(z.string().min(1)).min(1, 'Name the cautions you override.'),
  rationale: text(2000, 'Give the rationale for the override.'),
  password,
});
export type GateOverrideInput = Omit<z.infer<typeof gateOverrideSchema>, 'password'>;

export const administrationInputSchema = z.strictObject({
  /** Client-generated id: a retried dose is found, never given twice. */
  id: z.uuid(),
  lotId: z.uuid(),
  /** The dose in mg (esketamine: 28 mg per device); checked with calculateDose against the plan. */
  doseMg: z.number().positive('A dose in mg above zero.').max(2000),
  site: z.string().trim().min(1).max(120).nullable(),
  startedAt: z.iso.datetime({ offset: true }),
  endedAt: z.iso.datetime({ offset: true }).nullable(),
  /** Required where the clinic requires a second signer: another staff member re-enters their password. */
  secondSigner: z.strictObject({ username: z.email().max(320), password }).nullable(),
  note: z.string().trim().max(2000).nullable(),
});
export type AdministrationInput = z.infer<typeof administrationInputSchema>;

export const startMonitoringSchema = z.strictObject({});

export const sessionVitalsInputSchema = z
  .strictObject({
    id: z.uuid(),
    measuredAt: z.iso.datetime({ offset: true }),
    systolic: measure('systolic'),
    diastolic: measure('diastolic'),
    heartRate: measure('heartRate'),
    spo2: measure('spo2'),
    respiratoryRate: measure('respiratoryRate'),
    note: z.string().trim().max(1000).optional(),
    /** A correction: the reading it supersedes, with the reason (the old reading stays, marked superseded). */
    supersedesId: z.uuid().optional(),
    correctionReason: z.string().trim().min(1).max(500).optional(),
    /** The superseded reading was entered in error: this row carries no values. */
    enteredInError: z.literal(true).optional(),
  })
  .superRefine((value, ctx) => {
    if ((value.supersedesId === undefined) !== (value.correctionReason === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [value.supersedesId === undefined ? 'supersedesId' : 'correctionReason'],
        message: 'A correction names the reading it corrects and the reason.',
      });
    if (value.enteredInError) {
      if (value.supersedesId === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['supersedesId'],
          message: 'Name the reading entered in error.',
        });
      for (const key of ['systolic', 'diastolic', 'heartRate', 'spo2', 'respiratoryRate'] as const)
        if (value[key] !== undefined)
          ctx.addIssue({ code: 'custom', path: [key], message: 'A retraction carries no values.' });
      return;
    }
    if ((value.systolic === undefined) !== (value.diastolic === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [value.systolic === undefined ? 'systolic' : 'diastolic'],
        message: 'Blood pressure needs both systolic and diastolic.',
      });
    if (
      value.systolic === undefined &&
      value.heartRate === undefined &&
      value.spo2 === undefined &&
      value.respiratoryRate === undefined
    )
      ctx.addIssue({ code: 'custom', path: ['systolic'], message: 'Enter at least one value.' });
    if (value.systolic !== undefined && value.diastolic !== undefined && value.diastolic >= value.systolic)
      ctx.addIssue({ code: 'custom', path: ['diastolic'], message: 'Diastolic must be below systolic.' });
  });
export type SessionVitalsInput = z.infer<typeof sessionVitalsInputSchema>;

export const observationInputSchema = z
  .strictObject({
    id: z.uuid(),
    observedAt: z.iso.datetime({ offset: true }),
    kind: z.enum(['moaas', 'cadss6', 'side-effects']),
    moaas: z.number().int().min(0).max(5).optional(),
    /** Six answers, 0–4 each, in item order. */
    cadss6: z.array(z.number().int().min(0).max(4)).length(6).optional(),
    sideEffects: z.array(z.enum(sideEffects)).max(sideEffects.length).optional(),
    note: z.string().trim().max(1000).optional(),
  })
  .superRefine((value, ctx) => {
    const need = { moaas: 'moaas', cadss6: 'cadss6', 'side-effects': 'sideEffects' } as const;
    const field = need[value.kind];
    if (value[field] === undefined)
      ctx.addIssue({ code: 'custom', path: [field], message: `A ${value.kind} observation needs ${field}.` });
    for (const other of ['moaas', 'cadss6', 'sideEffects'] as const)
      if (other !== field && value[other] !== undefined)
        ctx.addIssue({ code: 'custom', path: [other], message: `Only ${field} goes with ${value.kind}.` });
  });
export type ObservationInput = z.infer<typeof observationInputSchema>;

export const acknowledgeSchema = z.strictObject({
  action: text(2000, 'Say what action was taken.'),
});

export const dischargeInputSchema = z.strictObject({
  id: z.uuid(),
  escortPresent: z.boolean(),
  instructionsGiven: z.literal(true, { error: 'Give the discharge instructions before discharge.' }),
  note: z.string().trim().max(2000).nullable(),
  /** A prescriber's discharge against unmet criteria: the rationale and a password re-entry. */
  override: z
    .strictObject({ rationale: text(2000, 'Give the rationale for the override.'), password })
    .nullable(),
});
export type DischargeInput = Omit<z.infer<typeof dischargeInputSchema>, 'override'> & {
  override: { rationale: string } | null;
};

export const abortSchema = z.strictObject({
  reason: text(1000, 'Say why the session is stopped.'),
});

export const sessionParams = z.strictObject({ sessionId: z.uuid() });
export const patientParams = z.strictObject({ patientId: z.uuid() });
export const alertParams = z.strictObject({ sessionId: z.uuid(), alertId: z.uuid() });
export const boardQuery = z.strictObject({
  /** The clinic's local date (YYYY-MM-DD); today by default. */
  date: z.iso.date().optional(),
});

// ---- clinic settings ----

const scheduleKeys = ['iv', 'im', 'sublingual', 'oral', 'intranasal', 'esketamine'] as const;
const perRoute = (min: number, max: number) =>
  z
    .strictObject(
      Object.fromEntries(
        scheduleKeys.map((k) => [k, z.number().int().min(min).max(max).optional()]),
      ) as Record<(typeof scheduleKeys)[number], z.ZodOptional<z.ZodNumber>>,
    )
    .optional();
const mmHg = z.number().int().min(60).max(260).optional();
const rise = z.number().int().min(5).max(100).optional();
const rate = z.number().int().min(20).max(250).nullable().optional();
const oxygen = z.number().int().min(70).max(100).nullable().optional();
const breaths = z.number().int().min(3).max(40).nullable().optional();

/** The clinic's session settings: every field optional, none invented (absent = the reference's default or none). */
export const sessionSettingsInput = z.strictObject({
  secondSignerRequired: z.boolean().optional(),
  readingIntervalMinutes: perRoute(1, 120),
  minimumObservationMinutes: perRoute(15, 480),
  liquidsFastingHours: z.number().min(0).max(24).optional(),
  pregnancyTestRequired: z.boolean().optional(),
  vitalsThresholds: z
    .strictObject({
      critical: z
        .strictObject({
          systolicAtLeast: mmHg,
          diastolicAtLeast: mmHg,
          systolicRiseAtLeast: rise,
          diastolicRiseAtLeast: rise,
          heartRateAbove: rate,
          spo2Below: oxygen,
          respiratoryRateBelow: breaths,
        })
        .optional(),
      warning: z
        .strictObject({
          systolicAbove: mmHg,
          diastolicAbove: mmHg,
          heartRateAbove: rate,
          spo2Below: oxygen,
          respiratoryRateBelow: breaths,
        })
        .optional(),
    })
    .optional(),
  dissociationResolvedAtMost: z.number().int().min(0).max(24).optional(),
  vitalsWithinFraction: z.number().min(0.05).max(1).optional(),
});

export const sessionSettingsView = z.object({
  /** What the clinic set. */
  settings: sessionSettingsInput,
  /** The thresholds classifyVitals uses: the clinic's over @kapstone/clinical's defaults. */
  thresholds,
  /** The scheduling setting the racemic fasting rule for food comes from. */
  foodFastingHours: z.number().nullable(),
});
