import { csvCell } from '../audit/audit.routes.ts';
import type { CountView, DispensingLogView } from './ledger-reports.schemas.ts';

/** How each kind of entry is named in the exports (CSV and PDF). */
export const entryKindLabel: Record<string, string> = {
  receipt: 'Receipt',
  administration: 'Administered',
  waste: 'Wasted',
  transfer: 'Transfer/return',
  loss: 'Loss/theft',
  adjustment: 'Adjustment',
  correction: 'Correction',
};

const row = (cells: unknown[]) => cells.map(csvCell).join(',');

/**
 * The dispensing log as CSV, one line per entry with the lot's identity on every line, so a spreadsheet can
 * sort and filter it; the lot's opening and closing balances are lines of their own.
 */
export function dispensingLogCsv(log: DispensingLogView): string {
  const header = [
    'location',
    'dea_registration',
    'substance',
    'ndc',
    'form',
    'concentration_mg_per_unit',
    'container_size',
    'unit',
    'lot',
    'expires',
    'date',
    'occurred_at_utc',
    'kind',
    'quantity',
    'quantity_mg',
    'balance',
    'containers',
    'patient_name',
    'patient_address',
    'patient_mrn',
    'supplier_or_recipient',
    'supplier_or_recipient_address',
    'supplier_or_recipient_dea',
    'document',
    'recorded_by',
    'witness',
    'signed_by',
    'reason',
    'reverses_entry',
    'loss_kind',
    'missing_fields',
    'entry_id',
  ];
  const lines = [row(header)];
  for (const { lot, openingBalance, closingBalance, entries } of log.lots) {
    const lotCells = [
      log.location.name,
      log.location.deaRegistration,
      lot.productName,
      lot.ndc,
      lot.form,
      lot.concentrationMgPerUnit,
      lot.containerSize,
      lot.unit,
      lot.lotNumber,
      lot.expiresOn,
    ];
    const balanceLine = (date: string, kind: string, balance: number) =>
      row([...lotCells, date, '', kind, '', '', balance, ...Array(header.length - 16).fill('')]);
    lines.push(balanceLine(log.from, 'Opening balance', openingBalance));
    for (const e of entries) {
      lines.push(
        row([
          ...lotCells,
          e.date,
          e.occurredAt,
          entryKindLabel[e.kind] ?? e.kind,
          e.quantity,
          e.quantityMg,
          e.balance,
          e.containers,
          e.patient?.name,
          e.patient?.address,
          e.patient?.mrn,
          e.counterparty?.name,
          e.counterparty?.address,
          e.counterparty?.dea,
          e.documentNumber,
          e.recordedBy,
          e.witness,
          e.signedBy,
          e.reason,
          e.reversesId,
          e.lossKind,
          e.gaps.join('; '),
          e.entryId,
        ]),
      );
    }
    lines.push(balanceLine(log.to, 'Closing balance', closingBalance));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** A count or inventory as CSV: one line per lot with the book balance and the difference. */
export function countCsv(count: CountView): string {
  const header = [
    'location',
    'dea_registration',
    'kind',
    'taken_on',
    'taken_at_utc',
    'business_time',
    'counted_by',
    'substance',
    'ndc',
    'form',
    'concentration_mg_per_unit',
    'container_size',
    'unit',
    'lot',
    'expires',
    'sealed_containers',
    'opened_containers',
    'opened_quantity',
    'method',
    'counted_quantity',
    'counted_mg',
    'book_balance',
    'difference',
    'status',
  ];
  const lines = [row(header)];
  for (const l of count.lines)
    lines.push(
      row([
        count.location.name,
        count.location.deaRegistration,
        count.kind,
        count.takenOn,
        count.takenAt,
        count.businessTime,
        count.countedBy.name,
        l.lot.productName,
        l.lot.ndc,
        l.lot.form,
        l.lot.concentrationMgPerUnit,
        l.lot.containerSize,
        l.lot.unit,
        l.lot.lotNumber,
        l.lot.expiresOn,
        l.sealedContainers,
        l.openedContainers,
        l.openedQuantity,
        l.method,
        l.countedQuantity,
        l.countedMg,
        l.bookBalance,
        l.difference,
        l.status === 'none' ? l.discrepancy.kind : l.status,
      ]),
    );
  return `${lines.join('\r\n')}\r\n`;
}
