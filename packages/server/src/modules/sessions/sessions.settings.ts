import {
  type DosingLimits,
  defaultDosingLimits,
  defaultVitalsThresholds,
  type ObservationPlan,
  observationSchedule,
  type Product,
  type Route,
  type VitalsThresholds,
} from '@kapstone/clinical';
import { eq } from 'drizzle-orm';
import type { ServiceContext } from '../../context.ts';
import type { ClinicSessionSettings, ClinicSettings, SessionScheduleKey } from '../../db/schema/clinic.ts';
import { clinic, schedulingSettings } from '../../db/schema/index.ts';
import { NotFound } from '../../errors.ts';

/** IV racemic ketamine is infused over 40 minutes (clinical-reference 2.1; rule `session.iv-infusion-minutes`). */
export const ivInfusionMinutes = 40;

/** What a session needs of the clinic: its zone and the settings (defaults only where the reference has one). */
export interface SessionSettings {
  timeZone: string;
  sessions: ClinicSessionSettings;
  thresholds: VitalsThresholds;
  dosingLimits: DosingLimits;
  /** Scheduling's fasting rule for food (racemic), the one the patient's reminders show. */
  foodFastingHours: number | null;
  /** Scheduling's minimum observation (appointment lengths), used where the session settings give none. */
  schedulingMinimumObservationMinutes: number | null;
}

export async function loadSessionSettings(ctx: ServiceContext): Promise<SessionSettings> {
  const [row] = await ctx.tx
    .select({ timeZone: clinic.timeZone, settings: clinic.settings, scheduling: schedulingSettings.values })
    .from(clinic)
    .leftJoin(schedulingSettings, eq(schedulingSettings.clinicId, clinic.id))
    .where(eq(clinic.id, ctx.clinicId));
  if (!row) throw new NotFound('Clinic');
  const settings: ClinicSettings = row.settings;
  const sessions = settings.sessions ?? {};
  return {
    timeZone: row.timeZone,
    sessions,
    thresholds: {
      critical: { ...defaultVitalsThresholds.critical, ...sessions.vitalsThresholds?.critical },
      warning: { ...defaultVitalsThresholds.warning, ...sessions.vitalsThresholds?.warning },
    },
    dosingLimits: mergeLimits(settings.dosingLimits),
    foodFastingHours: row.scheduling?.fastingHours ?? null,
    schedulingMinimumObservationMinutes: row.scheduling?.lengths?.minimumObservationMinutes ?? null,
  };
}

function mergeLimits(overrides: ClinicSettings['dosingLimits']): DosingLimits {
  const o = overrides ?? {};
  return {
    iv: { ...defaultDosingLimits.iv, ...o.iv },
    im: { ...defaultDosingLimits.im, ...o.im },
    sublingualOral: { ...defaultDosingLimits.sublingualOral, ...o.sublingualOral },
    intranasalRacemic: { ...defaultDosingLimits.intranasalRacemic, ...o.intranasalRacemic },
    esketamine: { ...defaultDosingLimits.esketamine, ...o.esketamine },
  };
}

export const scheduleKey = (route: Route, product: Product): SessionScheduleKey =>
  product === 'esketamine' ? 'esketamine' : route;

/** The route's observation plan with the clinic's interval and minimum (none invented where unset). */
export function planFor(settings: SessionSettings, route: Route, product: Product): ObservationPlan {
  const key = scheduleKey(route, product);
  return observationSchedule({
    route,
    product,
    ...(route === 'iv' ? { infusionMinutes: ivInfusionMinutes } : {}),
    clinicSettings: {
      intervalMinutes: settings.sessions.readingIntervalMinutes?.[key] ?? null,
      // Scheduling's single minimum (appointment lengths) stands in only for the routes without a published one.
      minimumObservationMinutes:
        settings.sessions.minimumObservationMinutes?.[key] ??
        (key === 'iv' || key === 'esketamine' ? null : settings.schedulingMinimumObservationMinutes),
    },
  });
}
