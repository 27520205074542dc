import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull, lte, ne, or } from 'drizzle-orm';
import type { ServiceContext } from '../../context.ts';
import { clinic, measureAssignment, measureReminder, patient, userAccount } from '../../db/schema/index.ts';
import type { ReminderChannel } from '../../db/schema/reminders.ts';
import { NotFound } from '../../errors.ts';
import { enqueueJob } from '../../jobs/queue.ts';
import { forEachClinic, runSystemWork } from '../../jobs/system-work.ts';
import type { JobEnvironment, JobHandler, RecurringTask } from '../../jobs/types.ts';
import { raiseAlert } from '../alerts/alerts.service.ts';
import { enqueueMail } from '../mail/mail.service.ts';
import { localParts } from '../scheduling/clinic-time.ts';
import { effectiveReminderSettings } from './reminders.settings.ts';
import { createSmsAdapter, type SmsAdapter } from './sms.ts';

export const smsReminderKind = 'reminder.sms';

/** The whole text of a reminder: no instrument, score or diagnosis, only that something waits in the portal. */
export function reminderText(
  clinicName: string,
  portalUrl: string | null,
): { subject: string; text: string; sms: string } {
  const where = portalUrl
    ? ` Sign in at ${portalUrl} to open it.`
    : ' Sign in to your patient portal to open it.';
  return {
    subject: 'A questionnaire is waiting in your portal',
    text: `Hello,\n\nA questionnaire from ${clinicName} is waiting in your patient portal.${where}\n\nIf you have already answered it, please ignore this message.\n`,
    sms: `${clinicName}: a questionnaire is waiting in your patient portal.`,
  };
}

