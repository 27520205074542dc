import type { Product, Route } from '@kapstone/clinical';
import { and, asc, desc, eq, gt, lte, ne } from 'drizzle-orm';
import type { AuditEntry, ServiceContext } from '../../context.ts';
import {
  type AppointmentKind,
  appointment,
  clinic,
  dosingSession,
  integrationNote,
  patient,
  room,
  schedulingSettings,
  sessionDischarge,
} from '../../db/schema/index.ts';
import { NotFound } from '../../errors.ts';
import { assertChartAccess } from '../../security/care-scope.ts';
import { myConsents } from '../consent/consent.service.ts';
import { routeName } from '../consent/consent.status.ts';
import { readOwnIntake } from '../intake/intake.service.ts';
import { myExperienceRatings } from '../journal/experience-ratings.service.ts';
import { crisisResourcesOf, listDueForPatient } from '../measures/measures.service.ts';
import { localParts } from '../scheduling/clinic-time.ts';
import { kindLabels, remindersFor } from '../scheduling/portal-appointments.service.ts';
import { acknowledgedAppointments, latestRideHome } from '../scheduling/pre-check-in.service.ts';
import type { ChecklistItemView, HomeView, SessionHistoryView, TodoView } from './portal.schemas.ts';

/**
 * The patient portal's own composite views: the home page in one call, and the session history. Both are
 * built from the other areas' services and tables and show only the signed-in patient's own record
 * (`ctx.actor.patientId`, never an id from the client). Neither carries staff notes or psychotherapy notes:
 * session times, route and state are part of the designated record set (45 CFR 164.501 excludes "counseling
 * session start and stop times" from psychotherapy notes; clinical-reference 7.1), note text is not.
 */

function ownPatientId(ctx: ServiceContext): string {
  // portal.self is held by patient accounts only; this narrows the actor and refuses anyone else.
  if (ctx.actor.kind !== 'patient') throw new NotFound('Patient');
  return ctx.actor.patientId;
}

async function clinicFacts(ctx: ServiceContext) {
  const [row] = await ctx.tx
    .select({
      name: clinic.name,
      timeZone: clinic.timeZone,
      settings: clinic.settings,
      scheduling: schedulingSettings.values,
    })
    .from(clinic)
    .leftJoin(schedulingSettings, eq(schedulingSettings.clinicId, clinic.id))
    .where(eq(clinic.id, ctx.clinicId));
  if (!row) throw new NotFound('Clinic');
  return {
    name: row.name,
    timeZone: row.timeZone,
    crisisPhone: row.settings.crisisPhone?.trim() || null,
    settings: row.settings,
    fastingHours: row.scheduling?.fastingHours ?? null,
  };
}

/**
 * What to bring, by kind of visit: practical things, in plain words (no clinical rule behind them). For a
 * ketamine session the escort matters most: no patient leaves alone (clinical-reference 4.5, 4.6).
 */
const whatToBring: Record<AppointmentKind, string[]> = {
  screening: [
    'A photo ID',
    'A list of every medicine and supplement you take, with the doses',
    'The names of your other doctors and therapists, if you have any',
  ],
  preparation: ['Your questions, and what you hope to get from treatment'],
  dosing: [
    'The adult who will take you home (or their phone number, if they will collect you)',
    'A list of any changes to your medicines since your last visit',
    'Comfortable clothes; an eye mask and headphones if you prefer your own',
  ],
  integration: ['Your journal or notes from your last session, if you keep them'],
  'follow-up': ['A list of any changes to your medicines since your last visit'],
};

const knownRoutes = new Set<Route>(['iv', 'im', 'sublingual', 'oral', 'intranasal']);
function routeOf(value: string | null): Route | null {
  return value && knownRoutes.has(value as Route) ? (value as Route) : null;
}

function dueByLabel(dueDate: string, day: string): string {
  return dueDate <= day ? 'Due now' : `Due by ${dueDate}`;
}

