import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../app.ts';
import { ManualClock } from '../../clock.ts';
import type { Config } from '../../config.ts';
import { answersFor } from '../../modules/outcomes/outcomes.fixture.ts';
import { addDays, isoWeekday, localParts, zonedInstant } from '../../modules/scheduling/clinic-time.ts';
import { hashPassword } from '../../security/passwords.ts';
import type { DatabaseHandle, Db } from '../client.ts';
import { careTeamMember, clinic, measureAssignment, userAccount } from '../schema/index.ts';
import { demoClinics, demoPassword } from './demo-logins.ts';
import {
  approveEligibility,
  type Caller,
  type ClinicPathway,
  call,
  completeIntake,
  SeedStepFailed,
  signConsents,
  signIn,
  signPlan,
  signPreparationNote,
  takeScreeningVitals,
} from './pathway.ts';
import {
  bookDosing,
  dosingSession,
  dosingTemplate,
  Person,
  type SessionsSummary,
  type Staff,
  type Subject,
} from './sessions.ts';

/**
 * The demo's practice-outcomes cohort: twelve synthetic patients per demo clinic whose courses ran over the
 * last fourteen months, walked through Kapstone's own API on a clock of their own, so the outcomes dashboard
 * (and the research export) have something meaningful to show. Every step is the product's: the patient is
 * registered by the front desk, answers intake and questionnaires in the portal, is screened, found eligible,
 * consents (some also to research use of their data), has a signed plan, and each dose is a full dosing
 * session (checklist, dose drawn from the ledger, readings, discharge) as in db/seed/sessions.ts. After the
 * course the patient answers the PHQ-9 and GAD-7 at the end of the course and 1, 3, 6 and 12 months after
 * the last dose (those that have come by now).
 *
 * Per clinic, by PHQ-9 (response ≥ 50 % from baseline, remission < 5: clinical-reference 1.13):
 * four remitters, four responders, three non-responders, and one patient who responded and relapsed in
 * follow-up. The names are invented and the dates of birth made up.
 */

type Outcome = 'remitter' | 'responder' | 'non-responder' | 'relapse';

interface CohortPatient {
  givenName: string;
  familyName: string;
  sex: 'female' | 'male';
  age: number;
  indication: { icd10: string; description: string };
  route: 'im' | 'iv' | 'sublingual';
  outcome: Outcome;
  research: boolean;
  /** PHQ-9 before each dose (the first is the baseline; later IV doses repeat the last), at end of course, and at 1, 3, 6, 12 months. */
  phq9: { doses: number[]; end: number; followUps: [number, number, number, number] };
  /** GAD-7 at baseline, end of course, and at 1, 3, 6, 12 months. */
  gad7: { baseline: number; end: number; followUps: [number, number, number, number] };
}

const mdd = {
  icd10: 'F33.2',
  description: 'Major depressive disorder, recurrent severe without psychotic features',
};
const gad = { icd10: 'F41.1', description: 'Generalized anxiety disorder' };
const ptsd = { icd10: 'F43.10', description: 'Post-traumatic stress disorder, unspecified' };

const trajectories: Record<Outcome, Omit<CohortPatient['phq9'], never>[]> = {
  remitter: [
    { doses: [21, 15, 10, 6], end: 4, followUps: [4, 3, 5, 4] },
    { doses: [18, 12, 8, 5], end: 3, followUps: [3, 4, 4, 5] },
    { doses: [16, 11, 7, 5], end: 2, followUps: [3, 2, 4, 3] },
    { doses: [23, 16, 10, 7], end: 4, followUps: [5, 6, 7, 8] },
  ],
  responder: [
    { doses: [20, 16, 12, 10], end: 9, followUps: [9, 8, 10, 9] },
    { doses: [17, 13, 10, 9], end: 8, followUps: [8, 7, 8, 8] },
    { doses: [22, 17, 13, 11], end: 10, followUps: [11, 10, 11, 10] },
    { doses: [15, 12, 9, 8], end: 7, followUps: [7, 7, 6, 7] },
  ],
  'non-responder': [
    { doses: [19, 18, 17, 16], end: 15, followUps: [16, 17, 17, 18] },
    { doses: [16, 15, 15, 14], end: 13, followUps: [14, 15, 15, 15] },
    { doses: [21, 19, 18, 17], end: 16, followUps: [17, 18, 19, 19] },
  ],
  relapse: [{ doses: [20, 13, 9, 6], end: 5, followUps: [7, 12, 17, 18] }],
};

