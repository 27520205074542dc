import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ManualClock } from '../../clock.ts';
import { addDays, isoWeekday, localParts, zonedInstant } from '../../modules/scheduling/clinic-time.ts';
import { demoPassword } from './demo-logins.ts';
import { demoIntegration } from './integration.ts';
import { demoJournal } from './journal.ts';
import { bookableCourseItems, type Caller, call, SeedStepFailed, signIn } from './pathway.ts';

/**
 * The demo's dosing sessions and controlled-substance ledger, walked through Kapstone's own API on a moved
 * clock: the ledger is stocked weeks ago, a few dosing sessions of the planned patient (patient5) ran in the
 * past (check-in, pre-dose checklist, dose drawn from the ledger, the route's readings with one warning alert
 * acknowledged, MOAA/S, CADSS-6, side effects, a witnessed waste, discharge), and one session is in progress
 * at the real time the walk ends (dosed, monitoring, the next reading about due), so the nurse's board is live.
 *
 *   harbor  IM racemic ketamine: 3 completed sessions (days −21, −14, −7), one in progress now
 *   summit  IV racemic ketamine series: 3 completed infusions (days −11, −8, −4), one in progress now,
 *           the rest of the series booked ahead
 and patient6's dosing session booked later today (clinic-local day), not checked in, with the ride home
 * confirmed, no driving acknowledged and today's PHQ-9 answered, for a visitor to walk from check-in to discharge:
 *   harbor  SPRAVATO (esketamine 56 mg, two 28 mg devices): one completed session (day −3, ≥ 2 h of monitoring)
 *           whose REMS monitoring form is complete and due; a lot of SPRAVATO kits in the ledger
 *   summit  the IV series' first infusion
 * All of it synthetic: invented lots, suppliers, DEA numbers (in the DEA format, not real registrants).
 */

export interface SessionsSummary {
  completed: number;
  inProgress: number;
  /** Booked later today, ride home and no-driving and today's PHQ-9 done, not yet checked in. */
  awaitingCheckIn: number;
  receipts: number;
  wastes: number;
}

type Route = 'im' | 'iv' | 'intranasal' | 'sublingual';
type Product = 'ketamine-racemic' | 'esketamine';

/** What the care-pathway walk hands over: the clinic, and the patient with a signed plan. */
export interface DemoSessionClinic {
  slug: string;
  timeZone: string;
  route: 'im' | 'iv';
  patientId: string;
  patientEmail: string;
  /** The plan's number of dosing sessions. */
  dosingSessions: number;
  /** patient6, with a signed plan: Harbor's SPRAVATO patient, Summit's next IV patient. */
  next: { patientId: string; patientEmail: string; route: Route; product: Product };
}

/**
 * The demo clinics' own monitoring policy, set by their admin (clinic settings, not reference values:
 * clinical-reference 4.1 gives no interval after the published readings, and no schedule at all for IM): a
 * reading every 15 minutes once the route's published ones are taken, 90 minutes of observation after an IM dose.
 */
const demoSessionSettings = {
  readingIntervalMinutes: { im: 15, iv: 15, esketamine: 15 },
  minimumObservationMinutes: { im: 90 },
};

/** How many days before "now" each completed session ran (moved to the next weekday if on a weekend). */
const completedSessionDays: Record<string, number[]> = {
  harbor: [21, 14, 7],
  summit: [11, 8, 4],
};

/** patient6's completed sessions (days before now, to the next weekday): Harbor's SPRAVATO patient has one. */
const nextPatientSessionDays: Record<string, number[]> = {
  harbor: [3],
  summit: [],
};

/** patient6's plan start: the day before its first completed session, or today. */
export function nextPlanStart(slug: string, timeZone: string, now: Date): string {
  return planStartBefore(nextPatientSessionDays[slug]!, timeZone, now);
}

/** A staff member or patient of the walk: signs in again once the moved clock has let the sign-in idle out. */
export class Person {
  private caller: Caller | null = null;
  private lastUsed = 0;
  private signedInAt = 0;
  constructor(
    private readonly app: FastifyInstance,
    private readonly clock: ManualClock,
    readonly email: string,
  ) {}

  async request(
    request: Parameters<typeof call>[2],
    expected?: number[],
    // biome-ignore lint/suspicious/noExplicitAny: demo steps read a few fields of each answer
  ): Promise<any> {
    const now = this.clock.now().getTime();
    // 15 minutes idle and 12 hours absolute end a sign-in (auth/session-rules.ts): well inside both.
    if (!this.caller || now - this.lastUsed > 10 * 60_000 || now - this.signedInAt > 10 * 3_600_000) {
      if (this.caller) await this.signOut();
      this.caller = await signIn(this.app, this.email);
      this.signedInAt = now;
    }
    this.lastUsed = now;
    return call(this.app, this.caller, request, expected);
  }

  async signOut(): Promise<void> {
    if (!this.caller) return;
    const caller = this.caller;
    this.caller = null;
    // A sign-in that has idled out is already ended: 401 is fine.
    await call(this.app, caller, { method: 'POST', url: '/api/v1/auth/logout' }, [200, 204, 401]);
  }
}