function dayAfter(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export interface ReminderRound {
  patients: number;
  reminders: number;
}

/**
 * Queues the reminders due now in the caller's clinic: for each pending, patient-answered assignment due
 * today or earlier (a pre-dose one only on its dosing day), a first reminder from the clinic's send hour on
 * the due day, then one every `repeatAfterHours` (also only from the send hour), at most `maxReminders`. A patient with several due
 * measures gets one message per round. Each reminder is a `measure_reminder` row whose unique key makes a
 * second server's attempt a no-op (the row and the mail are written together, in a savepoint, or not at
 * all). Mail goes through the outbox (its retries); a text message, when the clinic turned them on and the
 * patient has a phone number, is a queued job for the SMS adapter. Completed and cancelled assignments are
 * never reminded: only pending ones are read. Patients without an active portal account are skipped (they
 * could not answer).
 */
export async function queueDueReminders(
  ctx: ServiceContext,
  portalUrl: string | null,
): Promise<ReminderRound> {
  const [clinicRow] = await ctx.tx
    .select({ name: clinic.name, timeZone: clinic.timeZone, settings: clinic.settings })
    .from(clinic)
    .where(eq(clinic.id, ctx.clinicId));
  if (!clinicRow) throw new NotFound('Clinic');
  const policy = effectiveReminderSettings(clinicRow.settings.reminders);
  const round: ReminderRound = { patients: 0, reminders: 0 };
  if (policy.maxReminders === 0) return round;
  const now = ctx.clock.now();
  const local = localParts(now, clinicRow.timeZone);
  if (local.minutes < policy.sendHour * 60) return round;

  const due = await ctx.tx
    .select({
      id: measureAssignment.id,
      patientId: measureAssignment.patientId,
      dueDate: measureAssignment.dueDate,
    })
    .from(measureAssignment)
    .where(
      and(
        eq(measureAssignment.clinicId, ctx.clinicId),
        eq(measureAssignment.status, 'pending'),
        eq(measureAssignment.respondent, 'patient'),
        lte(measureAssignment.dueDate, local.date),
        // A pre-dose measure is for before its session's dose (clinical-reference 4.6, pre-dose checks): once
        // its day has passed, an answer would be recorded as the pre-dose score of a dose already given.
        or(ne(measureAssignment.reason, 'pre-dose'), eq(measureAssignment.dueDate, local.date)),
      ),
    );
  if (due.length === 0) return round;
  const sent = await ctx.tx
    .select({
      assignmentId: measureReminder.assignmentId,
      sequence: measureReminder.sequence,
      sentAt: measureReminder.sentAt,
    })
    .from(measureReminder)
    .where(
      and(
        eq(measureReminder.clinicId, ctx.clinicId),
        eq(measureReminder.channel, 'email'),
        inArray(
          measureReminder.assignmentId,
          due.map((d) => d.id),
        ),
      ),
    );
  const history = new Map<string, { count: number; last: Date }>();
  for (const s of sent) {
    const h = history.get(s.assignmentId);
    if (!h || s.sequence > h.count) history.set(s.assignmentId, { count: s.sequence, last: s.sentAt });
  }
  const repeatMs = policy.repeatAfterHours * 3_600_000;
  const toRemind = due
    .map((a) => ({ ...a, history: history.get(a.id) }))
    .filter((a) => {
      if (!a.history) return true; // due today (from the send hour) or earlier: the first reminder
      return a.history.count < policy.maxReminders && now.getTime() - a.history.last.getTime() >= repeatMs;
    });
  if (toRemind.length === 0) return round;

  const patientIds = [...new Set(toRemind.map((a) => a.patientId))];
  const accounts = await ctx.tx
    .select({ patientId: userAccount.patientId, email: userAccount.email })
    .from(userAccount)
    .where(
      and(
        eq(userAccount.clinicId, ctx.clinicId),
        eq(userAccount.kind, 'patient'),
        isNull(userAccount.disabledAt),
        inArray(userAccount.patientId, patientIds),
      ),
    );
  const emailOf = new Map(accounts.map((a) => [a.patientId as string, a.email]));
  const phones = policy.sms ? await phonesOf(ctx, patientIds) : new Map<string, string>();
  const words = reminderText(clinicRow.name, portalUrl);

  for (const patientId of patientIds) {
    const email = emailOf.get(patientId);
    if (!email) continue;
    const mine = toRemind.filter((a) => a.patientId === patientId);
    const phone = phones.get(patientId) ?? null;
    const inserted = await sendOnce(ctx, patientId, mine, email, phone, words, now);
    if (inserted > 0) {
      round.patients++;
      round.reminders += inserted;
    }
  }
  return round;
}

async function phonesOf(ctx: ServiceContext, patientIds: string[]): Promise<Map<string, string>> {
  const rows = await ctx.tx
    .select({ id: patient.id, phone: patient.phone })
    .from(patient)
    .where(and(eq(patient.clinicId, ctx.clinicId), inArray(patient.id, patientIds)));
  return new Map(rows.filter((r) => r.phone).map((r) => [r.id, r.phone as string] as const));
}

class AlreadySent extends Error {}

async function sendOnce(
  ctx: ServiceContext,
  patientId: string,
  assignments: { id: string; history?: { count: number } }[],
  email: string,
  phone: string | null,
  words: ReturnType<typeof reminderText>,
  now: Date,
): Promise<number> {
  try {
    return await ctx.tx.transaction(async (sp) => {
      const inner: ServiceContext = { ...ctx, tx: sp };
      const { id: mailId } = await enqueueMail(inner, {
        to: email,
        subject: words.subject,
        text: words.text,
      });
      const jobId = phone
        ? await enqueueJob(inner, {
            kind: smsReminderKind,
            payload: { to: phone, text: words.sms, assignmentIds: assignments.map((a) => a.id) },
          })
        : null;
      const channels: [ReminderChannel, string | null, string | null][] = [['email', mailId, null]];
      if (jobId) channels.push(['sms', null, jobId]);
      const rows = assignments.flatMap((a) =>
        channels.map(([channel, mail, job]) => ({
          id: randomUUID(),
          clinicId: ctx.clinicId,
          patientId,
          assignmentId: a.id,
          sequence: (a.history?.count ?? 0) + 1,
          channel,
          sentAt: now,
          mailId: mail,
          jobId: job,
        })),
      );
      const inserted = await sp
        .insert(measureReminder)
        .values(rows)
        .onConflictDoNothing()
        .returning({ id: measureReminder.id });
      // Another server sent (part of) this round already: undo the mail, it has gone or is going.
      if (inserted.length !== rows.length) throw new AlreadySent();
      ctx.audit.record({
        action: 'measure-reminder.send',
        resourceType: 'measure-assignment',
        resourceId: assignments.length === 1 ? assignments[0]!.id : null,
        patientId,
        detail: {
          assignments: assignments.map((a) => a.id),
          sequence: assignments.map((a) => (a.history?.count ?? 0) + 1),
          channels: channels.map(([c]) => c),
        },
      });
      return assignments.length;
    });
  } catch (error) {
    if (error instanceof AlreadySent) return 0;
    throw error;
  }
}

export interface SmsReminderPayload {
  to: string;
  text: string;
  /** The assignments it reminds of; none still pending when it comes to be sent: it is not sent. */
  assignmentIds?: string[];
}

/** How many of these assignments of the clinic still wait for an answer. */
async function stillPending(ctx: ServiceContext, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await ctx.tx
    .select({ id: measureAssignment.id })
    .from(measureAssignment)
    .where(
      and(
        eq(measureAssignment.clinicId, ctx.clinicId),
        eq(measureAssignment.status, 'pending'),
        inArray(measureAssignment.id, ids),
      ),
    );
  return rows.length;
}

/**
 * Sends one queued text reminder through the adapter; a throw is retried by the runner. A text whose
 * questionnaires were all answered or cancelled by the time it goes out (a retry after a gateway outage,
 * a late runner) is dropped: reminders stop after completion.
 */
export function smsReminderHandler(
  adapterFor: (env: JobEnvironment) => SmsAdapter,
): JobHandler<SmsReminderPayload> {
  return {
    kind: smsReminderKind,
    maxAttempts: 5,
    async run(job, env) {
      const ids = job.payload.assignmentIds;
      if (ids) {
        const pending = await runSystemWork(env, job.clinicId, 'measure-reminders', (ctx) =>
          stillPending(ctx, ids),
        );
        if (pending === 0) return;
      }
      await adapterFor(env).send(job.payload.to, job.payload.text);
    },
  };
}

export const defaultSmsReminderHandler = smsReminderHandler((env) => createSmsAdapter(env.config, env.log));

export async function queueAllReminders(env: JobEnvironment): Promise<ReminderRound> {
  const total: ReminderRound = { patients: 0, reminders: 0 };
  const portalUrl = env.config.publicUrl ? `${env.config.publicUrl.replace(/\/$/, '')}/portal` : null;
  await forEachClinic(env, async (clinicId) => {
    const r = await runSystemWork(env, clinicId, 'measure-reminders', (ctx) =>
      queueDueReminders(ctx, portalUrl),
    );
    total.patients += r.patients;
    total.reminders += r.reminders;
  });
  return total;
}

/** Every 15 minutes: a reminder goes out soon after the clinic's send hour, and repeats on time. */
export const measureRemindersTask: RecurringTask = {
  name: 'measure-reminders',
  everyMs: 15 * 60_000,
  run: async (env) => {
    await queueAllReminders(env);
  },
};

/**
 * Marks as missed every pending assignment whose due day plus the clinic's `missedAfterDays` has passed
 * (clinic time), and raises one 'missed-measure' alert (moderate) per assignment. Clinics that did not set
 * `missedAfterDays` are left alone. The assignment stays pending (a late answer is still taken); `missed_at`
 * is set once, in the same statement that selects it, so two servers raise the alert once.
 */
export async function markMissedMeasures(ctx: ServiceContext): Promise<number> {
  const [clinicRow] = await ctx.tx
    .select({ timeZone: clinic.timeZone, settings: clinic.settings })
    .from(clinic)
    .where(eq(clinic.id, ctx.clinicId));
  if (!clinicRow) throw new NotFound('Clinic');
  const grace = effectiveReminderSettings(clinicRow.settings.reminders).missedAfterDays;
  if (grace === null) return 0;
  const today = localParts(ctx.clock.now(), clinicRow.timeZone).date;
  // Due on or before this day + grace < today: missed.
  const lastDueDay = dayAfter(today, -grace - 1);
  const missed = await ctx.tx
    .update(measureAssignment)
    .set({ missedAt: ctx.clock.now() })
    .where(
      and(
        eq(measureAssignment.clinicId, ctx.clinicId),
        eq(measureAssignment.status, 'pending'),
        isNull(measureAssignment.missedAt),
        lte(measureAssignment.dueDate, lastDueDay),
      ),
    )
    .returning({
      id: measureAssignment.id,
      patientId: measureAssignment.patientId,
      instrument: measureAssignment.instrument,
      dueDate: measureAssignment.dueDate,
      scheduleKey: measureAssignment.scheduleKey,
    });
  for (const m of missed) {
    ctx.audit.record({
      action: 'measure-assignment.missed',
      resourceType: 'measure-assignment',
      resourceId: m.id,
      patientId: m.patientId,
      detail: { instrument: m.instrument, dueDate: m.dueDate, scheduleKey: m.scheduleKey, graceDays: grace },
    });
    await raiseAlert(ctx, missedMeasureAlert(m));
  }
  return missed.length;
}

function missedMeasureAlert(m: { id: string; patientId: string; instrument: string; dueDate: string }) {
  return {
    patientId: m.patientId,
    kind: 'missed-measure' as const,
    severity: 'moderate' as const,
    summary: `A questionnaire due ${m.dueDate} was not answered`,
    source: { type: 'measure-assignment', id: m.id },
  };
}

export async function markAllMissedMeasures(env: JobEnvironment): Promise<number> {
  let total = 0;
  await forEachClinic(env, async (clinicId) => {
    total += await runSystemWork(env, clinicId, 'missed-measures', (ctx) => markMissedMeasures(ctx));
  });
  return total;
}

/** Hourly: a measure counts as missed within the hour its grace runs out. */
export const missedMeasuresTask: RecurringTask = {
  name: 'missed-measures',
  everyMs: 60 * 60_000,
  run: async (env) => {
    await markAllMissedMeasures(env);
  },
};