/** GAD-7 moving with the PHQ-9 (a little lower), bounded to 0–21. */
function gadFrom(phq: CohortPatient['phq9']): CohortPatient['gad7'] {
  const g = (x: number) => Math.max(0, Math.min(21, Math.round(x * 0.8)));
  return {
    baseline: g(phq.doses[0]!),
    end: g(phq.end),
    followUps: phq.followUps.map(g) as [number, number, number, number],
  };
}

const people: Record<string, Omit<CohortPatient, 'phq9' | 'gad7'>[]> = {
  harbor: [
    {
      givenName: 'Wrenna',
      familyName: 'Calloway-Fitch',
      sex: 'female',
      age: 34,
      indication: mdd,
      route: 'im',
      outcome: 'remitter',
      research: true,
    },
    {
      givenName: 'Tobiah',
      familyName: 'Marchetti-Vale',
      sex: 'male',
      age: 52,
      indication: mdd,
      route: 'iv',
      outcome: 'responder',
      research: true,
    },
    {
      givenName: 'Ismay',
      familyName: 'Oakhollow',
      sex: 'female',
      age: 27,
      indication: gad,
      route: 'sublingual',
      outcome: 'non-responder',
      research: false,
    },
    {
      givenName: 'Corvin',
      familyName: 'Aldous-Penhale',
      sex: 'male',
      age: 61,
      indication: ptsd,
      route: 'im',
      outcome: 'remitter',
      research: true,
    },
    {
      givenName: 'Perpetua',
      familyName: 'Snowdrake',
      sex: 'female',
      age: 45,
      indication: mdd,
      route: 'im',
      outcome: 'relapse',
      research: true,
    },
    {
      givenName: 'Anselm',
      familyName: 'Quillfeather',
      sex: 'male',
      age: 38,
      indication: gad,
      route: 'sublingual',
      outcome: 'responder',
      research: false,
    },
    {
      givenName: 'Maribeth',
      familyName: 'Tolliver-Ashe',
      sex: 'female',
      age: 72,
      indication: mdd,
      route: 'iv',
      outcome: 'remitter',
      research: true,
    },
    {
      givenName: 'Leopold',
      familyName: 'Vantongeren',
      sex: 'male',
      age: 23,
      indication: ptsd,
      route: 'im',
      outcome: 'non-responder',
      research: false,
    },
    {
      givenName: 'Seraphine',
      familyName: 'Duckworth-Lyle',
      sex: 'female',
      age: 58,
      indication: mdd,
      route: 'sublingual',
      outcome: 'responder',
      research: true,
    },
    {
      givenName: 'Bartholo',
      familyName: 'Eskridge',
      sex: 'male',
      age: 66,
      indication: mdd,
      route: 'im',
      outcome: 'remitter',
      research: false,
    },
    {
      givenName: 'Giselle',
      familyName: 'Pemberton-Roux',
      sex: 'female',
      age: 31,
      indication: gad,
      route: 'im',
      outcome: 'responder',
      research: true,
    },
    {
      givenName: 'Ezekiel',
      familyName: 'Farthingale',
      sex: 'male',
      age: 49,
      indication: mdd,
      route: 'sublingual',
      outcome: 'non-responder',
      research: false,
    },
  ],
  summit: [
    {
      givenName: 'Odessa',
      familyName: 'Whitlock-Bray',
      sex: 'female',
      age: 41,
      indication: mdd,
      route: 'iv',
      outcome: 'remitter',
      research: true,
    },
    {
      givenName: 'Thaddeus',
      familyName: 'Kilbride',
      sex: 'male',
      age: 29,
      indication: ptsd,
      route: 'im',
      outcome: 'responder',
      research: true,
    },
    {
      givenName: 'Rosalind',
      familyName: 'Merriweather-Osei',
      sex: 'female',
      age: 63,
      indication: gad,
      route: 'sublingual',
      outcome: 'remitter',
      research: false,
    },
    {
      givenName: 'Cassius',
      familyName: 'Thornbury',
      sex: 'male',
      age: 55,
      indication: mdd,
      route: 'sublingual',
      outcome: 'non-responder',
      research: true,
    },
    {
      givenName: 'Philippa',
      familyName: 'Arkwright',
      sex: 'female',
      age: 36,
      indication: mdd,
      route: 'im',
      outcome: 'relapse',
      research: true,
    },
    {
      givenName: 'Lucan',
      familyName: 'Featherstonehaugh',
      sex: 'male',
      age: 78,
      indication: mdd,
      route: 'im',
      outcome: 'responder',
      research: false,
    },
    {
      givenName: 'Junia',
      familyName: 'Blackwood-Reyes',
      sex: 'female',
      age: 22,
      indication: ptsd,
      route: 'sublingual',
      outcome: 'responder',
      research: true,
    },
    {
      givenName: 'Auberon',
      familyName: 'Stilwell',
      sex: 'male',
      age: 47,
      indication: gad,
      route: 'im',
      outcome: 'remitter',
      research: false,
    },
    {
      givenName: 'Clementina',
      familyName: 'Harrowgate',
      sex: 'female',
      age: 69,
      indication: mdd,
      route: 'iv',
      outcome: 'remitter',
      research: true,
    },
    {
      givenName: 'Ignatius',
      familyName: 'Pellegrine',
      sex: 'male',
      age: 33,
      indication: mdd,
      route: 'sublingual',
      outcome: 'non-responder',
      research: false,
    },
    {
      givenName: 'Verity',
      familyName: 'Langstroth',
      sex: 'female',
      age: 51,
      indication: gad,
      route: 'im',
      outcome: 'responder',
      research: true,
    },
    {
      givenName: 'Osric',
      familyName: 'Dunmore-Achebe',
      sex: 'male',
      age: 26,
      indication: ptsd,
      route: 'im',
      outcome: 'non-responder',
      research: false,
    },
  ],
};

