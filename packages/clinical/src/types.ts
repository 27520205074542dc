/**
 * The shared vocabulary of @kapstone/clinical. These shapes are the package's public contract
 * (issue "@kapstone/clinical"); the server, the web app and outside users depend on them exactly.
 */

export type InstrumentId =
  | 'phq9'
  | 'phq2'
  | 'gad7'
  | 'gad2'
  | 'pcl5'
  | 'cssrs-screener'
  | 'qids-sr16'
  | 'madrs'
  | 'audit-c'
  | 'dast10'
  | 'mdq'
  | 'cadss6';

export type Route = 'iv' | 'im' | 'sublingual' | 'oral' | 'intranasal';
export type Product = 'ketamine-racemic' | 'esketamine';
export type Sex = 'female' | 'male';

/** Where a rule, threshold or code comes from: the section of ../shared/clinical-reference.md and the primary source. */
export interface Citation {
  /** e.g. 'clinical-reference 1.1' */
  section: string;
  /** e.g. 'Kroenke K, Spitzer RL, Williams JB. J Gen Intern Med 2001;16:606-613' */
  source: string;
  /** [P] primary, [S] secondary only, or UNCONFIRMED, as the reference marks it. */
  evidence: 'primary' | 'secondary' | 'unconfirmed';
}

export interface AnswerOption {
  score: number;
  label: string;
  /** LOINC answer code (LA...) where one exists. */
  loinc?: string;
}

export interface InstrumentItem {
  /** Stable id within the instrument, e.g. 'phq9-9'. */
  id: string;
  /** 1-based position in the published form. */
  number: number;
  /** The item's own wording where the licence allows it, otherwise a short label. */
  text: string;
  options: readonly AnswerOption[];
  loinc?: string;
  /** Present when the item is only asked under a condition (C-SSRS skip logic, MDQ parts). */
  enableWhen?: { item: string; answers: readonly number[] };
  /**
   * True when the form may be complete without this item: PHQ-9 item 10 (unscored), and MDQ question 2,
   * which the form asks only when more than one symptom was checked.
   */
  optional?: boolean;
}

export interface InstrumentDefinition {
  id: InstrumentId;
  name: string;
  shortName: string;
  /** e.g. 'the last 2 weeks' */
  recallPeriod: string;
  completedBy: 'patient' | 'clinician';
  items: readonly InstrumentItem[];
  /** Possible total range, when the instrument has a total. */
  totalRange?: { min: number; max: number };
  bands: readonly { id: string; label: string; min?: number; max?: number }[];
  loinc?: { panel?: string; total?: string };
  licence: string;
  citations: readonly Citation[];
}

export interface InstrumentScore {
  instrument: InstrumentId;
  total: number | null;
  band: string;
  complete: boolean;
  flags: string[];
  subscales?: Record<string, number>;
}

export type ScoreContext = {
  sex?: Sex;
  /**
   * Clinic overrides of screening cut-offs, each "positive at or above": PCL-5 (the reference leaves 31–33 to
   * the site), PHQ-2 (≥3, or the published alternative ≥2), GAD-2 (≥3), AUDIT-C by sex (≥4 men, ≥3 women).
   */
  cutoffs?: { pcl5?: number; phq2?: number; gad2?: number; auditC?: { male?: number; female?: number } };
};

export interface ChangeClassification {
  change: number;
  percentChange: number;
  response: boolean;
  remission: boolean;
  worsening: boolean;
}

export interface Vitals {
  systolic?: number;
  diastolic?: number;
  heartRate?: number;
  spo2?: number;
  respiratoryRate?: number;
}

export interface EligibilityProfile {
  ageYears: number;
  sex?: Sex;
  route: Route;
  product: Product;
  conditions: { icd10: string }[];
  medications: { name: string; rxnorm?: string; dailyDoseMg?: number }[];
  /** Recorded allergies (for hypersensitivity to ketamine). */
  allergies?: { substance: string }[];
  pregnant?: boolean;
  breastfeeding?: boolean;
  vitals?: { systolic: number; diastolic: number; heartRate?: number; spo2?: number };
  scores?: Partial<Record<InstrumentId, InstrumentScore>>;
  /**
   * What the patient reported on the intake and the chart does not (yet) hold as a coded entry. It never
   * vanishes: the self-reported rules turn it into findings that ask for confirmation.
   */
  selfReported?: SelfReportedHistory;
}

/** A patient's answer that needs confirming: "yes", or "unsure" (a possible yes, never a no). */
export type SelfReportedAnswer = 'yes' | 'unsure';

