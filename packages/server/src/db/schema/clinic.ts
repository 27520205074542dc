import type { DosingLimits, InstrumentId, ScoreContext, VitalsThresholds } from '@kapstone/clinical';
import { boolean, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** Per-clinic settings. Clinical thresholds a clinic overrides live here as plain data, next to their defaults. */
export interface ClinicSettings {
  /** Staff must enrol in and pass TOTP multi-factor authentication (off in the demo clinics). */
  mfaRequired: boolean;
  /**
   * 'clinic': every clinical staff member may open every chart of the clinic.
   * 'care-team': prescribers, nurses and therapists open only the charts of patients they are assigned to;
   * anything else needs break-glass.
   */
  careScope: 'clinic' | 'care-team';
  /** The clinic's phone number shown to patients with crisis resources. */
  crisisPhone?: string;
  /**
   * The instruments assigned as the baseline screening set (measures). Absent: PHQ-9, GAD-7, PCL-5, C-SSRS
   * screener, MDQ, AUDIT-C, DAST-10 (issue 4). Patients self-report every instrument listed here in the portal.
   */
  screeningInstruments?: InstrumentId[];
  /** The clinic's overrides of screening cut-offs (@kapstone/clinical ScoreContext; setting keys `cutoffs.*`). */
  cutoffs?: ScoreContext['cutoffs'];
  /**
   * How long a portal invitation link stays valid, in hours (1 to 720). Absent: 72. A security setting, not a
   * clinical number: long enough for a patient to find the mail, short enough that a forwarded link dies.
   */
  invitationExpiryHours?: number;
  /**
   * The clinic's overrides of @kapstone/clinical's dose limits (setting keys `dosing.*`), merged over
   * `defaultDosingLimits` for calculateDose. Where the reference gives no number (the IV and sublingual hard
   * limits, intranasal limits: clinical-reference 2.1, 2.3, 2.4) the default is null and no hard block applies
   * until the clinic sets one here.
   */
  dosingLimits?: { [K in keyof DosingLimits]?: Partial<DosingLimits[K]> };
  /**
   * mg of diazepam per mg of each benzodiazepine, by name (@kapstone/clinical setting
   * `eligibility.diazepamEquivalents`): the reference gives the >8 mg/day threshold but no conversion factors,
   * so there is no default and the eligibility check says the dose was not computed until the clinic sets them.
   */
  diazepamEquivalents?: Record<string, number>;
  /**
   * Dosing sessions (issue 5). The numbers the reference does not give have no default: until the clinic sets
   * them, the schedule says "as clinically warranted" and discharge names the missing minimum. The racemic
   * fasting rule for food is scheduling's `fastingHours` (the same number the patient's reminders show).
   */
  sessions?: ClinicSessionSettings;
  /**
   * Integration sessions (issue 6). `windowDays`: the days after a dose, [first, last] inclusive (0 ≤ first ≤
   * last ≤ 30), within which its integration session is expected (@kapstone/clinical `integration.window`).
   * Absent: each protocol's own window (1–3 days for the KAP and IV protocols, none for SPRAVATO).
   */
  integration?: { windowDays?: [number, number] };
  /**
   * The session experience rating (journal, issue 6; @kapstone/clinical rule
   * `monitoring.experience-difficult-flag`): a Kapstone design with no published cut-off, so no default. When
   * `difficultyFlagAtLeast` (0–10) is set, a rating whose emotional difficulty reaches it is flagged as a
   * difficult experience on the chart; absent, nothing is flagged.
   */
  experienceRating?: { difficultyFlagAtLeast?: number };
  /**
   * Risk alerts (issue 6): when an unacknowledged alert escalates, and to whom. The reference gives no
   * escalation time, so there is no default: a severity without a number never escalates, and the alerts
   * page says escalation is not configured.
   */
  alerts?: ClinicAlertSettings;
  /**
   * Course outcomes (issue 6; @kapstone/clinical setting `outcomes.noResponseAfterSessions`): the number of
   * dosing sessions after which a course that never met the response criterion counts as non-response. The
   * reference gives no such number, so there is no default: until the clinic sets one, the course reads
   * "no response yet" however many sessions were given.
   * `minimumCellSize` (practice outcomes, @kapstone/clinical setting `outcomes.minimumCellSize`): figures of
   * the outcomes dashboard resting on fewer patients than this are shown as suppressed. The reference gives no
   * number, so there is no default: unset, prescribers and admins see every figure, and researchers see none
   * (the dashboard tells them the clinic must set it first).
   */
  outcomes?: { noResponseAfterSessions?: number; minimumCellSize?: number };
  /**
   * Questionnaire reminders and missed measures (issue 6; modules/reminders). Operational settings, not
   * clinical numbers: absent, reminders go at 09:00 clinic time on the due day, again every 48 hours, at most
   * 3 times (`defaultReminderSettings`). `missedAfterDays` (days after the due day an unanswered measure counts
   * as missed and raises a 'missed-measure' alert) has no default: the issue and the reference give none, so
   * until the clinic sets it nothing is marked missed.
   */
  reminders?: ClinicReminderSettings;
}

export interface ClinicReminderSettings {
  /** Hour of the day (0–23, clinic time) from which a due measure's reminders go out. */
  sendHour?: number;
  /** Hours between one reminder and the next while the measure stays unanswered (1–336). */
  repeatAfterHours?: number;
  /** Reminders per measure at most, the first included (0 turns reminders off; up to 10). */
  maxReminders?: number;
  /** Also send an SMS (through the configured adapter) to patients with a phone number. Absent: no. */
  sms?: boolean;
  /** Days after the due day an unanswered measure counts as missed (0–60). No default: unset, none is missed. */
  missedAfterDays?: number;
}

export interface ClinicAlertSettings {
  /** Minutes after an alert is raised, unacknowledged, before it escalates to the on-call role. No default. */
  escalateAfterMinutes?: Partial<Record<'critical' | 'high' | 'moderate' | 'low', number>>;
  /** The staff role on call for escalated alerts (a clinical role: prescriber, nurse or therapist). */
  onCallRole?: 'prescriber' | 'nurse' | 'therapist';
  /** The named on-call staff holding that role; absent or empty: everyone active with the role. */
  onCallUserIds?: string[];
}

/** Keys: a route of racemic ketamine, or 'esketamine' (SPRAVATO has its own published schedule). */
export type SessionScheduleKey = 'iv' | 'im' | 'sublingual' | 'oral' | 'intranasal' | 'esketamine';

export interface ClinicSessionSettings {
  /**
   * Each dose needs a second staff member's signature (password re-entry). A local policy, not a federal rule
   * (rule `session.second-signer`); absent = not required.
   */
  secondSignerRequired?: boolean;
  /** Minutes between readings after the published ones (@kapstone/clinical observationSchedule). No default. */
  readingIntervalMinutes?: Partial<Record<SessionScheduleKey, number>>;
  /** Minimum observation before discharge (esketamine: at least 120 whatever is set). No default for IM/SL/oral/IN. */
  minimumObservationMinutes?: Partial<Record<SessionScheduleKey, number>>;
  /** Hours without liquids before a racemic dose (rule `monitoring.racemic-fasting`). No default. */
  liquidsFastingHours?: number;
  /** A negative pregnancy test is required before each dose (rule `monitoring.pregnancy-test`; absent = no). */
  pregnancyTestRequired?: boolean;
  /** Overrides of the vital-sign thresholds (setting keys `vitals.*`), merged over defaultVitalsThresholds. */
  vitalsThresholds?: {
    critical?: Partial<VitalsThresholds['critical']>;
    warning?: Partial<VitalsThresholds['warning']>;
  };
  /** dischargeReadiness: CADSS-6 at or below this counts as resolved (setting `discharge.dissociationResolvedAtMost`). */
  dissociationResolvedAtMost?: number;
  /** dischargeReadiness: vitals within this fraction of baseline (setting `discharge.vitalsWithinFraction`). */
  vitalsWithinFraction?: number;
}

export const clinic = pgTable(
  'clinic',
  {
    id: uuid('id').primaryKey(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    /** IANA time zone for display and scheduling; timestamps are stored in UTC. */
    timeZone: text('time_zone').notNull(),
    demo: boolean('demo').notNull().default(false),
    settings: jsonb('settings').$type<ClinicSettings>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('clinic_slug_key').on(t.slug)],
);