/** Each clinic's cohort with its PHQ-9 and GAD-7 trajectories (the outcome kinds take their shapes in turn). */
export function cohortOf(slug: string): CohortPatient[] {
  const used: Record<Outcome, number> = { remitter: 0, responder: 0, 'non-responder': 0, relapse: 0 };
  return (people[slug] ?? []).map((p) => {
    const shapes = trajectories[p.outcome];
    const phq9 = shapes[used[p.outcome]++ % shapes.length]!;
    return { ...p, phq9, gad7: gadFrom(phq9) };
  });
}

const plans: Record<CohortPatient['route'], Omit<ClinicPathway, 'slug'>> = {
  im: {
    protocolId: 'kap-im',
    route: 'im',
    product: 'ketamine-racemic',
    plan: {
      startingDose: { value: 0.5, unit: 'mg/kg' },
      maximumDose: { value: 1.0, unit: 'mg/kg' },
      dosingSessions: 3,
    },
  },
  iv: {
    protocolId: 'iv-series',
    route: 'iv',
    product: 'ketamine-racemic',
    plan: {
      startingDose: { value: 0.5, unit: 'mg/kg' },
      maximumDose: { value: 0.75, unit: 'mg/kg' },
      dosingSessions: 6,
    },
  },
  sublingual: {
    protocolId: 'kap-sublingual',
    route: 'sublingual',
    product: 'ketamine-racemic',
    plan: {
      startingDose: { value: 200, unit: 'mg' },
      maximumDose: { value: 300, unit: 'mg' },
      dosingSessions: 3,
    },
  },
};