/** The portal home in one call: next session, the next dosing session's checklist, and the to-dos. */
export async function myHome(ctx: ServiceContext): Promise<HomeView> {
  const patientId = ownPatientId(ctx);
  await assertChartAccess(ctx, patientId);
  const facts = await clinicFacts(ctx);
  const [person] = await ctx.tx
    .select({ givenName: patient.givenName, preferredName: patient.preferredName })
    .from(patient)
    .where(and(eq(patient.clinicId, ctx.clinicId), eq(patient.id, patientId)));
  if (!person) throw new NotFound('Patient');
  const now = ctx.clock.now();
  const today = localParts(now, facts.timeZone).date;

  const upcoming = await ctx.tx
    .select({
      id: appointment.id,
      kind: appointment.kind,
      startsAt: appointment.startsAt,
      endsAt: appointment.endsAt,
      route: appointment.route,
      product: appointment.product,
      roomName: room.name,
    })
    .from(appointment)
    .leftJoin(room, and(eq(room.clinicId, appointment.clinicId), eq(room.id, appointment.roomId)))
    .where(
      and(
        eq(appointment.clinicId, ctx.clinicId),
        eq(appointment.patientId, patientId),
        ne(appointment.status, 'cancelled'),
        gt(appointment.endsAt, now),
      ),
    )
    .orderBy(asc(appointment.startsAt), asc(appointment.id))
    .limit(50);
  const next = upcoming[0] ?? null;
  const nextDosing = upcoming.find((a) => a.kind === 'dosing') ?? null;

  // The other areas' own portal reads, one after another on this transaction. The home is one read by the
  // patient of their own record: the events those reads would write are folded into the home's one event
  // (its `composed` names each), so one view is one row in the access log, not five.
  const composed: AuditEntry[] = [];
  const part: ServiceContext = { ...ctx, audit: { record: (entry) => composed.push(entry) } };
  const due = await listDueForPatient(part);
  const consents = await myConsents(part);
  const intake = await readOwnIntake(part, patientId);
  const ratings = await myExperienceRatings(part);

  const toSign = consents.forms.filter(
    (f) =>
      f.template.required &&
      f.neededNow &&
      (f.state === 'not-signed' || f.state === 'outdated' || f.state === 'withdrawn'),
  );

  let preparation: HomeView['preparation'] = null;
  if (nextDosing) {
    const day = localParts(nextDosing.startsAt, facts.timeZone).date;
    const ride = (await latestRideHome(ctx, [nextDosing.id])).get(nextDosing.id) ?? null;
    const acknowledged = (await acknowledgedAppointments(ctx, [nextDosing.id])).has(nextDosing.id);
    const reminders = remindersFor((nextDosing.product as Product | null) ?? null, facts.fastingHours);
    const dueBefore = due.items.filter((i) => i.dueDate <= day);
    const items: ChecklistItemView[] = [
      ride?.status === 'confirmed'
        ? {
            id: 'ride-home',
            label: 'Ride home confirmed',
            state: 'done',
            detail: `${ride.escortName ?? 'Your escort'} will take you home.`,
            action: null,
          }
        : {
            id: 'ride-home',
            label: 'Ride home',
            state: 'to-do',
            detail: `${reminders.rideHome} Call ${facts.name} with the name and phone number of the person who will take you home; the front desk confirms it.`,
            action: null,
          },
      acknowledged
        ? {
            id: 'no-driving',
            label: 'No driving until the next day',
            state: 'done',
            detail: 'You have agreed not to drive after this session.',
            action: null,
          }
        : {
            id: 'no-driving',
            label: 'No driving until the next day',
            state: 'to-do',
            detail: reminders.noDriving,
            action: { label: 'Agree not to drive', to: '/portal/appointments' },
          },
      { id: 'fasting', label: 'Eating and drinking', state: 'info', detail: reminders.fasting, action: null },
      toSign.length > 0
        ? {
            id: 'consents',
            label: 'Consent forms',
            state: 'to-do',
            detail:
              toSign.length === 1
                ? `Sign “${toSign[0]!.template.title}” before your session.`
                : `${toSign.length} forms need your signature before your session.`,
            action: {
              label: toSign.length === 1 ? 'Sign the form' : 'Sign the forms',
              to:
                toSign.length === 1 ? `/portal/consents/${toSign[0]!.currentVersion.id}` : '/portal/consents',
            },
          }
        : consents.status.valid
          ? {
              id: 'consents',
              label: 'Consent forms signed',
              state: 'done',
              detail: 'Every form needed for this session is signed.',
              action: null,
            }
          : {
              id: 'consents',
              label: 'Consent forms',
              state: 'waiting',
              detail: 'You have signed your forms; your care team still has to complete them.',
              action: { label: 'Your consent forms', to: '/portal/consents' },
            },
      dueBefore.length > 0
        ? {
            id: 'questionnaires',
            label: 'Questionnaires before your session',
            state: 'to-do',
            detail:
              dueBefore.length === 1
                ? `Fill in the ${dueBefore[0]!.name} before your session.`
                : `${dueBefore.length} questionnaires to fill in before your session.`,
            action: {
              label: dueBefore.length === 1 ? 'Start the questionnaire' : 'Start the first questionnaire',
              to: `/portal/measures/${dueBefore[0]!.id}`,
            },
          }
        : {
            id: 'questionnaires',
            label: 'Questionnaires done',
            state: 'done',
            detail: 'No questionnaire is due before this session.',
            action: null,
          },
    ];
    preparation = {
      appointmentId: nextDosing.id,
      startsAt: nextDosing.startsAt.toISOString(),
      date: day,
      items,
      sources: reminders.sources,
    };
  }

  const todos: TodoView[] = [
    ...due.items.map((i) => ({
      kind: 'questionnaire' as const,
      label: `Fill in the ${i.name}`,
      detail: `${i.itemCount} questions · ${dueByLabel(i.dueDate, today)}`,
      dueDate: i.dueDate,
      action: { label: `Start ${i.shortName}`, to: `/portal/measures/${i.id}` },
    })),
    ...toSign.map((f) => ({
      kind: 'consent' as const,
      label: `Sign “${f.template.title}”`,
      detail:
        f.state === 'outdated'
          ? 'The form changed since you signed it.'
          : f.state === 'withdrawn'
            ? 'You withdrew this form; sign it again to continue treatment.'
            : null,
      dueDate: null,
      action: { label: 'Read and sign', to: `/portal/consents/${f.currentVersion.id}` },
    })),
    // The day after each discharged session (JOURNAL's rule), until the patient rates it.
    ...ratings.due.map((r) => ({
      kind: 'experience-rating' as const,
      label: `Rate your session of ${r.sessionDate}`,
      detail: 'A few questions on how the session went for you.',
      dueDate: null,
      action: { label: 'Rate the session', to: `/portal/experience/${r.sessionId}` },
    })),
    ...(intake.status === 'submitted'
      ? []
      : [
          {
            kind: 'intake' as const,
            label: intake.status === 'not-started' ? 'Start your intake' : 'Finish your intake',
            detail: null,
            dueDate: null,
            action: {
              label: intake.status === 'not-started' ? 'Start' : 'Continue',
              to: '/portal/intake',
            },
          },
        ]),
  ];

  ctx.audit.record({
    action: 'portal.home.read',
    resourceType: 'patient',
    resourceId: patientId,
    patientId,
    breakGlass: composed.some((e) => e.breakGlass),
    detail: { upcoming: upcoming.length, todos: todos.length, composed: composed.map((e) => e.action) },
  });

  const nextRoute = next ? routeOf(next.route) : null;
  return {
    greetingName: person.preferredName ?? person.givenName,
    clinicName: facts.name,
    timeZone: facts.timeZone,
    crisisPhone: facts.crisisPhone,
    nextSession: next
      ? {
          appointmentId: next.id,
          kind: next.kind,
          title: kindLabels[next.kind],
          startsAt: next.startsAt.toISOString(),
          endsAt: next.endsAt.toISOString(),
          date: localParts(next.startsAt, facts.timeZone).date,
          route: nextRoute,
          routeName: nextRoute ? routeName(nextRoute) : null,
          location: { clinicName: facts.name, roomName: next.roomName ?? null },
          whatToBring: whatToBring[next.kind],
        }
      : null,
    preparation,
    todos,
  };
}

