import { icd10InRange } from '../icd10.ts';
import { classifyMedication } from '../medications.ts';
import type { Citation, EligibilityProfile, SelfReportedHistory } from '../types.ts';
import type { EligibilityRule } from './rules.ts';

const cite = (section: string, source: string, evidence: Citation['evidence'] = 'primary'): Citation => ({
  section: `clinical-reference ${section}`,
  source,
  evidence,
});

const spravatoPi = 'SPRAVATO (esketamine) US prescribing information';

type Range = string | readonly [string, string];
type HistoryFlag = Exclude<keyof SelfReportedHistory, 'medications' | 'allergies'>;

const onProblemList = (profile: EligibilityProfile, ranges: readonly Range[]) =>
  profile.conditions.some((c) => ranges.some((r) => icd10InRange(c.icd10, r)));

/**
 * One self-reported item. It fires when the patient said "yes" and the problem list holds no code that the
 * coded rule of the same topic would read (then that rule speaks, with the chart's code). What the patient
 * reports is not yet a diagnosis, so it asks the prescriber to confirm it: a caution, or information where
 * the reference classifies nothing.
 */
function reportedRule(
  id: string,
  flag: HistoryFlag,
  kind: EligibilityRule['kind'],
  codedAs: readonly Range[],
  title: string,
  message: string,
  citation: Citation,
): EligibilityRule {
  return {
    id,
    kind,
    title: `Self-reported: ${title}`,
    citation,
    check: (p) => {
      const answer = p.selfReported?.[flag];
      if ((answer !== 'yes' && answer !== 'unsure') || onProblemList(p, codedAs)) return null;
      return answer === 'unsure' ? `Answered “unsure” on the intake. ${message}` : message;
    },
  };
}

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * History the patient reported on the intake that the chart does not hold as a coded entry (clinical-reference
 * 3.1–3.5). Each finding says what was reported, why it matters, and that it needs confirming from records or
 * the clinical interview; coding it on the chart replaces the finding with the coded rule's own.
 */