const day = 86_400_000;
/** The cohort's history starts this many days before now: the first screening, about fourteen months ago. */
const historyDays = 440;
/** Courses start this many days apart in a clinic, so no two patients' sessions share a chair. */
const courseSpacingDays = 24;
/** Days from the first dose of each course's doses (moved to weekdays): three, or the IV series' six. */
const doseDays = { standard: [0, 3, 7], iv: [0, 2, 4, 7, 9, 11] };
export const dosesOf = (route: CohortPatient['route']) =>
  (route === 'iv' ? doseDays.iv : doseDays.standard).length;

/** The clock the cohort is walked on: about fourteen months before now. */
export function outcomesCohortClock(now: Date = new Date()): ManualClock {
  return new ManualClock(new Date(now.getTime() - historyDays * day));
}

export interface CohortSeedSummary {
  patients: number;
  sessions: number;
  followUps: number;
  researchConsents: number;
}

function weekday(date: string): string {
  let d = date;
  while (isoWeekday(d) > 5) d = addDays(d, 1);
  return d;
}

function addMonthsTo(at: Date, months: number): Date {
  const d = new Date(at.getTime());
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

/** The lowest answer to every item asked (the screening instruments the cohort is not scored on). */
function lowestAnswers(form: {
  questionnaire: { items: { options: { score: number }[]; enableWhen: unknown }[] };
}) {
  return form.questionnaire.items.map((item) =>
    item.enableWhen ? null : Math.min(...item.options.map((o) => o.score)),
  );
}

/** The patient answers what is due in the portal: PHQ-9 and GAD-7 with the totals given, the rest lowest. */
async function answerDue(
  patient: (request: Parameters<typeof call>[2]) => Promise<unknown>,
  totals: { phq9: number; gad7?: number },
  today?: string,
): Promise<number> {
  // biome-ignore lint/suspicious/noExplicitAny: demo steps read a few fields of each answer
  const due = (await patient({ method: 'GET', url: '/api/v1/me/measures' })) as any;
  let answered = 0;
  // What the schedule has not made due yet (a later follow-up) waits for its day.
  for (const item of (due.items as { id: string; instrument: string; dueDate: string }[]).filter(
    (i) => !today || i.dueDate <= today,
  )) {
    // biome-ignore lint/suspicious/noExplicitAny: as above
    const form = (await patient({ method: 'GET', url: `/api/v1/me/measures/${item.id}` })) as any;
    const answers =
      item.instrument === 'phq9'
        ? answersFor('phq9', totals.phq9)
        : item.instrument === 'gad7' && totals.gad7 !== undefined
          ? answersFor('gad7', totals.gad7)
          : lowestAnswers(form);
    await patient({
      method: 'POST',
      url: `/api/v1/me/measures/${item.id}/responses`,
      payload: { id: randomUUID(), answers },
    });
    answered += 1;
  }
  return answered;
}

/** What a clinic needs before its cohort is walked: working hours, session settings, the ledger's stock. */
async function prepareClinic(app: FastifyInstance, slug: string, at: Date) {
  const admin = await signIn(app, `admin@${slug}.demo`);
  const frontdesk = await signIn(app, `frontdesk@${slug}.demo`);
  const nurse = await signIn(app, `nurse@${slug}.demo`);
  const bookable = await call(app, frontdesk, { method: 'GET', url: '/api/v1/staff/bookable' });
  const hours = await call(app, frontdesk, { method: 'GET', url: '/api/v1/working-hours' });
  const withHours = new Set(
    (hours.items as { userId: string; spans: unknown[] }[])
      .filter((h) => h.spans.length > 0)
      .map((h) => h.userId),
  );
  // Weekday hours for whoever has none yet (the care-pathway walk sets them, and the late list of its day).
  for (const person of (bookable.items as { id: string }[]).filter((b) => !withHours.has(b.id))) {
    await call(app, frontdesk, {
      method: 'PUT',
      url: `/api/v1/staff/${person.id}/working-hours`,
      payload: {
        spans: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startsAt: '08:00', endsAt: '18:00' })),
      },
    });
  }
  // The demo clinics' own monitoring policy (db/seed/sessions.ts), with the sublingual observation time the
  // cohort's troche patients need (a clinic setting: clinical-reference 4.1 gives none).
  await call(app, admin, {
    method: 'PUT',
    url: '/api/v1/sessions/settings',
    payload: {
      readingIntervalMinutes: { im: 15, iv: 15, esketamine: 15, sublingual: 15 },
      minimumObservationMinutes: { im: 90, sublingual: 120 },
    },
  });
  const locations = await call(app, admin, { method: 'GET', url: '/api/v1/ledger/locations' });
  let location = (locations.items ?? locations)[0] as { id: string } | undefined;
  if (!location)
    location = await call(app, admin, {
      method: 'POST',
      url: '/api/v1/ledger/locations',
      payload: {
        name: `${slug === 'harbor' ? 'Harbor' : 'Summit'} demo clinic`,
        address:
          slug === 'harbor'
            ? '118 Harbor Street, Bayview, CA 94000'
            : '2200 Summit Avenue, Pine Ridge, CO 80400',
        deaRegistration: slug === 'harbor' ? 'FH4820173' : 'FS7310264',
      },
    });
  const products = await call(app, admin, { method: 'GET', url: '/api/v1/ledger/products' });
  const list = (products.items ?? products) as { id: string; form: string; product: string }[];
  const product = async (form: 'vial' | 'troche') =>
    list.find((p) => p.form === form && p.product === 'ketamine-racemic')?.id ??
    (
      await call(app, admin, {
        method: 'POST',
        url: '/api/v1/ledger/products',
        payload:
          form === 'vial'
            ? {
                product: 'ketamine-racemic',
                form: 'vial',
                name: 'Ketamine HCl injection, USP 50 mg/mL, 10 mL multi-dose vial (demo)',
                ndc: slug === 'harbor' ? '99999-0501-10' : '99999-0502-10',
                concentrationMgPerUnit: 50,
                containerSize: 10,
              }
            : {
                product: 'ketamine-racemic',
                form: 'troche',
                name: 'Ketamine HCl troche 100 mg, compounded, bottle of 30 (demo)',
                ndc: slug === 'harbor' ? '99999-0711-30' : '99999-0712-30',
                concentrationMgPerUnit: 100,
                containerSize: 30,
              },
      })
    ).id;
  // Lots that expire before the walk's own (so the cohort draws from them first) but after today.
  const expiresOn = new Date(Date.now() + 120 * day).toISOString().slice(0, 10);
  for (const [form, containers] of [
    ['vial', 8],
    ['troche', 4],
  ] as const) {
    await call(app, nurse, {
      method: 'POST',
      url: '/api/v1/ledger/receipts',
      payload: {
        id: randomUUID(),
        locationId: location!.id,
        productId: await product(form),
        lotNumber: `COH-${slug.slice(0, 1).toUpperCase()}-${form === 'vial' ? 'V' : 'T'}1`,
        expiresOn,
        containers,
        supplier: {
          name: 'Westline Pharmaceutical Distribution (demo)',
          address: '400 Commerce Way, Suite 12, Reno, NV 89502',
          deaNumber: 'RW1234563',
        },
        invoiceNumber: `INV-${slug.toUpperCase()}-COHORT-${form.toUpperCase()}`,
        receivedAt: at.toISOString(),
      },
    });
  }
  for (const caller of [admin, frontdesk, nurse])
    await call(app, caller, { method: 'POST', url: '/api/v1/auth/logout' }, [200, 204]);
}

