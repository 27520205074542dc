import { createHash } from 'node:crypto';
import type {
  EligibilityAssessment,
  EligibilityProfile,
  EligibilitySettings,
  InstrumentId,
  InstrumentScore,
  Product,
  Route,
  SelfReportedAnswer,
  SelfReportedHistory,
} from '@kapstone/clinical';
import { and, asc, eq } from 'drizzle-orm';
import type { ServiceContext } from '../../context.ts';
import type { ClinicSettings } from '../../db/schema/clinic.ts';
import {
  clinic,
  patient,
  patientAllergy,
  patientCondition,
  patientMedication,
} from '../../db/schema/index.ts';
import type { EligibilitySources } from '../../db/schema/screening.ts';
import { NotFound } from '../../errors.ts';
import type { IntakeAnswers, IntakeQuestion } from '../intake/intake.schemas.ts';
import { findCurrentIntake } from '../intake/intake.service.ts';
import { latestScores } from '../measures/measures.service.ts';
import { latestStandingBloodPressure } from '../screening/vitals.service.ts';

/** Whole years from a date of birth (YYYY-MM-DD) to a date (YYYY-MM-DD): calendar arithmetic, not a rule. */
export function ageOn(dateOfBirth: string, today: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

/** Today's date where the clinic is (a birthday starts at local midnight). */
function clinicToday(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

const reported = (...questions: (IntakeQuestion | undefined)[]): SelfReportedAnswer | undefined => {
  const answers = questions.map((q) => q?.answer);
  if (answers.includes('yes')) return 'yes';
  if (answers.includes('unsure')) return 'unsure';
  return undefined;
};

/**
 * The intake's answers in the engine's terms. Every history question the engine reads is carried, "unsure"
 * as a possible yes; a "yes" to pregnancy or breastfeeding is the profile's own flag (the coded rule).
 */
export function intakeFacts(answers: IntakeAnswers): {
  pregnant: boolean;
  breastfeeding: boolean;
  selfReported: SelfReportedHistory;
} {
  const { medical, psychiatric, substances } = answers;
  const cv = medical.cardiovascular;
  const repro = medical.reproductive;
  const history: SelfReportedHistory = {
    psychosis: reported(psychiatric.psychosis),
    mania: reported(psychiatric.mania),
    dissociativeDisorder: reported(psychiatric.dissociativeDisorder),
    substanceUseDisorder: reported(substances.misuseHistory, substances.opioidUseDisorder),
    suicideAttempt: reported(psychiatric.suicideAttempts),
    heartDisease: reported(cv.heartDisease, cv.arrhythmia),
    hypertension: reported(cv.hypertension),
    strokeOrBrainInjury: reported(cv.stroke, cv.brainBleed, medical.neurological.headInjury),
    aneurysmOrAvm: reported(cv.aneurysmOrAvm),
    liverDisease: reported(medical.hepatic.liverDisease),
    urinarySymptoms: reported(medical.urinary.bladderProblems),
    glaucomaOrRaisedIntracranialPressure: reported(
      medical.eyes.glaucoma,
      medical.neurological.raisedIntracranialPressure,
    ),
    hyperthyroidism: reported(medical.thyroid.hyperthyroidism),
    pregnancy: repro.pregnant?.answer === 'unsure' ? 'unsure' : undefined,
    breastfeeding: repro.breastfeeding?.answer === 'unsure' ? 'unsure' : undefined,
    preEclampsia: reported(repro.preEclampsia),
    medications: answers.medications.items.map((m) => ({ name: m.name })),
    allergies: answers.allergies.items.map((a) => ({ substance: a.substance })),
  };
  const selfReported = Object.fromEntries(
    Object.entries(history).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)),
  ) as SelfReportedHistory;
  return {
    pregnant: repro.pregnant?.answer === 'yes',
    breastfeeding: repro.breastfeeding?.answer === 'yes',
    selfReported,
  };
}

export interface GatheredFacts {
  profile: EligibilityProfile;
  sources: EligibilitySources;
  settings: EligibilitySettings;
}

/**
 * Gathers the facts the engine reads, from the chart: active coded conditions, active medications and
 * allergies, age and sex at birth, the latest standing screening blood pressure, the latest instrument scores
 * and the submitted intake. Chart access must already be checked at the clinical level.
 */
