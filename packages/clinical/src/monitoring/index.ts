import { classifyMedication } from '../medications.ts';
import type {
  Citation,
  InstrumentScore,
  Product,
  Route,
  RuleMetadata,
  Vitals,
  VitalsClassification,
} from '../types.ts';

export * from './session-lifecycle.ts';

const cite = (section: string, source: string, evidence: Citation['evidence'] = 'primary'): Citation => ({
  section: `clinical-reference ${section}`,
  source,
  evidence,
});

/**
 * Two-tier vital-sign thresholds, plain data a clinic can override. Critical defaults are the SPRAVATO
 * label's BP outlier criteria; the warning tier is the label's pre-dose 140/90 guide. Heart rate, SpO2 and
 * respiratory rate have no ketamine-specific number in the reference: they are clinic settings (null = off).
 */
export interface VitalsThresholds {
  critical: {
    systolicAtLeast: number;
    diastolicAtLeast: number;
    systolicRiseAtLeast: number;
    diastolicRiseAtLeast: number;
    heartRateAbove: number | null;
    spo2Below: number | null;
    respiratoryRateBelow: number | null;
  };
  warning: {
    systolicAbove: number;
    diastolicAbove: number;
    heartRateAbove: number | null;
    spo2Below: number | null;
    respiratoryRateBelow: number | null;
  };
}

export const defaultVitalsThresholds: VitalsThresholds = {
  critical: {
    systolicAtLeast: 180,
    diastolicAtLeast: 110,
    systolicRiseAtLeast: 40,
    diastolicRiseAtLeast: 25,
    heartRateAbove: null,
    spo2Below: null,
    respiratoryRateBelow: null,
  },
  warning: {
    systolicAbove: 140,
    diastolicAbove: 90,
    heartRateAbove: null,
    spo2Below: null,
    respiratoryRateBelow: null,
  },
};

const outlierCitation = cite(
  '4.2',
  'SPRAVATO US PI Table 6 BP outlier criteria: SBP ≥180, DBP ≥110, ΔSBP ≥40, ΔDBP ≥25',
);
const predoseCitation = cite('2.5', 'SPRAVATO US PI §2: pre-dose BP >140/90 → weigh risk and benefit');
const spo2Citation = cite(
  '4.2',
  'No ketamine-specific SpO2 stop threshold; "<90–92%" UNCONFIRMED: clinic setting',
  'unconfirmed',
);