async function signResearchConsent(app: FastifyInstance, self: Caller, typedName: string): Promise<void> {
  const mine = await call(app, self, { method: 'GET', url: '/api/v1/me/consents' });
  const form = (mine.forms as { template: { kind: string }; currentVersion: { id: string } }[]).find(
    (f) => f.template.kind === 'research',
  );
  if (!form) throw new SeedStepFailed('the demo clinic has no research consent form');
  const shown = await call(app, self, {
    method: 'GET',
    url: `/api/v1/me/consents/${form.currentVersion.id}`,
  });
  await call(app, self, {
    method: 'POST',
    url: `/api/v1/me/consents/${form.currentVersion.id}/signatures`,
    payload: { id: randomUUID(), typedName, agreed: true, textSha256: shown.textSha256 },
  });
}

/**
 * One patient's history as a timeline track: each `yield` names the moment of the next step. Registration,
 * screening, eligibility, consents and the signed plan on the first day; the doses; the end-of-course
 * questionnaires a week after the last dose; the follow-ups that have come by `end`.
 */
async function* patientTrack(
  app: FastifyInstance,
  db: Db,
  clock: ManualClock,
  slug: string,
  clinicId: string,
  timeZone: string,
  p: CohortPatient,
  index: number,
  start: Date,
  end: Date,
  passwordHash: string,
  summary: CohortSeedSummary,
): AsyncGenerator<Date, void, void> {
  const screeningDay = localParts(new Date(start.getTime() + index * courseSpacingDays * day), timeZone).date;
  yield zonedInstant(weekday(screeningDay), 10 * 60, timeZone);
  const frontdesk = await signIn(app, `frontdesk@${slug}.demo`);
  const nurse = await signIn(app, `nurse@${slug}.demo`);
  const prescriber = await signIn(app, `prescriber@${slug}.demo`);
  const therapist = await signIn(app, `therapist@${slug}.demo`);
  const today = localParts(clock.now(), timeZone).date;
  const birth = `${Number(today.slice(0, 4)) - p.age - 1}-${String(1 + ((index * 5) % 12)).padStart(2, '0')}-${String(3 + ((index * 7) % 25)).padStart(2, '0')}`;
  const email = `cohort${String(index + 1).padStart(2, '0')}@${slug}.demo`;
  const created = await call(app, frontdesk, {
    method: 'POST',
    url: '/api/v1/patients',
    payload: {
      givenName: p.givenName,
      familyName: p.familyName,
      dateOfBirth: birth,
      sexAtBirth: p.sex,
      email,
      phone: `(555) 019-${String(1000 + index * 37 + (slug === 'harbor' ? 0 : 500)).slice(0, 4)}`,
    },
  });
  const patientId = created.id as string;
  // The portal login the patient would have set up from an invitation (seeded as db/seed/demo.ts does).
  await db.insert(userAccount).values({
    id: randomUUID(),
    clinicId,
    email,
    displayName: `${p.givenName} ${p.familyName}`,
    kind: 'patient',
    patientId,
    passwordHash,
    passwordChangedAt: clock.now(),
    createdAt: clock.now(),
  });
  // The care team, as db/seed/demo.ts assigns it (Harbor opens charts to care teams only).
  const team = await db
    .select({ id: userAccount.id, email: userAccount.email })
    .from(userAccount)
    .where(eq(userAccount.clinicId, clinicId));
  await db.insert(careTeamMember).values(
    (['prescriber', 'nurse', 'therapist'] as const).map((role) => ({
      clinicId,
      patientId,
      userId: team.find((u) => u.email === `${role}@${slug}.demo`)!.id,
      role,
      assignedAt: clock.now(),
    })),
  );
  const self = await signIn(app, email);
  const asPatient = (request: Parameters<typeof call>[2]) => call(app, self, request);
  await call(app, prescriber, {
    method: 'POST',
    url: `/api/v1/patients/${patientId}/conditions`,
    payload: p.indication,
  });
  await call(app, nurse, {
    method: 'POST',
    url: `/api/v1/patients/${patientId}/measure-assignments`,
    payload: {},
  });
  await completeIntake(app, self);
  await answerDue(asPatient, { phq9: p.phq9.doses[0]!, gad7: p.gad7.baseline });
  await takeScreeningVitals(app, nurse, patientId, clock, {
    systolic: 118 + (index % 4) * 3,
    diastolic: 74 + (index % 3) * 2,
    heartRate: 68 + (index % 5),
    weightKg: 62 + (index % 6) * 5,
    heightCm: p.sex === 'female' ? 165 : 178,
  });
  const pathway: ClinicPathway = { slug, ...plans[p.route] };
  await approveEligibility(app, prescriber, patientId, pathway);
  const demoPatient = { self, id: patientId, givenName: p.givenName, familyName: p.familyName };
  await signConsents(app, demoPatient, nurse, p.route === 'sublingual' ? 'sublingual' : p.route);
  if (p.research) {
    await signResearchConsent(app, self, `${p.givenName} ${p.familyName}`);
    summary.researchConsents += 1;
  }
  await signPreparationNote(app, therapist, patientId, p.givenName);
  const firstDoseDay = weekday(addDays(today, 3));
  await signPlan(app, prescriber, patientId, pathway, clock, addDays(firstDoseDay, -1));
  for (const caller of [frontdesk, nurse, prescriber, therapist, self])
    await call(app, caller, { method: 'POST', url: '/api/v1/auth/logout' }, [200, 204]);

  // The doses, booked now as the course proposal staffs them.
  const person = (address: string) => new Person(app, clock, address);
  const staff: Staff = {
    admin: person(`admin@${slug}.demo`),
    prescriber: person(`prescriber@${slug}.demo`),
    nurse: person(`nurse@${slug}.demo`),
    frontdesk: person(`frontdesk@${slug}.demo`),
    patient: person(email),
  };
  const template = await dosingTemplate(staff.frontdesk, patientId);
  let previous = '';
  const starts = (p.route === 'iv' ? doseDays.iv : doseDays.standard).map((offset) => {
    let date = weekday(addDays(firstDoseDay, offset));
    if (previous && date <= addDays(previous, 1)) date = weekday(addDays(previous, 2));
    previous = date;
    return zonedInstant(date, 9 * 60 + 30, timeZone);
  });
  const appointments = await bookDosing(staff.frontdesk, patientId, template, starts);
  const subject: Subject = {
    patientId,
    patient: staff.patient,
    route: p.route,
    product: 'ketamine-racemic',
    phq9Answers: (n) => answersFor('phq9', p.phq9.doses[Math.min(n, p.phq9.doses.length - 1)]!),
  };
  const sessions: SessionsSummary = {
    completed: 0,
    inProgress: 0,
    awaitingCheckIn: 0,
    receipts: 0,
    wastes: 0,
  };
  for (const [n, startsAt] of starts.entries()) {
    yield* dosingSession(staff, subject, {
      appointmentId: appointments[n]!,
      arrivesAt: new Date(startsAt.getTime() - 5 * 60_000),
      number: n,
      live: null,
      summary: sessions,
    });
  }
  summary.sessions += sessions.completed;
  const lastDose = starts.at(-1)!;
  const localToday = () => localParts(clock.now(), timeZone).date;

  // End of course, a week after the last dose: the prescriber closes the plan (the measure schedule then
  // asks for the end-of-course questionnaires), and the patient answers them.
  yield new Date(lastDose.getTime() + 7 * day + 6 * 3_600_000);
  const planList = await staff.prescriber.request({
    method: 'GET',
    url: `/api/v1/patients/${patientId}/treatment-plans`,
  });
  const active = planList.activePlanId as string | null;
  if (active)
    await staff.prescriber.request(
      {
        method: 'POST',
        url: `/api/v1/patients/${patientId}/treatment-plans/${active}/end`,
        payload: {
          reason: 'course-complete',
          note: 'Course complete; follow-up questionnaires at 1, 3, 6 and 12 months.',
        },
      },
      [200, 201, 409],
    );
  await staff.nurse.request({
    method: 'POST',
    url: `/api/v1/patients/${patientId}/measure-assignments`,
    payload: { instruments: ['phq9', 'gad7'] },
  });
  const endTotals = { phq9: p.phq9.end, gad7: p.gad7.end };
  await answerDue((r) => staff.patient.request(r), endTotals, localToday());
  const answerEndOfCourseLeft = async () => {
    // An end-of-course measure the schedule raised later is answered as the end of course, never with a
    // follow-up's answers.
    const left = await db
      .select({ id: measureAssignment.id, instrument: measureAssignment.instrument })
      .from(measureAssignment)
      .where(
        and(
          eq(measureAssignment.clinicId, clinicId),
          eq(measureAssignment.patientId, patientId),
          eq(measureAssignment.status, 'pending'),
          eq(measureAssignment.scheduleKey, 'end-of-course'),
        ),
      );
    for (const a of left) {
      if (a.instrument !== 'phq9' && a.instrument !== 'gad7') continue;
      await staff.patient.request({
        method: 'POST',
        url: `/api/v1/me/measures/${a.id}/responses`,
        payload: { id: randomUUID(), answers: answersFor(a.instrument, endTotals[a.instrument]) },
      });
    }
  };
  await answerEndOfCourseLeft();

  for (const [i, months] of [1, 3, 6, 12].entries()) {
    const at = new Date(addMonthsTo(lastDose, months).getTime() + 6 * 3_600_000);
    if (at.getTime() > end.getTime()) break;
    yield at;
    await answerEndOfCourseLeft();
    await staff.nurse.request({
      method: 'POST',
      url: `/api/v1/patients/${patientId}/measure-assignments`,
      payload: { instruments: ['phq9', 'gad7'] },
    });
    await answerDue(
      (r) => staff.patient.request(r),
      { phq9: p.phq9.followUps[i]!, gad7: p.gad7.followUps[i]! },
      localToday(),
    );
    summary.followUps += 1;
  }
  for (const who of Object.values(staff)) await who.signOut();
}