export interface Staff {
  admin: Person;
  prescriber: Person;
  nurse: Person;
  frontdesk: Person;
  patient: Person;
}

interface Stock {
  locationId: string;
  productId: string;
  lotIds: string[];
}

const minutes = (at: Date, n: number) => new Date(at.getTime() + n * 60_000);
const iso = (at: Date) => at.toISOString();

/** The plan's start date for the demo course: the day before the first completed session's nominal day. */
export function demoPlanStart(slug: string, timeZone: string, now: Date): string {
  return planStartBefore(completedSessionDays[slug]!, timeZone, now);
}

/** The day before the first of `daysAgo`'s nominal days (clinic-local), or today when there is none. */
function planStartBefore(daysAgo: number[], timeZone: string, now: Date): string {
  const today = localParts(now, timeZone).date;
  return daysAgo[0] === undefined ? today : addDays(today, -(daysAgo[0] + 1));
}

/**
 * The completed sessions' starts at `minutesOfDay` (clinic-local): each `daysAgo` before `today` moved to a
 * weekday, and at least two days after the one before.
 */
function pastSessionStarts(today: string, daysAgo: number[], minutesOfDay: number, timeZone: string): Date[] {
  const starts: Date[] = [];
  let previous = '';
  for (const days of daysAgo) {
    let date = weekdayOf(addDays(today, -days));
    if (previous && date <= addDays(previous, 1)) date = weekdayOf(addDays(previous, 2));
    previous = date;
    starts.push(zonedInstant(date, minutesOfDay, timeZone));
  }
  return starts;
}

/** Monday to Friday: a weekend day moves to the next Monday. */
function weekdayOf(date: string): string {
  let d = date;
  while (isoWeekday(d) > 5) d = addDays(d, 1);
  return d;
}

/**
 * The sessions and ledger of both demo clinics. The clock starts where the care-pathway walk left it (weeks
 * ago) and ends at `until()` (the real time), with every step at its own moment.
 */
