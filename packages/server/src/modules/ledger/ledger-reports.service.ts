import {
  administrationRecordGaps,
  type ContainerFacts,
  checkCountLine,
  countDiscrepancy,
  countRequirement,
  effectiveInventoryRules,
  inventorySchedule,
  type LedgerSettings,
  retainedUntil,
  roundQuantity,
} from '@kapstone/clinical';
import { and, asc, desc, eq, gte, inArray, lt, lte, ne, sql } from 'drizzle-orm';
import type { ServiceContext } from '../../context.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import {
  clinic,
  ledgerCount,
  ledgerCountLine,
  ledgerCountResolution,
  ledgerEntry,
  ledgerLocation,
  ledgerLot,
  ledgerProduct,
  ledgerSettings,
  patient,
  patientVersion,
} from '../../db/schema/index.ts';
import type { LedgerForm } from '../../db/schema/ledger.ts';
import type { LedgerCountKind, LedgerSettingsValues } from '../../db/schema/ledger-reports.ts';
import type { PostalAddress } from '../../db/schema/patients.ts';
import { Conflict, Invalid, NotFound } from '../../errors.ts';
import { addDays, localParts, zonedInstant } from '../scheduling/clinic-time.ts';
import { fingerprintOf } from './ledger.service.ts';
import type {
  CountInput,
  CountSummaryView,
  CountView,
  DispensingLogEntryView,
  DispensingLogQuery,
  DispensingLogView,
  LedgerSettingsInput,
  LedgerSettingsView,
} from './ledger-reports.schemas.ts';

/** A count taken up to this far ahead of the server clock is accepted (device clocks drift); no further. */
const clockSkewMs = 5 * 60_000;
/** The most entries one dispensing-log export carries; a longer period is asked for in parts. */
export const dispensingLogMaxEntries = 20_000;

// ---- Clinic facts and settings ------------------------------------------------------------------------

interface ClinicFacts {
  name: string;
  timeZone: string;
  settings: LedgerSettingsValues;
  updatedAt: Date | null;
}

async function loadClinic(ctx: ServiceContext): Promise<ClinicFacts> {
  const [row] = await ctx.tx
    .select({
      name: clinic.name,
      timeZone: clinic.timeZone,
      values: ledgerSettings.values,
      updatedAt: ledgerSettings.updatedAt,
    })
    .from(clinic)
    .leftJoin(ledgerSettings, eq(ledgerSettings.clinicId, clinic.id))
    .where(eq(clinic.id, ctx.clinicId));
  if (!row) throw new NotFound('Clinic');
  return { name: row.name, timeZone: row.timeZone, settings: row.values ?? {}, updatedAt: row.updatedAt };
}

function clinicalSettings(values: LedgerSettingsValues): LedgerSettings {
  return {
    jurisdiction: values.jurisdiction ?? 'federal',
    ...(values.inventoryIntervalMonths ? { inventoryIntervalMonths: values.inventoryIntervalMonths } : {}),
    retentionYears: values.retentionYears ?? 2,
    estimateToleranceQuantity: values.estimateToleranceQuantity ?? null,
  };
}

function settingsView(facts: ClinicFacts): LedgerSettingsView {
  const s = clinicalSettings(facts.settings);
  return {
    jurisdiction: s.jurisdiction ?? 'federal',
    inventoryIntervalMonths: facts.settings.inventoryIntervalMonths ?? null,
    effectiveIntervalMonths: effectiveInventoryRules(s).intervalMonths,
    retentionYears: s.retentionYears ?? 2,
    estimateToleranceQuantity: s.estimateToleranceQuantity ?? null,
    updatedAt: facts.updatedAt?.toISOString() ?? null,
  };
}

export async function getLedgerSettings(ctx: ServiceContext): Promise<LedgerSettingsView> {
  return settingsView(await loadClinic(ctx));
}

/** Saves the clinic's ledger settings (admins; audited with what changed). Retention is never below 2 years. */
export async function updateLedgerSettings(
  ctx: ServiceContext,
  input: LedgerSettingsInput,
): Promise<LedgerSettingsView> {
  const before = await loadClinic(ctx);
  const values: LedgerSettingsValues = {
    jurisdiction: input.jurisdiction,
    retentionYears: input.retentionYears,
    estimateToleranceQuantity: input.estimateToleranceQuantity,
    ...(input.inventoryIntervalMonths !== null
      ? { inventoryIntervalMonths: input.inventoryIntervalMonths }
      : {}),
  };
  const now = ctx.clock.now();
  await ctx.tx
    .insert(ledgerSettings)
    .values({ clinicId: ctx.clinicId, values, updatedAt: now, updatedBy: ctx.actor.userId })
    .onConflictDoUpdate({
      target: ledgerSettings.clinicId,
      set: { values, updatedAt: now, updatedBy: ctx.actor.userId },
    });
  const previous = settingsView(before);
  const next = settingsView({ ...before, settings: values, updatedAt: now });
  const changed = (
    ['jurisdiction', 'inventoryIntervalMonths', 'retentionYears', 'estimateToleranceQuantity'] as const
  ).filter((key) => previous[key] !== next[key]);
  ctx.audit.record({
    action: 'ledger.settings.update',
    resourceType: 'ledger_settings',
    resourceId: ctx.clinicId,
    detail: { changed, retentionYears: next.retentionYears, jurisdiction: next.jurisdiction },
  });
  return next;
}