/** Classifies one reading, against the clinic's thresholds and (for rises) the pre-dose baseline. */
export function classifyVitals(
  reading: Vitals,
  baseline?: Vitals,
  thresholds: VitalsThresholds = defaultVitalsThresholds,
): VitalsClassification {
  for (const [name, value] of Object.entries(reading)) {
    if (value !== undefined && (!Number.isFinite(value) || value < 0))
      throw new RangeError(`${name} must be a non-negative number`);
  }
  const critical: string[] = [];
  const warning: string[] = [];
  const c = thresholds.critical;
  const w = thresholds.warning;
  const { systolic, diastolic, heartRate, spo2, respiratoryRate } = reading;
  if (systolic !== undefined && systolic >= c.systolicAtLeast)
    critical.push(`Systolic ${systolic} mmHg ≥ ${c.systolicAtLeast}`);
  if (diastolic !== undefined && diastolic >= c.diastolicAtLeast)
    critical.push(`Diastolic ${diastolic} mmHg ≥ ${c.diastolicAtLeast}`);
  if (
    systolic !== undefined &&
    baseline?.systolic !== undefined &&
    systolic - baseline.systolic >= c.systolicRiseAtLeast
  ) {
    critical.push(
      `Systolic up ${systolic - baseline.systolic} mmHg from baseline (≥ ${c.systolicRiseAtLeast})`,
    );
  }
  if (
    diastolic !== undefined &&
    baseline?.diastolic !== undefined &&
    diastolic - baseline.diastolic >= c.diastolicRiseAtLeast
  ) {
    critical.push(
      `Diastolic up ${diastolic - baseline.diastolic} mmHg from baseline (≥ ${c.diastolicRiseAtLeast})`,
    );
  }
  if (heartRate !== undefined && c.heartRateAbove !== null && heartRate > c.heartRateAbove)
    critical.push(`Heart rate ${heartRate}/min > ${c.heartRateAbove}`);
  if (spo2 !== undefined && c.spo2Below !== null && spo2 < c.spo2Below)
    critical.push(`SpO2 ${spo2}% < ${c.spo2Below}%`);
  if (
    respiratoryRate !== undefined &&
    c.respiratoryRateBelow !== null &&
    respiratoryRate < c.respiratoryRateBelow
  ) {
    critical.push(`Respiratory rate ${respiratoryRate}/min < ${c.respiratoryRateBelow}`);
  }
  if (critical.length === 0) {
    if (
      (systolic !== undefined && systolic > w.systolicAbove) ||
      (diastolic !== undefined && diastolic > w.diastolicAbove)
    ) {
      warning.push(
        `BP ${systolic ?? '–'}/${diastolic ?? '–'} mmHg above ${w.systolicAbove}/${w.diastolicAbove}`,
      );
    }
    if (heartRate !== undefined && w.heartRateAbove !== null && heartRate > w.heartRateAbove)
      warning.push(`Heart rate ${heartRate}/min > ${w.heartRateAbove}`);
    if (spo2 !== undefined && w.spo2Below !== null && spo2 < w.spo2Below)
      warning.push(`SpO2 ${spo2}% < ${w.spo2Below}%`);
    if (
      respiratoryRate !== undefined &&
      w.respiratoryRateBelow !== null &&
      respiratoryRate < w.respiratoryRateBelow
    ) {
      warning.push(`Respiratory rate ${respiratoryRate}/min < ${w.respiratoryRateBelow}`);
    }
  }
  if (critical.length > 0) return { level: 'critical', reasons: critical };
  if (warning.length > 0) return { level: 'warning', reasons: warning };
  return { level: 'normal', reasons: [] };
}

export interface ObservationPlan {
  /** Minutes after the start of dosing at which a reading is due (0 = before the dose). */
  readingsAtMinutes: number[];
  /** After the listed readings, one every this many minutes until discharge (null: as clinically warranted). */
  thenEveryMinutes: number | null;
  /** Minimum observation before discharge, in minutes (null: the clinic must set it for this route). */
  minimumObservationMinutes: number | null;
  citation: Citation;
}

/**
 * When readings are due, by route and product (clinical-reference 4.1). SPRAVATO: before the dose, ~40
 * minutes after, then as warranted; ≥2 h observation. IV: every 10 minutes during the infusion (40 min by
 * default) and every 15 minutes after, for 30 minutes. Other routes have no published schedule: the clinic
 * sets the interval and the minimum observation.
 */
export function observationSchedule(input: {
  route: Route;
  product: Product;
  infusionMinutes?: number;
  clinicSettings?: { intervalMinutes?: number | null; minimumObservationMinutes?: number | null };
}): ObservationPlan {
  if (input.product === 'esketamine') {
    return {
      readingsAtMinutes: [0, 40],
      thenEveryMinutes: input.clinicSettings?.intervalMinutes ?? null,
      minimumObservationMinutes: 120,
      citation: cite(
        '4.1',
        'SPRAVATO US PI: BP before dosing and ~40 min after, then as warranted; observe ≥2 h',
      ),
    };
  }
  if (input.route === 'iv') {
    const infusion = input.infusionMinutes ?? 40;
    const during = Array.from({ length: Math.floor(infusion / 10) + 1 }, (_, i) => i * 10);
    const after = [15, 30].map((m) => infusion + m);
    return {
      readingsAtMinutes: [...during, ...after],
      thenEveryMinutes: input.clinicSettings?.intervalMinutes ?? null,
      minimumObservationMinutes: input.clinicSettings?.minimumObservationMinutes ?? infusion + 30,
      citation: cite(
        '4.1',
        'Emory (J Affect Disord 2018): every 10 min during, every 15 min after; Liu: for 30 min after',
      ),
    };
  }
  const interval = input.clinicSettings?.intervalMinutes ?? null;
  return {
    readingsAtMinutes: [0],
    thenEveryMinutes: interval,
    minimumObservationMinutes: input.clinicSettings?.minimumObservationMinutes ?? null,
    citation: cite(
      '4.1',
      'No published schedule for IM/sublingual KAP; ASA sedation guidance: e.g. every 5–15 min (clinic setting)',
      'secondary',
    ),
  };
}