export async function seedDemoSessions(
  app: FastifyInstance,
  clock: ManualClock,
  clinics: DemoSessionClinic[],
  until: () => Date,
): Promise<SessionsSummary> {
  const summary: SessionsSummary = {
    completed: 0,
    inProgress: 0,
    awaitingCheckIn: 0,
    receipts: 0,
    wastes: 0,
  };
  const end = until();
  const tracks: AsyncGenerator<Date, void, void>[] = [];
  const people: Person[] = [];
  const plans: { clinic: DemoSessionClinic; staff: Staff }[] = [];

  for (const clinic of clinics) {
    const person = (email: string) => {
      const p = new Person(app, clock, email);
      people.push(p);
      return p;
    };
    const staff: Staff = {
      admin: person(`admin@${clinic.slug}.demo`),
      prescriber: person(`prescriber@${clinic.slug}.demo`),
      nurse: person(`nurse@${clinic.slug}.demo`),
      frontdesk: person(`frontdesk@${clinic.slug}.demo`),
      patient: person(clinic.patientEmail),
    };
    const nextPatient = person(clinic.next.patientEmail);
    await staff.admin.request({
      method: 'PUT',
      url: '/api/v1/sessions/settings',
      payload: demoSessionSettings,
    });
    const stock = await stockLedger(staff, clinic, clock, summary);
    if (clinic.next.product === 'esketamine') await stockSpravato(staff, clinic, stock, clock.now(), summary);

    // The dosing appointments, booked now (weeks ahead) with the staffing and room the course proposal gives.
    const template = await dosingTemplate(staff.frontdesk, clinic.patientId);
    const sessionMinutes = lengthOf(template);
    const today = localParts(end, clinic.timeZone).date;
    const starts = pastSessionStarts(today, completedSessionDays[clinic.slug]!, 9 * 60 + 30, clinic.timeZone);
    // Now: checked in about 40 minutes ago (IM) or an hour ago (IV: the 40-minute infusion has just ended).
    const doseAgo = clinic.route === 'iv' ? 45 : 28;
    const liveDose = minutes(end, -doseAgo);
    // Its appointment lies within the local day the patient arrived on (check-in is on the session's day, and a
    // booking cannot span two days of hours). Shortly after midnight that is yesterday: the board carries a
    // session still in the chair over into the new day.
    const arrivalDay = localParts(minutes(liveDose, -22), clinic.timeZone).date;
    const dayStart = zonedInstant(arrivalDay, 0, clinic.timeZone).getTime();
    const latestStart =
      zonedInstant(addDays(arrivalDay, 1), 0, clinic.timeZone).getTime() - (sessionMinutes + 1) * 60_000;
    const liveStart = new Date(Math.max(dayStart, Math.min(minutes(liveDose, -15).getTime(), latestStart)));
    // patient6's session later today, after the live one, in the same room with the same staff. If the
    // local day left is too short for it (late evening), it is booked at the earliest time of today that fits
    // around the live session (it may then lie earlier today: check-in is still open all day).
    const nextTemplate = await dosingTemplate(staff.frontdesk, clinic.next.patientId);
    const nextMinutes = lengthOf(nextTemplate);
    const laterStart = laterToday(today, clinic.timeZone, end, nextMinutes, [
      liveStart,
      minutes(liveStart, sessionMinutes),
    ]);
    const nextStarts = pastSessionStarts(
      today,
      nextPatientSessionDays[clinic.slug]!,
      10 * 60 + 30,
      clinic.timeZone,
    );
    await allowWorkingHours(
      staff.frontdesk,
      [...template.staff, ...nextTemplate.staff].map((s) => s.userId),
      [
        [liveStart, minutes(liveStart, sessionMinutes)],
        [laterStart, minutes(laterStart, nextMinutes)],
      ],
      clinic.timeZone,
    );
    // The plan's doses left after today's, booked ahead every third or fourth weekday.
    const ahead: Date[] = [];
    let next = today;
    for (let left = clinic.dosingSessions - starts.length - 1; left > 0; left--) {
      next = weekdayOf(addDays(next, 3));
      ahead.push(zonedInstant(next, 9 * 60 + 30, clinic.timeZone));
    }
    const appointments = await bookDosing(staff.frontdesk, clinic.patientId, template, [
      ...starts,
      liveStart,
      ...ahead,
    ]);
    const nextAppointments = await bookDosing(staff.frontdesk, clinic.next.patientId, nextTemplate, [
      ...nextStarts,
      laterStart,
    ]);
    const main: Subject = {
      patientId: clinic.patientId,
      patient: staff.patient,
      route: clinic.route,
      product: 'ketamine-racemic',
    };
    const nextSubject: Subject = { ...clinic.next, patient: nextPatient };

    // A second delivery arrives between the sessions.
    tracks.push(
      restock(staff, clinic, stock, zonedInstant(addDays(today, -10), 14 * 60, clinic.timeZone), summary),
    );
    starts.forEach((startsAt, index) => {
      tracks.push(
        dosingSession(staff, main, {
          appointmentId: appointments[index]!,
          arrivesAt: minutes(startsAt, -5),
          number: index,
          live: null,
          summary,
        }),
      );
    });
    nextStarts.forEach((startsAt, index) => {
      tracks.push(
        dosingSession(staff, nextSubject, {
          appointmentId: nextAppointments[index]!,
          arrivesAt: minutes(startsAt, -5),
          number: index,
          live: null,
          summary,
        }),
      );
    });
    tracks.push(
      awaitingCheckIn(
        staff,
        nextSubject,
        nextAppointments.at(-1)!,
        minutes(end, -3),
        nextStarts.length,
        summary,
      ),
    );
    tracks.push(
      dosingSession(staff, main, {
        appointmentId: appointments[starts.length]!,
        arrivesAt: minutes(liveDose, -22),
        number: starts.length,
        live: end,
        summary,
      }),
    );
    // The patients rate each completed session and write in their journal the evening after (journal.ts).
    tracks.push(demoJournal(staff.patient, starts, clinic.timeZone, end));
    tracks.push(demoJournal(nextPatient, nextStarts, clinic.timeZone, end));
    // The therapist's integration notes after the planned patient's completed sessions (integration.ts).
    tracks.push(
      demoIntegration(
        person(`therapist@${clinic.slug}.demo`),
        clinic.slug,
        clinic.patientId,
        starts,
        clinic.timeZone,
        end,
      ),
    );
    plans.push({ clinic, staff });
  }

  await runTimeline(clock, tracks);
  if (clock.now().getTime() < end.getTime()) clock.set(end);

  // The sessions around the doses still to come (integration) are booked from the course proposal now.
  for (const { clinic, staff } of plans) await bookRemainingCourse(staff.frontdesk, clinic.patientId);
  for (const p of people) await p.signOut();
  return summary;
}

/**
 * Runs the tracks in time order: each yields the moment of its next step; the clock is moved there (never
 * back) and that track resumes. Steps of different sessions interleave as they would on the ward.
 */
async function runTimeline(clock: ManualClock, tracks: AsyncGenerator<Date, void, void>[]): Promise<void> {
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
}

// ---- ledger ----

const supplier = {
  name: 'Westline Pharmaceutical Distribution (demo)',
  address: '400 Commerce Way, Suite 12, Reno, NV 89502',
  deaNumber: 'RW1234563',
};

const locations: Record<string, { name: string; address: string; deaRegistration: string }> = {
  harbor: {
    name: 'Harbor Psychiatry & KAP, Bayview clinic',
    address: '118 Harbor Street, Suite 3, Bayview, CA 94000',
    deaRegistration: 'FH4820173',
  },
  summit: {
    name: 'Summit Ketamine Center, Pine Ridge',
    address: '2200 Summit Avenue, Pine Ridge, CO 80400',
    deaRegistration: 'FS7310264',
  },
};

/** Racemic ketamine as each clinic buys it: 50 mg/mL for IM injections, 10 mg/mL for IV infusions. */
const products: Record<
  string,
  { name: string; ndc: string; concentrationMgPerUnit: number; containerSize: number }
