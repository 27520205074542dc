import { randomUUID } from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { type Clock, ManualClock } from '../../clock.ts';
import { demoIntakeAnswers } from '../../modules/intake/intake.demo.ts';
import { demoClinics, demoPassword } from './demo-logins.ts';
import {
  type DemoSessionClinic,
  demoPlanStart,
  nextPlanStart,
  type SessionsSummary,
  seedDemoSessions,
} from './sessions.ts';

/**
 * Walks the demo clinics' patients along the care pathway through Kapstone's own API, exactly as the staff
 * and the patients would in the browser: every step is validated, permission-checked and audited, every
 * score comes from @kapstone/clinical, and signatures are made with the demo password. Nothing is written
 * behind the services' backs, so the demo can never hold a state the product itself could not reach.
 *
 * Where each patient with a portal login stands afterwards (the same in both clinics):
 *   patient1  baseline questionnaires assigned; intake not started      (walk the portal from the start)
 *   patient2  intake submitted, baseline questionnaires done, screening vitals taken: awaiting eligibility
 *   patient3  eligibility approved and signed: consent forms waiting in the portal
 *   patient4  consents signed and countersigned, preparation note signed: awaiting a treatment plan
 *   patient5  treatment plan signed and the course booked: upcoming sessions in the portal
 *   patient6  treatment plan signed: a dosing session booked later today, not yet checked in (ride home
 *             confirmed, no driving acknowledged, today's PHQ-9 done): walk it from check-in to discharge.
 *             Harbor: SPRAVATO (esketamine, intranasal) with one completed session whose REMS form is due;
 *             Summit: the IV series' first infusion.
 * and the next two patients (no login yet) have a pending portal invitation in the Sent mail view.
 *
 * With a ManualClock (`npm start` and `cli seed --demo` build the walk's own app on one, weeks in the past),
 * patient5's course has begun: the clinic's ledger is stocked, a few dosing sessions are completed and one is
 * in progress at the real time the walk ends, and patient6's sessions are walked (db/seed/sessions.ts).
 * patient5's plan has no dose left for today (and doses are at least 24 hours apart), hence patient6.
 * Without a moved clock patient6 is walked up to the signed plan only.
 */

export interface Caller {
  cookie: string;
  csrfToken: string;
}

export interface DemoPatient {
  self: Caller;
  id: string;
  givenName: string;
  familyName: string;
}

export interface ClinicPathway {
  slug: string;
  protocolId: 'kap-im' | 'kap-sublingual' | 'iv-series' | 'spravato-trd';
  route: 'im' | 'iv' | 'intranasal' | 'sublingual';
  product: 'ketamine-racemic' | 'esketamine';
  plan: Record<string, unknown>;
}

const pathways: Record<string, Omit<ClinicPathway, 'slug'>> = {
  harbor: {
    protocolId: 'kap-im',
    route: 'im',
    product: 'ketamine-racemic',
    plan: {
      startingDose: { value: 0.5, unit: 'mg/kg' },
      maximumDose: { value: 1.0, unit: 'mg/kg' },
      dosingSessions: 4,
    },
  },
  summit: {
    protocolId: 'iv-series',
    route: 'iv',
    product: 'ketamine-racemic',
    plan: {
      startingDose: { value: 0.5, unit: 'mg/kg' },
      maximumDose: { value: 0.75, unit: 'mg/kg' },
      dosingSessions: 6,
    },
  },
};

/** patient6's plan: Harbor's SPRAVATO patient (clinical-reference 2.5: 56 mg to start, 84 mg at most); Summit's IV series. */
const nextPathways: Record<string, Omit<ClinicPathway, 'slug'>> = {
  harbor: {
    protocolId: 'spravato-trd',
    route: 'intranasal',
    product: 'esketamine',
    plan: {
      startingDose: { value: 56, unit: 'mg' },
      maximumDose: { value: 84, unit: 'mg' },
      dosingSessions: 12,
      weightKg: null,
      indication: {
        icd10: 'F33.2',
        description: 'Major depressive disorder, recurrent, severe (treatment-resistant)',
        notOnProblemList: true,
      },
    },
  },
  summit: pathways.summit!,
};