/**
 * The crisis lines for the portal's header, on every page: 988 and 911 are national public numbers; the
 * clinic's own number is its `crisisPhone` setting (null when the clinic has not set one). Clinic facts, no
 * patient data, so nothing to audit.
 */
export async function myCrisisResources(ctx: ServiceContext) {
  ownPatientId(ctx);
  const facts = await clinicFacts(ctx);
  const lines = crisisResourcesOf(facts.settings);
  return { ...lines, clinicName: facts.name, clinicPhone: facts.crisisPhone };
}

const stateLabels: Record<SessionHistoryView['dosingSessions'][number]['state'], string> = {
  scheduled: 'Booked',
  'checked-in': 'Checked in',
  'cleared-to-dose': 'Checked in',
  dosing: 'In session',
  monitoring: 'In session',
  discharged: 'Completed',
  aborted: 'Ended early',
};

/**
 * The patient's own session history: dosing sessions with their times, route and state, and a link to the
 * discharge instructions of each completed one; and the integration sessions attended (booked, not
 * cancelled, already over). Times only, never what was said or written: no progress note, no staff note,
 * no abort reason, no psychotherapy note.
 */
export async function mySessions(ctx: ServiceContext): Promise<SessionHistoryView> {
  const patientId = ownPatientId(ctx);
  await assertChartAccess(ctx, patientId);
  const facts = await clinicFacts(ctx);
  const dosing = await ctx.tx
    .select({
      id: dosingSession.id,
      route: dosingSession.route,
      state: dosingSession.state,
      checkedInAt: dosingSession.checkedInAt,
      dosingStartedAt: dosingSession.dosingStartedAt,
      endedAt: dosingSession.endedAt,
      dischargedAt: sessionDischarge.dischargedAt,
      roomName: room.name,
    })
    .from(dosingSession)
    .innerJoin(
      appointment,
      and(eq(appointment.clinicId, dosingSession.clinicId), eq(appointment.id, dosingSession.appointmentId)),
    )
    .leftJoin(room, and(eq(room.clinicId, appointment.clinicId), eq(room.id, appointment.roomId)))
    .leftJoin(
      sessionDischarge,
      and(
        eq(sessionDischarge.clinicId, dosingSession.clinicId),
        eq(sessionDischarge.sessionId, dosingSession.id),
      ),
    )
    .where(and(eq(dosingSession.clinicId, ctx.clinicId), eq(dosingSession.patientId, patientId)))
    .orderBy(desc(dosingSession.checkedInAt), desc(dosingSession.id))
    .limit(200);
  const integrationAppointments = await ctx.tx
    .select({
      id: appointment.id,
      startsAt: appointment.startsAt,
      endsAt: appointment.endsAt,
      roomName: room.name,
    })
    .from(appointment)
    .leftJoin(room, and(eq(room.clinicId, appointment.clinicId), eq(room.id, appointment.roomId)))
    .where(
      and(
        eq(appointment.clinicId, ctx.clinicId),
        eq(appointment.patientId, patientId),
        eq(appointment.kind, 'integration'),
        ne(appointment.status, 'cancelled'),
        lte(appointment.endsAt, ctx.clock.now()),
      ),
    )
    .orderBy(desc(appointment.startsAt), desc(appointment.id))
    .limit(200);
  // The integration notes say which session each integration session followed and when it was held: only
  // those facts are read (never the note's content, never its psychotherapy-note link).
  const noteVersions = await ctx.tx
    .select({
      seriesId: integrationNote.seriesId,
      version: integrationNote.version,
      dosingSessionId: integrationNote.dosingSessionId,
      appointmentId: integrationNote.appointmentId,
      heldOn: integrationNote.heldOn,
    })
    .from(integrationNote)
    .where(and(eq(integrationNote.clinicId, ctx.clinicId), eq(integrationNote.patientId, patientId)))
    .orderBy(asc(integrationNote.seriesId), asc(integrationNote.version))
    .limit(1000);
  const notes = new Map<string, (typeof noteVersions)[number]>();
  for (const v of noteVersions) notes.set(v.seriesId, v); // the latest version of each note stands
  const integration = mergeIntegrationSessions(
    integrationAppointments,
    [...notes.values()],
    facts.timeZone,
    new Map(dosing.map((d) => [d.id, localParts(d.dosingStartedAt ?? d.checkedInAt, facts.timeZone).date])),
  );
  ctx.audit.record({
    action: 'portal.sessions.read',
    resourceType: 'dosing_session',
    patientId,
    detail: { dosing: dosing.length, integration: integration.length },
  });
  return {
    clinicName: facts.name,
    timeZone: facts.timeZone,
    dosingSessions: dosing.map((s) => ({
      sessionId: s.id,
      date: localParts(s.dosingStartedAt ?? s.checkedInAt, facts.timeZone).date,
      route: s.route,
      routeName: routeName(s.route),
      state: s.state,
      stateLabel: stateLabels[s.state],
      checkedInAt: s.checkedInAt.toISOString(),
      dosingStartedAt: s.dosingStartedAt?.toISOString() ?? null,
      dischargedAt: s.dischargedAt?.toISOString() ?? null,
      endedAt: s.endedAt?.toISOString() ?? null,
      roomName: s.roomName ?? null,
      dischargeInstructions:
        s.state === 'discharged'
          ? {
              page: `/portal/sessions/${s.id}/instructions`,
              pdf: `/api/v1/me/sessions/${s.id}/discharge-instructions.pdf`,
            }
          : null,
    })),
    integrationSessions: integration,
  };
}