export const selfReportedRuleSet: readonly EligibilityRule[] = [
  reportedRule(
    'eligibility.self-reported-psychosis',
    'psychosis',
    'caution',
    [['F20', 'F29']],
    'history of psychosis',
    'Self-reported history of psychosis, not on the problem list: confirm with records. Active psychosis is a practice exclusion, and the label asks for careful assessment of psychosis before treatment.',
    cite('3.5', `Practice exclusion (Hull et al. 2022); ${spravatoPi} §5.2 (3.2)`, 'secondary'),
  ),
  reportedRule(
    'eligibility.self-reported-mania',
    'mania',
    'caution',
    ['F30', 'F31'],
    'history of mania or bipolar disorder',
    'Self-reported mania, hypomania or bipolar disorder, not on the problem list: confirm with records. Current mania is a practice exclusion; bipolar disorder needs mood-stabiliser context.',
    cite('3.5', 'Suggested classification (synthesis); Hull et al. 2022 exclusions (3.4)', 'secondary'),
  ),
  reportedRule(
    'eligibility.self-reported-dissociative-disorder',
    'dissociativeDisorder',
    'info',
    ['F44'],
    'dissociative disorder',
    'Self-reported dissociative disorder, not on the problem list: the reference classifies no rule for it, but ketamine regularly causes dissociation (61–84% on the CADSS with esketamine); discuss it at preparation.',
    cite('1.11', `${spravatoPi} §5.2 (CADSS)`),
  ),
  reportedRule(
    'eligibility.self-reported-substance-use',
    'substanceUseDisorder',
    'caution',
    [
      ['F10', 'F16'],
      ['F18', 'F19'],
    ],
    'substance use disorder',
    'Self-reported substance use disorder, not on the problem list: confirm its history. The label advises careful consideration and monitoring for abuse and dependence; opioid use disorder and current dependence are common practice exclusions.',
    cite('3.2', `${spravatoPi} §5.3; Hull et al. 2022 exclusions (3.4)`),
  ),
  reportedRule(
    'eligibility.self-reported-suicide-attempt',
    'suicideAttempt',
    'caution',
    [],
    'past suicide attempt',
    'Self-reported past suicide attempt: ask when, and assess current risk (for example with the C-SSRS); a recent attempt or current intent needs a higher level of care.',
    cite(
      '3.5',
      'Recent suicidal intent needs a higher level of care (synthesis); Hull et al. 2022 exclusions (3.4)',
      'secondary',
    ),
  ),
  reportedRule(
    'eligibility.self-reported-aneurysm-or-avm',
    'aneurysmOrAvm',
    'caution',
    ['I71', 'I72', 'I67.1', 'Q28.2', 'Q28.3', 'Q27.3'],
    'aneurysm or arteriovenous malformation',
    'Self-reported aneurysm or arteriovenous malformation, not on the problem list: confirm with records. If confirmed it is a label contraindication (a blood-pressure rise would be a serious hazard).',
    cite('3.1', `${spravatoPi}, Contraindications; Ketalar PI`),
  ),
  reportedRule(
    'eligibility.self-reported-stroke-or-brain-injury',
    'strokeOrBrainInjury',
    'caution',
    ['I61', 'I63', 'I69', 'S06'],
    'stroke, intracranial bleed or head injury',
    'Self-reported stroke, intracranial bleed or head injury, not on the problem list: confirm what and when. A history of intracerebral hemorrhage, and a recent stroke or cerebral trauma, contraindicate ketamine.',
    cite('3.1', `${spravatoPi}, Contraindications; Ketalar UK SmPC 2019 (MHRA)`),
  ),
  reportedRule(
    'eligibility.self-reported-heart-disease',
    'heartDisease',
    'caution',
    [['I20', 'I25'], 'I42', 'I48', 'I50'],
    'heart disease',
    'Self-reported heart disease, not on the problem list: confirm with records. Severe coronary or myocardial disease contraindicates ketamine; other cardiovascular disease needs careful assessment.',
    cite('3.2', `${spravatoPi}: cardiovascular conditions; Ketalar UK SmPC 2019 (3.1)`),
  ),
  reportedRule(
    'eligibility.self-reported-hypertension',
    'hypertension',
    'caution',
    [['I10', 'I16']],
    'high blood pressure',
    'Self-reported high blood pressure, not on the problem list: confirm it is controlled; ketamine raises blood pressure, peaking about 40 minutes after the dose.',
    cite('3.5', 'Suggested classification; SPRAVATO Table 6 BP outliers (2.5)', 'secondary'),
  ),
  reportedRule(
    'eligibility.self-reported-liver-disease',
    'liverDisease',
    'caution',
    [['K70', 'K77']],
    'liver disease',
    'Self-reported liver disease, not on the problem list: confirm it and take baseline liver tests.',
    cite('3.2', 'Ketalar PI (drug-induced liver injury); SPRAVATO hepatic guidance UNCONFIRMED verbatim'),
  ),
  reportedRule(
    'eligibility.self-reported-urinary-symptoms',
    'urinarySymptoms',
    'caution',
    ['N30.1', 'N30.2', 'R39.1', 'R30'],
    'bladder or urinary symptoms',
    'Self-reported bladder or urinary symptoms, not on the problem list: record a baseline; ketamine can cause cystitis with repeated use.',
    cite('3.2', 'Ketalar PI adverse reactions; SPRAVATO "bladder problems"'),
  ),
  reportedRule(
    'eligibility.self-reported-raised-icp-or-iop',
    'glaucomaOrRaisedIntracranialPressure',
    'caution',
    ['G93.2', 'G93.6', 'G91', 'H40'],
    'glaucoma or raised intracranial pressure',
    'Self-reported glaucoma or raised intracranial pressure, not on the problem list: confirm it; ketamine can raise CSF and intraocular pressure.',
    cite('3.2', 'Ketalar PI warnings; SPRAVATO §2'),
  ),
  reportedRule(
    'eligibility.self-reported-hyperthyroidism',
    'hyperthyroidism',
    'caution',
    ['E05'],
    'overactive thyroid',
    'Self-reported overactive thyroid, not on the problem list: confirm it is treated; untreated hyperthyroidism is a contraindication in the Swiss label.',
    cite('3.1', 'Ketamine Swiss label (oddb.org)'),
  ),
  reportedRule(
    'eligibility.self-reported-pregnancy-unsure',
    'pregnancy',
    'caution',
    [['O00', 'O9A'], 'Z33.1'],
    'possible pregnancy',
    'The patient could be pregnant: confirm before treatment; ketamine and esketamine are not recommended in pregnancy.',
    cite('3.2', `${spravatoPi}; Ketalar PI ("pregnancy: not recommended")`),
  ),
  reportedRule(
    'eligibility.self-reported-breastfeeding-unsure',
    'breastfeeding',
    'caution',
    [],
    'possible breastfeeding',
    'The patient may be breastfeeding: confirm; breastfeeding is not recommended with esketamine.',
    cite('3.2', `${spravatoPi}: lactation not recommended`),
  ),
  reportedRule(
    'eligibility.self-reported-pre-eclampsia',
    'preEclampsia',
    'caution',
    ['O11', ['O14', 'O15']],
    'pre-eclampsia or eclampsia',
    'Self-reported pre-eclampsia or eclampsia, not on the problem list: confirm with records; if current, ketamine must not be used.',
    cite('3.1', 'Ketalar UK SmPC 2019 (MHRA); Ketamine Swiss label'),
  ),
  {
    id: 'eligibility.self-reported-ketamine-allergy',
    kind: 'caution',
    title: 'Self-reported: allergy to ketamine or esketamine',
    citation: cite('3.1', `${spravatoPi}; Ketalar PI, Contraindications`),
    check: (p) => {
      const recorded = (p.allergies ?? []).map((a) => a.substance);
      const reported = (p.selfReported?.allergies ?? [])
        .map((a) => a.substance)
        .filter((s) => /ketamine|ketalar|spravato/i.test(s))
        .filter((s) => !recorded.some((r) => sameName(r, s)));
      return reported.length > 0
        ? `The patient reports an allergy to ${reported.join(', ')}, not on the allergy list: confirm and record it; hypersensitivity is a label contraindication.`
        : null;
    },
  },
  {
    id: 'eligibility.self-reported-interacting-medications',
    kind: 'caution',
    title: 'Self-reported: interacting medicines not on the medication list',
    citation: cite('3.3', `${spravatoPi} §7.1; Ketalar PI 7.1`),
    check: (p) => {
      const unlisted = (p.selfReported?.medications ?? [])
        .filter((m) => !p.medications.some((listed) => sameName(listed.name, m.name)))
        .map((m) => ({ name: m.name.trim(), classes: classifyMedication(m.name) }))
        .filter((m) => m.classes.length > 0);
      return unlisted.length > 0
        ? `Reported on the intake but not on the medication list: ${unlisted.map((m) => `${m.name} (${m.classes.join(', ')})`).join('; ')}. Reconcile the medication list; the interaction rules read it.`
        : null;
    },
  },
];