> = {
  harbor: {
    name: 'Ketamine HCl injection, USP 50 mg/mL, 10 mL multi-dose vial (demo)',
    ndc: '99999-0501-10',
    concentrationMgPerUnit: 50,
    containerSize: 10,
  },
  summit: {
    name: 'Ketamine HCl injection, USP 10 mg/mL, 20 mL multi-dose vial (demo)',
    ndc: '99999-0102-20',
    concentrationMgPerUnit: 10,
    containerSize: 20,
  },
};

async function stockLedger(
  staff: Staff,
  clinic: DemoSessionClinic,
  clock: ManualClock,
  summary: SessionsSummary,
): Promise<Stock> {
  const location = await staff.admin.request({
    method: 'POST',
    url: '/api/v1/ledger/locations',
    payload: locations[clinic.slug]!,
  });
  const product = await staff.admin.request({
    method: 'POST',
    url: '/api/v1/ledger/products',
    payload: { product: 'ketamine-racemic', form: 'vial', ...products[clinic.slug]! },
  });
  const stock: Stock = { locationId: location.id, productId: product.id, lotIds: [] };
  await receive(staff, clinic, stock, clock.now(), 'A', 4, summary);
  return stock;
}

async function receive(
  staff: Staff,
  clinic: DemoSessionClinic,
  stock: Stock,
  at: Date,
  letter: string,
  containers: number,
  summary: SessionsSummary,
): Promise<void> {
  const year = localParts(at, clinic.timeZone).date.slice(0, 4);
  const entry = await staff.nurse.request({
    method: 'POST',
    url: '/api/v1/ledger/receipts',
    payload: {
      id: randomUUID(),
      locationId: stock.locationId,
      productId: stock.productId,
      lotNumber: `DEMO-${clinic.slug.slice(0, 1).toUpperCase()}${letter}${year.slice(2)}`,
      expiresOn: `${Number(year) + (letter === 'A' ? 1 : 2)}-06-30`,
      containers,
      supplier,
      invoiceNumber: `INV-${clinic.slug.toUpperCase()}-${year}-${letter === 'A' ? '0412' : '0577'}`,
      receivedAt: iso(at),
    },
  });
  stock.lotIds.push(entry.lot.id as string);
  summary.receipts += 1;
}

/**
 * SPRAVATO for Harbor's esketamine patient: 28 mg single-use devices in 56 mg kits of two, NDC 50458-028-02
 * (clinical-reference 2.5), received at the clinic's registered location, counted in devices.
 */
async function stockSpravato(
  staff: Staff,
  clinic: DemoSessionClinic,
  stock: Stock,
  at: Date,
  summary: SessionsSummary,
): Promise<void> {
  const product = await staff.admin.request({
    method: 'POST',
    url: '/api/v1/ledger/products',
    payload: {
      product: 'esketamine',
      name: 'SPRAVATO (esketamine) nasal spray, 28 mg device, 56 mg kit of 2 devices',
      ndc: '50458-028-02',
      form: 'nasal-device',
      concentrationMgPerUnit: 28,
      containerSize: 2,
    },
  });
  const year = localParts(at, clinic.timeZone).date.slice(0, 4);
  await staff.nurse.request({
    method: 'POST',
    url: '/api/v1/ledger/receipts',
    payload: {
      id: randomUUID(),
      locationId: stock.locationId,
      productId: product.id,
      lotNumber: `DEMO-${clinic.slug.slice(0, 1).toUpperCase()}S${year.slice(2)}`,
      expiresOn: `${Number(year) + 1}-12-31`,
      containers: 4,
      supplier,
      invoiceNumber: `INV-${clinic.slug.toUpperCase()}-${year}-0498`,
      receivedAt: iso(at),
    },
  });
  summary.receipts += 1;
}

async function* restock(
  staff: Staff,
  clinic: DemoSessionClinic,
  stock: Stock,
  at: Date,
  summary: SessionsSummary,
): AsyncGenerator<Date, void, void> {
  yield at;
  await receive(staff, clinic, stock, at, 'B', 3, summary);
}

// ---- sessions ----

export interface SessionPlan {
  appointmentId: string;
  arrivesAt: Date;
  /** 0, 1, 2 … in the course; the live one is the last. */
  number: number;
  /** The real time the walk ends at, for the session in progress; null for a completed one. */
  live: Date | null;
  summary: SessionsSummary;
}

interface Reading {
  at: number;
  systolic: number;
  diastolic: number;
  heartRate: number;
  spo2: number;
  respiratoryRate: number;
}

