import { createHash, randomUUID } from 'node:crypto';
import {
  form106DueDays,
  lossReportDeadlines,
  type Product,
  type Route,
  roundQuantity,
} from '@kapstone/clinical';
import { and, asc, desc, eq, gte, inArray, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Clock } from '../../clock.ts';
import type { Actor, RequestMeta, Role, ServiceContext, StaffActor } from '../../context.ts';
import type { Database } from '../../db/client.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import {
  clinic,
  type LedgerForm,
  type LossReport,
  ledgerEntry,
  ledgerLocation,
  ledgerLossFiling,
  ledgerLot,
  ledgerProduct,
  roleAssignment,
  userAccount,
} from '../../db/schema/index.ts';
import { Conflict, Invalid, NotFound } from '../../errors.ts';
import { decodeCursor, encodeCursor } from '../../http/cursor.ts';
import { decoyPasswordHash, verifyPassword } from '../../security/passwords.ts';
import { rolePermissions } from '../../security/permissions.ts';
import { confirmPasswordForSignature } from '../auth/auth.service.ts';
import { enqueueMail } from '../mail/mail.service.ts';
import { localParts } from '../scheduling/clinic-time.ts';
import type {
  AdjustmentInput,
  CorrectionInput,
  EntriesQuery,
  EntryView,
  LocationInput,
  LocationView,
  LossFilingInput,
  LossFilingView,
  LossInput,
  LossReportView,
  LotView,
  ProductBalanceView,
  ProductInput,
  ProductView,
  ReceiptInput,
  TransferInput,
} from './ledger.schemas.ts';

/**
 * The controlled-substance ledger (clinical-reference 6). Every movement of stock is one append-only entry;
 * balances are sums of entries, never stored apart. The database has the last word (migration
 * 0021_ledger_balance): it locks the lot, refuses an entry that would take the balance below zero and writes
 * the balance after each entry. The service checks the same first, under the same lot lock, so a refusal is
 * a clear 409 rather than a failed statement.
 */

// Helpers -----------------------------------------------------------------------------------------------

