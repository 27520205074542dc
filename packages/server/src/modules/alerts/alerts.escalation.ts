import { and, eq, isNull, lte, or, type SQL } from 'drizzle-orm';
import type { ServiceContext } from '../../context.ts';
import { alert, clinic } from '../../db/schema/index.ts';
import { forEachClinic, runSystemWork } from '../../jobs/system-work.ts';
import type { JobEnvironment, RecurringTask } from '../../jobs/types.ts';
import { enqueueMail } from '../mail/mail.service.ts';
import { recordEventsOfAlerts } from './alerts.service.ts';
import { alertSeverities, loadAlertSettings, onCallStaff } from './alerts.settings.ts';

/**
 * Escalates the clinic's open alerts that nobody acknowledged within the clinic's time for their severity:
 * each goes to the on-call role once (`escalated_at`, `escalated_to_role`), with an 'escalated' event naming
 * who was told, an `alert.escalate` audit event, and one mail per on-call person naming no patient.
 *
 * Idempotent across app servers: the claim is one UPDATE ... WHERE escalated_at IS NULL. A second server
 * running at the same moment waits on the row locks, re-checks the condition once the first commits, and
 * finds nothing left to escalate (and so sends no mail). A severity without a time never escalates.
 */
export async function escalateOverdueAlertsInClinic(ctx: ServiceContext): Promise<{ escalated: number }> {
  const settings = await loadAlertSettings(ctx);
  const role = settings.onCallRole;
  if (!role) return { escalated: 0 };
  const now = ctx.clock.now();
  const overdue: SQL[] = alertSeverities.flatMap((severity) => {
    const minutes = settings.escalateAfterMinutes?.[severity];
    if (!minutes) return [];
    const deadline = new Date(now.getTime() - minutes * 60_000);
    return [and(eq(alert.severity, severity), lte(alert.raisedAt, deadline))!];
  });
  if (overdue.length === 0) return { escalated: 0 };
  const escalated = await ctx.tx
    .update(alert)
    .set({ escalatedAt: now, escalatedToRole: role })
    .where(
      and(
        eq(alert.clinicId, ctx.clinicId),
        eq(alert.status, 'open'),
        isNull(alert.escalatedAt),
        or(...overdue),
      ),
    )
    .returning({ id: alert.id, patientId: alert.patientId, severity: alert.severity });
  if (escalated.length === 0) return { escalated: 0 };
  const staff = await onCallStaff(ctx, settings, role);
  const notifiedUserIds = staff.map((s) => s.id);
  await recordEventsOfAlerts(
    ctx,
    escalated.map((a) => ({
      alertId: a.id,
      kind: 'escalated' as const,
      at: now,
      role,
      note: `Not acknowledged within ${settings.escalateAfterMinutes?.[a.severity]} minutes (${a.severity}).`,
      detail: { notifiedUserIds },
    })),
  );
  for (const a of escalated) {
    ctx.audit.record({
      action: 'alert.escalate',
      resourceType: 'alert',
      resourceId: a.id,
      patientId: a.patientId,
      detail: { toRole: role, notifiedUserIds },
    });
  }
  const [place] = await ctx.tx.select({ name: clinic.name }).from(clinic).where(eq(clinic.id, ctx.clinicId));
  const count = escalated.length === 1 ? 'A risk alert' : `${escalated.length} risk alerts`;
  for (const person of staff) {
    // Mail is not a place for clinical information: no patient, no kind, only that alerts wait.
    await enqueueMail(ctx, {
      to: person.email,
      subject: 'Kapstone: an unacknowledged risk alert was escalated to you',
      text: `${count} at ${place?.name ?? 'your clinic'} went unacknowledged and ${escalated.length === 1 ? 'was' : 'were'} escalated to you as on-call ${role}.\n\nSign in and open Alerts (Escalated) to review and acknowledge. For privacy, this message does not say who it concerns.`,
    });
  }
  return { escalated: escalated.length };
}

/** The recurring task: every clinic, each in its own system transaction. */
export async function escalateOverdueAlerts(env: JobEnvironment): Promise<void> {
  await forEachClinic(env, (clinicId) =>
    runSystemWork(env, clinicId, 'alerts.escalate', async (ctx) => {
      await escalateOverdueAlertsInClinic(ctx);
    }),
  );
}

/** Runs every minute: an escalation time is set in minutes. */
export const escalateOverdueAlertsTask: RecurringTask = {
  name: 'alerts.escalate-overdue',
  everyMs: 60_000,
  run: escalateOverdueAlerts,
};
