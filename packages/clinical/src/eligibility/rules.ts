import { icd10InRange } from '../icd10.ts';
import { classifyMedication, type DiazepamEquivalents, type MedicationClass } from '../medications.ts';
import type { Citation, EligibilityProfile, Product } from '../types.ts';

export interface EligibilitySettings {
  /** mg of diazepam per mg of each benzodiazepine; none by default (not in the reference). */
  diazepamEquivalents: DiazepamEquivalents;
}

export interface EligibilityRule {
  id: string;
  kind: 'contraindication' | 'caution' | 'info';
  /** Products the rule applies to; all when absent. */
  products?: readonly Product[];
  title: string;
  citation: Citation;
  /** Returns the explanation when the rule fires for this profile, otherwise null. */
  check(profile: EligibilityProfile, settings: EligibilitySettings): string | null;
}

const cite = (section: string, source: string, evidence: Citation['evidence'] = 'primary'): Citation => ({
  section: `clinical-reference ${section}`,
  source,
  evidence,
});

type Range = string | readonly [string, string];
function matchingConditions(profile: EligibilityProfile, ranges: readonly Range[]): string[] {
  return profile.conditions.map((c) => c.icd10).filter((code) => ranges.some((r) => icd10InRange(code, r)));
}
function conditionRule(
  id: string,
  kind: EligibilityRule['kind'],
  ranges: readonly Range[],
  title: string,
  explain: (codes: string) => string,
  citation: Citation,
  products?: readonly Product[],
): EligibilityRule {
  return {
    id,
    kind,
    title,
    citation,
    ...(products ? { products } : {}),
    check: (profile) => {
      const codes = matchingConditions(profile, ranges);
      return codes.length > 0 ? explain(codes.join(', ')) : null;
    },
  };
}
function medicationsIn(profile: EligibilityProfile, cls: MedicationClass): string[] {
  return profile.medications.filter((m) => classifyMedication(m.name).includes(cls)).map((m) => m.name);
}
function medicationRule(
  id: string,
  kind: EligibilityRule['kind'],
  cls: MedicationClass,
  title: string,
  explain: (names: string) => string,
  citation: Citation,
  products?: readonly Product[],
): EligibilityRule {
  return {
    id,
    kind,
    title,
    citation,
    ...(products ? { products } : {}),
    check: (profile) => {
      const names = medicationsIn(profile, cls);
      return names.length > 0 ? explain(names.join(', ')) : null;
    },
  };
}

const spravatoPi = 'SPRAVATO (esketamine) US prescribing information';

/**
 * The contraindications and cautions of clinical-reference section 3 (3.5 is the classification used:
 * absolute → contraindication, relative → caution that needs the prescriber's reasoned decision).
 */