/** PHQ-9, GAD-7 and the rest of the screening set answered as a person with moderate-to-severe depression might. */
const demoAnswers: Record<string, (number | null)[]> = {
  phq9: [2, 2, 3, 2, 1, 2, 2, 1, 0, 1],
  gad7: [2, 2, 1, 2, 1, 1, 1],
  pcl5: [1, 1, 0, 1, 1, 2, 1, 0, 1, 2, 1, 1, 0, 1, 2, 1, 0, 1, 1, 1],
  'audit-c': [1, 0, 0],
  dast10: [0, 1, 0, 0, 0, 0, 0, 0, 0, 0],
};

export interface PathwaySummary {
  patientsWalked: number;
  invitations: number;
  sessions?: SessionsSummary;
}

export interface PathwayOptions {
  /** The real time the walk ends at (the session in progress runs then); with a ManualClock only. */
  until?: () => Date;
}

export class SeedStepFailed extends Error {}

/**
 * The clock the demo walk runs on: weeks before the real time, so that the completed sessions lie in the past.
 * The history starts 25 days ago (the first completed session is 21 days ago: db/seed/sessions.ts).
 */
export function demoHistoryClock(now: Date = new Date()): ManualClock {
  return new ManualClock(new Date(now.getTime() - 25 * 86_400_000));
}

export async function seedDemoPathway(
  app: FastifyInstance,
  clock: Clock,
  options: PathwayOptions = {},
): Promise<PathwaySummary> {
  let walked = 0;
  let invitations = 0;
  const withSessions = clock instanceof ManualClock;
  const until = options.until ?? (() => new Date());
  const sessionClinics: DemoSessionClinic[] = [];
  const toInvite: { slug: string; patientIds: string[] }[] = [];
  for (const { slug, timeZone } of demoClinics) {
    const pathway = { slug, ...pathways[slug]! };
    const staff = {
      prescriber: await signIn(app, `prescriber@${slug}.demo`),
      nurse: await signIn(app, `nurse@${slug}.demo`),
      therapist: await signIn(app, `therapist@${slug}.demo`),
      frontdesk: await signIn(app, `frontdesk@${slug}.demo`),
    };
    await setWorkingHours(app, staff.frontdesk);

    const patients: DemoPatient[] = [];
    for (let n = 1; n <= 6; n++) {
      const self = await signIn(app, `patient${n}@${slug}.demo`);
      const me = await call(app, self, { method: 'GET', url: '/api/v1/me/patient' });
      patients.push({
        self,
        id: me.id as string,
        givenName: me.givenName as string,
        familyName: me.familyName as string,
      });
    }

    // Every patient with a login has the clinic's screening set to complete.
    for (const p of patients) {
      await call(app, staff.nurse, {
        method: 'POST',
        url: `/api/v1/patients/${p.id}/measure-assignments`,
        payload: {},
      });
    }
    // patient2 onwards: intake submitted, baseline done, vitals taken.
    for (const p of patients.slice(1, 5)) {
      await completeIntake(app, p.self);
      await completeBaseline(app, p.self);
      await takeScreeningVitals(app, staff.nurse, p.id, clock, {
        systolic: 124,
        diastolic: 78,
        heartRate: 72,
        weightKg: 72,
        heightCm: 172,
      });
    }
    // patient3 onwards: eligibility approved for the clinic's route.
    for (const p of patients.slice(2, 5)) await approveEligibility(app, staff.prescriber, p.id, pathway);
    // patient4 onwards: consents signed and countersigned, preparation note signed.
    for (const p of patients.slice(3, 5)) {
      await signConsents(app, p, staff.nurse, pathway.route);
      await signPreparationNote(app, staff.therapist, p.id, p.givenName);
    }
    const next = patients[5]!;
    const nextPathway = { slug, ...nextPathways[slug]! };
    await completeIntake(app, next.self);
    await completeBaseline(app, next.self);
    await takeScreeningVitals(app, staff.nurse, next.id, clock, {
      systolic: 122,
      diastolic: 76,
      heartRate: 70,
      weightKg: 68,
      heightCm: 168,
    });
    await approveEligibility(app, staff.prescriber, next.id, nextPathway);
    await signConsents(app, next, staff.nurse, nextPathway.route);
    await signPreparationNote(app, staff.therapist, next.id, next.givenName);
    // patient5: a signed plan, and the course booked from the plan's proposal.
    const planned = patients[4]!;
    await signPlan(
      app,
      staff.prescriber,
      planned.id,
      pathway,
      clock,
      withSessions ? demoPlanStart(slug, timeZone, until()) : null,
    );
    // patient6: a signed plan too; its sessions (a completed one for SPRAVATO, one later today) are the walk's.
    await signPlan(
      app,
      staff.prescriber,
      next.id,
      nextPathway,
      clock,
      withSessions ? nextPlanStart(slug, timeZone, until()) : null,
    );
    // With a moved clock the course is booked by the sessions walk (its first sessions lie in the past).
    if (withSessions)
      sessionClinics.push({
        slug,
        timeZone,
        route: pathway.route as 'im' | 'iv',
        patientId: planned.id,
        patientEmail: `patient5@${slug}.demo`,
        dosingSessions: pathway.plan.dosingSessions as number,
        next: {
          patientId: next.id,
          patientEmail: `patient6@${slug}.demo`,
          route: nextPathway.route,
          product: nextPathway.product,
        },
      });
    else await bookCourse(app, staff.frontdesk, planned.id);
    walked += patients.length;

    // Two patients without a login yet get a portal invitation (sent at the end: a link lives 72 hours).
    const list = await call(app, staff.frontdesk, { method: 'GET', url: '/api/v1/patients?limit=50' });
    const withoutLogin = (list.items as { id: string; mrn: string }[])
      .filter((p) => !patients.some((q) => q.id === p.id))
      .sort((a, b) => a.mrn.localeCompare(b.mrn))
      .slice(0, 2);
    toInvite.push({ slug, patientIds: withoutLogin.map((p) => p.id) });
    for (const caller of [...Object.values(staff), ...patients.map((p) => p.self)])
      await call(app, caller, { method: 'POST', url: '/api/v1/auth/logout' }, [200, 204]);
  }
  const sessions =
    clock instanceof ManualClock ? await seedDemoSessions(app, clock, sessionClinics, until) : undefined;
  for (const { slug, patientIds } of toInvite) {
    const frontdesk = await signIn(app, `frontdesk@${slug}.demo`);
    for (const id of patientIds) {
      await call(app, frontdesk, { method: 'POST', url: `/api/v1/patients/${id}/invitations`, payload: {} });
      invitations += 1;
    }
    await call(app, frontdesk, { method: 'POST', url: '/api/v1/auth/logout' }, [200, 204]);
  }
  return { patientsWalked: walked, invitations, ...(sessions ? { sessions } : {}) };
}

