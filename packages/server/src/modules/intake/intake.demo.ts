import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client.ts';
import { intake, intakeVersion } from '../../db/schema/index.ts';
import { changedAnswerPaths } from './intake.diff.ts';
import { type IntakeAnswers, intakeAnswersSchema, missingIntakeFields } from './intake.schemas.ts';

const no = { answer: 'no' } as const;

/**
 * A complete, plausible, entirely synthetic intake: an adult with recurrent depression who has tried two
 * antidepressants and therapy, drinks a little, takes sertraline, and has no contraindication. Used by tests,
 * the permission walk and the demo seed. `overrides` replaces whole sections.
 */
export function demoIntakeAnswers(overrides: Partial<IntakeAnswers> = {}): IntakeAnswers {
  return intakeAnswersSchema.parse({
    medical: {
      cardiovascular: {
        hypertension: no,
        heartDisease: no,
        arrhythmia: no,
        aneurysmOrAvm: no,
        stroke: no,
        brainBleed: no,
      },
      neurological: { seizures: no, headInjury: no, raisedIntracranialPressure: no },
      eyes: { glaucoma: no },
      thyroid: { hyperthyroidism: no },
      hepatic: { liverDisease: no },
      urinary: { bladderProblems: no },
      reproductive: { pregnancyPossible: no },
      otherConditions: { answer: 'yes', details: 'Seasonal allergies (hay fever).' },
    },
    psychiatric: {
      psychosis: no,
      mania: no,
      dissociativeDisorder: no,
      hospitalisations: no,
      suicideAttempts: no,
      priorTreatments: {
        therapy: { answer: 'yes', details: 'Cognitive behavioural therapy for about a year.' },
        ectOrTms: no,
        ketamineOrEsketamine: no,
      },
      antidepressants: {
        tried: { answer: 'yes' },
        trials: [
          { drug: 'Escitalopram', dose: '10 mg daily', duration: 'about 8 months', response: 'partial' },
          { drug: 'Sertraline', dose: '100 mg daily', duration: 'over a year, ongoing', response: 'partial' },
        ],
      },
    },
    substances: {
      alcohol: { answer: 'yes', details: 'A glass of wine at the weekend.' },
      cannabis: no,
      stimulants: no,
      opioids: no,
      benzodiazepines: no,
      hallucinogensOrDissociatives: no,
      priorKetamineUse: no,
      misuseHistory: no,
      opioidUseDisorder: no,
      treatmentHistory: no,
    },
    medications: {
      taking: { answer: 'yes' },
      items: [{ name: 'Sertraline', dose: '100 mg', frequency: 'once a day' }],
    },
    allergies: { any: no, items: [] },
    emergencyContact: { name: 'Jordan Example', relationship: 'Partner', phone: '+1 555 0100' },
    goals: {
      goals: 'Feel less stuck and get back to the things I used to enjoy.',
      concerns: 'How I will feel during the session.',
    },
    ...overrides,
  });
}

/**
 * Stores a complete, submitted intake for a demo patient: one submission version, saved by `userId` (the
 * patient's account or a staff member) at `at`. For the demo seed (the integrator wires it in).
 */
export async function seedDemoIntake(
  tx: Db,
  input: {
    clinicId: string;
    patientId: string;
    userId: string;
    savedByKind: 'patient' | 'staff';
    at: Date;
    answers?: IntakeAnswers;
  },
): Promise<{ intakeId: string; version: number }> {
  const answers = input.answers ?? demoIntakeAnswers();
  const missing = missingIntakeFields(answers);
  if (missing.length > 0) throw new Error(`demo intake incomplete: ${missing.map((m) => m.path).join(', ')}`);
  const intakeId = randomUUID();
  await tx.insert(intake).values({
    id: intakeId,
    clinicId: input.clinicId,
    patientId: input.patientId,
    status: 'submitted',
    version: 1,
    answers,
    resumeSection: 'goals',
    submittedAt: input.at,
    submittedVersion: 1,
    createdAt: input.at,
    updatedAt: input.at,
  });
  await tx.insert(intakeVersion).values({
    id: randomUUID(),
    clinicId: input.clinicId,
    intakeId,
    patientId: input.patientId,
    version: 1,
    kind: 'submission',
    answers,
    changedPaths: changedAnswerPaths({}, answers),
    savedBy: input.userId,
    savedByKind: input.savedByKind,
    savedAt: input.at,
  });
  return { intakeId, version: 1 };
}