export async function gatherEligibilityFacts(
  ctx: ServiceContext,
  patientId: string,
  route: Route,
  product: Product,
): Promise<GatheredFacts> {
  const [row] = await ctx.tx
    .select({ dateOfBirth: patient.dateOfBirth, sexAtBirth: patient.sexAtBirth })
    .from(patient)
    .where(and(eq(patient.clinicId, ctx.clinicId), eq(patient.id, patientId)));
  if (!row) throw new NotFound('Patient');
  const { timeZone, settings } = await clinicSettings(ctx);
  const conditions = await ctx.tx
    .select({ icd10: patientCondition.icd10 })
    .from(patientCondition)
    .where(
      and(
        eq(patientCondition.clinicId, ctx.clinicId),
        eq(patientCondition.patientId, patientId),
        eq(patientCondition.status, 'active'),
      ),
    )
    .orderBy(asc(patientCondition.icd10));
  const medications = await ctx.tx
    .select({ name: patientMedication.name, rxnorm: patientMedication.rxnorm })
    .from(patientMedication)
    .where(
      and(
        eq(patientMedication.clinicId, ctx.clinicId),
        eq(patientMedication.patientId, patientId),
        eq(patientMedication.status, 'active'),
      ),
    )
    .orderBy(asc(patientMedication.name));
  const allergies = await ctx.tx
    .select({ substance: patientAllergy.substance })
    .from(patientAllergy)
    .where(
      and(
        eq(patientAllergy.clinicId, ctx.clinicId),
        eq(patientAllergy.patientId, patientId),
        eq(patientAllergy.status, 'active'),
      ),
    )
    .orderBy(asc(patientAllergy.substance));
  const vitals = await latestStandingBloodPressure(ctx, patientId, 'screening');
  const latest = await latestScores(ctx, patientId);
  const intake = await findCurrentIntake(ctx, patientId);

  const scores: Partial<Record<InstrumentId, InstrumentScore>> = {};
  const scoreSources: EligibilitySources['scores'] = [];
  for (const [instrument, score] of Object.entries(latest).sort(([a], [b]) => a.localeCompare(b))) {
    if (!score) continue;
    const { respondedAt, ...rest } = score;
    scores[instrument as InstrumentId] = rest;
    scoreSources.push({ instrument, respondedAt });
  }

  // Duplicate codes (the same diagnosis entered twice) say nothing more to the engine.
  const codes = [...new Set(conditions.map((c) => c.icd10.trim().toUpperCase()))];
  const profile: EligibilityProfile = {
    ageYears: ageOn(row.dateOfBirth, clinicToday(ctx.clock.now(), timeZone)),
    ...(row.sexAtBirth === 'female' || row.sexAtBirth === 'male' ? { sex: row.sexAtBirth } : {}),
    route,
    product,
    conditions: codes.map((icd10) => ({ icd10 })),
    medications: medications.map((m) => ({ name: m.name, ...(m.rxnorm ? { rxnorm: m.rxnorm } : {}) })),
    allergies: allergies.map((a) => ({ substance: a.substance })),
  };
  if (vitals && vitals.systolic !== null && vitals.diastolic !== null) {
    profile.vitals = {
      systolic: vitals.systolic,
      diastolic: vitals.diastolic,
      ...(vitals.heartRate !== null ? { heartRate: vitals.heartRate } : {}),
      ...(vitals.spo2 !== null ? { spo2: vitals.spo2 } : {}),
    };
  }
  if (Object.keys(scores).length > 0) profile.scores = scores;
  if (intake) {
    const facts = intakeFacts(intake.answers);
    if (facts.pregnant) profile.pregnant = true;
    if (facts.breastfeeding) profile.breastfeeding = true;
    if (Object.keys(facts.selfReported).length > 0) profile.selfReported = facts.selfReported;
  }
  return {
    profile,
    settings: eligibilitySettingsOf(settings),
    sources: {
      vitalSignsId: vitals?.id ?? null,
      vitalsMeasuredAt: vitals?.measuredAt.toISOString() ?? null,
      intakeVersion: intake?.version ?? null,
      intakeSubmittedAt: intake?.submittedAt ?? null,
      scores: scoreSources,
    },
  };
}

async function clinicSettings(ctx: ServiceContext) {
  const [row] = await ctx.tx
    .select({ timeZone: clinic.timeZone, settings: clinic.settings })
    .from(clinic)
    .where(eq(clinic.id, ctx.clinicId));
  return { timeZone: row?.timeZone ?? 'UTC', settings: row?.settings };
}

/** The clinic's eligibility settings for @kapstone/clinical (none set: the package's defaults, no factors). */
export function eligibilitySettingsOf(settings: ClinicSettings | undefined): EligibilitySettings {
  return { diazepamEquivalents: settings?.diazepamEquivalents ?? {} };
}

/** JSON with keys sorted at every depth, so the same facts always hash the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The fingerprint of what the prescriber is shown: SHA-256 of the profile and the engine's output. Signing
 * sends it back; if the chart changed in between (a new diagnosis, vitals, a score), the server's fresh
 * assessment hashes differently and the signature is refused.
 */
export function assessmentFingerprint(
  profile: EligibilityProfile,
  assessment: EligibilityAssessment,
): string {
  return createHash('sha256').update(canonicalJson({ profile, assessment })).digest('hex');
}
