import { z } from 'zod';
import { ledgerEntryKinds, ledgerForms, ledgerUnits, lossFilingKinds } from '../../db/schema/ledger.ts';

/**
 * Request and response shapes of the controlled-substance ledger (clinical-reference 6; 21 CFR 1304.21,
 * 1304.22(c), 1301.76(b)). Quantities are in the lot's unit: mL for vials and sprays, whole devices or
 * troches; mg follow from the product's concentration. The web screens build their forms from these.
 */

const text = (max: number, what: string) =>
  z
    .string({ error: `Enter ${what}.` })
    .trim()
    .min(1, `Enter ${what}.`)
    .max(max, `At most ${max} characters.`);

/** A DEA registration number: two letters and seven digits (e.g. "AB1234563"). */
export const deaNumber = z
  .string({ error: 'Enter the DEA registration number.' })
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}[0-9]{7}$/, 'A DEA number is two letters and seven digits.');

/** A positive amount with at most three decimals (0.001 mL). */
export const quantity = z
  .number({ error: 'Enter an amount.' })
  .positive('The amount must be above zero.')
  .max(100_000, 'Check the amount.')
  .refine((v) => Math.abs(Math.round(v * 1000) - v * 1000) < 1e-6, 'At most three decimals.');

/** A signed, non-zero amount (an adjustment adds or removes). */
export const signedQuantity = z
  .number({ error: 'Enter an amount.' })
  .refine((v) => v !== 0, 'An adjustment changes the balance: use a non-zero amount.')
  .refine((v) => Math.abs(v) <= 100_000, 'Check the amount.')
  .refine((v) => Math.abs(Math.round(v * 1000) - v * 1000) < 1e-6, 'At most three decimals.');

const isoDate = z.iso.date({ error: 'A date as YYYY-MM-DD.' });
const instant = z.iso.datetime({ offset: true, error: 'A date and time with its offset.' });
const password = z.string({ error: 'Enter the password.' }).min(1, 'Enter the password.').max(256);

// Locations ---------------------------------------------------------------------------------------------

export const locationInputSchema = z.strictObject({
  name: text(200, 'the location name'),
  address: text(500, 'the address registered with the DEA'),
  deaRegistration: deaNumber,
});
export type LocationInput = z.infer<typeof locationInputSchema>;

export const locationUpdateSchema = locationInputSchema.partial();