/** The next reading due, given the minutes at which readings were taken; `overdue` when now is past it. */
export function nextReadingDue(
  plan: ObservationPlan,
  takenAtMinutes: readonly number[],
  minutesNow: number,
): { dueAtMinutes: number | null; overdue: boolean } {
  // A reading counts for a due time when taken no earlier than halfway from the previous due time.
  const sorted = [...takenAtMinutes].sort((a, b) => a - b);
  const due: number[] = [...plan.readingsAtMinutes];
  if (plan.thenEveryMinutes) {
    let t = due.at(-1)! + plan.thenEveryMinutes;
    while (t <= minutesNow + plan.thenEveryMinutes) {
      due.push(t);
      t += plan.thenEveryMinutes;
    }
  }
  let previous = Number.NEGATIVE_INFINITY;
  for (const time of due) {
    const windowStart =
      previous === Number.NEGATIVE_INFINITY ? Number.NEGATIVE_INFINITY : (previous + time) / 2;
    if (!sorted.some((t) => t >= windowStart)) return { dueAtMinutes: time, overdue: minutesNow > time };
    const used = sorted.findIndex((t) => t >= windowStart);
    sorted.splice(used, 1);
    previous = time;
  }
  return { dueAtMinutes: null, overdue: false };
}

export interface PreDoseGateInput {
  product: Product;
  route: Route;
  baselineVitals?: Vitals;
  /** MOAA/S before the dose (5 = alert). */
  baselineMoaas?: number;
  hoursSinceFood?: number;
  hoursSinceLiquids?: number;
  /** The clinic's fasting rule for racemic ketamine (the reference has none for KAP). */
  clinicFastingHours?: { food?: number | null; liquids?: number | null };
  rideHomeConfirmed: boolean;
  escortName?: string | null;
  noDrivingAcknowledged: boolean;
  pregnant?: boolean;
  pregnancyTestRequired?: boolean;
  pregnancyTestNegative?: boolean;
  /** Medications added or changed since the plan. */
  medicationChanges?: { name: string }[];
  currentMedications?: { name: string }[];
  scores?: { phq9?: InstrumentScore; cssrs?: InstrumentScore };
  /** A clinician assessed the suicide risk today (unlocks a high-risk screen to a caution). */
  suicideRiskAssessedToday?: boolean;
  thresholds?: VitalsThresholds;
}

/**
 * The checks before dosing (clinical-reference 4.6). Blockers stop the dose outright; cautions may be
 * overridden by a prescriber with a recorded rationale.
 */
