// Tables for risk alerts for the care team (helper: measures).
import {
  foreignKey,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { userAccount } from './identity.ts';
import { patient } from './patients.ts';

export type AlertSeverity = 'critical' | 'high' | 'moderate' | 'low';
export type AlertStatus = 'open' | 'acknowledged';

/**
 * Something about a patient the care team must act on (a suicide-risk screen, later more kinds and
 * escalation). Kept general: kind, severity, owner, status and acknowledgement. Never deleted, and what was
 * raised cannot be rewritten (trigger): only the owner, the status and the acknowledgement move.
 */
export const alert = pgTable(
  'alert',
  {
    id: uuid('id').notNull(),
    clinicId: uuid('clinic_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    kind: text('kind').notNull(),
    severity: text('severity').$type<AlertSeverity>().notNull(),
    /** What a clinician needs to act, without answer values beyond that. */
    summary: text('summary').notNull(),
    /** What raised it, e.g. 'questionnaire-response' and the response's id. */
    sourceType: text('source_type').notNull(),
    sourceId: uuid('source_id').notNull(),
    /** The staff member responsible; null means the clinic's care team as a whole (unassigned). */
    ownerId: uuid('owner_id'),
    status: text('status').$type<AlertStatus>().notNull().default('open'),
    raisedAt: timestamp('raised_at', { withTimezone: true }).notNull(),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    acknowledgedBy: uuid('acknowledged_by'),
    /** The action taken, in the acknowledging clinician's words (required to acknowledge). */
    acknowledgementAction: text('acknowledgement_action'),
    /**
     * When the alert, still open past the clinic's escalation time for its severity, went to the on-call role
     * (set once, by the escalation task; a trigger keeps it).
     */
    escalatedAt: timestamp('escalated_at', { withTimezone: true }),
    /** The clinic's on-call role at that moment (e.g. 'prescriber'). */
    escalatedToRole: text('escalated_to_role'),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    unique('alert_id_key').on(t.id),
    unique('alert_source_kind_key').on(t.clinicId, t.sourceType, t.sourceId, t.kind),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patient.clinicId, patient.id] }),
    foreignKey({ columns: [t.clinicId, t.ownerId], foreignColumns: [userAccount.clinicId, userAccount.id] }),
    foreignKey({
      columns: [t.clinicId, t.acknowledgedBy],
      foreignColumns: [userAccount.clinicId, userAccount.id],
    }),
    index('alert_clinic_status_idx').on(t.clinicId, t.status, t.raisedAt),
    index('alert_patient_idx').on(t.clinicId, t.patientId),
    index('alert_owner_idx').on(t.clinicId, t.ownerId, t.status),
  ],
);

export const alertEventKinds = ['raised', 'routed', 'escalated', 'reassigned', 'acknowledged'] as const;
export type AlertEventKind = (typeof alertEventKinds)[number];

/**
 * The trail of an alert: raised, routed (to whom and why), escalated (to which on-call role and people),
 * reassigned (from whom, to whom, why), acknowledged. Append-only (trigger): the alert row holds where it
 * stands now, this table how it got there.
 */
export const alertEvent = pgTable(
  'alert_event',
  {
    id: uuid('id').notNull(),
    clinicId: uuid('clinic_id').notNull(),
    alertId: uuid('alert_id').notNull(),
    kind: text('kind').$type<AlertEventKind>().notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    /** The staff member who acted; null when Kapstone did it (raising, routing, escalation). */
    actorId: uuid('actor_id'),
    /** routed, reassigned: the new owner (null: routed to the care team as a whole). */
    ownerId: uuid('owner_id'),
    /** reassigned: the owner before. */
    previousOwnerId: uuid('previous_owner_id'),
    /** escalated: the on-call role. */
    role: text('role'),
    /** Why, in words: the routing rule that chose the owner, the reason for a reassignment, the action taken. */
    note: text('note'),
    /** Ids only, never clinical content: e.g. the on-call staff notified. */
    detail: jsonb('detail').$type<{ notifiedUserIds?: string[] }>(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    unique('alert_event_id_key').on(t.id),
    foreignKey({ columns: [t.clinicId, t.alertId], foreignColumns: [alert.clinicId, alert.id] }),
    foreignKey({ columns: [t.clinicId, t.actorId], foreignColumns: [userAccount.clinicId, userAccount.id] }),
    foreignKey({ columns: [t.clinicId, t.ownerId], foreignColumns: [userAccount.clinicId, userAccount.id] }),
    foreignKey({
      columns: [t.clinicId, t.previousOwnerId],
      foreignColumns: [userAccount.clinicId, userAccount.id],
    }),
    index('alert_event_alert_idx').on(t.clinicId, t.alertId, t.occurredAt),
  ],
);
