/**
 * Medication classes that matter before and during ketamine (clinical-reference 3.3, 4.6), matched by
 * generic or brand name. The reference gives no RxNorm codes for them, so matching is by name only; a
 * medication that matches nothing is simply not classified (never guessed).
 */
export type MedicationClass =
  | 'benzodiazepine'
  | 'sedative-hypnotic'
  | 'opioid'
  | 'psychostimulant'
  | 'maoi'
  | 'theophylline'
  | 'lamotrigine';

export const medicationClassNames: Record<MedicationClass, readonly string[]> = {
  benzodiazepine: [
    'alprazolam',
    'xanax',
    'clonazepam',
    'klonopin',
    'diazepam',
    'valium',
    'lorazepam',
    'ativan',
    'temazepam',
    'restoril',
    'chlordiazepoxide',
    'librium',
    'clorazepate',
    'tranxene',
    'oxazepam',
    'triazolam',
    'halcion',
    'midazolam',
    'estazolam',
    'flurazepam',
    'clobazam',
    'onfi',
  ],
  'sedative-hypnotic': ['zolpidem', 'ambien', 'eszopiclone', 'lunesta', 'zaleplon', 'sonata'],
  opioid: [
    'oxycodone',
    'oxycontin',
    'percocet',
    'hydrocodone',
    'norco',
    'vicodin',
    'morphine',
    'methadone',
    'buprenorphine',
    'suboxone',
    'subutex',
    'fentanyl',
    'tramadol',
    'ultram',
    'hydromorphone',
    'dilaudid',
    'tapentadol',
    'nucynta',
    'codeine',
    'oxymorphone',
  ],
  psychostimulant: [
    'amphetamine',
    'dextroamphetamine',
    'adderall',
    'lisdexamfetamine',
    'vyvanse',
    'methylphenidate',
    'ritalin',
    'concerta',
    'dexmethylphenidate',
    'focalin',
    'modafinil',
    'provigil',
    'armodafinil',
    'nuvigil',
    'methamphetamine',
    'desoxyn',
  ],
  maoi: [
    'phenelzine',
    'nardil',
    'tranylcypromine',
    'parnate',
    'isocarboxazid',
    'marplan',
    'selegiline',
    'emsam',
    'rasagiline',
    'azilect',
    'moclobemide',
  ],
  theophylline: ['theophylline', 'aminophylline', 'theo-24', 'uniphyl'],
  lamotrigine: ['lamotrigine', 'lamictal'],
};

export function classifyMedication(name: string): MedicationClass[] {
  const words = name
    .toLowerCase()
    .split(/[^a-z0-9-]+/)
    .filter(Boolean);
  return (Object.keys(medicationClassNames) as MedicationClass[]).filter((cls) =>
    medicationClassNames[cls].some((known) => words.includes(known)),
  );
}

/**
 * Diazepam-equivalent factors are not in the clinical reference, so they are a clinic setting with no
 * default: a clinic that wants the >8 mg/day diazepam-equivalent check (Andrashko 2020) supplies them as
 * `{ lorazepam: 10, ... }` (mg diazepam per mg of the drug).
 */
export type DiazepamEquivalents = Partial<Record<string, number>>;