export async function signIn(app: FastifyInstance, email: string): Promise<Caller> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password: demoPassword },
    remoteAddress: '127.0.0.1',
  });
  const body = response.json() as { status?: string; session?: { csrfToken: string } };
  const setCookie = response.headers['set-cookie'];
  const raw = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  if (response.statusCode !== 200 || body.status !== 'authenticated' || !raw || !body.session)
    throw new SeedStepFailed(`demo sign-in of ${email} failed: ${response.statusCode} ${response.body}`);
  return { cookie: raw.split(';')[0]!, csrfToken: body.session.csrfToken };
}

export async function call(
  app: FastifyInstance,
  caller: Caller,
  request: Pick<InjectOptions, 'url' | 'payload'> & { method: 'GET' | 'POST' | 'PUT' | 'PATCH' },
  expected: number[] = [200, 201],
  // biome-ignore lint/suspicious/noExplicitAny: demo steps read a few fields of each answer
): Promise<any> {
  const response = await app.inject({
    ...request,
    remoteAddress: '127.0.0.1',
    headers: {
      cookie: caller.cookie,
      ...(request.method === 'GET' ? {} : { 'x-csrf-token': caller.csrfToken }),
    },
  });
  if (!expected.includes(response.statusCode))
    throw new SeedStepFailed(
      `demo step ${request.method} ${request.url} answered ${response.statusCode}: ${response.body}`,
    );
  return response.body ? response.json() : null;
}

async function setWorkingHours(app: FastifyInstance, frontdesk: Caller): Promise<void> {
  const bookable = await call(app, frontdesk, { method: 'GET', url: '/api/v1/staff/bookable' });
  const weekdays = [1, 2, 3, 4, 5];
  for (const person of bookable.items as { id: string }[]) {
    await call(app, frontdesk, {
      method: 'PUT',
      url: `/api/v1/staff/${person.id}/working-hours`,
      payload: { spans: weekdays.map((weekday) => ({ weekday, startsAt: '08:00', endsAt: '18:00' })) },
    });
  }
}

