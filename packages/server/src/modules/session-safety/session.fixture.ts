import { randomUUID } from 'node:crypto';
import type { Product, Route, SessionState } from '@kapstone/clinical';
import type { Db } from '../../db/client.ts';
import {
  appointment,
  doseAdministration,
  dosingSession,
  sessionDischarge,
  sessionObservation,
  treatmentPlan,
  vitalSigns,
} from '../../db/schema/index.ts';

/**
 * A dosing session written straight to the tables (for the safety tests: the session's own lifecycle is
 * tested by the sessions module). Times are minutes from `dosingStartedAt`.
 */
export async function createDosingSession(
  db: Db,
  input: {
    clinicId: string;
    patientId: string;
    staffId: string;
    product?: Product;
    route?: Route;
    state?: SessionState;
    dosingStartedAt?: string;
    /** Minutes from the start of dosing to discharge (state 'discharged'). */
    dischargedAfterMinutes?: number;
  },
) {
  const product = input.product ?? 'esketamine';
  const route = input.route ?? (product === 'esketamine' ? 'intranasal' : 'im');
  const start = new Date(input.dosingStartedAt ?? '2026-06-01T14:00:00Z');
  const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);
  const state = input.state ?? (input.dischargedAfterMinutes !== undefined ? 'discharged' : 'monitoring');
  const planId = randomUUID();
  const calc = { doseMg: 56, devices: 2, level: 'ok' as const, messages: [] };
  await db.insert(treatmentPlan).values({
    id: planId,
    clinicId: input.clinicId,
    patientId: input.patientId,
    seriesId: planId,
    version: 1,
    status: 'draft',
    indicationIcd10: 'F33.2',
    indicationDescription: 'Major depressive disorder, recurrent, severe',
    protocolId: product === 'esketamine' ? 'spravato-trd' : 'kap-im',
    route,
    product,
    startDate: '2026-05-01',
    dosingSessions: 8,
    courseOptions: {},
    doseUnit: 'mg',
    startingDose: 56,
    maximumDose: 84,
    startingDoseCalculation: calc,
    maximumDoseCalculation: calc,
    plannedCourse: [],
    goals: [],
    intentions: [],
    createdAt: new Date('2026-05-01T00:00:00Z'),
    createdBy: input.staffId,
    updatedAt: new Date('2026-05-01T00:00:00Z'),
    updatedBy: input.staffId,
  });
  const appointmentId = randomUUID();
  await db.insert(appointment).values({
    id: appointmentId,
    clinicId: input.clinicId,
    patientId: input.patientId,
    kind: 'dosing',
    startsAt: at(-30),
    endsAt: at(150),
    createdAt: new Date('2026-05-01T00:00:00Z'),
  });
  const id = randomUUID();
  const dosed = !['scheduled', 'checked-in', 'cleared-to-dose'].includes(state);
  const ended = state === 'discharged' || state === 'aborted';
  await db.insert(dosingSession).values({
    id,
    clinicId: input.clinicId,
    appointmentId,
    patientId: input.patientId,
    planId,
    protocolId: product === 'esketamine' ? 'spravato-trd' : 'kap-im',
    route,
    product,
    state,
    checkedInAt: at(-25),
    checkedInBy: input.staffId,
    clearedAt: dosed ? at(-5) : null,
    dosingStartedAt: dosed ? start : null,
    monitoringStartedAt: dosed ? at(10) : null,
    endedAt: ended ? at(input.dischargedAfterMinutes ?? 130) : null,
    abortReason: state === 'aborted' ? 'Walking the test' : null,
    updatedAt: at(0),
  });
  let sequence = 0;
  return {
    id,
    appointmentId,
    planId,
    at,
    /** A dose of the session (devices of 28 mg for esketamine). */
    async administer(minutes: number, doseMg: number, lotNumber: string) {
      sequence += 1;
      await db.insert(doseAdministration).values({
        id: randomUUID(),
        clinicId: input.clinicId,
        sessionId: id,
        patientId: input.patientId,
        sequence,
        product,
        route,
        lotId: randomUUID(),
        lotNumber,
        lotExpiry: '2027-12-31',
        concentration: 28,
        concentrationUnit: 'mg/device',
        doseMg,
        devices: product === 'esketamine' ? Math.round(doseMg / 28) : null,
        quantity: product === 'esketamine' ? Math.round(doseMg / 28) : 1,
        calculation: calc,
        startedAt: at(minutes),
        administeredBy: input.staffId,
        ledgerEntryId: randomUUID(),
        recordedAt: at(minutes),
      });
    },
    async vitals(minutes: number, systolic: number, diastolic: number, extra: { spo2?: number } = {}) {
      const readingId = randomUUID();
      await db.insert(vitalSigns).values({
        id: readingId,
        clinicId: input.clinicId,
        patientId: input.patientId,
        context: 'session',
        sessionId: id,
        systolic,
        diastolic,
        heartRate: 72,
        spo2: extra.spo2 ?? 98,
        measuredAt: at(minutes),
        recordedAt: at(minutes),
        recordedBy: input.staffId,
      });
      return readingId;
    },
    async moaas(minutes: number, score: number) {
      await db.insert(sessionObservation).values({
        id: randomUUID(),
        clinicId: input.clinicId,
        sessionId: id,
        patientId: input.patientId,
        kind: 'moaas',
        moaas: score,
        observedAt: at(minutes),
        recordedBy: input.staffId,
        recordedAt: at(minutes),
      });
    },
    async cadss6(minutes: number, answers: number[]) {
      await db.insert(sessionObservation).values({
        id: randomUUID(),
        clinicId: input.clinicId,
        sessionId: id,
        patientId: input.patientId,
        kind: 'cadss6',
        cadss6Answers: answers,
        cadss6Total: answers.reduce((a, b) => a + b, 0),
        observedAt: at(minutes),
        recordedBy: input.staffId,
        recordedAt: at(minutes),
      });
    },
    async discharge(escortName = 'Robin Escort') {
      await db.insert(sessionDischarge).values({
        id: randomUUID(),
        clinicId: input.clinicId,
        sessionId: id,
        readinessInput: {
          product,
          route,
          minutesSinceDoseStart: input.dischargedAfterMinutes ?? 130,
          baselineVitals: {},
          latestVitals: {},
          baselineMoaas: 5,
          latestMoaas: 5,
          escortPresent: true,
        },
        ready: true,
        unmet: [],
        escortName,
        instructionsGiven: true,
        dischargedBy: input.staffId,
        dischargedAt: at(input.dischargedAfterMinutes ?? 130),
      });
    },
  };
}