export function preDoseGate(input: PreDoseGateInput): {
  proceed: boolean;
  blockers: string[];
  cautions: string[];
} {
  const blockers: string[] = [];
  const cautions: string[] = [];
  const thresholds = input.thresholds ?? defaultVitalsThresholds;
  const v = input.baselineVitals;
  if (!v || v.systolic === undefined || v.diastolic === undefined)
    blockers.push('Baseline blood pressure has not been recorded.');
  else if (v.systolic > 180 || v.diastolic > 100)
    blockers.push(
      `BP ${v.systolic}/${v.diastolic} is above 180/100: do not dose (uncontrolled hypertension).`,
    );
  else if (v.systolic > thresholds.warning.systolicAbove || v.diastolic > thresholds.warning.diastolicAbove) {
    cautions.push(
      `BP ${v.systolic}/${v.diastolic} is above ${thresholds.warning.systolicAbove}/${thresholds.warning.diastolicAbove}: weigh the BP rise against the benefit.`,
    );
  }
  if (v?.heartRate === undefined || v?.spo2 === undefined)
    cautions.push('Baseline heart rate and SpO2 are not both recorded.');
  if (input.baselineMoaas === undefined) blockers.push('Baseline sedation (MOAA/S) has not been recorded.');
  else if (input.baselineMoaas < 5)
    cautions.push(`Baseline MOAA/S is ${input.baselineMoaas}, not fully alert, before the dose.`);

  if (input.product === 'esketamine') {
    if (input.hoursSinceFood === undefined || input.hoursSinceFood < 2)
      cautions.push('Less than 2 hours since food (or not recorded): nausea and vomiting are more likely.');
    if (input.hoursSinceLiquids === undefined || input.hoursSinceLiquids < 0.5)
      cautions.push('Less than 30 minutes since liquids (or not recorded).');
  } else {
    const rule = input.clinicFastingHours;
    if (rule?.food != null && (input.hoursSinceFood === undefined || input.hoursSinceFood < rule.food))
      cautions.push(`The clinic asks for ${rule.food} hours without food; not met or not recorded.`);
    if (
      rule?.liquids != null &&
      (input.hoursSinceLiquids === undefined || input.hoursSinceLiquids < rule.liquids)
    )
      cautions.push(`The clinic asks for ${rule.liquids} hours without liquids; not met or not recorded.`);
  }

  if (!input.rideHomeConfirmed || !input.escortName?.trim())
    blockers.push('No confirmed ride home with a named escort.');
  if (!input.noDrivingAcknowledged)
    blockers.push('The patient has not acknowledged no driving until the next day after restful sleep.');
  if (input.pregnant) blockers.push('The patient is pregnant: ketamine is not recommended in pregnancy.');
  if (input.pregnancyTestRequired && input.pregnancyTestNegative !== true)
    blockers.push('The clinic requires a negative pregnancy test today; none is recorded.');

  const changed = input.medicationChanges ?? [];
  const all = [...changed, ...(input.currentMedications ?? [])];
  const flagged = new Map<string, string[]>();
  for (const med of all) {
    for (const cls of classifyMedication(med.name)) {
      if (['benzodiazepine', 'sedative-hypnotic', 'opioid', 'psychostimulant', 'maoi'].includes(cls))
        flagged.set(med.name, [...(flagged.get(med.name) ?? []), cls]);
    }
  }
  for (const [name, classes] of flagged) {
    const effect = classes.some((c) => c === 'psychostimulant' || c === 'maoi')
      ? 'raises BP'
      : 'adds sedation and respiratory depression';
    cautions.push(
      `${name} (${classes.join(', ')}): ${effect}${changed.some((m) => m.name === name) ? '; new since the plan' : ''}.`,
    );
  }
  if (changed.length > 0 && flagged.size === 0)
    cautions.push(
      `Medication changes since the plan: ${changed.map((m) => m.name).join(', ')}; review them.`,
    );

  const cssrs = input.scores?.cssrs;
  const phq9 = input.scores?.phq9;
  if (!cssrs && !phq9) blockers.push('No suicidality check today (PHQ-9 item 9 or C-SSRS screener).');
  if (cssrs?.band === 'high') {
    (input.suicideRiskAssessedToday ? cautions : blockers).push(
      input.suicideRiskAssessedToday
        ? 'C-SSRS high risk, assessed by a clinician today.'
        : 'C-SSRS high risk: safety precautions until a mental health professional evaluates the patient.',
    );
  } else if (cssrs?.band === 'moderate') cautions.push('C-SSRS moderate risk: review before dosing.');
  if (phq9?.flags.includes('suicidal-ideation'))
    cautions.push('PHQ-9 item 9 positive today: assess suicide risk before dosing.');

  return { proceed: blockers.length === 0, blockers, cautions };
}

export interface DischargeInput {
  product: Product;
  route: Route;
  minutesSinceDoseStart: number;
  /** The clinic's minimum for routes without a published one (see observationSchedule). */
  minimumObservationMinutes?: number | null;
  baselineVitals: Vitals;
  latestVitals: Vitals;
  baselineMoaas: number;
  latestMoaas: number;
  /** Latest CADSS-6 total; resolved at or below `dissociationResolvedAtMost` (default 0: no symptom left). */
  latestCadss6?: number;
  dissociationResolvedAtMost?: number;
  escortPresent: boolean;
  /** Vitals must be within this fraction of baseline (PADSS/Aldrete: 20%). */
  vitalsWithinFraction?: number;
}