/** The screening vitals the nurse records (SpO2 98 %, 14 breaths a minute) at the walk's current time. */
export async function takeScreeningVitals(
  app: FastifyInstance,
  nurse: Caller,
  patientId: string,
  clock: Clock,
  reading: { systolic: number; diastolic: number; heartRate: number; weightKg: number; heightCm: number },
): Promise<void> {
  await call(app, nurse, {
    method: 'POST',
    url: `/api/v1/patients/${patientId}/vitals`,
    payload: {
      id: randomUUID(),
      context: 'screening',
      measuredAt: clock.now().toISOString(),
      systolic: reading.systolic,
      diastolic: reading.diastolic,
      heartRate: reading.heartRate,
      spo2: 98,
      respiratoryRate: 14,
      weightKg: reading.weightKg,
      heightCm: reading.heightCm,
    },
  });
}

export async function completeIntake(app: FastifyInstance, self: Caller): Promise<void> {
  const current = await call(app, self, { method: 'GET', url: '/api/v1/me/intake' });
  const saved = await call(app, self, {
    method: 'PUT',
    url: '/api/v1/me/intake',
    payload: { version: current.version, answers: demoIntakeAnswers(), clientSaveId: randomUUID() },
  });
  await call(app, self, {
    method: 'POST',
    url: '/api/v1/me/intake/submit',
    payload: { version: saved.version },
  });
}

async function completeBaseline(app: FastifyInstance, self: Caller): Promise<void> {
  const due = await call(app, self, { method: 'GET', url: '/api/v1/me/measures' });
  for (const item of due.items as { id: string; instrument: string }[]) {
    const form = await call(app, self, { method: 'GET', url: `/api/v1/me/measures/${item.id}` });
    const answers = demoAnswers[item.instrument] ?? firstOptionAnswers(form);
    await call(app, self, {
      method: 'POST',
      url: `/api/v1/me/measures/${item.id}/responses`,
      payload: { id: randomUUID(), answers },
    });
  }
}

/** The lowest answer to every item that is asked (C-SSRS and MDQ follow their skip logic: 'no' throughout). */
function firstOptionAnswers(form: {
  questionnaire: { items: { options: { score: number }[]; enableWhen: unknown }[] };
}) {
  return form.questionnaire.items.map((item) =>
    item.enableWhen ? null : Math.min(...item.options.map((o) => o.score)),
  );
}

export async function approveEligibility(
  app: FastifyInstance,
  prescriber: Caller,
  patientId: string,
  pathway: ClinicPathway,
): Promise<void> {
  const product = pathway.product;
  const assessment = await call(app, prescriber, {
    method: 'GET',
    url: `/api/v1/patients/${patientId}/eligibility/assessment?route=${pathway.route}&product=${product}`,
  });
  const engine: string = assessment.assessment?.decision ?? assessment.decision;
  // The demo prescriber approves; where the engine asks for review, with conditions and a rationale.
  const decision = engine === 'eligible' ? 'approve' : 'approve-with-conditions';
  await call(app, prescriber, {
    method: 'POST',
    url: `/api/v1/patients/${patientId}/eligibility/decisions`,
    payload: {
      id: randomUUID(),
      decision,
      route: pathway.route,
      product,
      fingerprint: assessment.fingerprint,
      password: demoPassword,
      ...(decision === 'approve-with-conditions'
        ? {
            conditions: 'Blood pressure checked before every session; records of past treatment on file.',
            rationale: 'Findings reviewed with the patient and their records; benefits outweigh the risks.',
          }
        : {}),
    },
  });
}

export async function signConsents(
  app: FastifyInstance,
  patient: DemoPatient,
  countersigner: Caller,
  route: string,
): Promise<void> {
  const mine = await call(app, patient.self, { method: 'GET', url: '/api/v1/me/consents' });
  const forms = (
    mine.forms as {
      template: { required: boolean; routes: string[] };
      currentVersion: { id: string };
    }[]
  ).filter(
    (f) => f.template.required && (f.template.routes.length === 0 || f.template.routes.includes(route)),
  );
  for (const form of forms) {
    const shown = await call(app, patient.self, {
      method: 'GET',
      url: `/api/v1/me/consents/${form.currentVersion.id}`,
    });
    const signature = await call(app, patient.self, {
      method: 'POST',
      url: `/api/v1/me/consents/${form.currentVersion.id}/signatures`,
      payload: {
        id: randomUUID(),
        typedName: `${patient.givenName} ${patient.familyName}`,
        agreed: true,
        textSha256: shown.textSha256,
      },
    });
    await call(app, countersigner, {
      method: 'POST',
      url: `/api/v1/patients/${patient.id}/consents/${signature.id}/countersignature`,
    });
  }
}

