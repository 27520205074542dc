import {
  boolean,
  foreignKey,
  index,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
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
