// Tables for the controlled-substance ledger: registered locations, products, lots and the append-only
// ledger of entries (helper: ledger-core). Ketamine and esketamine are Schedule III (clinical-reference 6,
// 21 CFR 1308.13(c)(7)); the records follow 21 CFR 1304.21 and 1304.22(c).
import type { Product } from '@kapstone/clinical';
import { sql } from 'drizzle-orm';
import {
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { userAccount } from './identity.ts';
import { patient } from './patients.ts';

/**
 * A registered location: a place where the clinic stores, administers or dispenses controlled substances
 * under its own DEA registration (21 CFR 1301.12(a)); records are kept separately for each (1304.21(b)).
 * Set up by an admin; its name and address may be corrected (audited), its registration number too.
 */
export const ledgerLocation = pgTable(
  'ledger_location',
  {
    id: uuid('id').notNull(),
    clinicId: uuid('clinic_id').notNull(),
    name: text('name').notNull(),
    address: text('address').notNull(),
    /** DEA registration number of this location (two letters and seven digits). */
    deaRegistration: text('dea_registration').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    unique('ledger_location_id_key').on(t.id),
    unique('ledger_location_registration_key').on(t.clinicId, t.deaRegistration),
    foreignKey({
      columns: [t.clinicId, t.createdBy],
      foreignColumns: [userAccount.clinicId, userAccount.id],
    }),
    check('ledger_location_dea_format', sql`${t.deaRegistration} ~ '^[A-Z]{2}[0-9]{7}$'`),
  ],
);

/** The finished form of a product: what a container holds and the unit the ledger counts it in. */
export const ledgerForms = ['vial', 'nasal-spray', 'nasal-device', 'troche'] as const;
export type LedgerForm = (typeof ledgerForms)[number];
/** Liquids are counted in mL; devices and troches in whole units. */
export const ledgerUnits = ['mL', 'device', 'troche'] as const;
export type LedgerUnit = (typeof ledgerUnits)[number];

/**
 * A product as the clinic buys it (21 CFR 1304.22(c)(1)-(2)): the substance, the finished form and
 * concentration, and the units or volume in each commercial container, identified by its NDC. Never
 * changed once used (append-only trigger): a different presentation is a different product.
 */
export const ledgerProduct = pgTable(
  'ledger_product',
  {
    id: uuid('id').notNull(),
    clinicId: uuid('clinic_id').notNull(),
    /** The clinical product it is (racemic ketamine or esketamine). */
    product: text('product').$type<Product>().notNull(),
    /** As on the label, e.g. "Ketamine HCl injection, USP". */
    name: text('name').notNull(),
    ndc: text('ndc').notNull(),
    form: text('form').$type<LedgerForm>().notNull(),
    unit: text('unit').$type<LedgerUnit>().notNull(),
    /** mg of the substance per unit (per mL, per device, per troche). */
    concentrationMgPerUnit: numeric('concentration_mg_per_unit', {
      precision: 10,
      scale: 3,
      mode: 'number',
    }).notNull(),
    /** Units or volume in one commercial container (e.g. 10 mL in a vial, 1 device, 30 troches). */
    containerSize: numeric('container_size', { precision: 10, scale: 3, mode: 'number' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    unique('ledger_product_id_key').on(t.id),
    unique('ledger_product_ndc_key').on(t.clinicId, t.ndc),
    foreignKey({
      columns: [t.clinicId, t.createdBy],
      foreignColumns: [userAccount.clinicId, userAccount.id],
    }),
    check('ledger_product_product_check', sql`${t.product} IN ('ketamine-racemic', 'esketamine')`),
    check(
      'ledger_product_form_unit_check',
      sql`(${t.form} IN ('vial', 'nasal-spray') AND ${t.unit} = 'mL') OR (${t.form} = 'nasal-device' AND ${t.unit} = 'device') OR (${t.form} = 'troche' AND ${t.unit} = 'troche')`,
    ),
    check('ledger_product_concentration_positive', sql`${t.concentrationMgPerUnit} > 0`),
    check('ledger_product_container_positive', sql`${t.containerSize} > 0`),
  ],
);

/**
 * One lot of a product held at a location, created by its first receipt. Its balance is never stored here:
 * it is the sum of its entries (and each entry keeps the balance after it). The lot row is what the entry
 * trigger locks, so entries of one lot are checked one after another. Never changed (append-only trigger).
 */
export const ledgerLot = pgTable(
  'ledger_lot',
  {
    id: uuid('id').notNull(),
    clinicId: uuid('clinic_id').notNull(),
    locationId: uuid('location_id').notNull(),
    productId: uuid('product_id').notNull(),
    lotNumber: text('lot_number').notNull(),
    expiresOn: date('expires_on', { mode: 'string' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    unique('ledger_lot_id_key').on(t.id),
    unique('ledger_lot_number_key').on(t.clinicId, t.locationId, t.productId, t.lotNumber),
    foreignKey({
      columns: [t.clinicId, t.locationId],
      foreignColumns: [ledgerLocation.clinicId, ledgerLocation.id],
    }),
    foreignKey({
      columns: [t.clinicId, t.productId],
      foreignColumns: [ledgerProduct.clinicId, ledgerProduct.id],
    }),
  ],
);

export const ledgerEntryKinds = [
  'receipt',
  'administration',
  'waste',
  'transfer',
  'loss',
  'adjustment',
  'correction',
] as const;
export type LedgerEntryKind = (typeof ledgerEntryKinds)[number];

/** A theft or loss as DEA Form 106 asks for it (21 CFR 1301.76(b); clinical-reference 6). */
export interface LossReport {
  kind: 'theft' | 'loss' | 'loss-in-transit';
  discoveredAt: string;
  /** What happened, as far as known. */
  circumstances: string;
  /** Whether the loss is judged significant (any theft is reportable). */
  significant: boolean;
  /** Written notice to the DEA Field Division Office (due within 1 business day of discovery). */
  deaFieldOfficeNotifiedAt: string | null;
  policeNotified: boolean;
  policeReportNumber: string | null;
  /** The Form 106 submission (electronic, within 45 days), once made. */
  form106SubmittedAt: string | null;
}

/**
 * The ledger: one row per receipt, administration, waste, transfer or return, loss or theft, adjustment or
 * correction, never changed or removed (append-only trigger); a mistake is corrected by a reversing entry
 * (`reverses_id`). The id is generated by the client so a retried write finds its first row.
 *
 * `quantity` is the signed change in the lot's unit (mL, devices, troches): positive for receipts, negative
 * for what leaves; `quantity_mg` follows from the product's concentration. The BEFORE INSERT trigger
 * (migration ledger_balance) locks the lot, sums its entries and refuses an entry that would take the
 * balance below zero; it writes the balance after the entry in `balance_after`.
 */
export const ledgerEntry = pgTable(
  'ledger_entry',
  {
    id: uuid('id').notNull(),
    clinicId: uuid('clinic_id').notNull(),
    locationId: uuid('location_id').notNull(),
    lotId: uuid('lot_id').notNull(),
    kind: text('kind').$type<LedgerEntryKind>().notNull(),
    quantity: numeric('quantity', { precision: 12, scale: 3, mode: 'number' }).notNull(),
    quantityMg: numeric('quantity_mg', { precision: 14, scale: 3, mode: 'number' }).notNull(),
    /** Set by the trigger: the lot's balance after this entry, in the lot's unit. */
    balanceAfter: numeric('balance_after', { precision: 12, scale: 3, mode: 'number' }).notNull(),
    /** The actual date and time it happened (21 CFR 1304.21(d)); may be earlier than it was recorded. */
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    recordedBy: uuid('recorded_by').notNull(),
    /** The name of the person who recorded it, as it was then (1304.22(c)(4): name or initials). */
    recordedByName: text('recorded_by_name').notNull(),
    /** Waste: the second person who saw it and signed with their password. */
    witnessId: uuid('witness_id'),
    witnessName: text('witness_name'),
    /** Adjustment: the admin who signed it with their password. */
    signedBy: uuid('signed_by'),
    signerName: text('signer_name'),
    /** Administration (and a waste after a dose): the dosing session, the administration and the patient. */
    sessionId: uuid('session_id'),
    administrationId: uuid('administration_id'),
    patientId: uuid('patient_id'),
    /** Receipts: containers received; transfers: containers sent (where whole containers move). */
    containers: integer('containers'),
    /** Receipt: the supplier; transfer: the reverse distributor or registrant it went to. */
    counterpartyName: text('counterparty_name'),
    counterpartyAddress: text('counterparty_address'),
    counterpartyDea: text('counterparty_dea'),
    /** Receipt: the invoice or order record; transfer: the shipping or DEA Form 41 reference. */
    documentNumber: text('document_number'),
    /** Waste, adjustment, correction, transfer: why, in the recorder's words. */
    reason: text('reason'),
    lossReport: jsonb('loss_report').$type<LossReport>(),
    reversesId: uuid('reverses_id'),
    /** SHA-256 of the request that created it: the same id with a different request is refused. */
    requestFingerprint: text('request_fingerprint').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    unique('ledger_entry_id_key').on(t.id),
    unique('ledger_entry_reverses_once_key').on(t.clinicId, t.reversesId),
    unique('ledger_entry_administration_key').on(t.clinicId, t.administrationId, t.kind),
    foreignKey({ columns: [t.clinicId, t.lotId], foreignColumns: [ledgerLot.clinicId, ledgerLot.id] }),
    foreignKey({
      columns: [t.clinicId, t.locationId],
      foreignColumns: [ledgerLocation.clinicId, ledgerLocation.id],
    }),
    foreignKey({
      columns: [t.clinicId, t.recordedBy],
      foreignColumns: [userAccount.clinicId, userAccount.id],
    }),
    foreignKey({
      columns: [t.clinicId, t.witnessId],
      foreignColumns: [userAccount.clinicId, userAccount.id],
    }),
    foreignKey({
      columns: [t.clinicId, t.signedBy],
      foreignColumns: [userAccount.clinicId, userAccount.id],
    }),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patient.clinicId, patient.id] }),
    foreignKey({
      name: 'ledger_entry_reverses_fk',
      columns: [t.clinicId, t.reversesId],
      foreignColumns: [t.clinicId, t.id],
    }),
    index('ledger_entry_lot_idx').on(t.clinicId, t.lotId, t.recordedAt),
    index('ledger_entry_list_idx').on(t.clinicId, t.recordedAt, t.id),
    index('ledger_entry_session_idx').on(t.clinicId, t.sessionId),
    check(
      'ledger_entry_kind_check',
      sql`${t.kind} IN ('receipt', 'administration', 'waste', 'transfer', 'loss', 'adjustment', 'correction')`,
    ),
    check(
      'ledger_entry_sign_check',
      sql`CASE ${t.kind} WHEN 'receipt' THEN ${t.quantity} > 0 WHEN 'adjustment' THEN ${t.quantity} <> 0 WHEN 'correction' THEN ${t.quantity} <> 0 ELSE ${t.quantity} < 0 END`,
    ),
    check('ledger_entry_balance_nonnegative', sql`${t.balanceAfter} >= 0`),
    check(
      'ledger_entry_receipt_shape',
      sql`${t.kind} <> 'receipt' OR (${t.counterpartyName} IS NOT NULL AND ${t.counterpartyAddress} IS NOT NULL AND ${t.counterpartyDea} IS NOT NULL AND ${t.documentNumber} IS NOT NULL AND ${t.containers} > 0)`,
    ),
    check(
      'ledger_entry_administration_shape',
      sql`${t.kind} <> 'administration' OR (${t.sessionId} IS NOT NULL AND ${t.administrationId} IS NOT NULL AND ${t.patientId} IS NOT NULL)`,
    ),
    check(
      'ledger_entry_waste_shape',
      sql`${t.kind} <> 'waste' OR (${t.witnessId} IS NOT NULL AND ${t.witnessId} <> ${t.recordedBy} AND ${t.reason} IS NOT NULL)`,
    ),
    check(
      'ledger_entry_transfer_shape',
      sql`${t.kind} <> 'transfer' OR (${t.counterpartyName} IS NOT NULL AND ${t.counterpartyAddress} IS NOT NULL)`,
    ),
    check('ledger_entry_loss_shape', sql`(${t.kind} = 'loss') = (${t.lossReport} IS NOT NULL)`),
    check(
      'ledger_entry_adjustment_shape',
      sql`${t.kind} <> 'adjustment' OR (${t.signedBy} IS NOT NULL AND ${t.reason} IS NOT NULL)`,
    ),
    check(
      'ledger_entry_correction_shape',
      sql`(${t.kind} = 'correction') = (${t.reversesId} IS NOT NULL) AND (${t.kind} <> 'correction' OR ${t.reason} IS NOT NULL)`,
    ),
    check('ledger_entry_not_self', sql`${t.reversesId} IS NULL OR ${t.reversesId} <> ${t.id}`),
    check('ledger_entry_fingerprint', sql`${t.requestFingerprint} ~ '^[0-9a-f]{64}$'`),
  ],
);

export const lossFilingKinds = ['field-office-notice', 'form-106'] as const;
export type LossFilingKind = (typeof lossFilingKinds)[number];

/**
 * What was filed for a theft or loss after it was recorded (21 CFR 1301.76(b)): the written notice to the DEA
 * Field Division Office (within one business day of discovery) and the electronic DEA Form 106 (within 45
 * days). The loss entry itself is never changed, so each filing is a row of its own, append-only; each kind is
 * filed once per loss.
 */
export const ledgerLossFiling = pgTable(
  'ledger_loss_filing',
  {
    id: uuid('id').notNull(),
    clinicId: uuid('clinic_id').notNull(),
    entryId: uuid('entry_id').notNull(),
    kind: text('kind').$type<LossFilingKind>().notNull(),
    filedAt: timestamp('filed_at', { withTimezone: true }).notNull(),
    /** The confirmation or reference number DEA gave, where there is one. */
    reference: text('reference'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    recordedBy: uuid('recorded_by').notNull(),
    recordedByName: text('recorded_by_name').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    unique('ledger_loss_filing_id_key').on(t.id),
    unique('ledger_loss_filing_once_key').on(t.clinicId, t.entryId, t.kind),
    foreignKey({
      columns: [t.clinicId, t.entryId],
      foreignColumns: [ledgerEntry.clinicId, ledgerEntry.id],
    }),
    foreignKey({
      columns: [t.clinicId, t.recordedBy],
      foreignColumns: [userAccount.clinicId, userAccount.id],
    }),
    check('ledger_loss_filing_kind_check', sql`${t.kind} IN ('field-office-notice', 'form-106')`),
  ],
);
