import { type DischargeInstructions, dischargeInstructions } from '@kapstone/clinical';
import { and, desc, eq, isNotNull } from 'drizzle-orm';
import type { ServiceContext } from '../../context.ts';
import { clinic, dosingSession, sessionDischarge } from '../../db/schema/index.ts';
import { NotFound } from '../../errors.ts';
import { localParts } from '../scheduling/clinic-time.ts';
import { latestRideHome } from '../scheduling/pre-check-in.service.ts';
import { renderDischargeInstructionsPdf } from './discharge-instructions.pdf.ts';
import { type DosingSessionRow, findSessionWithAccess } from './session-access.ts';

export interface DischargeInstructionsView extends DischargeInstructions {
  sessionId: string;
  /** The day of the session, in the clinic's calendar. */
  date: string;
  clinicName: string;
  crisisPhone: string | null;
}

/**
 * The patient's written instructions for one session (clinical-reference 4.5), from @kapstone/clinical's
 * dischargeInstructions with the clinic's name and crisis phone and the escort named at discharge (or on the
 * ride-home confirmation).
 */
async function instructionsFor(
  ctx: ServiceContext,
  session: DosingSessionRow,
): Promise<DischargeInstructionsView> {
  const [facts] = await ctx.tx
    .select({ name: clinic.name, timeZone: clinic.timeZone, settings: clinic.settings })
    .from(clinic)
    .where(eq(clinic.id, ctx.clinicId));
  const [discharge] = await ctx.tx
    .select({ escortName: sessionDischarge.escortName })
    .from(sessionDischarge)
    .where(and(eq(sessionDischarge.clinicId, ctx.clinicId), eq(sessionDischarge.sessionId, session.id)));
  const ride = (await latestRideHome(ctx, [session.appointmentId])).get(session.appointmentId);
  const escortName = discharge?.escortName ?? (ride?.status === 'confirmed' ? ride.escortName : null);
  const crisisPhone = facts!.settings.crisisPhone?.trim() || null;
  return {
    sessionId: session.id,
    date: localParts(session.dosingStartedAt ?? session.checkedInAt, facts!.timeZone).date,
    clinicName: facts!.name,
    crisisPhone,
    ...dischargeInstructions({
      product: session.product,
      route: session.route,
      clinicName: facts!.name,
      crisisPhone,
      escortName,
    }),
  };
}

function audit(ctx: ServiceContext, session: DosingSessionRow, breakGlass: boolean, format: 'view' | 'pdf') {
  ctx.audit.record({
    action: format === 'pdf' ? 'discharge-instructions.print' : 'discharge-instructions.read',
    resourceType: 'dosing_session',
    resourceId: session.id,
    patientId: session.patientId,
    breakGlass,
  });
}

/** Staff: the instructions of a session of a patient whose chart they may open. */
export async function getDischargeInstructions(ctx: ServiceContext, sessionId: string) {
  const { session, access } = await findSessionWithAccess(ctx, sessionId);
  const view = await instructionsFor(ctx, session);
  audit(ctx, session, access.breakGlass, 'view');
  return view;
}

export async function dischargeInstructionsDocument(ctx: ServiceContext, sessionId: string) {
  const { session, access } = await findSessionWithAccess(ctx, sessionId);
  const pdf = await renderDischargeInstructionsPdf(await instructionsFor(ctx, session));
  audit(ctx, session, access.breakGlass, 'pdf');
  return { pdf, filename: `after-your-session-${session.id.slice(0, 8)}.pdf` };
}

/** The patient's own session (any other is 404, like a missing one). */
async function ownSession(ctx: ServiceContext, sessionId: string) {
  if (ctx.actor.kind !== 'patient') throw new NotFound('Session');
  const found = await findSessionWithAccess(ctx, sessionId);
  if (found.session.patientId !== ctx.actor.patientId) throw new NotFound('Session');
  return found.session;
}

/** The portal: the instructions of each of the patient's sessions that ended with a discharge, newest first. */
export async function myDischargeInstructions(ctx: ServiceContext) {
  if (ctx.actor.kind !== 'patient') throw new NotFound('Patient');
  const sessions = await ctx.tx
    .select()
    .from(dosingSession)
    .where(
      and(
        eq(dosingSession.clinicId, ctx.clinicId),
        eq(dosingSession.patientId, ctx.actor.patientId),
        eq(dosingSession.state, 'discharged'),
        isNotNull(dosingSession.endedAt),
      ),
    )
    .orderBy(desc(dosingSession.endedAt))
    .limit(50);
  const items: DischargeInstructionsView[] = [];
  for (const session of sessions) items.push(await instructionsFor(ctx, session));
  ctx.audit.record({
    action: 'discharge-instructions.list',
    resourceType: 'dosing_session',
    patientId: ctx.actor.patientId,
    detail: { count: items.length },
  });
  return { items };
}

export async function myDischargeInstructionsFor(ctx: ServiceContext, sessionId: string) {
  const session = await ownSession(ctx, sessionId);
  const view = await instructionsFor(ctx, session);
  audit(ctx, session, false, 'view');
  return view;
}

export async function myDischargeInstructionsDocument(ctx: ServiceContext, sessionId: string) {
  const session = await ownSession(ctx, sessionId);
  const pdf = await renderDischargeInstructionsPdf(await instructionsFor(ctx, session));
  audit(ctx, session, false, 'pdf');
  return { pdf, filename: `after-your-session-${session.id.slice(0, 8)}.pdf` };
}