type IntegrationSessionEntry = SessionHistoryView['integrationSessions'][number];

/**
 * The integration sessions attended: each booked integration appointment that is over (not cancelled), and
 * each integration session the therapist documented, once (a note held in an appointment is that
 * appointment). Newest first.
 */
function mergeIntegrationSessions(
  appointments: { id: string; startsAt: Date; endsAt: Date; roomName: string | null }[],
  notes: { dosingSessionId: string; appointmentId: string | null; heldOn: string }[],
  timeZone: string,
  dosingDates: Map<string, string>,
): IntegrationSessionEntry[] {
  const follows = (sessionId: string) => {
    const date = dosingDates.get(sessionId);
    return date ? { sessionId, date } : null;
  };
  const noteByAppointment = new Map(notes.filter((n) => n.appointmentId).map((n) => [n.appointmentId!, n]));
  const entries: IntegrationSessionEntry[] = appointments.map((a) => {
    const note = noteByAppointment.get(a.id);
    return {
      appointmentId: a.id,
      date: localParts(a.startsAt, timeZone).date,
      startsAt: a.startsAt.toISOString(),
      endsAt: a.endsAt.toISOString(),
      roomName: a.roomName ?? null,
      followsSession: note ? follows(note.dosingSessionId) : null,
    };
  });
  const listed = new Set(appointments.map((a) => a.id));
  for (const note of notes) {
    if (note.appointmentId && listed.has(note.appointmentId)) continue;
    entries.push({
      appointmentId: null,
      date: note.heldOn,
      startsAt: null,
      endsAt: null,
      roomName: null,
      followsSession: follows(note.dosingSessionId),
    });
  }
  return entries.sort(
    (a, b) => b.date.localeCompare(a.date) || (b.startsAt ?? '').localeCompare(a.startsAt ?? ''),
  );
}
