// Tables for risk alerts for the care team (helper: measures).
import { foreignKey, index, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
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
  ],
);
