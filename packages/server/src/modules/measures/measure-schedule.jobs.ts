import { forEachClinic, runSystemWork } from '../../jobs/system-work.ts';
import type { JobEnvironment, RecurringTask } from '../../jobs/types.ts';
import { patientsWithScheduledCare, syncMeasureSchedule } from './measure-schedule.service.ts';

const taskName = 'measure-schedule.sync';

/**
 * Syncs the measure schedule of every patient with an active plan or one in follow-up: it opens each day's
 * due measures (a pre-dose measure is assigned on the morning of its session, a follow-up on its day) and
 * repairs anything a missed hook left behind. One transaction per patient, so one patient's failure does not
 * hold back the others. Idempotent: two servers running it at once create each assignment once.
 */
export async function syncClinicMeasureSchedules(
  env: JobEnvironment,
  clinicId: string,
): Promise<{ patients: number; created: number }> {
  let patients = 0;
  let created = 0;
  const ids = await runSystemWork(env, clinicId, taskName, (ctx) => patientsWithScheduledCare(ctx));
  for (const patientId of ids) {
    try {
      const result = await runSystemWork(env, clinicId, taskName, (ctx) =>
        syncMeasureSchedule(ctx, patientId),
      );
      patients++;
      created += result.created;
    } catch (error) {
      env.log.error(
        `measure schedule sync failed for a patient of clinic ${clinicId} (${error instanceof Error ? error.name : 'error'})`,
      );
    }
  }
  return { patients, created };
}

export async function syncAllMeasureSchedules(
  env: JobEnvironment,
): Promise<{ patients: number; created: number }> {
  const total = { patients: 0, created: 0 };
  await forEachClinic(env, async (clinicId) => {
    const r = await syncClinicMeasureSchedules(env, clinicId);
    total.patients += r.patients;
    total.created += r.created;
  });
  return total;
}

/** Hourly, so that a measure due today is assigned early in the clinic's morning whatever its time zone. */
export const measureScheduleSyncTask: RecurringTask = {
  name: taskName,
  everyMs: 60 * 60_000,
  run: async (env) => {
    await syncAllMeasureSchedules(env);
  },
};