/** The fingerprint of a request, for idempotent retries (key order does not matter). */
export function fingerprintOf(value: unknown): string {
  return createHash('sha256').update(canonical(value)).digest('hex');
}
function canonical(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

async function clinicTimeZone(ctx: ServiceContext): Promise<string> {
  const [row] = await ctx.tx
    .select({ timeZone: clinic.timeZone })
    .from(clinic)
    .where(eq(clinic.id, ctx.clinicId));
  return row?.timeZone ?? 'UTC';
}

async function clinicToday(ctx: ServiceContext, at: Date): Promise<string> {
  return localParts(at, await clinicTimeZone(ctx)).date;
}

/** Which finished forms a route draws from (an IV or IM dose comes from a vial, and so on). */
const formsForRoute: Record<Route, LedgerForm[]> = {
  iv: ['vial'],
  im: ['vial'],
  intranasal: ['nasal-device', 'nasal-spray'],
  sublingual: ['troche'],
  oral: ['troche'],
};

// Locations ---------------------------------------------------------------------------------------------

function presentLocation(row: typeof ledgerLocation.$inferSelect): LocationView {
  return {
    id: row.id,
    name: row.name,
    address: row.address,
    deaRegistration: row.deaRegistration,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function listLocations(ctx: ServiceContext): Promise<LocationView[]> {
  const rows = await ctx.tx
    .select()
    .from(ledgerLocation)
    .where(eq(ledgerLocation.clinicId, ctx.clinicId))
    .orderBy(asc(ledgerLocation.name), asc(ledgerLocation.id));
  return rows.map(presentLocation);
}

export async function createLocation(ctx: ServiceContext, input: LocationInput): Promise<LocationView> {
  const now = ctx.clock.now();
  const id = randomUUID();
  try {
    const [row] = await ctx.tx
      .insert(ledgerLocation)
      .values({
        id,
        clinicId: ctx.clinicId,
        ...input,
        createdAt: now,
        createdBy: ctx.actor.userId,
        updatedAt: now,
      })
      .returning();
    ctx.audit.record({ action: 'ledger.location.create', resourceType: 'ledger_location', resourceId: id });
    return presentLocation(row!);
  } catch (error) {
    if (isUniqueViolation(error))
      throw new Conflict('A location with this DEA registration exists.', [
        { path: 'deaRegistration', message: 'This registration is already set up.' },
      ]);
    throw error;
  }
}

export async function updateLocation(
  ctx: ServiceContext,
  locationId: string,
  input: Partial<LocationInput>,
): Promise<LocationView> {
  if (input.deaRegistration !== undefined) {
    // The registration a location's records were kept under is part of them: once stock was received there,
    // a new registration is a new location (its records start apart, 21 CFR 1304.21(b)).
    const [current] = await ctx.tx
      .select({
        deaRegistration: ledgerLocation.deaRegistration,
        lots: sql<number>`(SELECT count(*)::int FROM ledger_lot l WHERE l.clinic_id = ledger_location.clinic_id AND l.location_id = ledger_location.id)`,
      })
      .from(ledgerLocation)
      .where(and(eq(ledgerLocation.clinicId, ctx.clinicId), eq(ledgerLocation.id, locationId)));
    if (!current) throw new NotFound('Location');
    if (current.deaRegistration !== input.deaRegistration && current.lots > 0)
      throw new Conflict(
        'Stock is on record under this registration: set up the new one as a new location.',
        [
          {
            path: 'deaRegistration',
            message: 'The registration of a location with stock on record is kept.',
          },
        ],
      );
  }
  try {
    const [row] = await ctx.tx
      .update(ledgerLocation)
      .set({ ...input, updatedAt: ctx.clock.now() })
      .where(and(eq(ledgerLocation.clinicId, ctx.clinicId), eq(ledgerLocation.id, locationId)))
      .returning();
    if (!row) throw new NotFound('Location');
    ctx.audit.record({
      action: 'ledger.location.update',
      resourceType: 'ledger_location',
      resourceId: locationId,
      detail: { fields: Object.keys(input) },
    });
    return presentLocation(row);
  } catch (error) {
    if (isUniqueViolation(error))
      throw new Conflict('A location with this DEA registration exists.', [
        { path: 'deaRegistration', message: 'This registration is already set up.' },
      ]);
    throw error;
  }
}

// Products ----------------------------------------------------------------------------------------------

const unitOfForm = { vial: 'mL', 'nasal-spray': 'mL', 'nasal-device': 'device', troche: 'troche' } as const;

function presentProduct(row: typeof ledgerProduct.$inferSelect): ProductView {
  return {
    id: row.id,
    product: row.product,
    name: row.name,
    ndc: row.ndc,
    form: row.form,
    unit: row.unit,
    concentrationMgPerUnit: row.concentrationMgPerUnit,
    containerSize: row.containerSize,
  };
}

export async function listProducts(ctx: ServiceContext): Promise<ProductView[]> {
  const rows = await ctx.tx
    .select()
    .from(ledgerProduct)
    .where(eq(ledgerProduct.clinicId, ctx.clinicId))
    .orderBy(asc(ledgerProduct.name), asc(ledgerProduct.ndc));
  return rows.map(presentProduct);
}

export async function createProduct(ctx: ServiceContext, input: ProductInput): Promise<ProductView> {
  const unit = unitOfForm[input.form];
  if (unit !== 'mL' && !Number.isInteger(input.containerSize))
    throw new Invalid('Devices and troches come in whole numbers.', [
      { path: 'containerSize', message: `A whole number of ${unit}s per container.` },
    ]);
  const id = randomUUID();
  try {
    const [row] = await ctx.tx
      .insert(ledgerProduct)
      .values({
        id,
        clinicId: ctx.clinicId,
        ...input,
        unit,
        createdAt: ctx.clock.now(),
        createdBy: ctx.actor.userId,
      })
      .returning();
    ctx.audit.record({ action: 'ledger.product.create', resourceType: 'ledger_product', resourceId: id });
    return presentProduct(row!);
  } catch (error) {
    if (isUniqueViolation(error))
      throw new Conflict('A product with this NDC exists.', [
        { path: 'ndc', message: 'This NDC is already set up.' },
      ]);
    throw error;
  }
}

// Lots and balances -------------------------------------------------------------------------------------

const balanceOf = sql<string>`COALESCE((SELECT SUM(e.quantity) FROM ledger_entry e WHERE e.clinic_id = ledger_lot.clinic_id AND e.lot_id = ledger_lot.id), 0)`;

const lotColumns = {
  lot: ledgerLot,
  product: ledgerProduct,
  balance: balanceOf,
};

type LotRow = {
  lot: typeof ledgerLot.$inferSelect;
  product: typeof ledgerProduct.$inferSelect;
  balance: string;
};

function presentLot(row: LotRow, today: string): LotView {
  const balance = roundQuantity(Number(row.balance));
  return {
    id: row.lot.id,
    locationId: row.lot.locationId,
    productId: row.product.id,
    product: row.product.product,
    productName: row.product.name,
    ndc: row.product.ndc,
    form: row.product.form,
    unit: row.product.unit,
    concentrationMgPerUnit: row.product.concentrationMgPerUnit,
    containerSize: row.product.containerSize,
    lotNumber: row.lot.lotNumber,
    expiresOn: row.lot.expiresOn,
    expired: row.lot.expiresOn < today,
    balance,
    balanceMg: roundQuantity(balance * row.product.concentrationMgPerUnit),
  };
}

/** By product, then the first to expire first (unless another order is given). */
function lotsQuery(
  ctx: ServiceContext,
  where: SQL[],
  order: SQL[] = [
    asc(ledgerProduct.name),
    asc(ledgerLot.expiresOn),
    asc(ledgerLot.lotNumber),
    asc(ledgerLot.id),
  ],
) {
  return ctx.tx
    .select(lotColumns)
    .from(ledgerLot)
    .innerJoin(
      ledgerProduct,
      and(eq(ledgerProduct.clinicId, ledgerLot.clinicId), eq(ledgerProduct.id, ledgerLot.productId)),
    )
    .where(and(eq(ledgerLot.clinicId, ctx.clinicId), ...where))
    .orderBy(...order);
}

/** Every lot with its balance (the sum of its entries); empty lots only when asked. */
export async function listLots(
  ctx: ServiceContext,
  query: { locationId?: string; product?: Product; includeEmpty?: boolean },
): Promise<LotView[]> {
  const where: SQL[] = [];
  if (query.locationId) where.push(eq(ledgerLot.locationId, query.locationId));
  if (query.product) where.push(eq(ledgerProduct.product, query.product));
  if (!query.includeEmpty) where.push(sql`${balanceOf} > 0`);
  // One transaction is one connection: its queries run one after another (pg refuses overlapping ones).
  const rows = await lotsQuery(ctx, where);
  const today = await clinicToday(ctx, ctx.clock.now());
  return rows.map((row) => presentLot(row, today));
}

/**
 * The lots a dose may be drawn from: of the product, in a form the route uses, not expired (by the clinic's
 * date today) and with a balance above zero; the first to expire first.
 */
export async function listDispensableLots(
  ctx: ServiceContext,
  query: { product: Product; route?: Route; locationId?: string },
): Promise<LotView[]> {
  const today = await clinicToday(ctx, ctx.clock.now());
  const where: SQL[] = [
    eq(ledgerProduct.product, query.product),
    gte(ledgerLot.expiresOn, today),
    sql`${balanceOf} > 0`,
  ];
  if (query.route) where.push(inArray(ledgerProduct.form, formsForRoute[query.route]));
  if (query.locationId) where.push(eq(ledgerLot.locationId, query.locationId));
  const rows = await lotsQuery(ctx, where, [
    asc(ledgerLot.expiresOn),
    asc(ledgerLot.lotNumber),
    asc(ledgerLot.id),
  ]);
  return rows.map((row) => presentLot(row, today));
}

export async function findLot(ctx: ServiceContext, lotId: string): Promise<LotView> {
  const rows = await lotsQuery(ctx, [eq(ledgerLot.id, lotId)]);
  const today = await clinicToday(ctx, ctx.clock.now());
  if (!rows[0]) throw new NotFound('Lot');
  return presentLot(rows[0], today);
}

/** Balance per product and location: the sum of its lots' entries. */
export async function productBalances(
  ctx: ServiceContext,
  query: { locationId?: string },
): Promise<ProductBalanceView[]> {
  const rows = await ctx.tx
    .select({
      locationId: ledgerLot.locationId,
      product: ledgerProduct,
      balance: sql<string>`COALESCE(SUM(${ledgerEntry.quantity}), 0)`,
      lots: sql<number>`COUNT(DISTINCT ${ledgerLot.id})::int`,
    })
    .from(ledgerLot)
    .innerJoin(
      ledgerProduct,
      and(eq(ledgerProduct.clinicId, ledgerLot.clinicId), eq(ledgerProduct.id, ledgerLot.productId)),
    )
    .leftJoin(
      ledgerEntry,
      and(eq(ledgerEntry.clinicId, ledgerLot.clinicId), eq(ledgerEntry.lotId, ledgerLot.id)),
    )
    .where(
      and(
        eq(ledgerLot.clinicId, ctx.clinicId),
        query.locationId ? eq(ledgerLot.locationId, query.locationId) : undefined,
      ),
    )
    .groupBy(ledgerLot.locationId, ledgerProduct.clinicId, ledgerProduct.id)
    .orderBy(asc(ledgerProduct.name), asc(ledgerLot.locationId));
  return rows.map((row) => {
    const balance = roundQuantity(Number(row.balance));
    return {
      locationId: row.locationId,
      productId: row.product.id,
      product: row.product.product,
      productName: row.product.name,
      ndc: row.product.ndc,
      unit: row.product.unit,
      concentrationMgPerUnit: row.product.concentrationMgPerUnit,
      balance,
      balanceMg: roundQuantity(balance * row.product.concentrationMgPerUnit),
      lots: row.lots,
    };
  });
}

// Entries -----------------------------------------------------------------------------------------------

const reversal = alias(ledgerEntry, 'reversal');

const entryColumns = {
  entry: ledgerEntry,
  lot: ledgerLot,
  product: ledgerProduct,
  reversedById: reversal.id,
};

function entriesSelect(ctx: ServiceContext) {
  return ctx.tx
    .select(entryColumns)
    .from(ledgerEntry)
    .innerJoin(
      ledgerLot,
      and(eq(ledgerLot.clinicId, ledgerEntry.clinicId), eq(ledgerLot.id, ledgerEntry.lotId)),
    )
    .innerJoin(
      ledgerProduct,
      and(eq(ledgerProduct.clinicId, ledgerLot.clinicId), eq(ledgerProduct.id, ledgerLot.productId)),
    )
    .leftJoin(
      reversal,
      and(eq(reversal.clinicId, ledgerEntry.clinicId), eq(reversal.reversesId, ledgerEntry.id)),
    );
}

type EntryRow = {
  entry: typeof ledgerEntry.$inferSelect;
  lot: typeof ledgerLot.$inferSelect;
  product: typeof ledgerProduct.$inferSelect;
  reversedById: string | null;
};

function presentEntry(row: EntryRow): EntryView {
  const e = row.entry;
  return {
    id: e.id,
    kind: e.kind,
    locationId: e.locationId,
    lot: {
      id: row.lot.id,
      lotNumber: row.lot.lotNumber,
      expiresOn: row.lot.expiresOn,
      productId: row.product.id,
      productName: row.product.name,
      ndc: row.product.ndc,
      unit: row.product.unit,
      concentrationMgPerUnit: row.product.concentrationMgPerUnit,
    },
    quantity: e.quantity,
    quantityMg: e.quantityMg,
    balanceAfter: e.balanceAfter,
    occurredAt: e.occurredAt.toISOString(),
    recordedAt: e.recordedAt.toISOString(),
    recordedBy: { id: e.recordedBy, name: e.recordedByName },
    witness: e.witnessId ? { id: e.witnessId, name: e.witnessName ?? '' } : null,
    signedBy: e.signedBy ? { id: e.signedBy, name: e.signerName ?? '' } : null,
    sessionId: e.sessionId,
    administrationId: e.administrationId,
    patientId: e.patientId,
    containers: e.containers,
    counterparty: e.counterpartyName
      ? { name: e.counterpartyName, address: e.counterpartyAddress ?? '', deaNumber: e.counterpartyDea }
      : null,
    documentNumber: e.documentNumber,
    reason: e.reason,
    lossReport: e.lossReport,
    reversesId: e.reversesId,
    reversedById: row.reversedById,
  };
}

async function loadEntry(ctx: ServiceContext, entryId: string): Promise<EntryView | null> {
  const [row] = await entriesSelect(ctx).where(
    and(eq(ledgerEntry.clinicId, ctx.clinicId), eq(ledgerEntry.id, entryId)),
  );
  return row ? presentEntry(row) : null;
}

export async function getEntry(ctx: ServiceContext, entryId: string): Promise<EntryView> {
  const entry = await loadEntry(ctx, entryId);
  if (!entry) throw new NotFound('Ledger entry');
  ctx.audit.record({
    action: 'ledger.entry.read',
    resourceType: 'ledger_entry',
    resourceId: entryId,
    patientId: entry.patientId,
  });
  return entry;
}

/** Entries newest first (by the time they were recorded), in keyset pages. */
export async function listEntries(
  ctx: ServiceContext,
  query: EntriesQuery,
): Promise<{ items: EntryView[]; nextCursor: string | null }> {
  const where: (SQL | undefined)[] = [eq(ledgerEntry.clinicId, ctx.clinicId)];
  if (query.locationId) where.push(eq(ledgerEntry.locationId, query.locationId));
  if (query.lotId) where.push(eq(ledgerEntry.lotId, query.lotId));
  if (query.productId) where.push(eq(ledgerLot.productId, query.productId));
  if (query.kind) where.push(eq(ledgerEntry.kind, query.kind));
  if (query.sessionId) where.push(eq(ledgerEntry.sessionId, query.sessionId));
  if (query.from) where.push(gte(ledgerEntry.occurredAt, new Date(query.from)));
  if (query.to) where.push(lt(ledgerEntry.occurredAt, new Date(query.to)));
  if (query.cursor) {
    const key = decodeCursor(query.cursor, ['at', 'id'] as const);
    const at = new Date(key.at);
    if (Number.isNaN(at.getTime()))
      throw new Invalid('The cursor is not valid.', [
        { path: 'cursor', message: 'Use the nextCursor of a previous page.' },
      ]);
    where.push(
      or(lt(ledgerEntry.recordedAt, at), and(eq(ledgerEntry.recordedAt, at), lt(ledgerEntry.id, key.id))),
    );
  }
  const rows = await entriesSelect(ctx)
    .where(and(...where))
    .orderBy(desc(ledgerEntry.recordedAt), desc(ledgerEntry.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit).map(presentEntry);
  const last = page.at(-1);
  const nextCursor =
    rows.length > query.limit && last ? encodeCursor({ at: last.recordedAt, id: last.id }) : null;
  ctx.audit.record({
    action: 'ledger.entries.list',
    resourceType: 'ledger_entry',
    detail: { count: page.length, kind: query.kind ?? null },
  });
  return { items: page, nextCursor };
}

// Writing entries ---------------------------------------------------------------------------------------

interface LockedLot {
  lot: typeof ledgerLot.$inferSelect;
  product: typeof ledgerProduct.$inferSelect;
  balance: number;
}

/**
 * Locks the lot row (as the database trigger does) and sums its entries: from here to the commit no other
 * transaction can add an entry to this lot, so the balance read is the balance the entry will see.
 */
async function lockLot(ctx: ServiceContext, lotId: string): Promise<LockedLot> {
  const [row] = await ctx.tx
    .select({ lot: ledgerLot, product: ledgerProduct })
    .from(ledgerLot)
    .innerJoin(
      ledgerProduct,
      and(eq(ledgerProduct.clinicId, ledgerLot.clinicId), eq(ledgerProduct.id, ledgerLot.productId)),
    )
    .where(and(eq(ledgerLot.clinicId, ctx.clinicId), eq(ledgerLot.id, lotId)))
    .for('update', { of: ledgerLot });
  if (!row) throw new NotFound('Lot');
  const [sum] = await ctx.tx
    .select({ balance: sql<string>`COALESCE(SUM(${ledgerEntry.quantity}), 0)` })
    .from(ledgerEntry)
    .where(and(eq(ledgerEntry.clinicId, ctx.clinicId), eq(ledgerEntry.lotId, lotId)));
  return { ...row, balance: Number(sum?.balance ?? 0) };
}

/** The entry with this client id, if one was written: the same request again returns it; another is a 409. */
async function replayOf(ctx: ServiceContext, id: string, fingerprint: string): Promise<EntryView | null> {
  const [existing] = await ctx.tx
    .select({ fingerprint: ledgerEntry.requestFingerprint })
    .from(ledgerEntry)
    .where(and(eq(ledgerEntry.clinicId, ctx.clinicId), eq(ledgerEntry.id, id)));
  if (!existing) return null;
  if (existing.fingerprint !== fingerprint)
    throw new Conflict('An entry with this id was recorded with different content.', [
      { path: 'id', message: 'Use a new id for a new entry.' },
    ]);
  return loadEntry(ctx, id);
}

function assertQuantityFits(locked: LockedLot, change: number, path = 'quantity'): void {
  const unit = locked.product.unit;
  if (unit !== 'mL' && !Number.isInteger(change))
    throw new Invalid(`${unit === 'device' ? 'Devices' : 'Troches'} are counted whole.`, [
      { path, message: `A whole number of ${unit}s.` },
    ]);
  if (roundQuantity(locked.balance + change) < 0)
    throw new Conflict(
      `Lot ${locked.lot.lotNumber} holds ${roundQuantity(locked.balance)} ${unit}: ${roundQuantity(-change)} ${unit} cannot be taken from it.`,
      [{ path, message: `At most ${roundQuantity(locked.balance)} ${unit} remain in this lot.` }],
    );
}

/** An entry written by a request, and whether this request wrote it (false: a retry found the first). */
export interface Recorded {
  entry: EntryView;
  created: boolean;
}

type EntryValues = Omit<
  typeof ledgerEntry.$inferInsert,
  | 'clinicId'
  | 'locationId'
  | 'lotId'
  | 'recordedAt'
  | 'recordedBy'
  | 'recordedByName'
  | 'quantityMg'
  | 'balanceAfter'
>;

async function insertEntry(ctx: ServiceContext, locked: LockedLot, values: EntryValues): Promise<Recorded> {
  try {
    await ctx.tx.insert(ledgerEntry).values({
      ...values,
      clinicId: ctx.clinicId,
      locationId: locked.lot.locationId,
      lotId: locked.lot.id,
      quantity: roundQuantity(values.quantity),
      // Both are written by the database trigger (derived from the concentration and the entries).
      quantityMg: 0,
      balanceAfter: 0,
      recordedAt: ctx.clock.now(),
      recordedBy: ctx.actor.userId,
      recordedByName: ctx.actor.displayName,
    });
  } catch (error) {
    // The trigger's refusal (the service checked first under the same lock, so this is a last line).
    const e = error as { code?: string; constraint?: string; cause?: { code?: string; constraint?: string } };
    if (
      (e.code ?? e.cause?.code) === '23514' &&
      (e.constraint ?? e.cause?.constraint) === 'ledger_entry_balance_nonnegative'
    )
      throw new Conflict('The lot does not hold that much.', [
        { path: 'quantity', message: 'More than the lot holds.' },
      ]);
    if (isUniqueViolation(error))
      throw new Conflict('This entry was recorded at the same moment by another request: retry to see it.', [
        { path: 'id', message: 'Retry the request.' },
      ]);
    throw error;
  }
  const entry = await loadEntry(ctx, values.id);
  ctx.audit.record({
    action: `ledger.${values.kind}`,
    resourceType: 'ledger_entry',
    resourceId: values.id,
    patientId: values.patientId ?? null,
    detail: { lotId: locked.lot.id, quantity: roundQuantity(values.quantity), unit: locked.product.unit },
  });
  return { entry: entry!, created: true };
}

async function assertNotExpired(ctx: ServiceContext, locked: LockedLot, at: Date): Promise<void> {
  const day = await clinicToday(ctx, at);
  if (locked.lot.expiresOn < day)
    throw new Conflict(`Lot ${locked.lot.lotNumber} expired on ${locked.lot.expiresOn}.`, [
      { path: 'lotId', message: 'Choose a lot that has not expired.' },
    ]);
}

function assertNotFuture(ctx: ServiceContext, at: Date, path: string): void {
  // A few minutes of clock skew between a tablet and the server is allowed.
  if (at.getTime() > ctx.clock.now().getTime() + 5 * 60_000)
    throw new Invalid('That time is in the future.', [{ path, message: 'Give the time it happened.' }]);
}

export interface DrawInput {
  lotId: string;
  /** In the lot's unit (mL, devices, troches). */
  quantity: number;
  sessionId: string;
  administrationId: string;
  patientId: string;
  occurredAt: Date | string;
}

export interface Draw {
  entryId: string;
  quantityMg: number;
  /** What the administration record copies from the ledger. */
  lot: {
    id: string;
    lotNumber: string;
    expiresOn: string;
    productName: string;
    ndc: string;
    concentrationMgPerUnit: number;
    unit: 'mL' | 'device' | 'troche';
  };
}

/**
 * Draws a dose from a lot, in the caller's transaction (the sessions module's administration): an
 * 'administration' entry linked to the session, the administration and the patient (21 CFR 1304.22(c)(4)).
 * The caller has checked its permission and the patient's chart. Idempotent by the administration id: the
 * same administration again returns its draw; the same id with another lot or quantity is a 409. Refused
 * (409) when the lot is expired or holds less than the dose; a missing lot is a 404.
 */
export async function drawForAdministration(ctx: ServiceContext, input: DrawInput): Promise<Draw> {
  const occurredAt = new Date(input.occurredAt);
  if (Number.isNaN(occurredAt.getTime()))
    throw new Invalid('The time of the dose is not valid.', [
      { path: 'occurredAt', message: 'A date and time.' },
    ]);
  if (!(input.quantity > 0))
    throw new Invalid('A dose draws a positive amount.', [{ path: 'quantity', message: 'Above zero.' }]);
  const fingerprint = fingerprintOf({
    kind: 'administration',
    lotId: input.lotId,
    quantity: roundQuantity(input.quantity),
    sessionId: input.sessionId,
    administrationId: input.administrationId,
    patientId: input.patientId,
  });
  const [existing] = await ctx.tx
    .select({ id: ledgerEntry.id, fingerprint: ledgerEntry.requestFingerprint })
    .from(ledgerEntry)
    .where(
      and(
        eq(ledgerEntry.clinicId, ctx.clinicId),
        eq(ledgerEntry.administrationId, input.administrationId),
        eq(ledgerEntry.kind, 'administration'),
      ),
    );
  if (existing) {
    if (existing.fingerprint !== fingerprint)
      throw new Conflict('This administration already drew a different amount or lot.', [
        { path: 'administrationId', message: 'The administration was recorded with another draw.' },
      ]);
    const entry = (await loadEntry(ctx, existing.id))!;
    return drawOf(entry);
  }
  const locked = await lockLot(ctx, input.lotId);
  await assertNotExpired(ctx, locked, occurredAt);
  assertQuantityFits(locked, -input.quantity);
  const { entry } = await insertEntry(ctx, locked, {
    id: randomUUID(),
    kind: 'administration',
    quantity: -input.quantity,
    occurredAt,
    sessionId: input.sessionId,
    administrationId: input.administrationId,
    patientId: input.patientId,
    requestFingerprint: fingerprint,
  });
  return drawOf(entry);
}

function drawOf(entry: EntryView): Draw {
  return {
    entryId: entry.id,
    quantityMg: Math.abs(entry.quantityMg),
    lot: {
      id: entry.lot.id,
      lotNumber: entry.lot.lotNumber,
      expiresOn: entry.lot.expiresOn,
      productName: entry.lot.productName,
      ndc: entry.lot.ndc,
      concentrationMgPerUnit: entry.lot.concentrationMgPerUnit,
      unit: entry.lot.unit,
    },
  };
}

/** Containers received from a supplier; the lot is created at its first receipt. */
export async function recordReceipt(ctx: ServiceContext, input: ReceiptInput): Promise<Recorded> {
  const fingerprint = fingerprintOf({ kind: 'receipt', ...input });
  const replay = await replayOf(ctx, input.id, fingerprint);
  if (replay) return { entry: replay, created: false };
  const receivedAt = new Date(input.receivedAt);
  assertNotFuture(ctx, receivedAt, 'receivedAt');
  const [location] = await ctx.tx
    .select({ id: ledgerLocation.id })
    .from(ledgerLocation)
    .where(and(eq(ledgerLocation.clinicId, ctx.clinicId), eq(ledgerLocation.id, input.locationId)));
  if (!location) throw new NotFound('Location');
  const [product] = await ctx.tx
    .select()
    .from(ledgerProduct)
    .where(and(eq(ledgerProduct.clinicId, ctx.clinicId), eq(ledgerProduct.id, input.productId)));
  if (!product) throw new NotFound('Product');
  await ctx.tx
    .insert(ledgerLot)
    .values({
      id: randomUUID(),
      clinicId: ctx.clinicId,
      locationId: input.locationId,
      productId: input.productId,
      lotNumber: input.lotNumber,
      expiresOn: input.expiresOn,
      createdAt: ctx.clock.now(),
    })
    .onConflictDoNothing();
  const [lot] = await ctx.tx
    .select()
    .from(ledgerLot)
    .where(
      and(
        eq(ledgerLot.clinicId, ctx.clinicId),
        eq(ledgerLot.locationId, input.locationId),
        eq(ledgerLot.productId, input.productId),
        eq(ledgerLot.lotNumber, input.lotNumber),
      ),
    );
  if (lot!.expiresOn !== input.expiresOn)
    throw new Conflict(`Lot ${input.lotNumber} is on record with expiry ${lot!.expiresOn}.`, [
      { path: 'expiresOn', message: `This lot expires on ${lot!.expiresOn}: check the label.` },
    ]);
  const locked = await lockLot(ctx, lot!.id);
  return insertEntry(ctx, locked, {
    id: input.id,
    kind: 'receipt',
    quantity: input.containers * product.containerSize,
    occurredAt: receivedAt,
    containers: input.containers,
    counterpartyName: input.supplier.name,
    counterpartyAddress: input.supplier.address,
    counterpartyDea: input.supplier.deaNumber,
    documentNumber: input.invoiceNumber,
    requestFingerprint: fingerprint,
  });
}

// Witnessed waste ---------------------------------------------------------------------------------------

interface WitnessAccount {
  id: string;
  email: string;
  displayName: string;
  passwordHash: string;
  roles: Role[];
  disabledAt: Date | null;
  lockedUntil: Date | null;
}

async function findWitness(db: Pick<Database, 'select'>, clinicId: string, username: string) {
  const rows = await db
    .select({
      id: userAccount.id,
      email: userAccount.email,
      displayName: userAccount.displayName,
      passwordHash: userAccount.passwordHash,
      disabledAt: userAccount.disabledAt,
      lockedUntil: userAccount.lockedUntil,
      role: roleAssignment.role,
    })
    .from(userAccount)
    .leftJoin(
      roleAssignment,
      and(eq(roleAssignment.clinicId, userAccount.clinicId), eq(roleAssignment.userId, userAccount.id)),
    )
    .where(
      and(
        eq(userAccount.clinicId, clinicId),
        eq(userAccount.email, username.trim().toLowerCase()),
        eq(userAccount.kind, 'staff'),
      ),
    );
  const first = rows[0];
  if (!first) return null;
  const account: WitnessAccount = {
    id: first.id,
    email: first.email,
    displayName: first.displayName,
    passwordHash: first.passwordHash,
    disabledAt: first.disabledAt,
    lockedUntil: first.lockedUntil,
    roles: rows.flatMap((r) => (r.role ? [r.role as Role] : [])),
  };
  return account;
}

const witnessRefused = (message: string) => new Invalid(message, [{ path: 'witness.username', message }]);
const witnessPasswordWrong = () =>
  new Invalid("The witness's password is not right: the waste was not recorded.", [
    { path: 'witness.password', message: 'The password is not right.' },
  ]);

function assertWitnessEligible(actor: Actor, witness: WitnessAccount | null, now: Date): WitnessAccount {
  if (!witness || witness.disabledAt)
    throw witnessRefused('No active staff member of this clinic signs in with that email.');
  if (witness.id === actor.userId)
    throw witnessRefused('A second person witnesses the waste: the witness cannot be the one recording it.');
  if (!witness.roles.some((role) => rolePermissions[role].includes('ledger.record')))
    throw witnessRefused(
      'The witness must be staff who may record controlled substances (nurse, prescriber or admin).',
    );
  if (witness.lockedUntil && witness.lockedUntil > now)
    throw witnessRefused("The witness's account is locked after repeated wrong passwords.");
  return witness;
}

/**
 * The witness's signature, before the unit of work that records the waste: their password is checked in a
 * transaction of its own, so a wrong one counts toward the witness's lockout (and is audited) even though the
 * waste is refused. The waste itself checks the password again inside its transaction (recordWaste), so the
 * service stands alone; routes (the ledger's and the sessions') call this first.
 */
export async function confirmWitnessPassword(
  deps: { database: Database; clock: Clock },
  actor: Actor,
  witness: { username: string; password: string },
  request: RequestMeta,
): Promise<void> {
  const account = assertWitnessEligible(
    actor,
    await findWitness(deps.database, actor.clinicId, witness.username),
    deps.clock.now(),
  );
  const witnessActor: StaffActor = {
    kind: 'staff',
    userId: account.id,
    clinicId: actor.clinicId,
    sessionId: actor.sessionId,
    email: account.email,
    displayName: account.displayName,
    roles: account.roles,
  };
  await confirmPasswordForSignature(deps, witnessActor, witness.password, request, 'witness.password');
}

export interface RecordWasteInput {
  clientId: string;
  lotId: string;
  quantity: number;
  sessionId?: string;
  administrationId?: string;
  witness: { username: string; password: string };
  reason: string;
  occurredAt?: Date | string;
}

/**
 * Drug left after a dose, destroyed in front of a second person (clinical-reference 6: wastage is recorded
 * under 1304.21(e) and 1304.22(c); two signatures are the default). The witness is another active staff
 * member of the clinic who may record controlled substances, and re-enters their password. Idempotent by
 * the client id (the password is not part of what is compared).
 */
export async function recordWaste(ctx: ServiceContext, input: RecordWasteInput): Promise<Recorded> {
  const fingerprint = fingerprintOf({
    kind: 'waste',
    lotId: input.lotId,
    quantity: roundQuantity(input.quantity),
    sessionId: input.sessionId ?? null,
    administrationId: input.administrationId ?? null,
    witness: input.witness.username.trim().toLowerCase(),
    reason: input.reason,
    occurredAt: input.occurredAt ? new Date(input.occurredAt).toISOString() : null,
  });
  const replay = await replayOf(ctx, input.clientId, fingerprint);
  if (replay) return { entry: replay, created: false };
  if (!(input.quantity > 0))
    throw new Invalid('A waste is a positive amount.', [{ path: 'quantity', message: 'Above zero.' }]);
  const occurredAt = input.occurredAt ? new Date(input.occurredAt) : ctx.clock.now();
  assertNotFuture(ctx, occurredAt, 'occurredAt');
  const witness = assertWitnessEligible(
    ctx.actor,
    await findWitness(ctx.tx, ctx.clinicId, input.witness.username),
    ctx.clock.now(),
  );
  if (!(await verifyPassword(witness.passwordHash || (await decoyPasswordHash()), input.witness.password)))
    throw witnessPasswordWrong();
  const locked = await lockLot(ctx, input.lotId);
  assertQuantityFits(locked, -input.quantity);
  let patientId: string | null = null;
  if (input.administrationId) {
    // A waste after a dose belongs to the same patient as the dose (for the dispensing log).
    const [dose] = await ctx.tx
      .select({ patientId: ledgerEntry.patientId })
      .from(ledgerEntry)
      .where(
        and(
          eq(ledgerEntry.clinicId, ctx.clinicId),
          eq(ledgerEntry.administrationId, input.administrationId),
          eq(ledgerEntry.kind, 'administration'),
        ),
      );
    patientId = dose?.patientId ?? null;
  }
  return insertEntry(ctx, locked, {
    id: input.clientId,
    kind: 'waste',
    quantity: -input.quantity,
    occurredAt,
    sessionId: input.sessionId ?? null,
    administrationId: input.administrationId ?? null,
    patientId,
    witnessId: witness.id,
    witnessName: witness.displayName,
    reason: input.reason,
    requestFingerprint: fingerprint,
  });
}

// Transfers, losses, adjustments, corrections -----------------------------------------------------------

/** Stock returned to a reverse distributor (which completes DEA Form 41) or transferred to a registrant. */
export async function recordTransfer(ctx: ServiceContext, input: TransferInput): Promise<Recorded> {
  const fingerprint = fingerprintOf({ kind: 'transfer', ...input });
  const replay = await replayOf(ctx, input.id, fingerprint);
  if (replay) return { entry: replay, created: false };
  const occurredAt = new Date(input.occurredAt);
  assertNotFuture(ctx, occurredAt, 'occurredAt');
  const locked = await lockLot(ctx, input.lotId);
  assertQuantityFits(locked, -input.quantity);
  return insertEntry(ctx, locked, {
    id: input.id,
    kind: 'transfer',
    quantity: -input.quantity,
    occurredAt,
    containers: input.containers ?? null,
    counterpartyName: input.recipient.name,
    counterpartyAddress: input.recipient.address,
    counterpartyDea: input.recipient.deaNumber,
    documentNumber: input.documentNumber ?? null,
    reason: input.reason,
    requestFingerprint: fingerprint,
  });
}

/**
 * A theft or loss, with what DEA Form 106 asks for. Every admin of the clinic is told at once by mail (the
 * written notice to the DEA Field Division is due within one business day), and the open reports are listed
 * with their Form 106 deadline (listOpenLosses).
 */
export async function recordLoss(ctx: ServiceContext, input: LossInput): Promise<Recorded> {
  const fingerprint = fingerprintOf({ kind: 'loss', ...input });
  const replay = await replayOf(ctx, input.id, fingerprint);
  if (replay) return { entry: replay, created: false };
  const discoveredAt = new Date(input.report.discoveredAt);
  assertNotFuture(ctx, discoveredAt, 'report.discoveredAt');
  const occurredAt = input.occurredAt ? new Date(input.occurredAt) : discoveredAt;
  assertNotFuture(ctx, occurredAt, 'occurredAt');
  const locked = await lockLot(ctx, input.lotId);
  assertQuantityFits(locked, -input.quantity);
  const report: LossReport = {
    kind: input.report.kind,
    discoveredAt: discoveredAt.toISOString(),
    circumstances: input.report.circumstances,
    significant: input.report.significant,
    deaFieldOfficeNotifiedAt: input.report.deaFieldOfficeNotifiedAt
      ? new Date(input.report.deaFieldOfficeNotifiedAt).toISOString()
      : null,
    policeNotified: input.report.policeNotified,
    policeReportNumber: input.report.policeReportNumber,
    form106SubmittedAt: input.report.form106SubmittedAt
      ? new Date(input.report.form106SubmittedAt).toISOString()
      : null,
  };
  const recorded = await insertEntry(ctx, locked, {
    id: input.id,
    kind: 'loss',
    quantity: -input.quantity,
    occurredAt,
    lossReport: report,
    reason: input.report.circumstances,
    requestFingerprint: fingerprint,
  });
  await alertAdmins(ctx, recorded.entry, locked);
  return recorded;
}

async function alertAdmins(ctx: ServiceContext, entry: EntryView, locked: LockedLot): Promise<void> {
  const admins = await ctx.tx
    .selectDistinct({ email: userAccount.email })
    .from(userAccount)
    .innerJoin(
      roleAssignment,
      and(eq(roleAssignment.clinicId, userAccount.clinicId), eq(roleAssignment.userId, userAccount.id)),
    )
    .where(
      and(
        eq(userAccount.clinicId, ctx.clinicId),
        eq(roleAssignment.role, 'admin'),
        isNull(userAccount.disabledAt),
      ),
    )
    .orderBy(asc(userAccount.email));
  const report = entry.lossReport!;
  const what = report.kind === 'theft' ? 'A theft' : 'A loss';
  const text = [
    `${what} of a controlled substance was recorded in the ledger.`,
    '',
    `Product: ${locked.product.name} (NDC ${locked.product.ndc}), lot ${locked.lot.lotNumber}`,
    `Quantity: ${Math.abs(entry.quantity)} ${locked.product.unit} (${Math.abs(entry.quantityMg)} mg)`,
    `Discovered: ${report.discoveredAt}`,
    '',
    'Give written notice to the DEA Field Division Office within one business day of discovery, and submit',
    `DEA Form 106 electronically within ${form106DueDays} days (21 CFR 1301.76(b)). Open the ledger for the details.`,
  ].join('\n');
  for (const admin of admins)
    await enqueueMail(ctx, {
      to: admin.email,
      subject: `${what} of a controlled substance was recorded`,
      text,
    });
}

function presentFiling(row: typeof ledgerLossFiling.$inferSelect): LossFilingView {
  return {
    id: row.id,
    entryId: row.entryId,
    kind: row.kind,
    filedAt: row.filedAt.toISOString(),
    reference: row.reference,
    recordedAt: row.recordedAt.toISOString(),
    recordedBy: { id: row.recordedBy, name: row.recordedByName },
  };
}

/**
 * Thefts and losses with no Form 106 on record (neither filed afterwards nor given at recording), not
 * reversed, the oldest first, with what is still due and by when.
 */
export async function listOpenLosses(ctx: ServiceContext): Promise<LossReportView[]> {
  const rows = await entriesSelect(ctx)
    .where(
      and(
        eq(ledgerEntry.clinicId, ctx.clinicId),
        eq(ledgerEntry.kind, 'loss'),
        isNull(reversal.id),
        sql`${ledgerEntry.lossReport} ->> 'form106SubmittedAt' IS NULL`,
        sql`NOT EXISTS (SELECT 1 FROM ledger_loss_filing f WHERE f.clinic_id = ledger_entry.clinic_id AND f.entry_id = ledger_entry.id AND f.kind = 'form-106')`,
      ),
    )
    .orderBy(asc(ledgerEntry.recordedAt), asc(ledgerEntry.id));
  const filings =
    rows.length === 0
      ? []
      : await ctx.tx
          .select()
          .from(ledgerLossFiling)
          .where(
            and(
              eq(ledgerLossFiling.clinicId, ctx.clinicId),
              inArray(
                ledgerLossFiling.entryId,
                rows.map((r) => r.entry.id),
              ),
            ),
          )
          .orderBy(asc(ledgerLossFiling.filedAt));
  const timeZone = await clinicTimeZone(ctx);
  const today = localParts(ctx.clock.now(), timeZone).date;
  ctx.audit.record({
    action: 'ledger.losses.list',
    resourceType: 'ledger_entry',
    detail: { count: rows.length },
  });
  return rows.map((row) => {
    const entry = presentEntry(row);
    const report = entry.lossReport!;
    const own = filings.filter((f) => f.entryId === entry.id).map(presentFiling);
    // The deadlines are counted from the clinic's date of discovery (@kapstone/clinical, 21 CFR 1301.76(b)).
    const deadlines = lossReportDeadlines(localParts(new Date(report.discoveredAt), timeZone).date);
    const noticeFiled =
      report.deaFieldOfficeNotifiedAt !== null || own.some((f) => f.kind === 'field-office-notice');
    return {
      entry,
      filings: own,
      fieldOfficeNoticeDueOn: noticeFiled ? null : deadlines.fieldDivisionNoticeBy,
      form106DueBy: deadlines.form106By,
      overdue: deadlines.form106By < today,
    };
  });
}

/**
 * Records what was filed for a theft or loss (the field-office notice or Form 106), once per kind; the loss
 * entry itself is never changed. Idempotent by the client id.
 */
export async function recordLossFiling(
  ctx: ServiceContext,
  entryId: string,
  input: LossFilingInput,
): Promise<{ filing: LossFilingView; created: boolean }> {
  const [existing] = await ctx.tx
    .select()
    .from(ledgerLossFiling)
    .where(and(eq(ledgerLossFiling.clinicId, ctx.clinicId), eq(ledgerLossFiling.id, input.id)));
  if (existing) {
    const same =
      existing.entryId === entryId &&
      existing.kind === input.kind &&
      existing.filedAt.getTime() === new Date(input.filedAt).getTime() &&
      (existing.reference ?? null) === (input.reference ?? null);
    if (!same)
      throw new Conflict('A filing with this id was recorded with different content.', [
        { path: 'id', message: 'Use a new id for a new filing.' },
      ]);
    return { filing: presentFiling(existing), created: false };
  }
  const [loss] = await ctx.tx
    .select({ kind: ledgerEntry.kind, lossReport: ledgerEntry.lossReport })
    .from(ledgerEntry)
    .where(and(eq(ledgerEntry.clinicId, ctx.clinicId), eq(ledgerEntry.id, entryId)));
  if (loss?.kind !== 'loss') throw new NotFound('Theft or loss');
  const filedAt = new Date(input.filedAt);
  assertNotFuture(ctx, filedAt, 'filedAt');
  if (filedAt < new Date(loss.lossReport!.discoveredAt))
    throw new Invalid('A filing comes after the discovery.', [
      { path: 'filedAt', message: 'On or after the time the theft or loss was discovered.' },
    ]);
  try {
    const [row] = await ctx.tx
      .insert(ledgerLossFiling)
      .values({
        id: input.id,
        clinicId: ctx.clinicId,
        entryId,
        kind: input.kind,
        filedAt,
        reference: input.reference ?? null,
        recordedAt: ctx.clock.now(),
        recordedBy: ctx.actor.userId,
        recordedByName: ctx.actor.displayName,
      })
      .returning();
    ctx.audit.record({
      action: 'ledger.loss.filing',
      resourceType: 'ledger_loss_filing',
      resourceId: input.id,
      detail: { entryId, kind: input.kind },
    });
    return { filing: presentFiling(row!), created: true };
  } catch (error) {
    if (isUniqueViolation(error))
      throw new Conflict('This filing is already on record for the theft or loss.', [
        { path: 'kind', message: 'Each filing is recorded once.' },
      ]);
    throw error;
  }
}

/**
 * An adjustment of a lot's balance, signed by an admin: the route has checked the password
 * (confirmPasswordForSignature) and the permission (ledger.adjust); the signer is the actor.
 */
export async function recordAdjustment(
  ctx: ServiceContext,
  input: Omit<AdjustmentInput, 'password'>,
): Promise<Recorded> {
  const fingerprint = fingerprintOf({ kind: 'adjustment', ...input });
  const replay = await replayOf(ctx, input.id, fingerprint);
  if (replay) return { entry: replay, created: false };
  const occurredAt = input.occurredAt ? new Date(input.occurredAt) : ctx.clock.now();
  assertNotFuture(ctx, occurredAt, 'occurredAt');
  const locked = await lockLot(ctx, input.lotId);
  assertQuantityFits(locked, input.quantity);
  return insertEntry(ctx, locked, {
    id: input.id,
    kind: 'adjustment',
    quantity: input.quantity,
    occurredAt,
    reason: input.reason,
    signedBy: ctx.actor.userId,
    signerName: ctx.actor.displayName,
    requestFingerprint: fingerprint,
  });
}

/**
 * A reversing entry: the exact opposite of one entry of the same lot, with a reason and an admin's signature
 * (checked by the route). An entry is reversed at most once, and a correction is not itself reversed (record
 * the right entry instead). Reversing a receipt whose stock has been used is refused: the balance would go
 * below zero.
 */
export async function recordCorrection(
  ctx: ServiceContext,
  input: Omit<CorrectionInput, 'password'>,
): Promise<Recorded> {
  const fingerprint = fingerprintOf({ kind: 'correction', ...input });
  const replay = await replayOf(ctx, input.id, fingerprint);
  if (replay) return { entry: replay, created: false };
  const original = await loadEntry(ctx, input.reversesId);
  if (!original) throw new NotFound('Ledger entry');
  if (original.kind === 'correction')
    throw new Conflict('A correction is not reversed: record the right entry instead.', [
      { path: 'reversesId', message: 'This entry is itself a correction.' },
    ]);
  if (original.reversedById)
    throw new Conflict('This entry has already been reversed.', [
      { path: 'reversesId', message: 'Already reversed.' },
    ]);
  const locked = await lockLot(ctx, original.lot.id);
  assertQuantityFits(locked, -original.quantity, 'reversesId');
  return insertEntry(ctx, locked, {
    id: input.id,
    kind: 'correction',
    quantity: -original.quantity,
    occurredAt: ctx.clock.now(),
    reason: input.reason,
    reversesId: original.id,
    signedBy: ctx.actor.userId,
    signerName: ctx.actor.displayName,
    sessionId: original.sessionId,
    patientId: original.patientId,
    requestFingerprint: fingerprint,
  });
}
