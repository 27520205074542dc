import type { Citation, Product, Route, RuleMetadata } from '../types.ts';

/**
 * The written instructions a patient takes home after a dosing session (clinical-reference 4.5: written
 * instructions on diet, medications, driving, machinery, legal documents and an emergency phone; 2.5 and 4.6:
 * no driving until the next day after restful sleep; 2.7: leave with a responsible adult). Plain words, each
 * section with its source, so the printout and the portal show where the advice comes from.
 */

const cite = (section: string, source: string, evidence: Citation['evidence'] = 'primary'): Citation => ({
  section: `clinical-reference ${section}`,
  source,
  evidence,
});

export interface DischargeInstructionsInput {
  product: Product;
  route: Route;
  clinicName: string;
  /** The clinic's phone number for patients in crisis (clinic setting `crisisPhone`); null when not set. */
  crisisPhone: string | null;
  /** The escort named for the ride home, when known. */
  escortName?: string | null;
}

export interface DischargeInstructionsSection {
  id: 'what-to-expect' | 'getting-home' | 'rest-of-today' | 'get-help';
  heading: string;
  lines: string[];
  citations: Citation[];
}

export interface DischargeInstructions {
  title: string;
  sections: DischargeInstructionsSection[];
  /** Settings the clinic has not filled in, which the instructions would otherwise name. */
  missingSettings: 'crisisPhone'[];
}

const productName = (product: Product, route: Route) =>
  product === 'esketamine' ? 'esketamine (SPRAVATO)' : `ketamine (${route === 'iv' ? 'IV' : route})`;

/** The patient's discharge instructions for one session, in the order a patient reads them. */
export function dischargeInstructions(input: DischargeInstructionsInput): DischargeInstructions {
  const drug = productName(input.product, input.route);
  const esketamine = input.product === 'esketamine';
  const sections: DischargeInstructionsSection[] = [
    {
      id: 'what-to-expect',
      heading: 'What to expect',
      lines: [
        `Today you were given ${drug}. Feeling sleepy, dizzy, a little sick, or "detached" from your surroundings is common after a dose.`,
        'The detached or dreamlike feeling usually fades within about two hours of the dose; tiredness can last the rest of the day.',
        'Blood pressure can rise after a dose. Your care team checked it before you left.',
      ],
      citations: [
        cite('2.5', 'SPRAVATO US PI: sedation, dissociation and blood pressure increases after a dose'),
        cite('1.11', 'Dissociation peaks ~40 min after the dose and fades by 1.5–2 h', 'secondary'),
      ],
    },
    {
      id: 'getting-home',
      heading: 'Getting home',
      lines: [
        input.escortName?.trim()
          ? `Go home with ${input.escortName.trim()}, the responsible adult who came to take you home.`
          : 'Go home with the responsible adult who came to take you home.',
        'Do not drive, ride a bike or scooter, or use machinery until the next day, after a restful sleep.',
      ],
      citations: [
        esketamine
          ? cite('2.5', 'SPRAVATO US PI: no driving or machinery until the next day after a restful sleep')
          : cite('4.6', 'Transport: ride home; no driving until the next day after restful sleep (SPRAVATO)'),
        cite('2.7', 'Ketalar PI: released only when recovered, accompanied by a responsible adult'),
      ],
    },
    {
      id: 'rest-of-today',
      heading: 'For the rest of today',
      lines: [
        'Start with light food and drinks; if you feel sick, wait and try again later.',
        'Do not drink alcohol, and take no sleeping pills, sedatives or opioid pain medicine unless your prescriber has told you that you may.',
        'Take your usual medicines as agreed with your prescriber.',
        'Do not make important decisions or sign legal documents until tomorrow.',
      ],
      citations: [
        cite(
          '4.5',
          'RCEM procedural sedation discharge: written instructions on diet, medications, driving, machinery, legal documents and an emergency phone',
          'secondary',
        ),
        cite('3.3', 'CNS depressants add to sedation and respiratory depression (SPRAVATO US PI)'),
      ],
    },
    {
      id: 'get-help',
      heading: 'When to get help',
      lines: [
        'Call 911 at once for chest pain, shortness of breath, a sudden severe headache, changes in your sight, a seizure, or if you become confused or very hard to wake.',
        input.crisisPhone
          ? `For questions, or if you feel unsafe or much worse, call ${input.clinicName} at ${input.crisisPhone}.`
          : `For questions, or if you feel unsafe or much worse, call ${input.clinicName}.`,
        'If you are thinking about suicide, call or text 988 (Suicide & Crisis Lifeline, 24/7).',
      ],
      citations: [
        cite(
          '2.5',
          'SPRAVATO US PI §5.6: hypertensive crisis or encephalopathy symptoms → emergency care (wording UNCONFIRMED verbatim)',
          'unconfirmed',
        ),
        cite('4.5', 'RCEM: written instructions include an emergency phone number', 'secondary'),
      ],
    },
  ];
  return {
    title: `After your ${esketamine ? 'SPRAVATO' : 'ketamine'} session at ${input.clinicName}`,
    sections,
    missingSettings: input.crisisPhone ? [] : ['crisisPhone'],
  };
}

export const dischargeInstructionRules: RuleMetadata[] = [
  {
    id: 'monitoring.discharge-instructions',
    area: 'monitoring',
    title:
      'Written discharge instructions: what to expect, ride home, no driving until the next day, whom to call',
    citation: cite(
      '4.5',
      'RCEM procedural sedation discharge; SPRAVATO US PI (no driving until the next day after restful sleep)',
      'secondary',
    ),
    setting: { key: 'crisisPhone', default: null },
  },
];
