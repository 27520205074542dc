import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { ServiceContext } from '../../context.ts';
import type { AlertSeverity } from '../../db/schema/alerts.ts';
import type { ClinicAlertSettings } from '../../db/schema/clinic.ts';
import { clinic, roleAssignment, userAccount } from '../../db/schema/index.ts';
import { Invalid } from '../../errors.ts';

export const alertSeverities = [
  'critical',
  'high',
  'moderate',
  'low',
] as const satisfies readonly AlertSeverity[];
/** The roles that may be on call for alerts: those that open clinical records (and acknowledge alerts). */
export const onCallRoles = ['prescriber', 'nurse', 'therapist'] as const;
export type OnCallRole = (typeof onCallRoles)[number];

export interface AlertSettingsInput {
  escalateAfterMinutes: Partial<Record<AlertSeverity, number>>;
  onCallRole: OnCallRole | null;
  onCallUserIds: string[];
}

export async function loadAlertSettings(ctx: ServiceContext): Promise<ClinicAlertSettings> {
  const [row] = await ctx.tx
    .select({ alerts: sql<ClinicAlertSettings | null>`${clinic.settings}->'alerts'` })
    .from(clinic)
    .where(eq(clinic.id, ctx.clinicId));
  return row?.alerts ?? {};
}

/**
 * When an alert of this severity escalates: raised + the clinic's minutes for the severity, or null when the
 * clinic has not set them (or has no on-call role): the reference gives no number, so no default.
 */
export function escalationDueAt(
  settings: ClinicAlertSettings,
  severity: AlertSeverity,
  raisedAt: Date,
): Date | null {
  const minutes = settings.escalateAfterMinutes?.[severity];
  if (minutes === undefined || !settings.onCallRole) return null;
  return new Date(raisedAt.getTime() + minutes * 60_000);
}

/** The severities that never escalate with these settings (no minutes set, or no on-call role). */
export function unconfiguredSeverities(settings: ClinicAlertSettings): AlertSeverity[] {
  return alertSeverities.filter(
    (s) => settings.onCallRole === undefined || !settings.escalateAfterMinutes?.[s],
  );
}

/**
 * The active staff on call for `role`: the clinic's named on-call staff when it names some for this role,
 * else everyone active holding the role. Only staff who still hold the role count.
 */
export async function onCallStaff(ctx: ServiceContext, settings: ClinicAlertSettings, role: string) {
  const named = settings.onCallRole === role ? (settings.onCallUserIds ?? []) : [];
  return ctx.tx
    .select({ id: userAccount.id, displayName: userAccount.displayName, email: userAccount.email })
    .from(userAccount)
    .innerJoin(
      roleAssignment,
      and(
        eq(roleAssignment.clinicId, userAccount.clinicId),
        eq(roleAssignment.userId, userAccount.id),
        eq(roleAssignment.role, role),
      ),
    )
    .where(
      and(
        eq(userAccount.clinicId, ctx.clinicId),
        eq(userAccount.kind, 'staff'),
        isNull(userAccount.disabledAt),
        ...(named.length > 0 ? [inArray(userAccount.id, named)] : []),
      ),
    )
    .orderBy(asc(userAccount.displayName), asc(userAccount.id));
}

/**
 * The role through which the actor is on call now (none or one): the clinic's on-call role, when they hold
 * it and the clinic names no on-call staff or names them. Holding a role the clinic was on call through
 * before is not being on call: those told of an escalation then keep it through the trail (alerts.service).
 */
export function onCallRolesOf(ctx: ServiceContext, settings: ClinicAlertSettings): OnCallRole[] {
  const role = settings.onCallRole;
  if (ctx.actor.kind !== 'staff' || !role || !ctx.actor.roles.includes(role)) return [];
  const named = settings.onCallUserIds ?? [];
  return named.length === 0 || named.includes(ctx.actor.userId) ? [role] : [];
}

async function presentSettings(ctx: ServiceContext, settings: ClinicAlertSettings) {
  const onCall = settings.onCallRole
    ? (await onCallStaff(ctx, settings, settings.onCallRole)).map((s) => ({
        id: s.id,
        displayName: s.displayName,
      }))
    : [];
  return {
    settings: {
      escalateAfterMinutes: settings.escalateAfterMinutes ?? {},
      onCallRole: settings.onCallRole ?? null,
      onCallUserIds: settings.onCallUserIds ?? [],
    },
    onCall,
    notConfigured: unconfiguredSeverities(settings),
  };
}

