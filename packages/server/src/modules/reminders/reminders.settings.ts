import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { ServiceContext } from '../../context.ts';
import type { ClinicReminderSettings } from '../../db/schema/clinic.ts';
import { clinic } from '../../db/schema/index.ts';
import { NotFound } from '../../errors.ts';

/**
 * Operational defaults (not clinical numbers): a reminder in the clinic's morning on the due day, again every
 * two days, three in all, so a patient is asked a few times without being pestered. `missedAfterDays` has
 * none: the issue and the clinical reference give no grace for a missed measure, so nothing is marked missed
 * (and no alert raised) until the clinic sets it.
 */
export const defaultReminderSettings = { sendHour: 9, repeatAfterHours: 48, maxReminders: 3 } as const;

export interface EffectiveReminderSettings {
  sendHour: number;
  repeatAfterHours: number;
  maxReminders: number;
  sms: boolean;
  missedAfterDays: number | null;
}

export function effectiveReminderSettings(
  own: ClinicReminderSettings | undefined,
): EffectiveReminderSettings {
  return {
    sendHour: own?.sendHour ?? defaultReminderSettings.sendHour,
    repeatAfterHours: own?.repeatAfterHours ?? defaultReminderSettings.repeatAfterHours,
    maxReminders: own?.maxReminders ?? defaultReminderSettings.maxReminders,
    sms: own?.sms ?? false,
    missedAfterDays: own?.missedAfterDays ?? null,
  };
}

export const reminderSettingsBody = z.strictObject({
  sendHour: z.number().int().min(0).max(23).nullable().optional(),
  repeatAfterHours: z.number().int().min(1).max(336).nullable().optional(),
  maxReminders: z.number().int().min(0).max(10).nullable().optional(),
  sms: z.boolean().nullable().optional(),
  missedAfterDays: z.number().int().min(0).max(60).nullable().optional(),
});
export type ReminderSettingsBody = z.infer<typeof reminderSettingsBody>;

export const reminderSettingsView = z.object({
  /** What the clinic set (absent keys: not set). */
  own: z.object({
    sendHour: z.number().optional(),
    repeatAfterHours: z.number().optional(),
    maxReminders: z.number().optional(),
    sms: z.boolean().optional(),
    missedAfterDays: z.number().optional(),
  }),
  /** What applies: the clinic's values over the defaults (missedAfterDays null: no missed measures). */
  effective: z.object({
    sendHour: z.number(),
    repeatAfterHours: z.number(),
    maxReminders: z.number(),
    sms: z.boolean(),
    missedAfterDays: z.number().nullable(),
  }),
  defaults: z.object({ sendHour: z.number(), repeatAfterHours: z.number(), maxReminders: z.number() }),
});

async function ownSettings(ctx: ServiceContext, lock: boolean) {
  const query = ctx.tx.select({ settings: clinic.settings }).from(clinic).where(eq(clinic.id, ctx.clinicId));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw new NotFound('Clinic');
  return row.settings;
}

function view(own: ClinicReminderSettings | undefined) {
  return {
    own: { ...(own ?? {}) },
    effective: effectiveReminderSettings(own),
    defaults: { ...defaultReminderSettings },
  };
}

export async function getReminderSettings(ctx: ServiceContext) {
  const settings = await ownSettings(ctx, false);
  ctx.audit.record({
    action: 'care-settings.reminders.read',
    resourceType: 'clinic-settings',
    resourceId: ctx.clinicId,
  });
  return view(settings.reminders);
}

/** Replaces the clinic's reminder settings: a key left out or null goes back to its default (or to unset). */
export async function updateReminderSettings(ctx: ServiceContext, input: ReminderSettingsBody) {
  const settings = await ownSettings(ctx, true);
  const next: ClinicReminderSettings = {};
  for (const key of ['sendHour', 'repeatAfterHours', 'maxReminders', 'missedAfterDays'] as const) {
    const value = input[key];
    if (value !== null && value !== undefined) next[key] = value;
  }
  if (input.sms !== null && input.sms !== undefined) next.sms = input.sms;
  const before = settings.reminders ?? {};
  await ctx.tx
    .update(clinic)
    .set({ settings: sql`${clinic.settings} || ${JSON.stringify({ reminders: next })}::jsonb` })
    .where(eq(clinic.id, ctx.clinicId));
  const changed = [...new Set([...Object.keys(before), ...Object.keys(next)])].filter(
    (k) => (before as Record<string, unknown>)[k] !== (next as Record<string, unknown>)[k],
  );
  ctx.audit.record({
    action: 'care-settings.reminders.update',
    resourceType: 'clinic-settings',
    resourceId: ctx.clinicId,
    detail: { changed, before, after: next },
  });
  return view(next);
}
