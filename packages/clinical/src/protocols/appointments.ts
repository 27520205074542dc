import { observationSchedule } from '../monitoring/index.ts';
import type { Citation, Product, ProtocolId, Route, RuleMetadata } from '../types.ts';
import { protocols } from './index.ts';

/**
 * Appointment lengths, dosing-session staffing and the patient's preparation reminders: the clinical side
 * of scheduling. The server books and checks; the numbers and the rules come from here, with their sources.
 */

export type AppointmentKind = 'screening' | 'preparation' | 'dosing' | 'integration' | 'follow-up';

const cite = (section: string, source: string, evidence: Citation['evidence'] = 'primary'): Citation => ({
  section: `clinical-reference ${section}`,
  source,
  evidence,
});
/** The care-pathway issue states some practice defaults that the reference does not; cited as such. */
const issue = (source: string): Citation => ({
  section: 'clinical-reference 5.3',
  source: `Kapstone issue 4 (practice default, not a published standard): ${source}`,
  evidence: 'unconfirmed',
});

/** A clinic's own appointment lengths and observation minimum (clinic settings; null or absent = not set). */
export interface AppointmentLengthSettings {
  preparationMinutes?: number | null;
  integrationMinutes?: number | null;
  /** No number in the reference: the clinic sets it, or the front desk gives an end time. */
  followUpMinutes?: number | null;
  screeningMinutes?: number | null;
  ivDosingMinutes?: number | null;
  /** IM and sublingual racemic dosing sessions (the issue's 120–180 minutes). */
  imDosingMinutes?: number | null;
  sublingualDosingMinutes?: number | null;
  /** Oral and intranasal racemic ketamine: no number anywhere; the clinic sets it. */
  oralDosingMinutes?: number | null;
  intranasalRacemicDosingMinutes?: number | null;
  esketamineDosingMinutes?: number | null;
  /** The clinic's minimum observation for routes without a published one (monitoring.minimumObservationMinutes). */
  minimumObservationMinutes?: number | null;
}

export interface AppointmentLength {
  kind: AppointmentKind;
  /** The length to book when the front desk gives no end time (null: the clinic has set none). */
  defaultMinutes: number | null;
  /** A dosing session is never booked shorter than this (the observation minimum; null: none known). */
  minimumMinutes: number | null;
  /** The usual range the issue gives, shown next to the length (not enforced). */
  typicalRange: readonly [number, number] | null;
  /** Why the number is what it is, in a clinician's words. */
  explanation: string;
  citation: Citation;
}

const positive = (value: number | null | undefined): number | null =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.round(value) : null;

/**
 * The default and minimum length of an appointment. Dosing depends on the product and route:
 * - esketamine: at least the 2-hour observation of the SPRAVATO label and REMS (clinical-reference 2.5, 2.6:
 *   total time from the first device to the end of monitoring ≥2 h) — a clinic may book longer, never shorter;
 * - IV: 90 minutes by default (the issue); never shorter than the infusion plus the 30 minutes of readings
 *   after it (clinical-reference 4.1, `observationSchedule`);
 * - IM and sublingual: 120–180 minutes (the issue), 120 unless the clinic sets its own; never shorter than the
 *   clinic's minimum observation for the route, when it has set one (the reference gives none, 4.1);
 * - oral and intranasal racemic ketamine: no number anywhere, so the clinic's setting or an explicit end time.
 */
export function appointmentLength(
  kind: AppointmentKind,
  options: { route?: Route; product?: Product; settings?: AppointmentLengthSettings } = {},
): AppointmentLength {
  const s = options.settings ?? {};
  switch (kind) {
    case 'preparation':
      return {
        kind,
        defaultMinutes: positive(s.preparationMinutes) ?? 60,
        minimumMinutes: null,
        typicalRange: null,
        explanation: 'Preparation session: 60 minutes unless the clinic sets its own length.',
        citation: issue('Preparation 60 min (practice default; the reference gives no length)'),
      };
    case 'integration':
      return {
        kind,
        defaultMinutes: positive(s.integrationMinutes) ?? 60,
        minimumMinutes: null,
        typicalRange: null,
        explanation: 'Integration session: 60 minutes unless the clinic sets its own length.',
        citation: issue('Integration 60 min (practice default; the reference gives no length)'),
      };
    case 'follow-up':
    case 'screening':
      return {
        kind,
        defaultMinutes: positive(kind === 'follow-up' ? s.followUpMinutes : s.screeningMinutes),
        minimumMinutes: null,
        typicalRange: null,
        explanation: `The reference gives no length for a ${kind} visit: the clinic's setting, or an end time.`,
        citation: issue(`No length for ${kind} visits (clinic setting without default)`),
      };
    case 'dosing':
      return dosingLength(options.route, options.product, s);
  }
}