export const eligibilityRuleSet: readonly EligibilityRule[] = [
  // --- Absolute (3.1, 3.5) ---
  conditionRule(
    'eligibility.aneurysm-or-avm',
    'contraindication',
    ['I71', 'I72', 'I67.1', 'Q28.2', 'Q28.3', 'Q27.3'],
    'Aneurysmal vascular disease or arteriovenous malformation',
    (c) =>
      `Aneurysmal vascular disease or arteriovenous malformation on the problem list (${c}): a contraindication in the esketamine label, and a blood-pressure rise would be a serious hazard with any ketamine.`,
    cite('3.1', `${spravatoPi}, Contraindications; Ketalar PI (BP rise a serious hazard)`),
  ),
  conditionRule(
    'eligibility.intracerebral-hemorrhage',
    'contraindication',
    ['I61', 'I69.1'],
    'History of intracerebral hemorrhage',
    (c) => `History of intracerebral hemorrhage (${c}): a label contraindication.`,
    cite('3.1', `${spravatoPi}, Contraindications`),
  ),
  {
    id: 'eligibility.ketamine-hypersensitivity',
    kind: 'contraindication',
    title: 'Hypersensitivity to ketamine or esketamine',
    citation: cite('3.1', `${spravatoPi}; Ketalar PI, Contraindications`),
    check: (p) => {
      const found = (p.allergies ?? [])
        .filter((a) => /ketamine|ketalar|spravato/i.test(a.substance))
        .map((a) => a.substance);
      return found.length > 0
        ? `Recorded allergy to ${found.join(', ')}: hypersensitivity is a label contraindication.`
        : null;
    },
  },
  {
    id: 'eligibility.severe-hypertension',
    kind: 'contraindication',
    title: 'Resting blood pressure above 180/100 mmHg',
    citation: cite(
      '3.1',
      'Ketamine Swiss label (poorly controlled hypertension >180/100 at rest); Ketalar PI',
    ),
    check: (p) =>
      p.vitals && (p.vitals.systolic > 180 || p.vitals.diastolic > 100)
        ? `Resting BP ${p.vitals.systolic}/${p.vitals.diastolic} mmHg is above 180/100: uncontrolled hypertension contraindicates ketamine until it is treated.`
        : null,
  },
  conditionRule(
    'eligibility.eclampsia',
    'contraindication',
    ['O11', ['O14', 'O15']],
    'Eclampsia or pre-eclampsia',
    (c) => `Eclampsia or pre-eclampsia (${c}): ketamine must not be used (UK SmPC).`,
    cite('3.1', 'Ketalar UK SmPC 2019 (MHRA)'),
  ),
  conditionRule(
    'eligibility.severe-coronary-disease',
    'contraindication',
    ['I21', 'I22', 'I20.0'],
    'Acute or unstable coronary disease',
    (c) =>
      `Acute myocardial infarction or unstable angina (${c}): severe coronary or myocardial disease contraindicates ketamine (UK SmPC).`,
    cite('3.1', 'Ketalar UK SmPC 2019 (MHRA)'),
  ),
  conditionRule(
    'eligibility.stroke-or-brain-injury',
    'contraindication',
    ['I63', 'S06'],
    'Cerebrovascular accident or cerebral trauma',
    (c) =>
      `Stroke or intracranial injury on the problem list (${c}): a recent cerebrovascular accident or cerebral trauma contraindicates ketamine (UK SmPC). Confirm when it happened.`,
    cite('3.1', 'Ketalar UK SmPC 2019 (MHRA)'),
  ),
  {
    id: 'eligibility.pregnancy',
    kind: 'contraindication',
    title: 'Pregnancy',
    citation: cite(
      '3.5',
      `${spravatoPi} and Ketalar PI: not recommended in pregnancy; many practices exclude it`,
    ),
    check: (p) => {
      const codes = matchingConditions(p, [['O00', 'O9A'], 'Z33.1']);
      if (p.pregnant)
        return 'The patient is pregnant: ketamine and esketamine are not recommended in pregnancy.';
      return codes.length > 0
        ? `Pregnancy on the problem list (${codes.join(', ')}): not recommended in pregnancy.`
        : null;
    },
  },
  conditionRule(
    'eligibility.active-psychosis-or-mania',
    'contraindication',
    [['F20', 'F29'], 'F30', 'F31.1', 'F31.2'],
    'Psychotic disorder or current mania',
    (c) =>
      `Psychotic disorder or manic episode (${c}): active psychosis or mania is a practice exclusion, and the label asks for careful assessment of psychosis.`,
    cite('3.5', `Practice exclusion (Hull et al. 2022); ${spravatoPi} §5.2`, 'secondary'),
  ),
  {
    id: 'eligibility.minimum-age',
    kind: 'contraindication',
    title: 'Under 18',
    citation: cite('2.5', `${spravatoPi}: adult dosing; real-world KAP inclusion age ≥18 (Hull et al. 2022)`),
    check: (p) =>
      p.ageYears < 18
        ? `The patient is ${p.ageYears}: ketamine-assisted treatment here is for adults (18 and over).`
        : null,
  },
  medicationRule(
    'eligibility.theophylline',
    'contraindication',
    'theophylline',
    'Theophylline or aminophylline',
    (n) => `${n}: lowers the seizure threshold with ketamine; do not co-administer.`,
    cite('3.3', 'Ketalar PI 7.1'),
    ['ketamine-racemic'],
  ),

  // --- Relative (3.2, 3.3, 3.5) ---
  medicationRule(
    'eligibility.theophylline-esketamine',
    'caution',
    'theophylline',
    'Theophylline or aminophylline (esketamine)',
    (n) =>
      `${n}: the racemic ketamine label forbids co-administration (seizure threshold); weigh the same risk for esketamine.`,
    cite('3.3', 'Ketalar PI 7.1'),
    ['esketamine'],
  ),
  conditionRule(
    'eligibility.bipolar',
    'caution',
    ['F31'],
    'Bipolar disorder',
    (c) => `Bipolar disorder (${c}): consider mood-stabiliser cover and watch for switching.`,
    cite('3.5', 'Suggested classification (synthesis)', 'secondary'),
  ),
  {
    id: 'eligibility.mdq-positive',
    kind: 'caution',
    title: 'Positive MDQ bipolar screen',
    citation: cite('3.5', 'Positive MDQ as a relative contraindication; Hirschfeld 2000 (1.12)', 'secondary'),
    check: (p) =>
      p.scores?.mdq?.band === 'positive'
        ? 'Positive Mood Disorder Questionnaire: evaluate for bipolar disorder before ketamine.'
        : null,
  },
  conditionRule(
    'eligibility.substance-use',
    'caution',
    [
      ['F10', 'F16'],
      ['F18', 'F19'],
    ],
    'Substance use disorder',
    (c) =>
      `Substance use disorder (${c}): the label advises careful consideration and monitoring for abuse and dependence; opioid use disorder and current dependence are common practice exclusions.`,
    cite('3.2', `${spravatoPi} §5.3; Hull et al. 2022 exclusions (3.4)`),
  ),
  {
    id: 'eligibility.audit-c-positive',
    kind: 'caution',
    title: 'Positive AUDIT-C',
    citation: cite('3.2', `${spravatoPi} §5.3 (alcohol); AUDIT-C (1.9)`),
    check: (p) =>
      p.scores?.['audit-c']?.band === 'positive'
        ? 'Positive AUDIT-C: assess alcohol use before ketamine (abuse and sedation risk).'
        : null,
  },
  {
    id: 'eligibility.dast10',
    kind: 'caution',
    title: 'DAST-10 moderate or higher',
    citation: cite('1.10', 'DAST-10 bands: moderate or above needs further investigation', 'secondary'),
    check: (p) => {
      const band = p.scores?.dast10?.band;
      return band && ['moderate', 'substantial', 'severe'].includes(band)
        ? `DAST-10 ${band}: drug use needs further assessment before ketamine.`
        : null;
    },
  },
  conditionRule(
    'eligibility.hypertension',
    'caution',
    [['I10', 'I16']],
    'Hypertension',
    (c) =>
      `Hypertension (${c}): check it is controlled; ketamine raises BP, peaking about 40 minutes after the dose.`,
    cite('3.5', 'Suggested classification; SPRAVATO Table 6 BP outliers (2.5)', 'secondary'),
  ),
  {
    id: 'eligibility.elevated-bp',
    kind: 'caution',
    title: 'Blood pressure above 140/90 mmHg',
    citation: cite('2.5', `${spravatoPi} §2: pre-dose BP >140/90 → weigh risk and benefit`),
    check: (p) =>
      p.vitals &&
      p.vitals.systolic <= 180 &&
      p.vitals.diastolic <= 100 &&
      (p.vitals.systolic > 140 || p.vitals.diastolic > 90)
        ? `BP ${p.vitals.systolic}/${p.vitals.diastolic} mmHg is above 140/90: weigh the short-term BP rise against the benefit.`
        : null,
  },
  conditionRule(
    'eligibility.cardiovascular',
    'caution',
    [['I20.1', 'I20.9'], ['I23', 'I25'], 'I48', 'I50', 'I42'],
    'Cardiovascular disease',
    (c) => `Cardiovascular disease (${c}): assess carefully before treatment.`,
    cite('3.2', `${spravatoPi}: cardiovascular and cerebrovascular conditions`),
  ),
  conditionRule(
    'eligibility.raised-icp-or-iop',
    'caution',
    ['G93.2', 'G93.6', 'G91', 'H40'],
    'Raised intracranial or intraocular pressure',
    (c) =>
      `Raised intracranial pressure or glaucoma (${c}): ketamine can raise CSF and intraocular pressure.`,
    cite('3.2', 'Ketalar PI warnings; SPRAVATO §2'),
  ),
  conditionRule(
    'eligibility.hepatic',
    'caution',
    [['K70', 'K77']],
    'Liver disease',
    (c) =>
      `Liver disease (${c}): take baseline liver tests; Child-Pugh C is not recommended for esketamine and B may need longer monitoring.`,
    cite('3.2', 'Ketalar PI (drug-induced liver injury); SPRAVATO hepatic guidance UNCONFIRMED verbatim'),
  ),
  conditionRule(
    'eligibility.urinary',
    'caution',
    ['N30.1', 'N30.2', 'R39.1', 'R30'],
    'Interstitial cystitis or urinary symptoms',
    (c) =>
      `Bladder or urinary symptoms (${c}): ketamine can cause cystitis with repeated use; record a baseline.`,
    cite('3.2', 'Ketalar PI adverse reactions; SPRAVATO "bladder problems"'),
  ),
  conditionRule(
    'eligibility.hyperthyroidism',
    'caution',
    ['E05'],
    'Hyperthyroidism',
    (c) =>
      `Hyperthyroidism (${c}): untreated hyperthyroidism is a contraindication in the Swiss label; confirm it is treated.`,
    cite('3.1', 'Ketamine Swiss label (oddb.org)'),
  ),
  {
    id: 'eligibility.breastfeeding',
    kind: 'caution',
    title: 'Breastfeeding',
    citation: cite('2.5', `${spravatoPi}: breastfeeding not recommended`),
    check: (p) =>
      p.breastfeeding
        ? 'The patient is breastfeeding: not recommended with esketamine; discuss pausing or alternatives.'
        : null,
  },
  {
    id: 'eligibility.suicide-risk',
    kind: 'caution',
    title: 'Recent suicidal ideation or high C-SSRS risk',
    citation: cite(
      '3.5',
      'Recent suicidal intent needs a higher level of care (synthesis); C-SSRS triage (1.5)',
      'secondary',
    ),
    check: (p) => {
      const reasons: string[] = [];
      if (p.scores?.['cssrs-screener']?.band === 'high')
        reasons.push(
          'C-SSRS high risk (intent, plan or recent behaviour): safety precautions until a mental health professional evaluates',
        );
      if (p.scores?.phq9?.flags.includes('suicidal-ideation'))
        reasons.push('PHQ-9 item 9 positive: a same-visit suicide-risk assessment is needed');
      if (p.scores?.['qids-sr16']?.flags.includes('suicidal-ideation')) reasons.push('QIDS item 12 positive');
      return reasons.length > 0 ? `${reasons.join('; ')}.` : null;
    },
  },
  {
    id: 'eligibility.benzodiazepines',
    kind: 'caution',
    title: 'Benzodiazepines',
    citation: cite(
      '3.3',
      `${spravatoPi} §7.1 (sedation); Andrashko 2020 (>8 mg diazepam-equivalent/day and response)`,
    ),
    check: (p, settings) => {
      const benzos = p.medications.filter((m) => classifyMedication(m.name).includes('benzodiazepine'));
      if (benzos.length === 0) return null;
      let total = 0;
      let known = true;
      for (const m of benzos) {
        const key = Object.keys(settings.diazepamEquivalents).find((k) =>
          m.name.toLowerCase().includes(k.toLowerCase()),
        );
        const factor = key ? settings.diazepamEquivalents[key] : undefined;
        if (factor === undefined || m.dailyDoseMg === undefined) known = false;
        else total += factor * m.dailyDoseMg;
      }
      const names = benzos.map((m) => m.name).join(', ');
      const dose = known
        ? ` Daily dose ≈ ${Math.round(total * 10) / 10} mg diazepam-equivalent${total > 8 ? ', above 8 mg/day, where the antidepressant effect is attenuated' : ''}.`
        : ' The diazepam-equivalent dose was not computed (the clinic has not set conversion factors, or a daily dose is missing).';
      return `${names}: more sedation and respiratory depression with ketamine, and higher doses blunt its antidepressant effect.${dose}`;
    },
  },
  medicationRule(
    'eligibility.opioids',
    'caution',
    'opioid',
    'Opioids',
    (n) =>
      `${n}: CNS depressant (sedation, respiratory depression); opioid use disorder is a common practice exclusion.`,
    cite('3.3', `${spravatoPi} §7.1; Ketalar PI`),
  ),
  medicationRule(
    'eligibility.sedative-hypnotics',
    'caution',
    'sedative-hypnotic',
    'Sedative hypnotics',
    (n) => `${n}: CNS depressant; watch sedation closely.`,
    cite('3.3', `${spravatoPi} §7.1`),
  ),
  medicationRule(
    'eligibility.psychostimulants',
    'caution',
    'psychostimulant',
    'Psychostimulants',
    (n) => `${n}: raises blood pressure with ketamine; monitor BP.`,
    cite('3.3', `${spravatoPi} (drug interactions)`),
  ),
  medicationRule(
    'eligibility.maoi',
    'caution',
    'maoi',
    'MAO inhibitors',
    (n) => `${n}: raises blood pressure with ketamine; monitor BP.`,
    cite('3.3', `${spravatoPi} (drug interactions)`),
  ),
  medicationRule(
    'eligibility.lamotrigine',
    'caution',
    'lamotrigine',
    'Lamotrigine',
    (n) =>
      `${n}: may blunt ketamine's perceptual effects; its effect on the antidepressant response is unknown.`,
    cite('3.3', 'Anand et al. Arch Gen Psychiatry 2000; Andrade J Clin Psychiatry 2017', 'secondary'),
  ),

  // --- Information ---
  {
    id: 'eligibility.older-adult-esketamine',
    kind: 'info',
    products: ['esketamine'],
    title: 'Age 65 or over (esketamine)',
    citation: cite(
      '2.5',
      'Elderly day-1 dose 28 mg (EU/HK label); whether the US label has it is UNCONFIRMED',
      'unconfirmed',
    ),
    check: (p) =>
      p.ageYears >= 65
        ? 'Age 65 or over: larger BP rises in trials (ΔSBP ≥40 in 17%); some labels start at 28 mg.'
        : null,
  },
];
