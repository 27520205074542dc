import type {
  Citation,
  InstrumentId,
  PlannedEvent,
  Product,
  ProtocolId,
  Route,
  RuleMetadata,
} from '../types.ts';

const cite = (section: string, source: string, evidence: Citation['evidence'] = 'primary'): Citation => ({
  section: `clinical-reference ${section}`,
  source,
  evidence,
});

export interface ProtocolDefinition {
  id: ProtocolId;
  name: string;
  route: Route;
  product: Product;
  /** Dosing days, counted from day 0 (the first dose); the scheduler may move each within its window. */
  dosingDays: readonly number[];
  /** Extra days a dosing session may slip after its planned day. */
  dosingWindowDays: number;
  preparationSessions: number;
  /** Integration after each dose, from day+min to day+max (issue default 1–3 days). */
  integrationWindowDays: readonly [number, number] | null;
  /** Instruments due on the day of each dosing session, before the dose. */
  preDoseMeasures: readonly InstrumentId[];
  /** Default appointment length of a dosing session, where the reference gives one. */
  dosingSessionMinutes: number | null;
  citations: readonly Citation[];
}

const twiceWeekly = (weeks: number) => Array.from({ length: weeks }, (_, w) => [w * 7, w * 7 + 3]).flat();
const weekly = (fromWeek: number, weeks: number) =>
  Array.from({ length: weeks }, (_, w) => (fromWeek + w) * 7);

export const protocols: Record<ProtocolId, ProtocolDefinition> = {
  'iv-series': {
    id: 'iv-series',
    name: 'IV ketamine series: 6 infusions of 0.5 mg/kg over 40 minutes, three a week',
    route: 'iv',
    product: 'ketamine-racemic',
    dosingDays: [0, 2, 4, 7, 9, 11],
    dosingWindowDays: 1,
    preparationSessions: 1,
    integrationWindowDays: [1, 3],
    preDoseMeasures: ['phq9', 'gad7'],
    dosingSessionMinutes: null,
    citations: [
      cite(
        '2.1',
        'Murrough JW et al. Biol Psychiatry 2013;74:250-256: up to 6 infusions, 3 times weekly over 12 days',
        'secondary',
      ),
      cite('2.1', 'Singh JB et al. Am J Psychiatry 2016: twice vs three times weekly'),
    ],
  },
  'spravato-trd': {
    id: 'spravato-trd',
    name: 'SPRAVATO for treatment-resistant depression: twice weekly weeks 1–4, weekly weeks 5–8',
    route: 'intranasal',
    product: 'esketamine',
    dosingDays: [...twiceWeekly(4), ...weekly(4, 4)],
    dosingWindowDays: 1,
    preparationSessions: 1,
    integrationWindowDays: null,
    preDoseMeasures: ['phq9', 'gad7'],
    dosingSessionMinutes: 120,
    citations: [
      cite(
        '2.5',
        'SPRAVATO US PI: induction twice weekly weeks 1–4; 56 or 84 mg weekly weeks 5–8; then weekly or every 2 weeks; ≥2 h observation',
      ),
    ],
  },
  'spravato-mdd-si': {
    id: 'spravato-mdd-si',
    name: 'SPRAVATO for MDD with acute suicidal ideation or behaviour: 84 mg twice weekly for 4 weeks',
    route: 'intranasal',
    product: 'esketamine',
    dosingDays: twiceWeekly(4),
    dosingWindowDays: 1,
    preparationSessions: 1,
    integrationWindowDays: null,
    preDoseMeasures: ['phq9', 'cssrs-screener'],
    dosingSessionMinutes: 120,
    citations: [
      cite('2.5', 'SPRAVATO US PI: 84 mg twice weekly for 4 weeks; use beyond 4 weeks not evaluated'),
    ],
  },
  'kap-im': {
    id: 'kap-im',
    name: 'KAP with IM ketamine: preparation, 4 weekly dosing sessions with integration',
    route: 'im',
    product: 'ketamine-racemic',
    dosingDays: weekly(0, 4),
    dosingWindowDays: 3,
    preparationSessions: 3,
    integrationWindowDays: [1, 3],
    preDoseMeasures: ['phq9', 'gad7'],
    dosingSessionMinutes: null,
    citations: [
      cite(
        '5.3',
        'Field Trip Health: 4–6 sessions (IM or SL), integration after doses; mean 4 doses',
        'secondary',
      ),
      cite('5.3', 'Sage Integrative Health: ≥3 preparation sessions, ≥2 integration sessions', 'secondary'),
    ],
  },
  'kap-sublingual': {
    id: 'kap-sublingual',
    name: 'KAP with sublingual ketamine: preparation, 4 weekly sessions with integration',
    route: 'sublingual',
    product: 'ketamine-racemic',
    dosingDays: weekly(0, 4),
    dosingWindowDays: 3,
    preparationSessions: 3,
    integrationWindowDays: [1, 3],
    preDoseMeasures: ['phq9', 'gad7'],
    dosingSessionMinutes: null,
    citations: [
      cite('5.3', 'Hull et al. 2022 (Mindbloom): 4 at-home sublingual sessions over 4 weeks', 'secondary'),
      cite('5.3', 'Sage Integrative Health: ≥3 preparation sessions', 'secondary'),
    ],
  },
};