function dosingLength(
  route: Route | undefined,
  product: Product | undefined,
  s: AppointmentLengthSettings,
): AppointmentLength {
  if (!route || !product) {
    return {
      kind: 'dosing',
      defaultMinutes: null,
      minimumMinutes: null,
      typicalRange: null,
      explanation: 'A dosing session’s length depends on the plan’s route and product.',
      citation: issue('Dosing length by route'),
    };
  }
  if (product === 'esketamine') {
    const minimum = 120;
    return {
      kind: 'dosing',
      defaultMinutes: Math.max(minimum, positive(s.esketamineDosingMinutes) ?? minimum),
      minimumMinutes: minimum,
      typicalRange: null,
      explanation:
        'Esketamine: at least 2 hours of observation after the dose, then a clinician judges the patient ready to leave.',
      citation: cite(
        '2.5',
        'SPRAVATO US PI and REMS: monitor at least 2 hours at each session (total time from first device ≥2 h)',
      ),
    };
  }
  const observed = observationSchedule({ route, product }).minimumObservationMinutes;
  if (route === 'iv') {
    const minimum = observed;
    return {
      kind: 'dosing',
      defaultMinutes: Math.max(minimum ?? 0, positive(s.ivDosingMinutes) ?? 90),
      minimumMinutes: minimum,
      typicalRange: null,
      explanation: `IV infusion: 90 minutes by default; never shorter than the 40-minute infusion and 30 minutes of readings after it (${minimum} minutes).`,
      citation: cite(
        '4.1',
        'Issue 4: IV 90 min; Emory (J Affect Disord 2018) and Liu: readings every 10 min during the 40-min infusion, for 30 min after',
      ),
    };
  }
  const clinicMinimum = positive(s.minimumObservationMinutes);
  if (route === 'im' || route === 'sublingual') {
    const own = positive(route === 'im' ? s.imDosingMinutes : s.sublingualDosingMinutes);
    return {
      kind: 'dosing',
      defaultMinutes: Math.max(clinicMinimum ?? 0, own ?? 120),
      minimumMinutes: clinicMinimum,
      typicalRange: [120, 180],
      explanation:
        'IM or sublingual KAP session: usually 120–180 minutes; never shorter than the clinic’s minimum observation, when it has set one.',
      citation: issue(
        'IM/SL 120–180 min; practice sessions ~3 h (5.3, Sage) and 2.5 h or more (5.3, Wolfson); no published observation minimum (4.1)',
      ),
    };
  }
  const own = positive(route === 'oral' ? s.oralDosingMinutes : s.intranasalRacemicDosingMinutes);
  return {
    kind: 'dosing',
    defaultMinutes: own === null ? null : Math.max(clinicMinimum ?? 0, own),
    minimumMinutes: clinicMinimum,
    typicalRange: null,
    explanation: `No published session length for ${route} racemic ketamine: the clinic's setting, or an end time.`,
    citation: cite(
      '4.1',
      `No published schedule for ${route} racemic ketamine (clinic setting)`,
      'unconfirmed',
    ),
  };
}

/** Who must be booked on a dosing session, by protocol. */
export interface DosingStaffingRule {
  /** A dosing room (or chair) is always needed. */
  roomKind: 'dosing-room';
  /** Roles of whom at least one administers or supervises the dose. */
  administeredBy: readonly ('prescriber' | 'nurse')[];
  /**
   * 'therapist': KAP pairs the dose with psychotherapy, so a therapist attends. 'therapist-or-monitor': the
   * protocol is a medication treatment (IV series, SPRAVATO) where a second clinician monitoring the patient
   * may take the therapist's place.
   */
  support: 'therapist' | 'therapist-or-monitor';
  citation: Citation;
}

