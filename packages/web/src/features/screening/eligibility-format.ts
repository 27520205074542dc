import {
  type EligibilityAssessment,
  type EligibilityDecisionKind,
  type EligibilityFinding,
  type InstrumentId,
  instruments,
  type Product,
  type Route,
  type SelfReportedHistory,
} from '@kapstone/clinical';

export const decisionLabels: Record<EligibilityDecisionKind, string> = {
  approve: 'Approve',
  'approve-with-conditions': 'Approve with conditions',
  defer: 'Defer (needs records or a consult)',
  decline: 'Decline',
};

/** The decision as a state: "A decision (approved) is signed…". */
export const decisionStateLabels: Record<EligibilityDecisionKind, string> = {
  approve: 'approved',
  'approve-with-conditions': 'approved with conditions',
  defer: 'deferred',
  decline: 'declined',
};

export const engineLabels: Record<EligibilityAssessment['decision'], { label: string; color: string }> = {
  eligible: { label: 'Eligible', color: 'green' },
  review: { label: 'Needs the prescriber’s review', color: 'yellow' },
  excluded: { label: 'Contraindicated', color: 'red' },
};

export const findingKindLabels: Record<EligibilityFinding['kind'], { label: string; color: string }> = {
  contraindication: { label: 'Contraindication', color: 'red' },
  caution: { label: 'Caution', color: 'yellow' },
  info: { label: 'Information', color: 'blue' },
};

export const routeLabels: Record<Route, string> = {
  iv: 'Intravenous (IV)',
  im: 'Intramuscular (IM)',
  sublingual: 'Sublingual',
  oral: 'Oral',
  intranasal: 'Intranasal',
};

export const productLabels: Record<Product, string> = {
  'ketamine-racemic': 'Ketamine (racemic)',
  esketamine: 'Esketamine (Spravato)',
};

/** The routes each product is given by: esketamine is a nasal spray. */
export const routesFor: Record<Product, readonly Route[]> = {
  'ketamine-racemic': ['iv', 'im', 'sublingual', 'oral', 'intranasal'],
  esketamine: ['intranasal'],
};

export const selfReportedLabels: Record<
  Exclude<keyof SelfReportedHistory, 'medications' | 'allergies'>,
  string
> = {
  psychosis: 'Psychosis',
  mania: 'Mania, hypomania or bipolar disorder',
  dissociativeDisorder: 'Dissociative disorder',
  substanceUseDisorder: 'Problem alcohol or drug use',
  suicideAttempt: 'Past suicide attempt',
  heartDisease: 'Heart disease or arrhythmia',
  hypertension: 'High blood pressure',
  strokeOrBrainInjury: 'Stroke, brain bleed or head injury',
  aneurysmOrAvm: 'Aneurysm or arteriovenous malformation',
  liverDisease: 'Liver disease',
  urinarySymptoms: 'Bladder or urinary problems',
  glaucomaOrRaisedIntracranialPressure: 'Glaucoma or raised intracranial pressure',
  hyperthyroidism: 'Overactive thyroid',
  pregnancy: 'Possible pregnancy',
  breastfeeding: 'Possibly breastfeeding',
  preEclampsia: 'Pre-eclampsia or eclampsia',
};

/** The items of a self-reported history the patient answered "yes" or "unsure" to, labelled. */
export function reportedItems(history: SelfReportedHistory | undefined): { label: string; answer: string }[] {
  if (!history) return [];
  return (Object.keys(selfReportedLabels) as (keyof typeof selfReportedLabels)[])
    .filter((key) => history[key] !== undefined)
    .map((key) => ({ label: selfReportedLabels[key], answer: history[key] as string }));
}

/** An instrument's name and the label of a band, from the instrument's own definition. */
export function instrumentName(id: string): string {
  return instruments[id as InstrumentId]?.shortName ?? id;
}
export function bandLabel(id: string, band: string): string {
  return instruments[id as InstrumentId]?.bands.find((b) => b.id === band)?.label ?? band;
}