export async function signPreparationNote(
  app: FastifyInstance,
  therapist: Caller,
  patientId: string,
  givenName: string,
): Promise<void> {
  const note = await call(app, therapist, {
    method: 'POST',
    url: `/api/v1/patients/${patientId}/preparation-notes`,
    payload: {
      content: {
        goals: [{ id: randomUUID(), text: 'Feel able to enjoy time with family again' }],
        intentions: [{ id: randomUUID(), text: 'Meet whatever comes with curiosity' }],
        concerns: `${givenName} worries about losing control during the session; we agreed a hand signal.`,
        setAndSetting: { music: 'Instrumental, no lyrics', eyeMask: true, lighting: 'dim', blanket: true },
        supportPerson: { name: 'Jordan Reyes', relationship: 'partner', phone: '(555) 010-0142' },
        rideHome: { name: 'Jordan Reyes', relationship: 'partner', phone: '(555) 010-0142' },
      },
    },
  });
  await call(app, therapist, {
    method: 'POST',
    url: `/api/v1/patients/${patientId}/preparation-notes/${note.id}/signature`,
    payload: { signatureId: randomUUID(), revision: note.revision },
  });
}

export async function signPlan(
  app: FastifyInstance,
  prescriber: Caller,
  patientId: string,
  pathway: ClinicPathway,
  clock: Clock,
  startDate: string | null,
): Promise<void> {
  const chart = await call(app, prescriber, { method: 'GET', url: `/api/v1/patients/${patientId}` });
  const indication = (chart.conditions as { icd10: string; description: string; status: string }[]).find(
    (c) => c.status === 'active' && c.icd10.startsWith('F'),
  );
  // The first dose about a week from today, on a weekday.
  const start = new Date(clock.now().getTime() + 7 * 86_400_000);
  while (start.getUTCDay() === 0 || start.getUTCDay() === 6) start.setUTCDate(start.getUTCDate() + 1);
  const url = `/api/v1/patients/${patientId}/treatment-plans`;
  const draft = await call(app, prescriber, {
    method: 'POST',
    url,
    payload: {
      indication: indication
        ? { icd10: indication.icd10, description: indication.description }
        : { icd10: 'F33.1', description: 'Major depressive disorder, recurrent, moderate' },
      protocolId: pathway.protocolId,
      route: pathway.route,
      product: pathway.product,
      startDate: startDate ?? start.toISOString().slice(0, 10),
      weightKg: 72,
      goals: [{ text: 'Return to work part-time' }],
      intentions: [],
      ...pathway.plan,
    },
  });
  await call(app, prescriber, {
    method: 'POST',
    url: `${url}/${draft.id}/signature`,
    payload: {
      signatureId: randomUUID(),
      password: demoPassword,
      revision: draft.revision,
      acknowledgeDoseWarnings: true,
    },
  });
}

interface ProposalItem {
  kind: string;
  startsAt: string | null;
  endsAt: string | null;
  roomId: string | null;
  staff: { userId: string; role: string }[];
  note: string;
  problem: string | null;
  bookedAppointmentId?: string | null;
}

/**
 * A course proposal's items that can be booked as proposed (a time, no problem; follow-ups are left to the
 * clinic), narrowed by `keep`, in the course-booking request's shape.
 */
export function bookableCourseItems(
  proposal: { items: unknown[] },
  keep: (item: ProposalItem) => boolean = () => true,
) {
  return (proposal.items as ProposalItem[])
    .filter((i) => i.startsAt && !i.problem && i.kind !== 'follow-up' && keep(i))
    .map((i) => ({
      kind: i.kind,
      startsAt: i.startsAt,
      endsAt: i.endsAt,
      roomId: i.roomId,
      staff: i.staff.map(({ userId, role }) => ({ userId, role })),
      note: i.note,
    }));
}

async function bookCourse(app: FastifyInstance, frontdesk: Caller, patientId: string): Promise<void> {
  const proposal = await call(app, frontdesk, {
    method: 'POST',
    url: `/api/v1/patients/${patientId}/course-booking/proposal`,
  });
  const items = bookableCourseItems(proposal);
  if (items.length === 0)
    throw new SeedStepFailed(`the course proposal had nothing to book: ${JSON.stringify(proposal)}`);
  await call(app, frontdesk, {
    method: 'POST',
    url: `/api/v1/patients/${patientId}/course-booking`,
    payload: { items },
  });
}