/** Staffing of a dosing session (the issue: a room, a prescriber or nurse, and a therapist or monitor per protocol). */
export function dosingStaffingRule(protocolId: ProtocolId): DosingStaffingRule {
  const protocol = protocols[protocolId];
  if (!protocol) throw new RangeError(`Unknown protocol: ${String(protocolId)}`);
  const psychotherapy = protocol.id === 'kap-im' || protocol.id === 'kap-sublingual';
  return {
    roomKind: 'dosing-room',
    administeredBy: ['prescriber', 'nurse'],
    support: psychotherapy ? 'therapist' : 'therapist-or-monitor',
    citation: psychotherapy
      ? cite(
          '5.2',
          'Joneborg et al. 2022: psychotherapy before, during and after ketamine sessions (KAP); issue 4 staffing',
        )
      : cite(
          '2.6',
          'SPRAVATO REMS: prescriber on site, healthcare providers monitoring; issue 4: therapist or monitor per protocol',
        ),
  };
}

export interface BookedClinician {
  role: 'prescriber' | 'nurse' | 'therapist' | 'monitor';
}

/**
 * What a dosing booking lacks under the rule: one problem per missing resource, with the field it belongs to
 * (the front desk sees each next to its input). Empty when the staffing is complete.
 */
export function checkDosingStaffing(
  rule: DosingStaffingRule,
  booking: { roomKind: string | null; staff: readonly BookedClinician[] },
): { path: 'roomId' | 'staff'; message: string }[] {
  const problems: { path: 'roomId' | 'staff'; message: string }[] = [];
  if (booking.roomKind === null)
    problems.push({ path: 'roomId', message: 'A dosing session needs a dosing room.' });
  else if (booking.roomKind !== rule.roomKind)
    problems.push({ path: 'roomId', message: 'Choose a dosing room (this one is not for dosing).' });
  const roles = booking.staff.map((s) => s.role);
  if (!roles.some((r) => (rule.administeredBy as readonly string[]).includes(r)))
    problems.push({ path: 'staff', message: 'A dosing session needs a prescriber or a nurse.' });
  const supported =
    roles.includes('therapist') || (rule.support === 'therapist-or-monitor' && roles.includes('monitor'));
  if (!supported)
    problems.push({
      path: 'staff',
      message:
        rule.support === 'therapist'
          ? 'A KAP dosing session needs a therapist.'
          : 'A dosing session needs a therapist or a monitor.',
    });
  return problems;
}

/** What the patient is reminded of before a dosing session, and where each item comes from. */
export interface PreparationReminders {
  fasting:
    | { kind: 'label'; foodHours: number; liquidsMinutes: number; citation: Citation }
    | { kind: 'clinic'; foodHours: number; citation: Citation }
    | { kind: 'ask-clinic'; citation: Citation };
  rideHome: { required: true; citation: Citation };
  noDriving: { until: 'next-day-after-restful-sleep'; citation: Citation };
}

/**
 * Preparation reminders for a dosing session. Esketamine: the label's fasting (no food 2 h, no liquids 30 min,
 * clinical-reference 2.5 and 4.6). Racemic ketamine: the reference gives no KAP fasting rule (4.6), so the
 * clinic's own number of hours when set, otherwise "as your clinic tells you". Every route: a ride home with a
 * responsible adult and no driving until the next day after a restful sleep (4.6).
 */
export function preparationReminders(
  product: Product | null,
  settings: { fastingHours?: number | null } = {},
): PreparationReminders {
  const clinicHours =
    typeof settings.fastingHours === 'number' && settings.fastingHours > 0 ? settings.fastingHours : null;
  const fasting: PreparationReminders['fasting'] =
    product === 'esketamine'
      ? {
          kind: 'label',
          foodHours: 2,
          liquidsMinutes: 30,
          citation: cite('4.6', 'SPRAVATO: no food ≥2 h, no liquids ≥30 min before dosing'),
        }
      : clinicHours !== null
        ? {
            kind: 'clinic',
            foodHours: clinicHours,
            citation: cite(
              '4.6',
              'The clinic’s own fasting rule (a KAP rule is practice-specific)',
              'unconfirmed',
            ),
          }
        : {
            kind: 'ask-clinic',
            citation: cite('4.6', 'No published KAP fasting rule; the clinic sets it', 'unconfirmed'),
          };
  return {
    fasting,
    rideHome: {
      required: true,
      citation: cite('4.6', 'SPRAVATO US PI; Ketalar: a responsible adult escort'),
    },
    noDriving: {
      until: 'next-day-after-restful-sleep',
      citation: cite('2.5', 'SPRAVATO US PI: no driving until the next day after a restful sleep'),
    },
  };
}