/** The clinic's escalation settings and who is on call now (clinicians and admins). */
export async function getAlertSettings(ctx: ServiceContext) {
  const view = await presentSettings(ctx, await loadAlertSettings(ctx));
  ctx.audit.record({ action: 'alert-settings.read', resourceType: 'clinic', resourceId: ctx.clinicId });
  return view;
}

/** The same, with the clinic's active clinical staff the admin may name as on call. */
export async function getAlertSettingsForm(ctx: ServiceContext) {
  const view = await presentSettings(ctx, await loadAlertSettings(ctx));
  const rows = await ctx.tx
    .select({ id: userAccount.id, displayName: userAccount.displayName, role: roleAssignment.role })
    .from(userAccount)
    .innerJoin(
      roleAssignment,
      and(eq(roleAssignment.clinicId, userAccount.clinicId), eq(roleAssignment.userId, userAccount.id)),
    )
    .where(
      and(
        eq(userAccount.clinicId, ctx.clinicId),
        eq(userAccount.kind, 'staff'),
        isNull(userAccount.disabledAt),
        inArray(roleAssignment.role, [...onCallRoles]),
      ),
    )
    .orderBy(asc(userAccount.displayName), asc(userAccount.id), asc(roleAssignment.role));
  const staff = new Map<string, { id: string; displayName: string; roles: OnCallRole[] }>();
  for (const r of rows) {
    const entry = staff.get(r.id) ?? { id: r.id, displayName: r.displayName, roles: [] };
    entry.roles.push(r.role as OnCallRole);
    staff.set(r.id, entry);
  }
  ctx.audit.record({ action: 'alert-settings.read', resourceType: 'clinic', resourceId: ctx.clinicId });
  return { ...view, candidates: [...staff.values()] };
}

/**
 * Replaces the clinic's escalation settings (admins). Minutes for a severity need an on-call role to go to;
 * named on-call staff must be active staff of the clinic holding that role. Audited with what was set (no
 * patient data in it).
 */
export async function updateAlertSettings(ctx: ServiceContext, input: AlertSettingsInput) {
  const minutes = Object.fromEntries(
    alertSeverities.flatMap((s) =>
      input.escalateAfterMinutes[s] === undefined ? [] : [[s, input.escalateAfterMinutes[s]]],
    ),
  ) as Partial<Record<AlertSeverity, number>>;
  const ids = [...new Set(input.onCallUserIds)];
  if (!input.onCallRole) {
    if (Object.keys(minutes).length > 0) {
      throw new Invalid('Escalation needs an on-call role.', [
        { path: 'onCallRole', message: 'Choose the role an unacknowledged alert escalates to.' },
      ]);
    }
    if (ids.length > 0) {
      throw new Invalid('On-call staff need an on-call role.', [
        { path: 'onCallRole', message: 'Choose the role the named staff are on call for.' },
      ]);
    }
  } else if (ids.length > 0) {
    const found = await onCallStaff(
      ctx,
      { onCallRole: input.onCallRole, onCallUserIds: ids },
      input.onCallRole,
    );
    const valid = new Set(found.map((s) => s.id));
    const problems = input.onCallUserIds.flatMap((id, index) =>
      valid.has(id)
        ? []
        : [
            {
              path: `onCallUserIds.${index}`,
              message: `Not an active staff member holding the ${input.onCallRole} role.`,
            },
          ],
    );
    if (problems.length > 0)
      throw new Invalid('Some on-call staff cannot be on call for this role.', problems);
  }
  const value: ClinicAlertSettings = {
    escalateAfterMinutes: minutes,
    ...(input.onCallRole ? { onCallRole: input.onCallRole } : {}),
    ...(ids.length > 0 ? { onCallUserIds: ids } : {}),
  };
  await ctx.tx
    .update(clinic)
    .set({ settings: sql`jsonb_set(${clinic.settings}, '{alerts}', ${JSON.stringify(value)}::jsonb)` })
    .where(eq(clinic.id, ctx.clinicId));
  ctx.audit.record({
    action: 'alert-settings.update',
    resourceType: 'clinic',
    resourceId: ctx.clinicId,
    detail: { escalateAfterMinutes: minutes, onCallRole: input.onCallRole, onCallUserIds: ids },
  });
  return presentSettings(ctx, value);
}
