import { eq } from 'drizzle-orm';
import type { ServiceContext } from '../../context.ts';
import { clinic, type SchedulingSettingsValues, schedulingSettings } from '../../db/schema/index.ts';
import { NotFound } from '../../errors.ts';

export const emptySchedulingSettings: SchedulingSettingsValues = { lengths: {}, fastingHours: null };

/** The clinic's time zone and scheduling settings (every default when the clinic has saved none). */
export async function loadSchedulingContext(
  ctx: ServiceContext,
): Promise<{ timeZone: string; clinicName: string; settings: SchedulingSettingsValues }> {
  const [row] = await ctx.tx
    .select({ timeZone: clinic.timeZone, name: clinic.name, values: schedulingSettings.values })
    .from(clinic)
    .leftJoin(schedulingSettings, eq(schedulingSettings.clinicId, clinic.id))
    .where(eq(clinic.id, ctx.clinicId));
  if (!row) throw new NotFound('Clinic');
  return {
    timeZone: row.timeZone,
    clinicName: row.name,
    settings: { ...emptySchedulingSettings, ...(row.values ?? {}) },
  };
}

export async function getSchedulingSettings(ctx: ServiceContext) {
  const { timeZone, settings } = await loadSchedulingContext(ctx);
  return { timeZone, ...settings };
}

/** Saves the clinic's appointment lengths and fasting hours (admins; audited with the keys changed). */
export async function updateSchedulingSettings(ctx: ServiceContext, values: SchedulingSettingsValues) {
  const now = ctx.clock.now();
  await ctx.tx
    .insert(schedulingSettings)
    .values({ clinicId: ctx.clinicId, values, updatedAt: now, updatedBy: ctx.actor.userId })
    .onConflictDoUpdate({
      target: schedulingSettings.clinicId,
      set: { values, updatedAt: now, updatedBy: ctx.actor.userId },
    });
  ctx.audit.record({
    action: 'scheduling-settings.update',
    resourceType: 'scheduling_settings',
    resourceId: ctx.clinicId,
    detail: { lengths: Object.keys(values.lengths), fastingHoursSet: values.fastingHours !== null },
  });
  return getSchedulingSettings(ctx);
}