/** Days after a dose within which its integration session falls (null: the protocol schedules none). */
export function integrationWindow(protocolId: ProtocolId): readonly [number, number] | null {
  const protocol = protocols[protocolId];
  if (!protocol) throw new RangeError(`Unknown protocol: ${String(protocolId)}`);
  return protocol.integrationWindowDays;
}

export const appointmentRules: RuleMetadata[] = [
  {
    id: 'protocols.appointment-preparation-length',
    area: 'protocols',
    title: 'Preparation session length (default 60 minutes)',
    citation: issue('Preparation 60 min'),
    setting: { key: 'scheduling.preparationMinutes', default: 60, unit: 'minutes' },
  },
  {
    id: 'protocols.appointment-integration-length',
    area: 'protocols',
    title: 'Integration session length (default 60 minutes)',
    citation: issue('Integration 60 min'),
    setting: { key: 'scheduling.integrationMinutes', default: 60, unit: 'minutes' },
  },
  {
    id: 'protocols.appointment-follow-up-length',
    area: 'protocols',
    title: 'Follow-up visit length (no number in the reference)',
    citation: issue('No length given'),
    setting: { key: 'scheduling.followUpMinutes', default: null, unit: 'minutes' },
  },
  {
    id: 'protocols.appointment-screening-length',
    area: 'protocols',
    title: 'Screening visit length (no number in the reference)',
    citation: issue('No length given'),
    setting: { key: 'scheduling.screeningMinutes', default: null, unit: 'minutes' },
  },
  {
    id: 'protocols.appointment-esketamine-length',
    area: 'protocols',
    title: 'Esketamine dosing session: at least 2 hours (the observation minimum)',
    citation: cite('2.5', 'SPRAVATO US PI and REMS: monitor at least 2 hours'),
    setting: { key: 'scheduling.esketamineDosingMinutes', default: 120, unit: 'minutes (≥120)' },
  },
  {
    id: 'protocols.appointment-iv-length',
    area: 'protocols',
    title: 'IV dosing session: 90 minutes; never shorter than the infusion and 30 minutes of readings after',
    citation: cite('4.1', 'Issue 4: IV 90 min; Emory and Liu: readings for 30 min after the 40-min infusion'),
    setting: { key: 'scheduling.ivDosingMinutes', default: 90, unit: 'minutes' },
  },
  {
    id: 'protocols.appointment-im-sl-length',
    area: 'protocols',
    title: 'IM and sublingual dosing sessions: 120–180 minutes (120 by default)',
    citation: issue('IM/SL 120–180 min; practice sessions of 2.5–3 h (5.3)'),
    setting: { key: 'scheduling.imDosingMinutes / sublingualDosingMinutes', default: 120, unit: 'minutes' },
  },
  {
    id: 'protocols.appointment-oral-intranasal-length',
    area: 'protocols',
    title: 'Oral and intranasal racemic dosing sessions (no number in the reference)',
    citation: cite('4.1', 'No published schedule', 'unconfirmed'),
    setting: {
      key: 'scheduling.oralDosingMinutes / intranasalRacemicDosingMinutes',
      default: null,
      unit: 'minutes',
    },
  },
  {
    id: 'protocols.dosing-staffing',
    area: 'protocols',
    title:
      'Dosing session staffing: a dosing room, a prescriber or nurse, and a therapist (KAP) or a therapist or monitor (IV series, SPRAVATO)',
    citation: cite(
      '2.6',
      'SPRAVATO REMS (prescriber on site, HCP monitoring); KAP psychotherapy (5.2); issue 4',
    ),
  },
  {
    id: 'protocols.integration-window',
    area: 'protocols',
    title: 'Integration proposed 1–3 days after each dose (protocols with integration)',
    citation: issue(
      'Integration within 1–3 days after each dosing; Mindbloom follow-up 1–2 days after (5.3)',
    ),
  },
];