/**
 * The patient's own answers about their history, before a clinician has confirmed them. Absent means the
 * patient did not report it, never that it was ruled out.
 */
export interface SelfReportedHistory {
  psychosis?: SelfReportedAnswer;
  /** Mania or hypomania, or a bipolar diagnosis. */
  mania?: SelfReportedAnswer;
  dissociativeDisorder?: SelfReportedAnswer;
  /** A problem with alcohol or drugs, opioid use disorder, or a substance use disorder diagnosis. */
  substanceUseDisorder?: SelfReportedAnswer;
  /** A past suicide attempt (when is for the clinician to ask). */
  suicideAttempt?: SelfReportedAnswer;
  /** Heart disease: coronary disease, heart failure, arrhythmia, cardiomyopathy. */
  heartDisease?: SelfReportedAnswer;
  hypertension?: SelfReportedAnswer;
  /** A stroke, intracranial bleed or head injury. */
  strokeOrBrainInjury?: SelfReportedAnswer;
  /** An aneurysm or arteriovenous malformation. */
  aneurysmOrAvm?: SelfReportedAnswer;
  liverDisease?: SelfReportedAnswer;
  /** Bladder pain, interstitial cystitis or other urinary symptoms. */
  urinarySymptoms?: SelfReportedAnswer;
  glaucomaOrRaisedIntracranialPressure?: SelfReportedAnswer;
  hyperthyroidism?: SelfReportedAnswer;
  /** Pregnancy the patient is unsure of (a "yes" is the profile's `pregnant`). */
  pregnancy?: SelfReportedAnswer;
  /** Breastfeeding the patient is unsure of (a "yes" is the profile's `breastfeeding`). */
  breastfeeding?: SelfReportedAnswer;
  /** Pre-eclampsia or eclampsia in a current or recent pregnancy. */
  preEclampsia?: SelfReportedAnswer;
  /** Medicines the patient listed. */
  medications?: readonly { name: string }[];
  /** Allergies the patient listed. */
  allergies?: readonly { substance: string }[];
}

/** The prescriber's signed answer to an eligibility assessment. */
export type EligibilityDecisionKind = 'approve' | 'approve-with-conditions' | 'defer' | 'decline';

export interface EligibilityFinding {
  ruleId: string;
  kind: 'contraindication' | 'caution' | 'info';
  message: string;
  source: string;
}

export interface EligibilityAssessment {
  decision: 'eligible' | 'review' | 'excluded';
  findings: EligibilityFinding[];
}

export interface DoseOrder {
  product: Product;
  route: Route;
  weightKg?: number;
  mgPerKg?: number;
  doseMg?: number;
  concentrationMgPerMl?: number;
  ageYears?: number;
}

export interface DoseCalculation {
  doseMg: number;
  mgPerKg?: number;
  volumeMl?: number;
  devices?: number;
  level: 'ok' | 'warning' | 'blocked';
  messages: string[];
}

export type ProtocolId = 'iv-series' | 'spravato-trd' | 'spravato-mdd-si' | 'kap-im' | 'kap-sublingual';

export interface PlannedEvent {
  kind: 'preparation' | 'dosing' | 'integration' | 'measure' | 'follow-up';
  week?: number;
  /** ISO date (YYYY-MM-DD) */
  earliest: string;
  /** ISO date (YYYY-MM-DD) */
  latest: string;
  instruments?: InstrumentId[];
  note?: string;
}

export interface VitalsClassification {
  level: 'normal' | 'warning' | 'critical';
  reasons: string[];
}

/**
 * Metadata of one rule, threshold or code, exported by every area so that the README's rule list and
 * docs are generated from the rules themselves and cannot drift.
 */
export interface RuleMetadata {
  /** Stable id, e.g. 'phq9.band', 'eligibility.uncontrolled-hypertension', 'monitoring.spravato-outlier-bp'. */
  id: string;
  area:
    | 'instruments'
    | 'outcomes'
    | 'eligibility'
    | 'dosing'
    | 'protocols'
    | 'monitoring'
    | 'ledger'
    | 'research';
  /** What the rule decides, in a clinician's words. */
  title: string;
  citation: Citation;
  /**
   * Present when the number is a clinic-overridable setting. `default: null` means the reference gives
   * no number and the clinic must set one (the rule says so rather than inventing a value).
   */
  setting?: { key: string; default: number | string | boolean | null; unit?: string };
}