// ---- Shared readers -----------------------------------------------------------------------------------

type LocationRow = typeof ledgerLocation.$inferSelect;

async function findLocation(ctx: ServiceContext, locationId: string): Promise<LocationRow | undefined> {
  const [row] = await ctx.tx
    .select()
    .from(ledgerLocation)
    .where(and(eq(ledgerLocation.clinicId, ctx.clinicId), eq(ledgerLocation.id, locationId)));
  return row;
}

const locationSummary = (row: LocationRow) => ({
  id: row.id,
  name: row.name,
  address: row.address,
  deaRegistration: row.deaRegistration,
});

const lotColumns = {
  id: ledgerLot.id,
  locationId: ledgerLot.locationId,
  productId: ledgerLot.productId,
  lotNumber: ledgerLot.lotNumber,
  expiresOn: ledgerLot.expiresOn,
  product: ledgerProduct.product,
  productName: ledgerProduct.name,
  ndc: ledgerProduct.ndc,
  form: ledgerProduct.form,
  unit: ledgerProduct.unit,
  concentrationMgPerUnit: ledgerProduct.concentrationMgPerUnit,
  containerSize: ledgerProduct.containerSize,
};
type LotRow = {
  id: string;
  locationId: string;
  productId: string;
  lotNumber: string;
  expiresOn: string;
  product: 'ketamine-racemic' | 'esketamine';
  productName: string;
  ndc: string;
  form: LedgerForm;
  unit: 'mL' | 'device' | 'troche';
  concentrationMgPerUnit: number;
  containerSize: number;
};

const lotSummary = (lot: LotRow) => ({
  id: lot.id,
  productId: lot.productId,
  product: lot.product,
  productName: lot.productName,
  ndc: lot.ndc,
  form: lot.form,
  unit: lot.unit,
  concentrationMgPerUnit: Number(lot.concentrationMgPerUnit),
  containerSize: Number(lot.containerSize),
  lotNumber: lot.lotNumber,
  expiresOn: lot.expiresOn,
});

function lotsQuery(ctx: ServiceContext) {
  return ctx.tx
    .select(lotColumns)
    .from(ledgerLot)
    .innerJoin(
      ledgerProduct,
      and(eq(ledgerProduct.clinicId, ledgerLot.clinicId), eq(ledgerProduct.id, ledgerLot.productId)),
    );
}

/** The container facts @kapstone/clinical's countRequirement reads, from the product's finished form. */
function containerFacts(lot: LotRow, opened: boolean): ContainerFacts {
  const form: ContainerFacts['form'] =
    lot.form === 'vial' || lot.form === 'nasal-spray'
      ? 'liquid'
      : lot.form === 'troche'
        ? 'tablet'
        : 'device';
  // Whether a vial carries volume marks is not recorded: it counts as marked, the stricter case.
  return { opened, form, containerCapacity: Number(lot.containerSize) };
}

/** Each lot's balance from the entries that happened up to `at` (inclusive). */
async function balancesAt(
  ctx: ServiceContext,
  lotIds: string[],
  at: Date,
  inclusive = true,
): Promise<Map<string, number>> {
  if (lotIds.length === 0) return new Map();
  const rows = await ctx.tx
    .select({ lotId: ledgerEntry.lotId, balance: sql<string>`COALESCE(SUM(${ledgerEntry.quantity}), 0)` })
    .from(ledgerEntry)
    .where(
      and(
        eq(ledgerEntry.clinicId, ctx.clinicId),
        inArray(ledgerEntry.lotId, lotIds),
        inclusive ? lte(ledgerEntry.occurredAt, at) : lt(ledgerEntry.occurredAt, at),
      ),
    )
    .groupBy(ledgerEntry.lotId);
  const balances = new Map(lotIds.map((id) => [id, 0]));
  for (const row of rows) balances.set(row.lotId, roundQuantity(Number(row.balance)));
  return balances;
}

// ---- Counts and inventories ---------------------------------------------------------------------------

type CountRow = typeof ledgerCount.$inferSelect;

async function findCount(ctx: ServiceContext, countId: string): Promise<CountRow | undefined> {
  const [row] = await ctx.tx
    .select()
    .from(ledgerCount)
    .where(and(eq(ledgerCount.clinicId, ctx.clinicId), eq(ledgerCount.id, countId)));
  return row;
}