/**
 * Walks both demo clinics' cohorts on `clock` (from `outcomesCohortClock`), all patients' steps in time
 * order, ending before `until()` (the real time). Runs on an app built on that clock.
 */
export async function seedOutcomesCohort(
  app: FastifyInstance,
  db: Db,
  clock: ManualClock,
  options: { until?: () => Date } = {},
): Promise<CohortSeedSummary> {
  const end = new Date((options.until ?? (() => new Date()))().getTime() - 2 * day);
  const summary: CohortSeedSummary = { patients: 0, sessions: 0, followUps: 0, researchConsents: 0 };
  const passwordHash = await hashPassword(demoPassword);
  const start = clock.now();
  const tracks: AsyncGenerator<Date, void, void>[] = [];
  for (const { slug, timeZone } of demoClinics) {
    const [home] = await db.select({ id: clinic.id }).from(clinic).where(eq(clinic.slug, slug));
    if (!home) throw new SeedStepFailed(`the demo clinic ${slug} is not seeded`);
    await prepareClinic(app, slug, start);
    for (const [index, p] of cohortOf(slug).entries()) {
      tracks.push(
        patientTrack(app, db, clock, slug, home.id, timeZone, p, index, start, end, passwordHash, summary),
      );
      summary.patients += 1;
    }
  }
  // The tracks in time order; the clock moves forward only.
  const queue: { track: AsyncGenerator<Date, void, void>; at: Date }[] = [];
  for (const track of tracks) {
    const next = await track.next();
    if (!next.done) queue.push({ track, at: next.value });
  }
  while (queue.length > 0) {
    queue.sort((a, b) => a.at.getTime() - b.at.getTime());
    const head = queue[0]!;
    if (head.at.getTime() > clock.now().getTime()) clock.set(head.at);
    const next = await head.track.next();
    if (next.done) queue.shift();
    else head.at = next.value;
  }
  return summary;
}

/**
 * `npm start` and `kapstone seed --demo`: the cohort on an app instance and clock of its own (fourteen months
 * back), after the care-pathway walk. Returns what was seeded and how long it took.
 */
export async function seedDemoOutcomesCohort(
  config: Config,
  database: DatabaseHandle,
): Promise<CohortSeedSummary & { seconds: number }> {
  const started = Date.now();
  const clock = outcomesCohortClock();
  const app = await buildApp({ config, database, clock, logger: false });
  try {
    const seeded = await seedOutcomesCohort(app, database.db, clock);
    return { ...seeded, seconds: Math.round((Date.now() - started) / 1000) };
  } finally {
    await app.close();
  }
}
