// Tables for the ledger's counts, inventories and settings (helper: ledger-reports). A physical count and an
// inventory are records of what was on hand, kept beside the ledger: they never change a balance. A
// discrepancy is resolved by an entry of its own (an adjustment, a loss report, a missed receipt), linked to
// the count here (clinical-reference 6; 21 CFR 1304.11, 1304.21).
import type { CountMethod, InventoryJurisdiction } from '@kapstone/clinical';
import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { clinic } from './clinic.ts';
import { userAccount } from './identity.ts';
import { ledgerEntry, ledgerLocation, ledgerLot } from './ledger.ts';

/**
 * 'count': a physical count of some lots against the book balance (whenever the clinic counts).
 * 'initial-inventory': the first inventory of a location (a zero inventory when nothing is on hand).
 * 'biennial-inventory': each later inventory, within the interval of the previous one (21 CFR 1304.11).
 */
export const ledgerCountKinds = ['count', 'initial-inventory', 'biennial-inventory'] as const;
export type LedgerCountKind = (typeof ledgerCountKinds)[number];
/** An inventory notes whether it was taken at the opening or the close of business (1304.11(a)). */
export const businessTimes = ['opening', 'close'] as const;
export type BusinessTime = (typeof businessTimes)[number];

/**
 * One count or inventory of a registered location, never changed (append-only trigger). The id is generated
 * by the client, so a retried submission finds its first row.
 */
export const ledgerCount = pgTable(
  'ledger_count',
  {
    id: uuid('id').notNull(),
    clinicId: uuid('clinic_id').notNull(),
    locationId: uuid('location_id').notNull(),
    kind: text('kind').$type<LedgerCountKind>().notNull(),
    /** When the stock was counted (the inventory's date and time). */
    takenAt: timestamp('taken_at', { withTimezone: true }).notNull(),
    /** Inventories: at the opening or the close of business. */
    businessTime: text('business_time').$type<BusinessTime>(),
    countedBy: uuid('counted_by').notNull(),
    countedByName: text('counted_by_name').notNull(),
    note: text('note'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    /** SHA-256 of the request that created it: the same id with a different request is refused. */
    requestFingerprint: text('request_fingerprint').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    unique('ledger_count_id_key').on(t.id),
    foreignKey({
      columns: [t.clinicId, t.locationId],
      foreignColumns: [ledgerLocation.clinicId, ledgerLocation.id],
    }),
    foreignKey({
      columns: [t.clinicId, t.countedBy],
      foreignColumns: [userAccount.clinicId, userAccount.id],
    }),
    /** A location has one initial inventory. */
    uniqueIndex('ledger_count_one_initial_key')
      .on(t.clinicId, t.locationId)
      .where(sql`${t.kind} = 'initial-inventory'`),
    check('ledger_count_kind_check', sql`${t.kind} IN ('count', 'initial-inventory', 'biennial-inventory')`),
    check(
      'ledger_count_business_time_check',
      sql`(${t.businessTime} IS NULL OR ${t.businessTime} IN ('opening', 'close')) AND (${t.kind} = 'count' OR ${t.businessTime} IS NOT NULL)`,
    ),
    check('ledger_count_fingerprint', sql`${t.requestFingerprint} ~ '^[0-9a-f]{64}$'`),
  ],
);

/**
 * One lot of a count: what was on hand (sealed containers and the contents of opened ones), how it was
 * counted, and the book balance at the time of the count as the ledger gave it when the count was recorded.
 */
export const ledgerCountLine = pgTable(
  'ledger_count_line',
  {
    clinicId: uuid('clinic_id').notNull(),
    countId: uuid('count_id').notNull(),
    lotId: uuid('lot_id').notNull(),
    /** Unopened commercial containers (counted whole). */
    sealedContainers: integer('sealed_containers').notNull(),
    /** Opened containers, and what they hold in the lot's unit (the total of their contents). */
    openedContainers: integer('opened_containers').notNull(),
    openedQuantity: numeric('opened_quantity', { precision: 12, scale: 3, mode: 'number' }).notNull(),
    /** 'estimated' only where the jurisdiction allows an estimate for an opened container. */
    method: text('method').$type<CountMethod>().notNull(),
    /** sealed × container size + opened quantity, in the lot's unit. */
    countedQuantity: numeric('counted_quantity', { precision: 12, scale: 3, mode: 'number' }).notNull(),
    /** The lot's balance from the entries that happened up to the count. */
    bookBalance: numeric('book_balance', { precision: 12, scale: 3, mode: 'number' }).notNull(),
    /** counted − book (negative: a shortage). */
    difference: numeric('difference', { precision: 12, scale: 3, mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.countId, t.lotId] }),
    foreignKey({
      columns: [t.clinicId, t.countId],
      foreignColumns: [ledgerCount.clinicId, ledgerCount.id],
    }),
    foreignKey({ columns: [t.clinicId, t.lotId], foreignColumns: [ledgerLot.clinicId, ledgerLot.id] }),
    check(
      'ledger_count_line_quantities',
      sql`${t.sealedContainers} >= 0 AND ${t.openedContainers} >= 0 AND ${t.openedQuantity} >= 0 AND ${t.countedQuantity} >= 0 AND ${t.bookBalance} >= 0`,
    ),
    check('ledger_count_line_method', sql`${t.method} IN ('exact', 'estimated')`),
    check('ledger_count_line_difference', sql`${t.difference} = ${t.countedQuantity} - ${t.bookBalance}`),
  ],
);