const isInventory = (kind: LedgerCountKind) => kind !== 'count';

/**
 * Records a physical count or an inventory of a location. Each line's book balance is the lot's balance from
 * the entries that happened up to the count, read with the lots locked against new entries (share lock:
 * entries wait until the count is in). The count never changes a balance: a difference is shown as a
 * discrepancy to resolve with an entry of its own. Idempotent by the client's id.
 */
export async function recordCount(
  ctx: ServiceContext,
  input: CountInput,
): Promise<{ created: boolean; count: CountView }> {
  const requestFingerprint = fingerprintOf(input);
  const existing = await findCount(ctx, input.id);
  if (existing) return { created: false, count: await replayCount(ctx, existing, requestFingerprint) };

  const now = ctx.clock.now();
  const takenAt = new Date(input.takenAt);
  if (takenAt.getTime() > now.getTime() + clockSkewMs)
    throw new Invalid('A count cannot be taken in the future.', [
      { path: 'takenAt', message: 'Use the date and time the stock was counted.' },
    ]);
  const location = await findLocation(ctx, input.locationId);
  if (!location)
    throw new Invalid('No such registered location in this clinic.', [
      { path: 'locationId', message: 'Choose one of the clinic’s registered locations.' },
    ]);
  const facts = await loadClinic(ctx);
  const settings = clinicalSettings(facts.settings);

  if (isInventory(input.kind)) await checkInventoryOrder(ctx, input, takenAt);

  // Lock the location's lots (FOR SHARE, in id order so two lockers never wait on each other crosswise): the
  // entry trigger's FOR UPDATE waits, so the book balance read below cannot move under the count.
  const lots = (
    (await lotsQuery(ctx)
      .where(and(eq(ledgerLot.clinicId, ctx.clinicId), eq(ledgerLot.locationId, location.id)))
      .orderBy(asc(ledgerLot.id))
      .for('share', { of: ledgerLot })) as LotRow[]
  ).sort((a, b) => a.productName.localeCompare(b.productName) || a.lotNumber.localeCompare(b.lotNumber));
  const lotById = new Map(lots.map((lot) => [lot.id, lot]));
  const problems: { path: string; message: string }[] = [];
  input.lines.forEach((line, i) => {
    if (!lotById.has(line.lotId))
      problems.push({ path: `lines.${i}.lotId`, message: 'This lot is not held at this location.' });
  });
  if (problems.length > 0) throw new Invalid('Some lines name a lot of another location.', problems);

  const book = await balancesAt(
    ctx,
    lots.map((l) => l.id),
    takenAt,
  );
  if (isInventory(input.kind)) {
    const counted = new Set(input.lines.map((l) => l.lotId));
    const missing = lots.filter((lot) => !counted.has(lot.id) && (book.get(lot.id) ?? 0) > 0);
    if (missing.length > 0)
      throw new Invalid('An inventory lists every lot on hand (enter 0 for a lot not found).', [
        {
          path: 'lines',
          message: `Missing: ${missing.map((lot) => `${lot.productName} lot ${lot.lotNumber}`).join(', ')}.`,
        },
      ]);
  }

  const rows = input.lines.map((line, i) => {
    const lot = lotById.get(line.lotId)!;
    const capacity = Number(lot.containerSize);
    const wholeUnits = lot.unit !== 'mL';
    if (wholeUnits && !Number.isInteger(line.openedQuantity))
      problems.push({ path: `lines.${i}.openedQuantity`, message: `Count whole ${lot.unit}s.` });
    if (line.openedQuantity > line.openedContainers * capacity + 1e-9)
      problems.push({
        path: `lines.${i}.openedQuantity`,
        message: `${line.openedContainers} opened container(s) hold at most ${roundQuantity(line.openedContainers * capacity)} ${lot.unit}.`,
      });
    const requirement = countRequirement(containerFacts(lot, line.openedContainers > 0), settings);
    for (const issue of checkCountLine({ method: line.method, quantity: line.openedQuantity }, requirement))
      problems.push({
        path: `lines.${i}.${issue.field === 'method' ? 'method' : 'openedQuantity'}`,
        message: issue.message,
      });
    const countedQuantity = roundQuantity(line.sealedContainers * capacity + line.openedQuantity);
    const bookBalance = book.get(lot.id) ?? 0;
    return {
      clinicId: ctx.clinicId,
      countId: input.id,
      lotId: lot.id,
      sealedContainers: line.sealedContainers,
      openedContainers: line.openedContainers,
      openedQuantity: line.openedQuantity,
      method: line.method,
      countedQuantity,
      bookBalance,
      difference: roundQuantity(countedQuantity - bookBalance),
    };
  });
  if (problems.length > 0) throw new Invalid('Some lines cannot be recorded as counted.', problems);

  try {
    await ctx.tx.transaction(async (sp) => {
      await sp.insert(ledgerCount).values({
        id: input.id,
        clinicId: ctx.clinicId,
        locationId: location.id,
        kind: input.kind,
        takenAt,
        businessTime: input.businessTime ?? null,
        countedBy: ctx.actor.userId,
        countedByName: ctx.actor.displayName,
        note: input.note ?? null,
        recordedAt: now,
        requestFingerprint,
      });
      if (rows.length > 0) await sp.insert(ledgerCountLine).values(rows);
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      // A concurrent retry won the race, another clinic holds the id, or a concurrent initial inventory.
      const raced = await findCount(ctx, input.id);
      if (raced) return { created: false, count: await replayCount(ctx, raced, requestFingerprint) };
      if (isUniqueViolation(error, 'ledger_count_one_initial_key'))
        throw new Conflict('This location already has its initial inventory: take a biennial inventory.', [
          { path: 'kind', message: 'Choose the biennial inventory.' },
        ]);
      throw new Conflict('This count id is already used: generate a new one.', [
        { path: 'id', message: 'Generate a new id.' },
      ]);
    }
    throw error;
  }
  const count = (await loadCountViews(ctx, [input.id], facts))[0]!;
  ctx.audit.record({
    action: isInventory(input.kind) ? 'ledger.inventory.record' : 'ledger.count.record',
    resourceType: 'ledger_count',
    resourceId: input.id,
    detail: {
      kind: input.kind,
      locationId: location.id,
      lots: count.summary.lots,
      discrepancies: count.summary.discrepancies,
    },
  });
  return { created: true, count };
}

async function replayCount(ctx: ServiceContext, row: CountRow, requestFingerprint: string) {
  if (row.requestFingerprint !== requestFingerprint)
    throw new Conflict('A different count was already saved with this id: generate a new one.', [
      { path: 'id', message: 'Generate a new id for a new count.' },
    ]);
  return (await loadCountViews(ctx, [row.id]))[0]!;
}

/** The initial inventory comes first, once; each later inventory is dated after the one before. */
async function checkInventoryOrder(ctx: ServiceContext, input: CountInput, takenAt: Date): Promise<void> {
  const [latest] = await ctx.tx
    .select({ kind: ledgerCount.kind, takenAt: ledgerCount.takenAt })
    .from(ledgerCount)
    .where(
      and(
        eq(ledgerCount.clinicId, ctx.clinicId),
        eq(ledgerCount.locationId, input.locationId),
        ne(ledgerCount.kind, 'count'),
      ),
    )
    .orderBy(desc(ledgerCount.takenAt))
    .limit(1);
  if (input.kind === 'initial-inventory' && latest)
    throw new Conflict('This location already has its initial inventory: take a biennial inventory.', [
      { path: 'kind', message: 'Choose the biennial inventory.' },
    ]);
  if (input.kind === 'biennial-inventory') {
    if (!latest)
      throw new Invalid('Take the initial inventory of this location first.', [
        { path: 'kind', message: 'Choose the initial inventory.' },
      ]);
    if (takenAt.getTime() <= latest.takenAt.getTime())
      throw new Invalid('An inventory is dated after the previous one.', [
        { path: 'takenAt', message: `The previous inventory was taken ${latest.takenAt.toISOString()}.` },
      ]);
  }
}

async function loadCountViews(
  ctx: ServiceContext,
  countIds: string[],
  knownFacts?: ClinicFacts,
): Promise<CountView[]> {
  if (countIds.length === 0) return [];
  const facts = knownFacts ?? (await loadClinic(ctx));
  const settings = clinicalSettings(facts.settings);
  const counts = await ctx.tx
    .select({ count: ledgerCount, location: ledgerLocation })
    .from(ledgerCount)
    .innerJoin(
      ledgerLocation,
      and(eq(ledgerLocation.clinicId, ledgerCount.clinicId), eq(ledgerLocation.id, ledgerCount.locationId)),
    )
    .where(and(eq(ledgerCount.clinicId, ctx.clinicId), inArray(ledgerCount.id, countIds)));
  const lines = await ctx.tx
    .select({ line: ledgerCountLine, lot: lotColumns })
    .from(ledgerCountLine)
    .innerJoin(
      ledgerLot,
      and(eq(ledgerLot.clinicId, ledgerCountLine.clinicId), eq(ledgerLot.id, ledgerCountLine.lotId)),
    )
    .innerJoin(
      ledgerProduct,
      and(eq(ledgerProduct.clinicId, ledgerLot.clinicId), eq(ledgerProduct.id, ledgerLot.productId)),
    )
    .where(and(eq(ledgerCountLine.clinicId, ctx.clinicId), inArray(ledgerCountLine.countId, countIds)))
    .orderBy(asc(ledgerProduct.name), asc(ledgerLot.lotNumber));
  const resolutions = await ctx.tx
    .select({
      countId: ledgerCountResolution.countId,
      lotId: ledgerCountResolution.lotId,
      linkedAt: ledgerCountResolution.recordedAt,
      entry: {
        id: ledgerEntry.id,
        kind: ledgerEntry.kind,
        quantity: ledgerEntry.quantity,
        occurredAt: ledgerEntry.occurredAt,
        recordedByName: ledgerEntry.recordedByName,
        reason: ledgerEntry.reason,
      },
      // A linked entry reversed by a correction no longer accounts for anything.
      reversedBy: sql<
        string | null
      >`(SELECT c.id FROM ledger_entry c WHERE c.clinic_id = ${ledgerEntry.clinicId} AND c.reverses_id = ${ledgerEntry.id} LIMIT 1)`,
    })
    .from(ledgerCountResolution)
    .innerJoin(
      ledgerEntry,
      and(
        eq(ledgerEntry.clinicId, ledgerCountResolution.clinicId),
        eq(ledgerEntry.id, ledgerCountResolution.entryId),
      ),
    )
    .where(
      and(eq(ledgerCountResolution.clinicId, ctx.clinicId), inArray(ledgerCountResolution.countId, countIds)),
    )
    .orderBy(asc(ledgerCountResolution.recordedAt));

  const views = counts.map(({ count, location }): CountView => {
    const countLines = lines
      .filter((l) => l.line.countId === count.id)
      .map(({ line, lot }) => {
        const bookBalance = Number(line.bookBalance);
        const countedQuantity = Number(line.countedQuantity);
        const difference = Number(line.difference);
        const discrepancy = countDiscrepancy({
          bookBalance,
          counted: countedQuantity,
          method: line.method,
          settings,
        });
        const linked = resolutions
          .filter((r) => r.countId === count.id && r.lotId === line.lotId)
          .map((r) => ({
            entryId: r.entry.id,
            kind: r.entry.kind,
            quantity: Number(r.entry.quantity),
            occurredAt: r.entry.occurredAt.toISOString(),
            recordedBy: r.entry.recordedByName,
            reason: r.entry.reason,
            linkedAt: r.linkedAt.toISOString(),
            reversedById: r.reversedBy ?? null,
          }));
        const resolvedQuantity = roundQuantity(
          linked.reduce((sum, r) => sum + (r.reversedById ? 0 : r.quantity), 0),
        );
        const toResolve = discrepancy.actions.length > 0;
        const unresolvedQuantity = toResolve ? roundQuantity(difference - resolvedQuantity) : 0;
        return {
          lot: lotSummary(lot as LotRow),
          sealedContainers: line.sealedContainers,
          openedContainers: line.openedContainers,
          openedQuantity: Number(line.openedQuantity),
          method: line.method,
          countedQuantity,
          countedMg: roundQuantity(countedQuantity * Number(lot.concentrationMgPerUnit)),
          bookBalance,
          difference,
          discrepancy,
          resolutions: linked,
          resolvedQuantity,
          unresolvedQuantity,
          status: !toResolve
            ? ('none' as const)
            : unresolvedQuantity === 0
              ? ('resolved' as const)
              : ('open' as const),
        };
      });
    const takenOn = localParts(count.takenAt, facts.timeZone).date;
    return {
      id: count.id,
      location: locationSummary(location),
      kind: count.kind,
      takenAt: count.takenAt.toISOString(),
      takenOn,
      businessTime: count.businessTime,
      countedBy: { id: count.countedBy, name: count.countedByName },
      note: count.note,
      recordedAt: count.recordedAt.toISOString(),
      lines: countLines,
      summary: {
        lots: countLines.length,
        discrepancies: countLines.filter((l) => l.status !== 'none').length,
        open: countLines.filter((l) => l.status === 'open').length,
      },
      retainedUntil: retainedUntil(takenOn, settings),
    };
  });
  const order = new Map(countIds.map((id, i) => [id, i]));
  return views.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
}

export async function getCount(ctx: ServiceContext, countId: string): Promise<CountView> {
  const [count] = await loadCountViews(ctx, [countId]);
  if (!count) throw new NotFound('Count');
  ctx.audit.record({
    action: 'ledger.count.read',
    resourceType: 'ledger_count',
    resourceId: countId,
    detail: { kind: count.kind },
  });
  return count;
}

/** A count or inventory for printing or download, with the clinic's name (audited as an export). */
export async function countReport(
  ctx: ServiceContext,
  countId: string,
  format: 'csv' | 'pdf',
): Promise<{ count: CountView; clinicName: string }> {
  const facts = await loadClinic(ctx);
  const [count] = await loadCountViews(ctx, [countId], facts);
  if (!count) throw new NotFound('Count');
  ctx.audit.record({
    action: 'ledger.count.export',
    resourceType: 'ledger_count',
    resourceId: countId,
    detail: { kind: count.kind, format },
  });
  return { count, clinicName: facts.name };
}

/** The clinic's counts and inventories, newest first (at most 200), each with its discrepancy summary. */
export async function listCounts(
  ctx: ServiceContext,
  filters: { locationId?: string | undefined; kind?: LedgerCountKind | undefined },
): Promise<{ items: CountSummaryView[] }> {
  const ids = await ctx.tx
    .select({ id: ledgerCount.id })
    .from(ledgerCount)
    .where(
      and(
        eq(ledgerCount.clinicId, ctx.clinicId),
        filters.locationId ? eq(ledgerCount.locationId, filters.locationId) : undefined,
        filters.kind ? eq(ledgerCount.kind, filters.kind) : undefined,
      ),
    )
    .orderBy(desc(ledgerCount.takenAt), asc(ledgerCount.id))
    .limit(200);
  const views = await loadCountViews(
    ctx,
    ids.map((r) => r.id),
  );
  ctx.audit.record({
    action: 'ledger.count.list',
    resourceType: 'ledger_count',
    detail: { count: views.length, ...(filters.kind ? { kind: filters.kind } : {}) },
  });
  return { items: views.map(({ lines: _lines, ...summary }) => summary) };
}

/**
 * Links a ledger entry to a count's discrepancy on one lot: the entry (an adjustment with its admin signature,
 * a loss or theft report, a receipt or administration found missing, a correction) accounts for the
 * difference, in part or in full. It must be of the same lot, recorded after the count (so it was not in the
 * book balance the count was compared with), go the same way as the difference, and not exceed what is left.
 */
export async function resolveDiscrepancy(
  ctx: ServiceContext,
  countId: string,
  lotId: string,
  input: { entryId: string },
): Promise<{ created: boolean; count: CountView }> {
  const [count] = await loadCountViews(ctx, [countId]);
  if (!count) throw new NotFound('Count');
  const line = count.lines.find((l) => l.lot.id === lotId);
  if (!line) throw new NotFound('Count line');
  if (line.resolutions.some((r) => r.entryId === input.entryId)) return { created: false, count };

  const [entry] = await ctx.tx
    .select()
    .from(ledgerEntry)
    .where(and(eq(ledgerEntry.clinicId, ctx.clinicId), eq(ledgerEntry.id, input.entryId)));
  const entryPath = [{ path: 'entryId', message: 'Choose an entry of this lot recorded after the count.' }];
  if (!entry) throw new Invalid('No such ledger entry in this clinic.', entryPath);
  if (entry.lotId !== lotId) throw new Invalid('The entry is of another lot.', entryPath);
  if (line.status === 'none') throw new Conflict('This line has no discrepancy to resolve.');
  if (line.status === 'resolved') throw new Conflict('This discrepancy is already resolved.');
  if (entry.recordedAt.getTime() < new Date(count.recordedAt).getTime())
    throw new Invalid('The entry was already in the book balance the count was compared with.', entryPath);
  const quantity = Number(entry.quantity);
  if (Math.sign(quantity) !== Math.sign(line.unresolvedQuantity))
    throw new Invalid(
      line.unresolvedQuantity < 0
        ? 'A shortage is accounted for by an entry that takes stock out (an adjustment down, a loss or theft, a missed administration or waste).'
        : 'An overage is accounted for by an entry that adds stock (an adjustment up, a missed receipt, a correction).',
      entryPath,
    );
  if (Math.abs(quantity) > Math.abs(line.unresolvedQuantity) + 1e-9)
    throw new Invalid(
      `The entry (${quantity} ${line.lot.unit}) is more than what is left to account for (${line.unresolvedQuantity} ${line.lot.unit}).`,
      entryPath,
    );

  const inserted = await ctx.tx
    .insert(ledgerCountResolution)
    .values({
      clinicId: ctx.clinicId,
      countId,
      lotId,
      entryId: entry.id,
      recordedAt: ctx.clock.now(),
      recordedBy: ctx.actor.userId,
    })
    .onConflictDoNothing()
    .returning({ entryId: ledgerCountResolution.entryId });
  if (inserted.length === 0)
    throw new Conflict('That entry already accounts for another discrepancy.', [
      { path: 'entryId', message: 'Choose another entry.' },
    ]);
  ctx.audit.record({
    action: 'ledger.count.resolve',
    resourceType: 'ledger_count',
    resourceId: countId,
    detail: { lotId, entryId: entry.id, entryKind: entry.kind },
  });
  return { created: true, count: (await loadCountViews(ctx, [countId]))[0]! };
}

/** Each registered location's inventory schedule: the initial inventory, the last one, the next due date. */
export async function inventoryStatus(ctx: ServiceContext) {
  const facts = await loadClinic(ctx);
  const settings = clinicalSettings(facts.settings);
  const today = localParts(ctx.clock.now(), facts.timeZone).date;
  const locations = await ctx.tx
    .select()
    .from(ledgerLocation)
    .where(eq(ledgerLocation.clinicId, ctx.clinicId))
    .orderBy(asc(ledgerLocation.name));
  const inventories = await ctx.tx
    .select({
      id: ledgerCount.id,
      locationId: ledgerCount.locationId,
      kind: ledgerCount.kind,
      takenAt: ledgerCount.takenAt,
    })
    .from(ledgerCount)
    .where(and(eq(ledgerCount.clinicId, ctx.clinicId), ne(ledgerCount.kind, 'count')))
    .orderBy(desc(ledgerCount.takenAt));
  const items = locations.map((location) => {
    const own = inventories.filter((i) => i.locationId === location.id);
    const initial = own.find((i) => i.kind === 'initial-inventory');
    const last = own[0];
    const lastOn = last ? localParts(last.takenAt, facts.timeZone).date : null;
    const schedule = inventorySchedule({ lastInventoryDate: lastOn, today, settings });
    return {
      location: locationSummary(location),
      initialInventory: initial
        ? { id: initial.id, takenOn: localParts(initial.takenAt, facts.timeZone).date }
        : null,
      lastInventory: last ? { id: last.id, kind: last.kind, takenOn: lastOn! } : null,
      ...schedule,
    };
  });
  ctx.audit.record({ action: 'ledger.inventory-status.read', resourceType: 'ledger_count' });
  return { items, today };
}

// ---- Dispensing log -----------------------------------------------------------------------------------

/**
 * The demographics of each patient as they stood at a given time, from the versions kept at every change
 * (patient_version: the state before the change, with the time it was superseded). Null: the current row
 * applies (no change since that time).
 */
async function demographicsHistory(ctx: ServiceContext, ids: string[]) {
  const versions = ids.length
    ? await ctx.tx
        .select({
          patientId: patientVersion.patientId,
          demographics: patientVersion.demographics,
          supersededAt: patientVersion.supersededAt,
        })
        .from(patientVersion)
        .where(and(eq(patientVersion.clinicId, ctx.clinicId), inArray(patientVersion.patientId, ids)))
        .orderBy(asc(patientVersion.supersededAt), asc(patientVersion.version))
    : [];
  const byPatient = new Map<string, typeof versions>();
  for (const v of versions) {
    const own = byPatient.get(v.patientId);
    if (own) own.push(v);
    else byPatient.set(v.patientId, [v]);
  }
  return (patientId: string, at: Date) =>
    byPatient.get(patientId)?.find((v) => v.supersededAt.getTime() > at.getTime())?.demographics ?? null;
}

function formatAddress(address: PostalAddress | null): string | null {
  if (!address) return null;
  const cityLine = [address.city, [address.region, address.postalCode].filter(Boolean).join(' ')]
    .filter(Boolean)
    .join(', ');
  return [address.line1, address.line2, cityLine, address.country].filter((p) => p?.trim()).join(', ');
}

/**
 * The dispensing log of one registered location over a period (dates in the clinic's time zone, both
 * included): per lot, the balance at the start, every receipt, administration (to whom, with the name and
 * address 21 CFR 1304.22(c) asks for), waste, transfer, loss, adjustment and correction in the order they
 * happened with the running balance, and the balance at the end. Reading it is audited, once for the log
 * and once for each patient whose administrations it shows.
 */
export async function dispensingLog(
  ctx: ServiceContext,
  query: DispensingLogQuery,
  format: 'json' | 'csv' | 'pdf' = 'json',
): Promise<DispensingLogView> {
  const location = await findLocation(ctx, query.locationId);
  if (!location) throw new NotFound('Registered location');
  const facts = await loadClinic(ctx);
  const settings = clinicalSettings(facts.settings);
  const start = zonedInstant(query.from, 0, facts.timeZone);
  const end = zonedInstant(addDays(query.to, 1), 0, facts.timeZone);

  const entries = await ctx.tx
    .select({
      entry: ledgerEntry,
      patientGiven: patient.givenName,
      patientFamily: patient.familyName,
      patientAddress: patient.address,
      patientMrn: patient.mrn,
    })
    .from(ledgerEntry)
    .leftJoin(patient, and(eq(patient.clinicId, ledgerEntry.clinicId), eq(patient.id, ledgerEntry.patientId)))
    .where(
      and(
        eq(ledgerEntry.clinicId, ctx.clinicId),
        eq(ledgerEntry.locationId, location.id),
        gte(ledgerEntry.occurredAt, start),
        lt(ledgerEntry.occurredAt, end),
      ),
    )
    .orderBy(asc(ledgerEntry.occurredAt), asc(ledgerEntry.recordedAt), asc(ledgerEntry.id))
    .limit(dispensingLogMaxEntries + 1);
  if (entries.length > dispensingLogMaxEntries)
    throw new Invalid(`More than ${dispensingLogMaxEntries} entries: ask for a shorter period.`, [
      { path: 'from', message: 'Choose a later start date.' },
    ]);

  const patientIds = [...new Set(entries.map((e) => e.entry.patientId).filter((id): id is string => !!id))];
  const demographicsAt = await demographicsHistory(ctx, patientIds);

  const lots = (await lotsQuery(ctx)
    .where(and(eq(ledgerLot.clinicId, ctx.clinicId), eq(ledgerLot.locationId, location.id)))
    .orderBy(asc(ledgerProduct.name), asc(ledgerLot.lotNumber))) as LotRow[];
  const opening = await balancesAt(
    ctx,
    lots.map((l) => l.id),
    start,
    false,
  );

  const logLots = lots
    .map((lot) => {
      let balance = opening.get(lot.id) ?? 0;
      const totals = { received: 0, administered: 0, wasted: 0, transferred: 0, lost: 0, adjusted: 0 };
      const lines = entries
        .filter((e) => e.entry.lotId === lot.id)
        .map(({ entry, patientGiven, patientFamily, patientAddress, patientMrn }): DispensingLogEntryView => {
          const q = Number(entry.quantity);
          balance = roundQuantity(balance + q);
          if (entry.kind === 'receipt') totals.received += q;
          else if (entry.kind === 'administration') totals.administered -= q;
          else if (entry.kind === 'waste') totals.wasted -= q;
          else if (entry.kind === 'transfer') totals.transferred -= q;
          else if (entry.kind === 'loss') totals.lost -= q;
          else totals.adjusted += q;
          const date = localParts(entry.occurredAt, facts.timeZone).date;
          // The name and address as they were on the entry's date (1304.22(c) records the person it went
          // to): a later change of address does not rewrite the book.
          const then = entry.patientId ? demographicsAt(entry.patientId, entry.occurredAt) : null;
          const patientView =
            entry.patientId && patientGiven !== null
              ? {
                  id: entry.patientId,
                  name: then ? `${then.givenName} ${then.familyName}` : `${patientGiven} ${patientFamily}`,
                  address: formatAddress(then ? then.address : (patientAddress ?? null)),
                  mrn: patientMrn ?? '',
                }
              : null;
          const gaps =
            entry.kind === 'administration'
              ? administrationRecordGaps({
                  patientName: patientView?.name,
                  patientAddress: patientView?.address,
                  date,
                  quantity: -q,
                  administeredBy: entry.recordedByName,
                })
              : [];
          return {
            entryId: entry.id,
            kind: entry.kind,
            occurredAt: entry.occurredAt.toISOString(),
            date,
            quantity: q,
            quantityMg: Number(entry.quantityMg),
            balance,
            containers: entry.containers,
            patient: patientView,
            counterparty: entry.counterpartyName
              ? {
                  name: entry.counterpartyName,
                  address: entry.counterpartyAddress,
                  dea: entry.counterpartyDea,
                }
              : null,
            documentNumber: entry.documentNumber,
            recordedBy: entry.recordedByName,
            witness: entry.witnessName,
            signedBy: entry.signerName,
            reason: entry.reason,
            reversesId: entry.reversesId,
            lossKind: entry.lossReport?.kind ?? null,
            gaps,
          };
        });
      return {
        lot: lotSummary(lot),
        openingBalance: opening.get(lot.id) ?? 0,
        closingBalance: balance,
        received: roundQuantity(totals.received),
        administered: roundQuantity(totals.administered),
        wasted: roundQuantity(totals.wasted),
        transferred: roundQuantity(totals.transferred),
        lost: roundQuantity(totals.lost),
        adjusted: roundQuantity(totals.adjusted),
        entries: lines,
      };
    })
    .filter((l) => l.entries.length > 0 || l.openingBalance !== 0);

  const action = format === 'json' ? 'ledger.dispensing-log.read' : 'ledger.dispensing-log.export';
  ctx.audit.record({
    action,
    resourceType: 'ledger_entry',
    resourceId: location.id,
    detail: { from: query.from, to: query.to, format, entries: entries.length, patients: patientIds.length },
  });
  // The log names each patient an administration went to: a read of that part of their record.
  for (const patientId of patientIds)
    ctx.audit.record({
      action,
      resourceType: 'ledger_entry',
      resourceId: location.id,
      patientId,
      detail: { from: query.from, to: query.to, format },
    });

  return {
    clinicName: facts.name,
    timeZone: facts.timeZone,
    location: locationSummary(location),
    from: query.from,
    to: query.to,
    generatedAt: ctx.clock.now().toISOString(),
    retentionYears: settings.retentionYears ?? 2,
    lots: logLots,
    incompleteEntries: logLots.reduce((n, l) => n + l.entries.filter((e) => e.gaps.length > 0).length, 0),
  };
}
