import { createHash, randomUUID } from 'node:crypto';
import type { Db } from '../../db/client.ts';
import { ledgerEntry, ledgerLocation, ledgerLot, ledgerProduct } from '../../db/schema/index.ts';
import type { LedgerEntryKind, LedgerForm, LedgerUnit, LossReport } from '../../db/schema/ledger.ts';

/**
 * Test data for the ledger's reports, written straight into the ledger's tables (the database's own
 * trigger still checks every entry and writes its balance). Only tests use it.
 */
let deaCounter = 1_000_000;
const nextDea = () => `AB${String(deaCounter++ % 10_000_000).padStart(7, '0')}`;

export async function createLedgerLocation(
  db: Db,
  clinicId: string,
  createdBy: string,
  name = 'Main clinic',
) {
  const row = {
    id: randomUUID(),
    clinicId,
    name,
    address: '1 Example Way, Springfield, IL 62701',
    deaRegistration: nextDea(),
    createdAt: new Date('2026-01-01T00:00:00Z'),
    createdBy,
    updatedAt: new Date('2026-01-01T00:00:00Z'),
  };
  await db.insert(ledgerLocation).values(row);
  return row;
}

export async function createLedgerProduct(
  db: Db,
  clinicId: string,
  createdBy: string,
  overrides: Partial<{
    product: 'ketamine-racemic' | 'esketamine';
    name: string;
    form: LedgerForm;
    unit: LedgerUnit;
    concentrationMgPerUnit: number;
    containerSize: number;
  }> = {},
) {
  const row = {
    id: randomUUID(),
    clinicId,
    product: overrides.product ?? ('ketamine-racemic' as const),
    name: overrides.name ?? 'Ketamine HCl injection 50 mg/mL',
    ndc: `${Math.floor(10000 + Math.random() * 89999)}-${Math.floor(100 + Math.random() * 899)}-10`,
    form: overrides.form ?? ('vial' as const),
    unit: overrides.unit ?? ('mL' as const),
    concentrationMgPerUnit: overrides.concentrationMgPerUnit ?? 50,
    containerSize: overrides.containerSize ?? 10,
    createdAt: new Date('2026-01-01T00:00:00Z'),
    createdBy,
  };
  await db.insert(ledgerProduct).values(row);
  return row;
}

export async function createLedgerLot(
  db: Db,
  clinicId: string,
  locationId: string,
  productId: string,
  lotNumber = `L${Math.floor(Math.random() * 1e6)}`,
) {
  const row = {
    id: randomUUID(),
    clinicId,
    locationId,
    productId,
    lotNumber,
    expiresOn: '2028-06-30',
    createdAt: new Date('2026-01-01T00:00:00Z'),
  };
  await db.insert(ledgerLot).values(row);
  return row;
}

export interface EntryFixture {
  kind: LedgerEntryKind;
  quantity: number;
  occurredAt: string;
  recordedAt?: string;
  recordedBy: string;
  recordedByName?: string;
  patientId?: string;
  witnessId?: string;
  signedBy?: string;
  reason?: string;
  lossReport?: LossReport;
  /** Correction: the entry it reverses (quantity must be its exact opposite). */
  reversesId?: string;
}

export async function addLedgerEntry(
  db: Db,
  lot: { clinicId: string; locationId: string; id: string },
  entry: EntryFixture,
) {
  const id = randomUUID();
  const base = {
    id,
    clinicId: lot.clinicId,
    locationId: lot.locationId,
    lotId: lot.id,
    kind: entry.kind,
    quantity: entry.quantity,
    quantityMg: 0, // set by the trigger
    balanceAfter: 0, // set by the trigger
    occurredAt: new Date(entry.occurredAt),
    recordedAt: new Date(entry.recordedAt ?? entry.occurredAt),
    recordedBy: entry.recordedBy,
    recordedByName: entry.recordedByName ?? 'Test Nurse',
    requestFingerprint: createHash('sha256').update(id).digest('hex'),
  };
  const shape =
    entry.kind === 'receipt'
      ? {
          containers: Math.max(1, Math.round(entry.quantity / 10)),
          counterpartyName: 'Example Pharma Supply',
          counterpartyAddress: '9 Depot Rd, Memphis, TN 38118',
          counterpartyDea: 'PX1234563',
          documentNumber: 'INV-1001',
        }
      : entry.kind === 'administration'
        ? { sessionId: randomUUID(), administrationId: randomUUID(), patientId: entry.patientId }
        : entry.kind === 'waste'
          ? { witnessId: entry.witnessId, witnessName: 'Test Witness', reason: entry.reason ?? 'Remainder' }
          : entry.kind === 'adjustment'
            ? { signedBy: entry.signedBy, signerName: 'Test Admin', reason: entry.reason ?? 'Count' }
            : entry.kind === 'loss'
              ? {
                  lossReport: entry.lossReport ?? {
                    kind: 'loss' as const,
                    discoveredAt: entry.occurredAt,
                    circumstances: 'Vial broke',
                    significant: false,
                    deaFieldOfficeNotifiedAt: null,
                    policeNotified: false,
                    policeReportNumber: null,
                    form106SubmittedAt: null,
                  },
                }
              : entry.kind === 'transfer'
                ? {
                    counterpartyName: 'Reverse Distributor Inc',
                    counterpartyAddress: '5 Return St, Dallas, TX',
                    counterpartyDea: 'RR7654321',
                    reason: entry.reason ?? 'Expired',
                  }
                : entry.kind === 'correction'
                  ? { reversesId: entry.reversesId, reason: entry.reason ?? 'Correction' }
                  : {};
  await db.insert(ledgerEntry).values({ ...base, ...shape });
  return { id };
}