/** Synthetic readings: BP and HR rise a little after the dose and settle within the hour; one warning reading. */
function readingsFor(route: Route, number: number): Reading[] {
  const base = {
    systolic: 116 + number,
    diastolic: 76,
    heartRate: 70 + number,
    spo2: 98,
    respiratoryRate: 14,
  };
  const shape: [number, number, number, number][] =
    route === 'intranasal'
      ? // SPRAVATO: BP peaks about 40 minutes after the first device, settles within two hours
        [
          [40, 14, 8, 4],
          [55, 10, 6, 3],
          [70, 6, 4, 2],
          [85, 3, 2, 1],
          [100, 2, 1, 0],
          [115, 1, 0, 0],
        ]
      : route === 'im'
        ? // minutes from the dose, Δsystolic, Δdiastolic, ΔHR
          [
            [1, 6, 3, 4],
            [15, 18, 9, 8],
            [30, 14, 8, 6],
            [45, 8, 4, 3],
            [60, 4, 2, 2],
            [75, 2, 1, 1],
            [90, 1, 0, 0],
          ]
        : // the "0 min" reading a minute into the infusion (one at the dose's start would count as the baseline)
          [
            [1, 2, 1, 1],
            [10, 10, 5, 5],
            [20, 16, 8, 7],
            [30, 18, 9, 8],
            [40, 14, 7, 6],
            [55, 8, 4, 3],
            [70, 3, 2, 1],
            [85, 1, 0, 0],
          ];
  const readings = shape.map(([at, ds, dd, dh]) => ({
    at,
    systolic: base.systolic + ds,
    diastolic: base.diastolic + dd,
    heartRate: base.heartRate + dh,
    spo2: at > 0 && at < 40 ? 97 : 98,
    respiratoryRate: 14,
  }));
  // The first completed session has one warning reading (above 140/90), acknowledged by the nurse.
  if (number === 0 && route !== 'intranasal') {
    const peak = readings[route === 'im' ? 1 : 3]!;
    peak.systolic = 148;
    peak.diastolic = 92;
  }
  return readings;
}

/** PHQ-9 before each session: a little lower each time (item 9, thoughts of self-harm, stays 0). */
function phq9Answers(number: number): number[] {
  const start = [2, 2, 3, 2, 1, 2, 2, 1, 0, 1];
  return start.map((score, i) =>
    i === 8 ? 0 : Math.max(0, score - (i % 3 <= number % 3 ? 1 : 0) - Math.floor(number / 2)),
  );
}

/** The patient a dosing session is for, and their route and product. */
export interface Subject {
  patientId: string;
  patient: Person;
  route: Route;
  product: Product;
  /** The answers of the PHQ-9 before session `number` (absent: the demo's gently falling ones). */
  phq9Answers?: (number: number) => number[];
}

/**
 * A session booked later today that nobody has checked in yet: the escort confirmed, no driving acknowledged
 * and today's PHQ-9 answered in the portal, so a visitor walks it from check-in to discharge at the chair.
 */
async function* awaitingCheckIn(
  staff: Staff,
  subject: Subject,
  appointmentId: string,
  at: Date,
  number: number,
  summary: SessionsSummary,
): AsyncGenerator<Date, void, void> {
  yield at;
  await preCheckIn(staff, subject, appointmentId, number);
  summary.awaitingCheckIn += 1;
}

async function preCheckIn(
  staff: Staff,
  subject: Subject,
  appointmentId: string,
  number: number,
): Promise<void> {
  await staff.frontdesk.request({
    method: 'POST',
    url: `/api/v1/appointments/${appointmentId}/ride-home`,
    payload: {
      clientId: randomUUID(),
      status: 'confirmed',
      escortName: 'Jordan Reyes',
      escortPhone: '555-010-0142',
      escortRelationship: 'partner',
    },
  });
  await answerPhq9(staff, subject, appointmentId, number);
}

/** The patient acknowledges no driving and answers today's PHQ-9 (assigned by the nurse) in the portal. */
async function answerPhq9(
  staff: Staff,
  subject: Subject,
  appointmentId: string,
  number: number,
): Promise<void> {
  const { patient } = subject;
  await staff.nurse.request({
    method: 'POST',
    url: `/api/v1/patients/${subject.patientId}/measure-assignments`,
    payload: { instruments: ['phq9'] },
  });
  await patient.request({
    method: 'POST',
    url: `/api/v1/me/appointments/${appointmentId}/no-driving-acknowledgement`,
    payload: { acknowledged: true },
  });
  const due = await patient.request({ method: 'GET', url: '/api/v1/me/measures' });
  const phq9 = (due.items as { id: string; instrument: string }[]).find((i) => i.instrument === 'phq9');
  if (!phq9) throw new SeedStepFailed('the PHQ-9 assigned for the session is not in the portal');
  await patient.request({
    method: 'POST',
    url: `/api/v1/me/measures/${phq9.id}/responses`,
    payload: { id: randomUUID(), answers: (subject.phq9Answers ?? phq9Answers)(number) },
  });
}

