import { eq } from 'drizzle-orm';
import { clinic } from '../../db/schema/index.ts';
import { forEachClinic, runSystemWork } from '../../jobs/system-work.ts';
import type { JobEnvironment, RecurringTask } from '../../jobs/types.ts';
import { localParts } from '../scheduling/clinic-time.ts';
import { patientsWithScheduledCare, syncMeasureSchedule } from './measure-schedule.service.ts';

const taskName = 'measure-schedule.sync';

export interface ClinicSyncResult {
  patients: number;
  created: number;
  failed: number;
}

/**
 * Syncs the measure schedule of every patient with an active plan or one in follow-up: it opens each day's
 * due measures (a pre-dose measure is assigned on the morning of its session, a follow-up on its day) and
 * repairs anything a missed hook left behind. One transaction per patient, so one patient's failure does not
 * hold back the others. Idempotent: two servers running it at once create each assignment once.
 */
export async function syncClinicMeasureSchedules(
  env: JobEnvironment,
  clinicId: string,
): Promise<ClinicSyncResult> {
  const result: ClinicSyncResult = { patients: 0, created: 0, failed: 0 };
  const ids = await runSystemWork(env, clinicId, taskName, (ctx) => patientsWithScheduledCare(ctx));
  for (const patientId of ids) {
    try {
      const synced = await runSystemWork(env, clinicId, taskName, (ctx) =>
        syncMeasureSchedule(ctx, patientId),
      );
      result.patients++;
      result.created += synced.created;
    } catch (error) {
      result.failed++;
      env.log.error(
        `measure schedule sync failed for a patient of clinic ${clinicId} (${error instanceof Error ? error.name : 'error'})`,
      );
    }
  }
  return result;
}

/**
 * The clinic's sweep at most once per clinic-local day (per server): what is due changes only when the day
 * does (every other change, a plan signed or ended, a session booked, cancelled or dosed, syncs in its own
 * transaction), so the hourly task sweeps a clinic in its first round after local midnight and then leaves
 * it be until the next day, instead of reading every patient of every clinic each hour. A sweep in which a
 * patient failed is tried again the next round. `sweptOn` maps clinic id to the local day last swept.
 * Returns null when the clinic was already swept today.
 */
export async function syncClinicOncePerDay(
  env: JobEnvironment,
  clinicId: string,
  sweptOn: Map<string, string>,
): Promise<ClinicSyncResult | null> {
  const today = await runSystemWork(env, clinicId, taskName, async (ctx) => {
    const [row] = await ctx.tx
      .select({ timeZone: clinic.timeZone })
      .from(clinic)
      .where(eq(clinic.id, clinicId));
    return row ? localParts(ctx.clock.now(), row.timeZone).date : null;
  });
  if (today === null || sweptOn.get(clinicId) === today) return null;
  const result = await syncClinicMeasureSchedules(env, clinicId);
  if (result.failed === 0) sweptOn.set(clinicId, today);
  return result;
}

export async function syncAllMeasureSchedules(
  env: JobEnvironment,
  sweptOn: Map<string, string> = new Map(),
): Promise<{ patients: number; created: number }> {
  const total = { patients: 0, created: 0 };
  await forEachClinic(env, async (clinicId) => {
    const r = await syncClinicOncePerDay(env, clinicId, sweptOn);
    if (!r) return;
    total.patients += r.patients;
    total.created += r.created;
  });
  return total;
}

const sweptOnThisServer = new Map<string, string>();

/** Hourly, so that a clinic is swept early in its morning whatever its time zone (once a local day). */
export const measureScheduleSyncTask: RecurringTask = {
  name: taskName,
  everyMs: 60 * 60_000,
  run: async (env) => {
    await syncAllMeasureSchedules(env, sweptOnThisServer);
  },
};