/** Whether the patient may leave (clinical-reference 4.5); every unmet criterion is named. */
export function dischargeReadiness(input: DischargeInput): { ready: boolean; unmet: string[] } {
  const unmet: string[] = [];
  const minimum =
    input.product === 'esketamine'
      ? Math.max(120, input.minimumObservationMinutes ?? 0)
      : input.minimumObservationMinutes;
  if (minimum === null || minimum === undefined)
    unmet.push(`The clinic has not set a minimum observation time for ${input.route} ketamine.`);
  else if (input.minutesSinceDoseStart < minimum)
    unmet.push(`Observed ${Math.floor(input.minutesSinceDoseStart)} of at least ${minimum} minutes.`);
  const fraction = input.vitalsWithinFraction ?? 0.2;
  for (const key of ['systolic', 'diastolic', 'heartRate'] as const) {
    const base = input.baselineVitals[key];
    const now = input.latestVitals[key];
    if (base === undefined) continue;
    if (now === undefined) unmet.push(`No recent ${key} reading.`);
    else if (Math.abs(now - base) > fraction * base)
      unmet.push(`${key} ${now} is more than ${Math.round(fraction * 100)}% from baseline ${base}.`);
  }
  if (input.latestMoaas < input.baselineMoaas)
    unmet.push(`Sedation not resolved: MOAA/S ${input.latestMoaas}, baseline ${input.baselineMoaas}.`);
  const limit = input.dissociationResolvedAtMost ?? 0;
  if (input.latestCadss6 === undefined) unmet.push('No dissociation (CADSS-6) rating before discharge.');
  else if (input.latestCadss6 > limit)
    unmet.push(`Dissociation not resolved: CADSS-6 ${input.latestCadss6}.`);
  if (!input.escortPresent) unmet.push('No responsible adult escort present.');
  return { ready: unmet.length === 0, unmet };
}