export async function* dosingSession(
  staff: Staff,
  clinic: Subject,
  plan: SessionPlan,
): AsyncGenerator<Date, void, void> {
  const { appointmentId, number, live } = plan;
  const sessionUrl = `/api/v1/sessions/${appointmentId}`;
  const { nurse, prescriber, frontdesk } = staff;

  // The evening before: the escort confirmed by the front desk.
  yield minutes(plan.arrivesAt, -18 * 60);
  await frontdesk.request({
    method: 'POST',
    url: `/api/v1/appointments/${appointmentId}/ride-home`,
    payload: {
      clientId: randomUUID(),
      status: 'confirmed',
      escortName: 'Jordan Reyes',
      escortPhone: '555-010-0142',
      escortRelationship: 'partner',
    },
  });
  // On arrival: the patient acknowledges no driving and answers today's PHQ-9 on the clinic tablet.
  yield plan.arrivesAt;
  await answerPhq9(staff, clinic, appointmentId, number);

  yield minutes(plan.arrivesAt, 3);
  await frontdesk.request({ method: 'POST', url: `${sessionUrl}/check-in`, payload: {} }, [200, 201]);

  // Baseline vitals and sedation, then the pre-dose checklist.
  const readings = readingsFor(clinic.route, number);
  const baseline = {
    systolic: 116 + number,
    diastolic: 76,
    heartRate: 70 + number,
    spo2: 98,
    respiratoryRate: 14,
  };
  yield minutes(plan.arrivesAt, 8);
  const baselineAt = minutes(plan.arrivesAt, 8);
  await nurse.request({
    method: 'POST',
    url: `${sessionUrl}/vitals`,
    payload: vitalsPayload(baselineAt, baseline),
  });
  await observe(nurse, sessionUrl, baselineAt, { kind: 'moaas', moaas: 5 });
  yield minutes(plan.arrivesAt, 12);
  let view = await nurse.request({
    method: 'POST',
    url: `${sessionUrl}/checklist`,
    payload: {
      id: randomUUID(),
      hoursSinceFood: 6,
      hoursSinceLiquids: 3,
      pregnant: false,
      pregnancyTestNegative: null,
      medicationChanges: [],
      suicideRiskAssessedToday: true,
      escortPresent: true,
      note: null,
    },
  });
  if (view.checklist.blockers.length > 0)
    throw new SeedStepFailed(`the demo checklist has blockers: ${view.checklist.blockers.join('; ')}`);
  if (view.state !== 'cleared-to-dose') {
    // Cautions (for instance a medication on the list) are reviewed and overridden by the prescriber.
    yield minutes(plan.arrivesAt, 15);
    view = await prescriber.request({
      method: 'POST',
      url: `${sessionUrl}/gate-override`,
      payload: {
        id: randomUUID(),
        checklistId: view.checklist.id,
        cautions: view.checklist.cautions,
        rationale:
          'Reviewed with the patient today: stable on the current medication, no change since the plan; proceed at the planned dose.',
        password: demoPassword,
      },
    });
  }

  // The dose, drawn from the ledger; the excess drawn up is wasted before a witness.
  const doseAt = live ? minutes(live, clinic.route === 'iv' ? -45 : -28) : minutes(plan.arrivesAt, 20);
  yield doseAt;
  const lots = await nurse.request({
    method: 'GET',
    url: `/api/v1/ledger/lots/dispensable?product=${clinic.product}&route=${clinic.route}`,
  });
  const order = view.planOrder;
  if (!order) throw new SeedStepFailed('the session has no plan order');
  const doseMg = order.startingDoseMg as number;
  const lot = (lots.items as { id: string; expiresOn: string; balanceMg: number }[])
    .filter((l) => l.balanceMg >= doseMg + (clinic.route === 'intranasal' ? 0 : 10))
    .sort((a, b) => a.expiresOn.localeCompare(b.expiresOn))[0];
  if (!lot) throw new SeedStepFailed('no demo lot left to draw from');
  const administrationId = randomUUID();
  view = await nurse.request({
    method: 'POST',
    url: `${sessionUrl}/administrations`,
    payload: {
      id: administrationId,
      lotId: lot.id,
      doseMg,
      site:
        clinic.route === 'im'
          ? number % 2 === 0
            ? 'Left deltoid'
            : 'Right deltoid'
          : clinic.route === 'iv'
            ? 'Left antecubital IV'
            : clinic.route === 'sublingual'
              ? 'Sublingual troche, held under the tongue'
              : 'Both nostrils, self-administered under observation',
      startedAt: iso(doseAt),
      // SPRAVATO: the second device 5 minutes after the first (clinical-reference 2.5).
      endedAt:
        clinic.route === 'im'
          ? iso(minutes(doseAt, 1))
          : clinic.route === 'intranasal'
            ? iso(minutes(doseAt, 5))
            : null,
      secondSigner: order.secondSignerRequired
        ? { username: prescriber.email, password: demoPassword }
        : null,
      note: null,
    },
  });
  if (number < 2 && clinic.route !== 'intranasal' && clinic.route !== 'sublingual') {
    yield minutes(doseAt, 2);
    await nurse.request({
      method: 'POST',
      url: '/api/v1/ledger/wastes',
      payload: {
        id: randomUUID(),
        lotId: lot.id,
        quantity: clinic.route === 'im' ? 0.08 : 0.4,
        sessionId: appointmentId,
        administrationId,
        witness: { username: prescriber.email, password: demoPassword },
        reason: 'Excess drawn into the syringe, expelled into the drug-waste container before the witness.',
        occurredAt: iso(minutes(doseAt, 2)),
      },
    });
    plan.summary.wastes += 1;
  }
  if (clinic.route !== 'iv') {
    yield minutes(doseAt, clinic.route === 'im' ? 2 : 6);
    await nurse.request({ method: 'POST', url: `${sessionUrl}/start-monitoring`, payload: {} });
  }

  // The route's readings; observations between them.
  const stopAt = live ?? null;
  const observations: { at: number; body: Record<string, unknown> }[] = [
    { at: 15, body: { kind: 'moaas', moaas: 4 } },
    {
      at: 20,
      body: {
        kind: 'side-effects',
        sideEffects: number === 1 ? ['nausea', 'dizziness'] : ['perceptual-changes'],
      },
    },
    { at: 40, body: { kind: 'cadss6', cadss6: [2, 1, 2, 1, 1, 0] } },
    { at: 50, body: { kind: 'moaas', moaas: 5 } },
    {
      at: clinic.route === 'im' ? 85 : clinic.route === 'iv' ? 75 : 112,
      body: { kind: 'cadss6', cadss6: [0, 0, 0, 0, 0, 0] },
    },
  ];
  const steps = [
    ...readings.map((r) => ({ at: r.at, reading: r as Reading | null, body: null })),
    ...observations.map((o) => ({ at: o.at, reading: null, body: o.body })),
  ].sort((a, b) => a.at - b.at);
  let monitoring = clinic.route !== 'iv';
  for (const step of steps) {
    const at = minutes(doseAt, step.at);
    if (clinic.route === 'iv' && !monitoring && step.at > 40) {
      // The infusion has run its 40 minutes: dosing is complete.
      const ended = minutes(doseAt, 41);
      if (stopAt && ended > stopAt) break;
      yield ended;
      await nurse.request({ method: 'POST', url: `${sessionUrl}/start-monitoring`, payload: {} });
      monitoring = true;
    }
    if (stopAt && at.getTime() > stopAt.getTime() - 60_000) break;
    yield at;
    if (step.reading) {
      view = await nurse.request({
        method: 'POST',
        url: `${sessionUrl}/vitals`,
        payload: vitalsPayload(at, step.reading),
      });
      const open = (view.alerts as { id: string; status: string }[]).filter((a) => a.status === 'open');
      for (const alert of open) {
        yield minutes(at, 2);
        await nurse.request({
          method: 'POST',
          url: `${sessionUrl}/alerts/${alert.id}/acknowledgement`,
          payload: {
            action:
              'Repeated the blood pressure after five minutes of quiet rest; patient calm and asymptomatic. Prescriber informed at the chair; readings continued as scheduled.',
          },
        });
      }
    } else {
      await observe(nurse, sessionUrl, at, step.body!);
    }
  }
  if (live) {
    plan.summary.inProgress += 1;
    return;
  }

  // Discharge, when dischargeReadiness is met, to the escort with the written instructions.
  const last = Math.max(...steps.map((s) => s.at));
  // SPRAVATO: at least 2 hours from the first device (clinical-reference 2.6).
  const minimum = clinic.route === 'im' ? 92 : clinic.route === 'iv' ? 72 : 122;
  yield minutes(doseAt, Math.max(last + 3, minimum));
  const readiness = await nurse.request({
    method: 'GET',
    url: `${sessionUrl}/discharge-readiness?escortPresent=true`,
  });
  if (!readiness.ready)
    throw new SeedStepFailed(`the demo session is not ready for discharge: ${readiness.unmet.join('; ')}`);
  await nurse.request({
    method: 'POST',
    url: `${sessionUrl}/discharge`,
    payload: {
      id: randomUUID(),
      escortPresent: true,
      instructionsGiven: true,
      note: 'Alert and oriented, walking steadily; left with their partner. No driving until tomorrow after sleep.',
      override: null,
    },
  });
  plan.summary.completed += 1;
  if (clinic.route === 'intranasal') {
    // The SPRAVATO REMS monitoring form (clinical-reference 2.6): the nurse answers what Kapstone cannot derive;
    // the form is then complete and due for submission within 7 days (the REMS dashboard).
    yield minutes(doseAt, Math.max(last + 3, minimum) + 10);
    await nurse.request({
      method: 'POST',
      url: `${sessionUrl}/rems-form/answers`,
      payload: {
        id: randomUUID(),
        answers: {
          enrolledInRems: true,
          firstTreatment: number === 0,
          readyToLeaveMinutes: 95,
          respiratoryDepression: false,
          monitoringHcp: { telephone: '(555) 010-0120' },
          setting: {
            address1: '118 Harbor Street, Suite 3',
            city: 'Bayview',
            state: 'CA',
            zip: '94000',
          },
        },
      },
    });
  }
}

