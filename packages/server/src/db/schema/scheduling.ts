import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { clinic } from './clinic.ts';
import { userAccount } from './identity.ts';
import { patient } from './patients.ts';

export const appointmentKinds = ['screening', 'preparation', 'dosing', 'integration', 'follow-up'] as const;
export type AppointmentKind = (typeof appointmentKinds)[number];

/** A room or chair that can be booked (a dosing chair, a therapy room). */
export const room = pgTable(
  'room',
  {
    id: uuid('id').notNull(),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinic.id),
    name: text('name').notNull(),
    kind: text('kind').$type<'dosing-room' | 'therapy-room' | 'exam-room'>().notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    unique('room_id_key').on(t.id),
    unique('room_clinic_name_key').on(t.clinicId, t.name),
  ],
);

/**
 * An appointment of one patient. No two live appointments may overlap for the same room or the same patient:
 * PostgreSQL exclusion constraints guarantee it under any concurrency (migration 0004).
 */
export const appointment = pgTable(
  'appointment',
  {
    id: uuid('id').notNull(),
    clinicId: uuid('clinic_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    kind: text('kind').$type<AppointmentKind>().notNull(),
    roomId: uuid('room_id'),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    status: text('status').$type<'scheduled' | 'cancelled'>().notNull().default('scheduled'),
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by'),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    cancelledBy: uuid('cancelled_by'),
    cancelReason: text('cancel_reason'),
    /** Dosing sessions: the active plan they were booked under, with its protocol, route and product. */
    planId: uuid('plan_id'),
    protocolId: text('protocol_id'),
    route: text('route'),
    product: text('product'),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    unique('appointment_id_key').on(t.id),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patient.clinicId, patient.id] }),
    foreignKey({ columns: [t.clinicId, t.roomId], foreignColumns: [room.clinicId, room.id] }),
    index('appointment_clinic_time_idx').on(t.clinicId, t.startsAt),
  ],
);

/**
 * The staff booked on an appointment. The time range and `active` are copied from the appointment so that
 * an exclusion constraint can refuse a second live booking of the same person at an overlapping time.
 */
export const appointmentStaff = pgTable(
  'appointment_staff',
  {
    clinicId: uuid('clinic_id').notNull(),
    appointmentId: uuid('appointment_id').notNull(),
    userId: uuid('user_id').notNull(),
    role: text('role').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    active: boolean('active').notNull().default(true),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.appointmentId, t.userId] }),
    foreignKey({
      columns: [t.clinicId, t.appointmentId],
      foreignColumns: [appointment.clinicId, appointment.id],
    }),
    foreignKey({ columns: [t.clinicId, t.userId], foreignColumns: [userAccount.clinicId, userAccount.id] }),
    index('appointment_staff_user_idx').on(t.clinicId, t.userId, t.startsAt),
  ],
);

/**
 * When a clinician can be booked: one row per weekday and span, in the clinic's IANA time zone (wall-clock
 * times, so the hours stay the same across daylight-saving changes). Weekday 1 = Monday ... 7 = Sunday (ISO 8601).
 */
export const staffWorkingHours = pgTable(
  'staff_working_hours',
  {
    id: uuid('id').notNull(),
    clinicId: uuid('clinic_id').notNull(),
    userId: uuid('user_id').notNull(),
    weekday: smallint('weekday').notNull(),
    /** 'HH:MM', 24-hour, local to the clinic. */
    startsAt: text('starts_at').notNull(),
    endsAt: text('ends_at').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by'),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    unique('staff_working_hours_id_key').on(t.id),
    foreignKey({ columns: [t.clinicId, t.userId], foreignColumns: [userAccount.clinicId, userAccount.id] }),
    index('staff_working_hours_user_idx').on(t.clinicId, t.userId, t.weekday),
    check('staff_working_hours_weekday', sql`${t.weekday} BETWEEN 1 AND 7`),
    check(
      'staff_working_hours_format',
      sql`${t.startsAt} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' AND ${t.endsAt} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$'`,
    ),
    check('staff_working_hours_order', sql`${t.endsAt} > ${t.startsAt}`),
  ],
);

export interface SchedulingSettingsValues {
  /** Appointment lengths the clinic chose (see @kapstone/clinical appointmentLength). */
  lengths: {
    preparationMinutes?: number | null;
    integrationMinutes?: number | null;
    followUpMinutes?: number | null;
    screeningMinutes?: number | null;
    ivDosingMinutes?: number | null;
    imDosingMinutes?: number | null;
    sublingualDosingMinutes?: number | null;
    oralDosingMinutes?: number | null;
    intranasalRacemicDosingMinutes?: number | null;
    esketamineDosingMinutes?: number | null;
    minimumObservationMinutes?: number | null;
  };
  /** Hours without food before a racemic dosing session: the reference gives none, so no default. */
  fastingHours: number | null;
}