/** Follow-up after the end of the course, in months (the issue's 1, 3, 6, 12; KAP durability is measured at 3 and 6 months in 5.3). */
export const followUpMonths = [1, 3, 6, 12] as const;
export const followUpMeasures: readonly InstrumentId[] = ['phq9', 'gad7'];

/**
 * The shortest gap between two doses. No source gives a number; every schedule in the reference doses at
 * most once a day (three times weekly at the most frequent), so the default allows at most one dose per
 * 24 hours, and a clinic may require more.
 */
export const defaultMinimumIntervalHours = 24;

export interface PlanOptions {
  /** Maintenance doses after the course, every `maintenanceEveryWeeks` (SPRAVATO: 1 or 2 from week 9). No default: the prescriber decides. */
  maintenanceDoses?: number;
  maintenanceEveryWeeks?: 1 | 2;
  /** KAP protocols: 4–6 dosing sessions (Field Trip 5.3). */
  dosingSessions?: number;
}

function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
function addMonths(isoDate: string, months: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(d, lastDay));
  return date.toISOString().slice(0, 10);
}

/**
 * The planned course for a protocol starting (first dose) on `startDate` (YYYY-MM-DD): preparation before,
 * each dosing session with its pre-dose measures, integration windows, an end-of-course measure and the
 * follow-ups. Dates only; the clinic's calendar turns them into appointments.
 */