function vitalsPayload(at: Date, r: Omit<Reading, 'at'>) {
  return {
    id: randomUUID(),
    measuredAt: iso(at),
    systolic: r.systolic,
    diastolic: r.diastolic,
    heartRate: r.heartRate,
    spo2: r.spo2,
    respiratoryRate: r.respiratoryRate,
  };
}

async function observe(
  nurse: Person,
  sessionUrl: string,
  at: Date,
  body: Record<string, unknown>,
): Promise<void> {
  await nurse.request({
    method: 'POST',
    url: `${sessionUrl}/observations`,
    payload: { id: randomUUID(), observedAt: iso(at), ...body },
  });
}

// ---- scheduling ----

interface DosingTemplate {
  startsAt: string;
  endsAt: string;
  roomId: string | null;
  staff: { userId: string; role: string }[];
  note: string;
}

/** The staffing, room and length of a dosing session under the patient's plan, as the course proposal gives. */
export async function dosingTemplate(frontdesk: Person, patientId: string): Promise<DosingTemplate> {
  const proposal = await frontdesk.request({
    method: 'POST',
    url: `/api/v1/patients/${patientId}/course-booking/proposal`,
  });
  const item = (proposal.items as (DosingTemplate & { kind: string; problem: string | null })[]).find(
    (i) => i.kind === 'dosing' && i.startsAt && !i.problem,
  );
  if (!item)
    throw new SeedStepFailed(`no dosing session in the course proposal: ${JSON.stringify(proposal)}`);
  return {
    startsAt: item.startsAt,
    endsAt: item.endsAt,
    roomId: item.roomId,
    staff: item.staff.map(({ userId, role }) => ({ userId, role })),
    note: item.note,
  };
}

