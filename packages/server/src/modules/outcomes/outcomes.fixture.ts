import { randomUUID } from 'node:crypto';
import {
  type InstrumentId,
  instruments,
  type ProtocolId,
  type Route,
  scoreInstrument,
} from '@kapstone/clinical';
import type { Db } from '../../db/client.ts';
import {
  appointment,
  dosingSession,
  observation,
  questionnaireResponse,
  treatmentPlan,
} from '../../db/schema/index.ts';

/**
 * Answers of a PHQ-9 or GAD-7 that add up to `total`, item 9 of the PHQ-9 left at 0 (so no risk alert is
 * implied): items filled with 3s from the first, the rest in the next item.
 */
export function answersFor(instrument: 'phq9' | 'gad7', total: number): number[] {
  const scored = instrument === 'phq9' ? 8 : 7;
  if (total > scored * 3) throw new RangeError(`${instrument} ${total} needs item 9`);
  const answers = Array.from({ length: scored }, (_, i) => Math.max(0, Math.min(3, total - i * 3)));
  return instrument === 'phq9' ? [...answers, 0, total > 0 ? 1 : 0] : answers;
}

/**
 * A course written straight to the tables for the outcomes tests (its services are tested in their own
 * modules): a signed plan, one discharged dosing session per dose time, and the scored responses given.
 */
export async function writeCourse(
  db: Db,
  input: {
    clinicId: string;
    patientId: string;
    staffId: string;
    indication: string;
    route: Route;
    protocolId: ProtocolId;
    doses: string[];
    scores: { instrument: 'phq9' | 'gad7'; at: string; total: number }[];
  },
): Promise<void> {
  const planId = randomUUID();
  const calc = { doseMg: 40, level: 'ok' as const, messages: [] };
  const created = new Date('2026-01-01T00:00:00Z');
  await db.insert(treatmentPlan).values({
    id: planId,
    clinicId: input.clinicId,
    patientId: input.patientId,
    seriesId: planId,
    version: 1,
    status: 'signed',
    indicationIcd10: input.indication,
    indicationDescription: `Indication ${input.indication}`,
    protocolId: input.protocolId,
    route: input.route,
    product: 'ketamine-racemic',
    startDate: input.doses[0]?.slice(0, 10) ?? '2026-01-01',
    dosingSessions: Math.max(1, input.doses.length),
    courseOptions: {},
    doseUnit: 'mg',
    startingDose: 40,
    maximumDose: 80,
    startingDoseCalculation: calc,
    maximumDoseCalculation: calc,
    plannedCourse: [],
    goals: [],
    intentions: [],
    createdAt: created,
    createdBy: input.staffId,
    updatedAt: created,
    updatedBy: input.staffId,
    signedAt: created,
    signedBy: input.staffId,
    signatureId: randomUUID(),
  });
  for (const dose of input.doses) {
    const start = new Date(dose);
    const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);
    const appointmentId = randomUUID();
    await db.insert(appointment).values({
      id: appointmentId,
      clinicId: input.clinicId,
      patientId: input.patientId,
      kind: 'dosing',
      startsAt: at(-30),
      endsAt: at(150),
      createdAt: created,
    });
    await db.insert(dosingSession).values({
      id: randomUUID(),
      clinicId: input.clinicId,
      appointmentId,
      patientId: input.patientId,
      planId,
      protocolId: input.protocolId,
      route: input.route,
      product: 'ketamine-racemic',
      state: 'discharged',
      checkedInAt: at(-25),
      checkedInBy: input.staffId,
      clearedAt: at(-5),
      dosingStartedAt: start,
      monitoringStartedAt: at(5),
      endedAt: at(120),
      updatedAt: at(120),
    });
  }
  for (const s of input.scores) await writeScore(db, { ...input, ...s });
}

export async function writeScore(
  db: Db,
  input: {
    clinicId: string;
    patientId: string;
    staffId: string;
    instrument: InstrumentId;
    at: string;
    total: number;
  },
): Promise<void> {
  const answers = answersFor(input.instrument as 'phq9' | 'gad7', input.total);
  const score = scoreInstrument(input.instrument, answers);
  if (score.total !== input.total)
    throw new Error(`fixture answers score ${score.total}, not ${input.total}`);
  const id = randomUUID();
  await db.insert(questionnaireResponse).values({
    id,
    clinicId: input.clinicId,
    patientId: input.patientId,
    instrument: input.instrument,
    answers,
    score,
    scoreContext: {},
    source: 'staff',
    enteredBy: input.staffId,
    authoredAt: new Date(input.at),
  });
  await db.insert(observation).values({
    id: randomUUID(),
    clinicId: input.clinicId,
    patientId: input.patientId,
    responseId: id,
    instrument: input.instrument,
    key: 'total',
    display: `${instruments[input.instrument].shortName} total score`,
    value: score.total,
    band: score.band,
    effectiveAt: new Date(input.at),
  });
}