/**
 * A ledger entry that accounts for a count's discrepancy on one lot (an adjustment, a loss or theft, a
 * receipt or correction found missing). Linked, never changed (append-only trigger).
 */
export const ledgerCountResolution = pgTable(
  'ledger_count_resolution',
  {
    clinicId: uuid('clinic_id').notNull(),
    countId: uuid('count_id').notNull(),
    lotId: uuid('lot_id').notNull(),
    entryId: uuid('entry_id').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    recordedBy: uuid('recorded_by').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.countId, t.lotId, t.entryId] }),
    /** An entry accounts for one discrepancy only. */
    unique('ledger_count_resolution_entry_key').on(t.clinicId, t.entryId),
    foreignKey({
      columns: [t.clinicId, t.countId, t.lotId],
      foreignColumns: [ledgerCountLine.clinicId, ledgerCountLine.countId, ledgerCountLine.lotId],
    }),
    foreignKey({
      columns: [t.clinicId, t.entryId],
      foreignColumns: [ledgerEntry.clinicId, ledgerEntry.id],
    }),
    foreignKey({
      columns: [t.clinicId, t.recordedBy],
      foreignColumns: [userAccount.clinicId, userAccount.id],
    }),
  ],
);

/** The clinic's ledger settings (@kapstone/clinical LedgerSettings); every field optional. */
export interface LedgerSettingsValues {
  /** The inventory rules in force (federal, or a stricter state). Absent: federal. */
  jurisdiction?: InventoryJurisdiction;
  /** Shorter than the jurisdiction's interval if the clinic wants. */
  inventoryIntervalMonths?: number;
  /** Years the ledger's records are kept, at least 2 (21 CFR 1304.04(a)). Absent: 2. */
  retentionYears?: number;
  /** How far an estimated count may differ from the book balance; no default (the reference gives none). */
  estimateToleranceQuantity?: number | null;
}

/** One row per clinic; configuration, so it may change (audited with what changed). */
export const ledgerSettings = pgTable('ledger_settings', {
  clinicId: uuid('clinic_id')
    .primaryKey()
    .references(() => clinic.id),
  values: jsonb('values').$type<LedgerSettingsValues>().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  updatedBy: uuid('updated_by').notNull(),
});