export const monitoringRules: RuleMetadata[] = [
  {
    id: 'monitoring.critical-systolic',
    area: 'monitoring',
    title: 'Critical: systolic ≥180 mmHg',
    citation: outlierCitation,
    setting: { key: 'vitals.critical.systolicAtLeast', default: 180, unit: 'mmHg' },
  },
  {
    id: 'monitoring.critical-diastolic',
    area: 'monitoring',
    title: 'Critical: diastolic ≥110 mmHg',
    citation: outlierCitation,
    setting: { key: 'vitals.critical.diastolicAtLeast', default: 110, unit: 'mmHg' },
  },
  {
    id: 'monitoring.critical-systolic-rise',
    area: 'monitoring',
    title: 'Critical: systolic rise ≥40 mmHg from baseline',
    citation: outlierCitation,
    setting: { key: 'vitals.critical.systolicRiseAtLeast', default: 40, unit: 'mmHg' },
  },
  {
    id: 'monitoring.critical-diastolic-rise',
    area: 'monitoring',
    title: 'Critical: diastolic rise ≥25 mmHg from baseline',
    citation: outlierCitation,
    setting: { key: 'vitals.critical.diastolicRiseAtLeast', default: 25, unit: 'mmHg' },
  },
  {
    id: 'monitoring.warning-bp',
    area: 'monitoring',
    title: 'Warning: BP above 140/90',
    citation: predoseCitation,
    setting: { key: 'vitals.warning.systolicAbove', default: 140, unit: 'mmHg' },
  },
  {
    id: 'monitoring.spo2',
    area: 'monitoring',
    title: 'SpO2 warning and critical thresholds',
    citation: spo2Citation,
    setting: { key: 'vitals.spo2Below', default: null, unit: '%' },
  },
  {
    id: 'monitoring.heart-rate',
    area: 'monitoring',
    title: 'Heart-rate thresholds (none in the reference)',
    citation: cite('4.2', 'Only an institutional example (HR >120 for 5 min), UNCONFIRMED', 'unconfirmed'),
    setting: { key: 'vitals.heartRateAbove', default: null, unit: '/min' },
  },
  {
    id: 'monitoring.respiratory-rate',
    area: 'monitoring',
    title: 'Respiratory-rate threshold (none in the reference)',
    citation: cite(
      '2.5',
      'SPRAVATO warns of respiratory depression; no numeric threshold given',
      'unconfirmed',
    ),
    setting: { key: 'vitals.respiratoryRateBelow', default: null, unit: '/min' },
  },
  {
    id: 'monitoring.spravato-schedule',
    area: 'monitoring',
    title: 'Esketamine: BP before and ~40 min after the dose; ≥2 h observation',
    citation: cite('4.1', 'SPRAVATO US PI'),
  },
  {
    id: 'monitoring.iv-schedule',
    area: 'monitoring',
    title: 'IV: every 10 min during the infusion, every 15 min for 30 min after',
    citation: cite('4.1', 'Emory, J Affect Disord 2018; Liu (physiciansweekly)'),
  },
  {
    id: 'monitoring.other-routes-schedule',
    area: 'monitoring',
    title: 'IM/sublingual/oral/intranasal racemic: reading interval and minimum observation',
    citation: cite('4.1', 'No published KAP schedule; ASA: e.g. every 5–15 min', 'secondary'),
    setting: { key: 'monitoring.minimumObservationMinutes', default: null, unit: 'minutes' },
  },
  {
    id: 'monitoring.predose-bp-block',
    area: 'monitoring',
    title: 'Pre-dose gate: BP above 180/100 blocks the dose; above 140/90 is a caution',
    citation: cite('3.1', 'Ketamine Swiss label (>180/100); SPRAVATO §2 (>140/90)'),
  },
  {
    id: 'monitoring.esketamine-fasting',
    area: 'monitoring',
    title: 'Esketamine: no food 2 h, no liquids 30 min before the dose',
    citation: cite('4.6', 'SPRAVATO patient instructions'),
  },
  {
    id: 'monitoring.racemic-fasting',
    area: 'monitoring',
    title: 'Racemic ketamine fasting rule (KAP-specific rule UNCONFIRMED)',
    citation: cite(
      '4.6',
      'ASA fasting applies to procedural sedation; KAP rule practice-specific',
      'unconfirmed',
    ),
    setting: { key: 'monitoring.fastingHours', default: null, unit: 'hours' },
  },
  {
    id: 'monitoring.pregnancy-test',
    area: 'monitoring',
    title: 'Point-of-care pregnancy test before each session (local protocol)',
    citation: cite('4.6', 'Not a published requirement (UNCONFIRMED)', 'unconfirmed'),
    setting: { key: 'monitoring.pregnancyTestRequired', default: false },
  },
  {
    id: 'monitoring.ride-home',
    area: 'monitoring',
    title: 'Ride home with a responsible adult; no driving until the next day',
    citation: cite('4.6', 'SPRAVATO US PI; Ketalar outpatient note'),
  },
  {
    id: 'monitoring.discharge-vitals',
    area: 'monitoring',
    title: 'Discharge: vitals within 20% of baseline',
    citation: cite('4.5', 'PADSS (Chung); modified Aldrete', 'secondary'),
    setting: { key: 'discharge.vitalsWithinFraction', default: 0.2 },
  },
  {
    id: 'monitoring.discharge-sedation',
    area: 'monitoring',
    title: 'Discharge: MOAA/S back to baseline; dissociation resolved',
    citation: cite('4.5', 'SPRAVATO REMS: until sedation, dissociation and respiratory depression resolve'),
    setting: { key: 'discharge.dissociationResolvedAtMost', default: 0, unit: 'CADSS-6 points' },
  },
  {
    id: 'monitoring.discharge-esketamine',
    area: 'monitoring',
    title: 'Discharge (esketamine): at least 2 hours after the dose',
    citation: cite('2.5', 'SPRAVATO US PI and REMS'),
  },
];
