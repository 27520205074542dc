import {
  type BloodPressure,
  classifyVitals,
  defaultVitalsThresholds,
  remsBloodPressures,
  remsConcomitantMedications,
  type SpravatoMonitoringFormData,
  type Vitals,
  type VitalsThresholds,
} from '@kapstone/clinical';
import { and, asc, desc, eq, isNotNull, lt, ne, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { ServiceContext } from '../../context.ts';
import {
  clinic,
  doseAdministration,
  dosingSession,
  patient,
  patientMedication,
  remsFormAnswer,
  sessionDischarge,
  sessionObservation,
  userAccount,
  vitalSigns,
} from '../../db/schema/index.ts';
import type { RemsFormAnswers } from '../../db/schema/session-safety.ts';
import { localParts } from '../scheduling/clinic-time.ts';
import { sessionAdverseEvents } from '../session-safety/adverse-events.service.ts';
import type { DosingSessionRow } from '../session-safety/session-access.ts';

/** Where a field's value came from, so the form can say what the clinician still has to confirm. */
export type FieldSource = 'record' | 'clinician' | 'previous-form';

export interface AssembledRemsForm {
  form: SpravatoMonitoringFormData;
  sources: Record<string, FieldSource>;
  /** The clinician's latest answers and who gave them. */
  answers: {
    revision: number;
    answers: RemsFormAnswers;
    recordedAt: string;
    recordedBy: { id: string; displayName: string };
  } | null;
  timeZone: string;
  /** The patient as the form's header names them (preferred name first). */
  patient: { displayName: string; mrn: string };
}

/** The clinic's session settings this form reads, typed loosely: the sessions area owns their shape. */
interface SessionSettingsSlice {
  vitalsThresholds?: {
    critical?: Partial<VitalsThresholds['critical']>;
    warning?: Partial<VitalsThresholds['warning']>;
  };
  dissociationResolvedAtMost?: number;
}

const minutesFrom = (start: Date, at: Date) => Math.round((at.getTime() - start.getTime()) / 60_000);

/** "Noor A. Nurse" → first "Noor", last "A. Nurse"; a single word is a last name the clinician completes. */
function splitName(displayName: string | null): { firstName: string | null; lastName: string | null } {
  const words = (displayName ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length < 2) return { firstName: null, lastName: words[0] ?? null };
  return { firstName: words[0]!, lastName: words.slice(1).join(' ') };
}

/**
 * Assembles a session's SPRAVATO REMS monitoring form (clinical-reference 2.6) from the record: the patient,
 * the doses and lots drawn, the session's blood pressures (remsBloodPressures), sedation (any MOAA/S below the
 * pre-dose value, clinical-reference 4.3), dissociation (a CADSS-6 above the clinic's "resolved" level after
 * the dose), serious adverse events, the patient's current medications by class, the discharging clinician,
 * and the clinic. The clinician's answers fill what the record cannot say and override what it derived; the
 * setting's address, when not answered for this session, comes from the clinic's last form. The caller has
 * proven access to the session.
 */
export async function assembleRemsForm(
  ctx: ServiceContext,
  session: DosingSessionRow,
): Promise<AssembledRemsForm> {
  const [facts] = await ctx.tx
    .select({
      givenName: patient.givenName,
      familyName: patient.familyName,
      preferredName: patient.preferredName,
      mrn: patient.mrn,
      dateOfBirth: patient.dateOfBirth,
      sexAtBirth: patient.sexAtBirth,
      clinicName: clinic.name,
      timeZone: clinic.timeZone,
      settings: clinic.settings,
    })
    .from(patient)
    .innerJoin(clinic, eq(clinic.id, patient.clinicId))
    .where(and(eq(patient.clinicId, ctx.clinicId), eq(patient.id, session.patientId)));
  if (!facts) throw new Error('session without its patient');
  const sessionSettings = (facts.settings as { sessions?: SessionSettingsSlice }).sessions ?? {};
  const thresholds: VitalsThresholds = {
    critical: { ...defaultVitalsThresholds.critical, ...sessionSettings.vitalsThresholds?.critical },
    warning: { ...defaultVitalsThresholds.warning, ...sessionSettings.vitalsThresholds?.warning },
  };

  const [latestAnswer] = await ctx.tx
    .select({ row: remsFormAnswer, name: userAccount.displayName })
    .from(remsFormAnswer)
    .innerJoin(
      userAccount,
      and(eq(userAccount.clinicId, remsFormAnswer.clinicId), eq(userAccount.id, remsFormAnswer.recordedBy)),
    )
    .where(and(eq(remsFormAnswer.clinicId, ctx.clinicId), eq(remsFormAnswer.sessionId, session.id)))
    .orderBy(desc(remsFormAnswer.revision))
    .limit(1);
  const answers: RemsFormAnswers = latestAnswer?.row.answers ?? {};
  // The setting's address is the same on every form of the clinic: carried from the last one that gave it.
  const [previousSetting] = answers.setting
    ? []
    : await ctx.tx
        .select({ answers: remsFormAnswer.answers })
        .from(remsFormAnswer)
        .where(
          and(
            eq(remsFormAnswer.clinicId, ctx.clinicId),
            ne(remsFormAnswer.sessionId, session.id),
            sql`${remsFormAnswer.answers} ? 'setting'`,
          ),
        )
        .orderBy(desc(remsFormAnswer.recordedAt), desc(remsFormAnswer.id))
        .limit(1);

  const doses = await ctx.tx
    .select({
      doseMg: doseAdministration.doseMg,
      lotNumber: doseAdministration.lotNumber,
      startedAt: doseAdministration.startedAt,
    })
    .from(doseAdministration)
    .where(and(eq(doseAdministration.clinicId, ctx.clinicId), eq(doseAdministration.sessionId, session.id)))
    .orderBy(asc(doseAdministration.sequence));
  const start = session.dosingStartedAt ?? doses[0]?.startedAt ?? null;

  const later = alias(vitalSigns, 'later');
  const readings = await ctx.tx
    .select({ row: vitalSigns })
    .from(vitalSigns)
    .leftJoin(later, and(eq(later.clinicId, vitalSigns.clinicId), eq(later.supersedesId, vitalSigns.id)))
    .where(
      and(
        eq(vitalSigns.clinicId, ctx.clinicId),
        eq(vitalSigns.sessionId, session.id),
        eq(vitalSigns.enteredInError, false),
        sql`${later.id} IS NULL`,
      ),
    )
    .orderBy(asc(vitalSigns.measuredAt));
  const pressures: (BloodPressure & { vitals: Vitals })[] = start
    ? readings
        .filter(({ row }) => row.systolic !== null && row.diastolic !== null)
        .map(({ row }) => ({
          systolic: row.systolic!,
          diastolic: row.diastolic!,
          atMinutes: minutesFrom(start, row.measuredAt),
          vitals: {
            systolic: row.systolic!,
            diastolic: row.diastolic!,
            ...(row.heartRate !== null ? { heartRate: row.heartRate } : {}),
            ...(row.spo2 !== null ? { spo2: row.spo2 } : {}),
            ...(row.respiratoryRate !== null ? { respiratoryRate: row.respiratoryRate } : {}),
          },
        }))
    : [];
  const picked = remsBloodPressures(pressures.map(({ vitals: _, ...bp }) => bp));
  const baseline = pressures.filter((p) => p.atMinutes <= 0).at(-1)?.vitals;
  const acceptable = (bp: BloodPressure | null) => {
    if (!bp) return null;
    const reading = pressures.find((p) => p.atMinutes === bp.atMinutes && p.systolic === bp.systolic)!;
    // Only a normal classification is taken as "acceptable"; anything else is the clinician's call.
    return classifyVitals(reading.vitals, baseline, thresholds).level === 'normal' ? true : null;
  };

  const observations = await ctx.tx
    .select()
    .from(sessionObservation)
    .where(and(eq(sessionObservation.clinicId, ctx.clinicId), eq(sessionObservation.sessionId, session.id)))
    .orderBy(asc(sessionObservation.observedAt));
  const afterDose = (at: Date) => start !== null && at.getTime() > start.getTime();
  const moaas = observations.filter((o) => o.kind === 'moaas' && o.moaas !== null);
  const preDoseMoaas = moaas.filter((o) => !afterDose(o.observedAt)).at(-1)?.moaas ?? null;
  const postDoseMoaas = moaas.filter((o) => afterDose(o.observedAt)).map((o) => o.moaas!);
  const sedation =
    postDoseMoaas.length === 0 || preDoseMoaas === null ? null : postDoseMoaas.some((m) => m < preDoseMoaas);
  const resolvedAtMost = sessionSettings.dissociationResolvedAtMost ?? 0;
  const cadss = observations
    .filter((o) => o.kind === 'cadss6' && o.cadss6Total !== null && afterDose(o.observedAt))
    .map((o) => o.cadss6Total!);
  const dissociation = cadss.length === 0 ? null : cadss.some((total) => total > resolvedAtMost);

  const events = await sessionAdverseEvents(ctx, session.id);
  const serious = events.filter((e) => e.current.serious);

  const medications = await ctx.tx
    .select({ name: patientMedication.name })
    .from(patientMedication)
    .where(
      and(
        eq(patientMedication.clinicId, ctx.clinicId),
        eq(patientMedication.patientId, session.patientId),
        eq(patientMedication.status, 'active'),
      ),
    );

  const [earlier] = start
    ? await ctx.tx
        .select({ id: dosingSession.id })
        .from(dosingSession)
        .where(
          and(
            eq(dosingSession.clinicId, ctx.clinicId),
            eq(dosingSession.patientId, session.patientId),
            eq(dosingSession.product, 'esketamine'),
            ne(dosingSession.id, session.id),
            isNotNull(dosingSession.dosingStartedAt),
            lt(dosingSession.dosingStartedAt, start),
          ),
        )
        .limit(1)
    : [];

  const [discharge] = await ctx.tx
    .select({ name: userAccount.displayName, email: userAccount.email })
    .from(sessionDischarge)
    .innerJoin(
      userAccount,
      and(
        eq(userAccount.clinicId, sessionDischarge.clinicId),
        eq(userAccount.id, sessionDischarge.dischargedBy),
      ),
    )
    .where(and(eq(sessionDischarge.clinicId, ctx.clinicId), eq(sessionDischarge.sessionId, session.id)));
  const hcpName = splitName(discharge?.name ?? null);

  const sources: Record<string, FieldSource> = {};
  /** The clinician's answer where given (null included: "unknown"), else what the record says. */
  function pick<T>(
    field: string,
    answer: T | undefined,
    derived: T | null,
    fallback?: { value: T | undefined },
  ) {
    if (answer !== undefined) {
      sources[field] = 'clinician';
      return answer as T | null;
    }
    if (fallback?.value !== undefined && fallback.value !== null) {
      sources[field] = 'previous-form';
      return fallback.value;
    }
    if (derived !== null && derived !== undefined) sources[field] = 'record';
    return derived;
  }
  const derivedMeds = remsConcomitantMedications(medications);
  const med = (key: keyof SpravatoMonitoringFormData['concomitantMedications']) =>
    pick(`concomitantMedications.${key}`, answers.concomitantMedications?.[key], derivedMeds[key]);
  const hcp = (key: keyof SpravatoMonitoringFormData['monitoringHcp'], derived: string | null) =>
    pick(`monitoringHcp.${key}`, answers.monitoringHcp?.[key], derived);
  const previous = previousSetting?.answers.setting;
  const setting = (key: keyof SpravatoMonitoringFormData['setting'], derived: string | null) =>
    pick(`setting.${key}`, answers.setting?.[key], derived, { value: previous?.[key] ?? undefined });

  const form: SpravatoMonitoringFormData = {
    patient: {
      firstName: pick('patient.firstName', undefined, facts.givenName),
      middleInitial: null,
      lastName: pick('patient.lastName', undefined, facts.familyName),
      dateOfBirth: pick('patient.dateOfBirth', undefined, facts.dateOfBirth),
      sex: pick(
        'patient.sex',
        undefined,
        facts.sexAtBirth === 'female' || facts.sexAtBirth === 'male' ? facts.sexAtBirth : null,
      ),
      firstTreatment: pick('patient.firstTreatment', answers.firstTreatment, start ? !earlier : null),
      enrolledInRems: pick('patient.enrolledInRems', answers.enrolledInRems, null),
    },
    concomitantMedications: {
      benzodiazepines: med('benzodiazepines'),
      nonBenzodiazepineSedativeHypnotics: med('nonBenzodiazepineSedativeHypnotics'),
      psychostimulants: med('psychostimulants'),
      maois: med('maois'),
      opioids: med('opioids'),
    },
    monitoringHcp: {
      firstName: hcp('firstName', hcpName.firstName),
      lastName: hcp('lastName', hcpName.lastName),
      telephone: hcp('telephone', null),
      email: hcp('email', discharge?.email ?? null),
    },
    setting: {
      name: setting('name', facts.clinicName),
      address1: setting('address1', null),
      address2: setting('address2', null),
      city: setting('city', null),
      state: setting('state', null),
      zip: setting('zip', null),
    },
    session: {
      treatmentDate: pick(
        'session.treatmentDate',
        undefined,
        start ? localParts(start, facts.timeZone).date : null,
      ),
      doseMg: pick(
        'session.doseMg',
        undefined,
        doses.length > 0 ? doses.reduce((sum, d) => sum + Number(d.doseMg), 0) : null,
      ),
      lotNumbers: [...new Set(doses.map((d) => d.lotNumber))],
      totalMinutes: pick(
        'session.totalMinutes',
        undefined,
        start && session.endedAt ? minutesFrom(start, session.endedAt) : null,
      ),
      readyToLeaveMinutes: pick('session.readyToLeaveMinutes', answers.readyToLeaveMinutes, null),
    },
    vitals: {
      acceptableBeforeAdministration: pick(
        'vitals.acceptableBeforeAdministration',
        answers.vitalsAcceptableBeforeAdministration,
        acceptable(picked.beforeAdministration),
      ),
      acceptableBeforeCompletion: pick(
        'vitals.acceptableBeforeCompletion',
        answers.vitalsAcceptableBeforeCompletion,
        acceptable(picked.beforeCompletion),
      ),
      ...picked,
    },
    observed: {
      sedation: pick('observed.sedation', answers.sedation, sedation),
      dissociation: pick('observed.dissociation', answers.dissociation, dissociation),
      respiratoryDepression: pick('observed.respiratoryDepression', answers.respiratoryDepression, null),
    },
    seriousAdverseEvents: {
      occurred: pick('seriousAdverseEvents.occurred', undefined, serious.length > 0),
      descriptions: serious.map(
        (e) => `${e.current.description} Action: ${e.current.actionTaken} Outcome: ${e.current.outcome}.`,
      ),
    },
  };
  if (doses.length > 0) sources['session.lotNumbers'] = 'record';
  for (const key of ['beforeAdministration', 'fortyMinutesAfter', 'beforeCompletion'] as const)
    if (picked[key]) sources[`vitals.${key}`] = 'record';
  return {
    form,
    sources,
    answers: latestAnswer
      ? {
          revision: latestAnswer.row.revision,
          answers,
          recordedAt: latestAnswer.row.recordedAt.toISOString(),
          recordedBy: { id: latestAnswer.row.recordedBy, displayName: latestAnswer.name },
        }
      : null,
    timeZone: facts.timeZone,
    patient: {
      displayName: `${facts.preferredName ?? facts.givenName} ${facts.familyName}`,
      mrn: facts.mrn,
    },
  };
}