export const locationView = z.object({
  id: z.uuid(),
  name: z.string(),
  address: z.string(),
  deaRegistration: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type LocationView = z.infer<typeof locationView>;

// Products ----------------------------------------------------------------------------------------------

export const productInputSchema = z.strictObject({
  product: z.enum(['ketamine-racemic', 'esketamine']),
  /** As on the label, e.g. "Ketamine HCl injection, USP 50 mg/mL". */
  name: text(200, 'the product name'),
  /** National Drug Code as printed (10 or 11 digits, with or without hyphens). */
  ndc: z
    .string({ error: 'Enter the NDC.' })
    .trim()
    .regex(/^(\d{4}-\d{4}-\d{2}|\d{5}-\d{3}-\d{2}|\d{5}-\d{4}-\d{1,2}|\d{10,11})$/, 'An NDC as printed.'),
  form: z.enum(ledgerForms),
  /** mg per mL (vials, sprays), per device or per troche. */
  concentrationMgPerUnit: quantity,
  /** Units or volume in one commercial container (e.g. 10 mL in a vial). */
  containerSize: quantity,
});
export type ProductInput = z.infer<typeof productInputSchema>;

export const productView = z.object({
  id: z.uuid(),
  product: z.enum(['ketamine-racemic', 'esketamine']),
  name: z.string(),
  ndc: z.string(),
  form: z.enum(ledgerForms),
  unit: z.enum(ledgerUnits),
  concentrationMgPerUnit: z.number(),
  containerSize: z.number(),
});
export type ProductView = z.infer<typeof productView>;

// Lots and balances -------------------------------------------------------------------------------------

export const lotView = z.object({
  id: z.uuid(),
  locationId: z.uuid(),
  productId: z.uuid(),
  product: z.enum(['ketamine-racemic', 'esketamine']),
  productName: z.string(),
  ndc: z.string(),
  form: z.enum(ledgerForms),
  unit: z.enum(ledgerUnits),
  concentrationMgPerUnit: z.number(),
  containerSize: z.number(),
  lotNumber: z.string(),
  expiresOn: z.string(),
  /** True when the clinic's date today is after the expiry date. */
  expired: z.boolean(),
  /** The sum of the lot's entries, in its unit, and in mg. */
  balance: z.number(),
  balanceMg: z.number(),
});
export type LotView = z.infer<typeof lotView>;

export const lotsQuerySchema = z.strictObject({
  locationId: z.uuid().optional(),
  product: z.enum(['ketamine-racemic', 'esketamine']).optional(),
  /** Also list lots whose balance is zero. */
  includeEmpty: z.enum(['true', 'false']).optional(),
});

export const dispensableLotsQuerySchema = z.strictObject({
  product: z.enum(['ketamine-racemic', 'esketamine']),
  route: z.enum(['iv', 'im', 'sublingual', 'oral', 'intranasal']).optional(),
  locationId: z.uuid().optional(),
});

/** Balance per product and location: the sum of its lots. */
export const productBalanceView = z.object({
  locationId: z.uuid(),
  productId: z.uuid(),
  product: z.enum(['ketamine-racemic', 'esketamine']),
  productName: z.string(),
  ndc: z.string(),
  unit: z.enum(ledgerUnits),
  concentrationMgPerUnit: z.number(),
  balance: z.number(),
  balanceMg: z.number(),
  lots: z.number().int(),
});
export type ProductBalanceView = z.infer<typeof productBalanceView>;

// Entries -----------------------------------------------------------------------------------------------

const person = z.object({ id: z.uuid(), name: z.string() });

export const lossReportSchema = z.strictObject({
  kind: z.enum(['theft', 'loss', 'loss-in-transit']),
  discoveredAt: instant,
  circumstances: text(4000, 'what happened'),
  /** Whether the loss is judged significant (21 CFR 1301.76(b) factors); any theft is reportable. */
  significant: z.boolean(),
  deaFieldOfficeNotifiedAt: instant.nullable().default(null),
  policeNotified: z.boolean().default(false),
  policeReportNumber: z.string().trim().max(100).nullable().default(null),
  form106SubmittedAt: instant.nullable().default(null),
});

export const entryView = z.object({
  id: z.uuid(),
  kind: z.enum(ledgerEntryKinds),
  locationId: z.uuid(),
  lot: z.object({
    id: z.uuid(),
    lotNumber: z.string(),
    expiresOn: z.string(),
    productId: z.uuid(),
    productName: z.string(),
    ndc: z.string(),
    unit: z.enum(ledgerUnits),
    concentrationMgPerUnit: z.number(),
  }),
  /** Signed change in the lot's unit: positive in, negative out. */
  quantity: z.number(),
  quantityMg: z.number(),
  balanceAfter: z.number(),
  occurredAt: z.string(),
  recordedAt: z.string(),
  recordedBy: person,
  witness: person.nullable(),
  signedBy: person.nullable(),
  sessionId: z.uuid().nullable(),
  administrationId: z.uuid().nullable(),
  patientId: z.uuid().nullable(),
  containers: z.number().int().nullable(),
  counterparty: z
    .object({ name: z.string(), address: z.string(), deaNumber: z.string().nullable() })
    .nullable(),
  documentNumber: z.string().nullable(),
  reason: z.string().nullable(),
  lossReport: lossReportSchema.nullable(),
  reversesId: z.uuid().nullable(),
  /** The correction that reversed this entry, if any. */
  reversedById: z.uuid().nullable(),
});
export type EntryView = z.infer<typeof entryView>;

export const entriesQuerySchema = z.strictObject({
  locationId: z.uuid().optional(),
  lotId: z.uuid().optional(),
  productId: z.uuid().optional(),
  kind: z.enum(ledgerEntryKinds).optional(),
  sessionId: z.uuid().optional(),
  /** Occurred at or after / before (exclusive). */
  from: instant.optional(),
  to: instant.optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type EntriesQuery = z.infer<typeof entriesQuerySchema>;

export const entriesPage = z.object({ items: z.array(entryView), nextCursor: z.string().nullable() });

// Entry requests: each carries a client-generated id, so a retry returns the first result --------------

const supplier = z.strictObject({
  name: text(200, "the supplier's name"),
  address: text(500, "the supplier's address"),
  deaNumber: deaNumber,
});

/** Containers received from a supplier (21 CFR 1304.22(c)(3)); the lot is created at its first receipt. */
export const receiptInputSchema = z.strictObject({
  id: z.uuid(),
  locationId: z.uuid(),
  productId: z.uuid(),
  lotNumber: text(100, 'the lot number'),
  expiresOn: isoDate,
  /** Whole commercial containers received; the quantity is containers × the product's container size. */
  containers: z.number().int('Whole containers.').min(1).max(10_000),
  supplier,
  invoiceNumber: text(100, 'the invoice or order number'),
  /** The actual date of receipt (1304.21(d)). */
  receivedAt: instant,
});
export type ReceiptInput = z.infer<typeof receiptInputSchema>;

export const witnessSchema = z.strictObject({
  /** The witness's sign-in (email). */
  username: z.string().trim().min(1, "Enter the witness's email.").max(320),
  password,
});

/** Drug left after a dose, destroyed before two staff (clinical-reference 6: two signatures by default). */
export const wasteInputSchema = z.strictObject({
  id: z.uuid(),
  lotId: z.uuid(),
  quantity,
  sessionId: z.uuid().optional(),
  administrationId: z.uuid().optional(),
  witness: witnessSchema,
  reason: text(500, 'why and how it was wasted'),
  occurredAt: instant.optional(),
});
export type WasteInput = z.infer<typeof wasteInputSchema>;

/** Stock returned to a reverse distributor or transferred to another registrant. */
export const transferInputSchema = z.strictObject({
  id: z.uuid(),
  lotId: z.uuid(),
  quantity,
  containers: z.number().int().min(1).max(10_000).optional(),
  recipient: z.strictObject({
    name: text(200, "the recipient's name"),
    address: text(500, "the recipient's address"),
    deaNumber,
  }),
  /** Shipping record, DEA Form 41 or order reference. */
  documentNumber: z.string().trim().max(100).optional(),
  reason: text(500, 'why it leaves (expired, recalled, unwanted)'),
  occurredAt: instant,
});
export type TransferInput = z.infer<typeof transferInputSchema>;

/** A theft or loss: the data DEA Form 106 asks for; an admin is told at once. */
export const lossInputSchema = z.strictObject({
  id: z.uuid(),
  lotId: z.uuid(),
  quantity,
  report: lossReportSchema,
  occurredAt: instant.optional(),
});
export type LossInput = z.infer<typeof lossInputSchema>;

/** An adjustment of a lot's balance: a reason, and the admin's signature (password). */
export const adjustmentInputSchema = z.strictObject({
  id: z.uuid(),
  lotId: z.uuid(),
  quantity: signedQuantity,
  reason: text(1000, 'the reason for the adjustment'),
  password,
  occurredAt: instant.optional(),
});
export type AdjustmentInput = z.infer<typeof adjustmentInputSchema>;

/** A reversing entry: undoes one entry exactly, with a reason and the admin's signature. */
export const correctionInputSchema = z.strictObject({
  id: z.uuid(),
  reversesId: z.uuid(),
  reason: text(1000, 'what was wrong with the entry'),
  password,
});
export type CorrectionInput = z.infer<typeof correctionInputSchema>;

/** What was filed for a theft or loss afterwards: the DEA field-office notice, or Form 106. */
export const lossFilingInputSchema = z.strictObject({
  id: z.uuid(),
  kind: z.enum(lossFilingKinds),
  filedAt: instant,
  /** DEA's confirmation or reference number, where there is one. */
  reference: z.string().trim().max(100).optional(),
});
export type LossFilingInput = z.infer<typeof lossFilingInputSchema>;

export const lossFilingView = z.object({
  id: z.uuid(),
  entryId: z.uuid(),
  kind: z.enum(lossFilingKinds),
  filedAt: z.string(),
  reference: z.string().nullable(),
  recordedAt: z.string(),
  recordedBy: person,
});
export type LossFilingView = z.infer<typeof lossFilingView>;

/**
 * An open theft or loss (no Form 106 on record): the written notice to the DEA Field Division Office is due
 * by the end of the next business day after discovery (weekends skipped; the clinic's holidays are not known
 * here), Form 106 within 45 days (21 CFR 1301.76(b)).
 */
export const lossReportView = z.object({
  entry: entryView,
  filings: z.array(lossFilingView),
  /** The clinic's date by which the field-office notice is due (YYYY-MM-DD), null once filed. */
  fieldOfficeNoticeDueOn: z.string().nullable(),
  /** The clinic's date by which DEA Form 106 is due (YYYY-MM-DD); overdue after it. */
  form106DueBy: z.string(),
  overdue: z.boolean(),
});
export type LossReportView = z.infer<typeof lossReportView>;