/** A dosing session's length in minutes, as the template gives it. */
function lengthOf(template: DosingTemplate): number {
  return (Date.parse(template.endsAt) - Date.parse(template.startsAt)) / 60_000;
}

/** The patient's dosing appointments at `starts`, each as long as the template and with its room and staff. */
export async function bookDosing(
  frontdesk: Person,
  patientId: string,
  template: DosingTemplate,
  starts: Date[],
): Promise<string[]> {
  const length = lengthOf(template);
  const ids: string[] = [];
  for (const startsAt of starts) {
    const booked = await frontdesk.request({
      method: 'POST',
      url: '/api/v1/appointments',
      payload: {
        patientId,
        kind: 'dosing',
        roomId: template.roomId,
        startsAt: iso(startsAt),
        endsAt: iso(minutes(startsAt, length)),
        staff: template.staff,
        note: template.note,
      },
    });
    ids.push(booked.id as string);
  }
  return ids;
}

/**
 * The session in progress runs at the real time the demo starts, which may be an evening or a weekend: the
 * staff on it then get that day's hours recorded around it (the clinic's late list), so the booking is
 * inside their working hours as scheduling requires.
 */
async function allowWorkingHours(
  frontdesk: Person,
  userIds: string[],
  bookings: [Date, Date][],
  timeZone: string,
): Promise<void> {
  const days = new Set<number>();
  for (const [startsAt, endsAt] of bookings) {
    const start = localParts(startsAt, timeZone);
    const finish = localParts(endsAt, timeZone);
    const normal =
      start.date === finish.date &&
      start.weekday <= 5 &&
      start.minutes >= 8 * 60 &&
      finish.minutes <= 18 * 60;
    if (!normal) {
      days.add(start.weekday);
      days.add(finish.weekday);
    }
  }
  if (days.size === 0) return;
  for (const userId of [...new Set(userIds)]) {
    const spans = [1, 2, 3, 4, 5, 6, 7].flatMap((weekday) =>
      days.has(weekday)
        ? [{ weekday, startsAt: '00:00', endsAt: '24:00' }]
        : weekday <= 5
          ? [{ weekday, startsAt: '08:00', endsAt: '18:00' }]
          : [],
    );
    await frontdesk.request({
      method: 'PUT',
      url: `/api/v1/staff/${userId}/working-hours`,
      payload: { spans },
    });
  }
}

/**
 * A start later on `today` (the clinic's local day) for a session of `length` minutes: the first 5-minute step
 * at least 15 minutes after both now and the end of `busy`, ending by midnight; failing that (late in the
 * evening), the earliest step of the day that fits clear of `busy` (10 minutes either side).
 */
function laterToday(today: string, timeZone: string, now: Date, length: number, busy: [Date, Date]): Date {
  const dayStart = zonedInstant(today, 0, timeZone).getTime();
  const dayEnd = zonedInstant(addDays(today, 1), 0, timeZone).getTime();
  const step = 5 * 60_000;
  const fits = (start: number) =>
    start >= dayStart &&
    start + length * 60_000 <= dayEnd - 60_000 &&
    (start + length * 60_000 + 10 * 60_000 <= busy[0].getTime() || start >= busy[1].getTime() + 10 * 60_000);
  const after = Math.max(now.getTime() + 15 * 60_000, busy[1].getTime() + 15 * 60_000);
  for (let start = Math.ceil(after / step) * step; start < dayEnd; start += step)
    if (fits(start)) return new Date(start);
  for (let start = dayStart; start < dayEnd; start += step) if (fits(start)) return new Date(start);
  throw new SeedStepFailed(`no time left on ${today} for the session awaiting check-in`);
}

/** The course proposal's sessions not yet booked, other than doses (those are booked above, at set times). */
async function bookRemainingCourse(frontdesk: Person, patientId: string): Promise<void> {
  const proposal = await frontdesk.request({
    method: 'POST',
    url: `/api/v1/patients/${patientId}/course-booking/proposal`,
  });
  const items = bookableCourseItems(proposal, (i) => !i.bookedAppointmentId && i.kind !== 'dosing');
  if (items.length === 0) return;
  await frontdesk.request({
    method: 'POST',
    url: `/api/v1/patients/${patientId}/course-booking`,
    payload: { items },
  });
}