export function planCourse(
  protocolId: ProtocolId,
  startDate: string,
  options: PlanOptions = {},
): PlannedEvent[] {
  const protocol = protocols[protocolId];
  if (!protocol) throw new RangeError(`Unknown protocol: ${String(protocolId)}`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(startDate) ||
    Number.isNaN(Date.parse(`${startDate}T00:00:00Z`)) ||
    addDays(startDate, 0) !== startDate
  ) {
    throw new RangeError(`startDate must be a real date as YYYY-MM-DD, got ${startDate}`);
  }
  let dosingDays = [...protocol.dosingDays];
  if (options.dosingSessions !== undefined) {
    if (protocol.product === 'esketamine' || protocol.id === 'iv-series')
      throw new RangeError(`${protocolId} has a fixed number of doses`);
    if (
      !Number.isInteger(options.dosingSessions) ||
      options.dosingSessions < 1 ||
      options.dosingSessions > 6
    ) {
      throw new RangeError('dosingSessions must be 1–6 (practice courses are 4–6 sessions)');
    }
    dosingDays = weekly(0, options.dosingSessions);
  }
  if (options.maintenanceDoses) {
    const every = options.maintenanceEveryWeeks;
    if (!every) throw new RangeError('maintenanceEveryWeeks is needed with maintenanceDoses');
    const last = dosingDays.at(-1)!;
    for (let i = 1; i <= options.maintenanceDoses; i++) dosingDays.push(last + i * every * 7);
  }

  const events: PlannedEvent[] = [];
  for (let i = protocol.preparationSessions; i >= 1; i--) {
    events.push({
      kind: 'preparation',
      week: 0,
      earliest: addDays(startDate, -7 * i),
      latest: addDays(startDate, -1),
      note: `Preparation session ${protocol.preparationSessions - i + 1} of ${protocol.preparationSessions}`,
    });
  }
  events.push({
    kind: 'measure',
    week: 0,
    earliest: addDays(startDate, -14),
    latest: addDays(startDate, -1),
    instruments: [...protocol.preDoseMeasures],
    note: 'Baseline',
  });
  dosingDays.forEach((day, index) => {
    const date = addDays(startDate, day);
    const week = Math.floor(day / 7) + 1;
    events.push({
      kind: 'measure',
      week,
      earliest: date,
      latest: date,
      instruments: [...protocol.preDoseMeasures],
      note: `Before dose ${index + 1}`,
    });
    events.push({
      kind: 'dosing',
      week,
      earliest: date,
      latest: addDays(date, protocol.dosingWindowDays),
      note: `Dose ${index + 1} of ${dosingDays.length}`,
    });
    if (protocol.integrationWindowDays) {
      const [from, to] = protocol.integrationWindowDays;
      events.push({
        kind: 'integration',
        week,
        earliest: addDays(date, from),
        latest: addDays(date, to),
        note: `Integration after dose ${index + 1}`,
      });
    }
  });
  const lastDose = addDays(startDate, dosingDays.at(-1)!);
  events.push({
    kind: 'measure',
    earliest: addDays(lastDose, 1),
    latest: addDays(lastDose, 7),
    instruments: [...protocol.preDoseMeasures],
    note: 'End of course',
  });
  for (const months of followUpMonths) {
    const date = addMonths(lastDose, months);
    events.push({
      kind: 'follow-up',
      earliest: date,
      latest: date,
      instruments: [...followUpMeasures],
      note: `${months}-month follow-up`,
    });
  }
  return events;
}

/**
 * Whether a dose at `proposed` keeps the minimum interval from every other dose of the course (ISO
 * timestamps). Returns the conflicting dose, if any.
 */
export function checkDoseSpacing(
  proposed: string,
  otherDoses: readonly string[],
  minimumIntervalHours: number = defaultMinimumIntervalHours,
): { ok: boolean; conflictsWith?: string; hoursApart?: number } {
  const at = Date.parse(proposed);
  if (Number.isNaN(at)) throw new RangeError(`Not a timestamp: ${proposed}`);
  for (const other of otherDoses) {
    const hours = Math.abs(Date.parse(other) - at) / 3_600_000;
    if (hours < minimumIntervalHours)
      return { ok: false, conflictsWith: other, hoursApart: Math.round(hours * 10) / 10 };
  }
  return { ok: true };
}

export const protocolRules: RuleMetadata[] = [
  ...Object.values(protocols).map(
    (p): RuleMetadata => ({
      id: `protocols.${p.id}`,
      area: 'protocols',
      title: `${p.name} (${p.dosingDays.length} doses; integration ${p.integrationWindowDays ? `${p.integrationWindowDays[0]}–${p.integrationWindowDays[1]} days after each` : 'not scheduled'})`,
      citation: p.citations[0]!,
    }),
  ),
  {
    id: 'protocols.minimum-interval',
    area: 'protocols',
    title: 'Minimum time between two doses (at most one dose a day by default)',
    citation: cite(
      '2.1',
      'Derived from the schedules cited (at most three times weekly); no published minimum',
      'unconfirmed',
    ),
    setting: { key: 'protocols.minimumIntervalHours', default: defaultMinimumIntervalHours, unit: 'hours' },
  },
  {
    id: 'protocols.racemic-maintenance',
    area: 'protocols',
    title: 'Maintenance cadence for racemic KAP (every 2 weeks is UNCONFIRMED; the prescriber sets it)',
    citation: cite(
      '5.3',
      'SPRAVATO label allows weekly or every-2-weeks maintenance; racemic KAP pattern UNCONFIRMED',
      'unconfirmed',
    ),
    setting: { key: 'protocols.maintenanceEveryWeeks', default: null, unit: 'weeks' },
  },
];