/** A clinic's scheduling settings (one row per clinic; absent = every default). */
export const schedulingSettings = pgTable('scheduling_settings', {
  clinicId: uuid('clinic_id')
    .primaryKey()
    .references(() => clinic.id),
  values: jsonb('values').$type<SchedulingSettingsValues>().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  updatedBy: uuid('updated_by'),
});

/**
 * The escort who takes the patient home after a dosing session, confirmed by a staff member. Append-only
 * (trigger): a change is a new row superseding the previous one; a withdrawn escort is a row saying so.
 */
export const rideHomeConfirmation = pgTable(
  'ride_home_confirmation',
  {
    id: uuid('id').notNull(),
    clinicId: uuid('clinic_id').notNull(),
    appointmentId: uuid('appointment_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    status: text('status').$type<'confirmed' | 'withdrawn'>().notNull(),
    escortName: text('escort_name'),
    escortPhone: text('escort_phone'),
    escortRelationship: text('escort_relationship'),
    supersedesId: uuid('supersedes_id'),
    confirmedBy: uuid('confirmed_by').notNull(),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }).notNull(),
    /** Client-generated id of the request, so a retried confirmation is not recorded twice. */
    clientId: uuid('client_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    unique('ride_home_confirmation_id_key').on(t.id),
    unique('ride_home_confirmation_client_key').on(t.clinicId, t.clientId),
    foreignKey({
      columns: [t.clinicId, t.appointmentId],
      foreignColumns: [appointment.clinicId, appointment.id],
    }),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patient.clinicId, patient.id] }),
    foreignKey({
      columns: [t.clinicId, t.confirmedBy],
      foreignColumns: [userAccount.clinicId, userAccount.id],
    }),
    index('ride_home_confirmation_appointment_idx').on(t.clinicId, t.appointmentId, t.confirmedAt),
    check(
      'ride_home_confirmation_escort',
      sql`${t.status} = 'withdrawn' OR (${t.escortName} IS NOT NULL AND ${t.escortPhone} IS NOT NULL AND ${t.escortRelationship} IS NOT NULL)`,
    ),
  ],
);

/**
 * The patient's acknowledgement that they will not drive until the next day after the session, with the
 * exact words acknowledged. From the portal, or recorded by staff on the patient's behalf (and saying so).
 * Append-only (trigger).
 */
export const noDrivingAcknowledgement = pgTable(
  'no_driving_acknowledgement',
  {
    id: uuid('id').notNull(),
    clinicId: uuid('clinic_id').notNull(),
    appointmentId: uuid('appointment_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    via: text('via').$type<'portal' | 'staff-on-behalf'>().notNull(),
    /** The patient's account (portal) or the staff member who recorded it. */
    recordedBy: uuid('recorded_by').notNull(),
    statement: text('statement').notNull(),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    unique('no_driving_acknowledgement_id_key').on(t.id),
    foreignKey({
      columns: [t.clinicId, t.appointmentId],
      foreignColumns: [appointment.clinicId, appointment.id],
    }),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patient.clinicId, patient.id] }),
    foreignKey({
      columns: [t.clinicId, t.recordedBy],
      foreignColumns: [userAccount.clinicId, userAccount.id],
    }),
    index('no_driving_acknowledgement_appointment_idx').on(t.clinicId, t.appointmentId),
  ],
);

/**
 * A staff member's secret iCalendar feed. Only the SHA-256 of the token is stored: the URL is shown once.
 * At most one live feed per person; rotating revokes the old one and creates a new one.
 */
export const calendarFeed = pgTable(
  'calendar_feed',
  {
    id: uuid('id').notNull(),
    clinicId: uuid('clinic_id').notNull(),
    userId: uuid('user_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    fetchCount: integer('fetch_count').notNull().default(0),
    lastFetchedAt: timestamp('last_fetched_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    unique('calendar_feed_id_key').on(t.id),
    uniqueIndex('calendar_feed_token_key').on(t.tokenHash),
    uniqueIndex('calendar_feed_live_key').on(t.clinicId, t.userId).where(sql`${t.revokedAt} IS NULL`),
    foreignKey({ columns: [t.clinicId, t.userId], foreignColumns: [userAccount.clinicId, userAccount.id] }),
  ],
);
