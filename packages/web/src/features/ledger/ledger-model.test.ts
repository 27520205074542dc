import { describe, expect, it } from 'vitest';
import {
  countErrorsByLot,
  countedQuantity,
  discrepancyLabel,
  dispensingLogQuery,
  emptyCount,
  emptyLoss,
  emptyReceipt,
  emptyTransfer,
  emptyWaste,
  formatChange,
  formatQuantity,
  inventoryStandingLabel,
  parseQuantity,
  retentionWindowStart,
  toAdjustment,
  toCount,
  toLoss,
  toLossFiling,
  toProduct,
  toReceipt,
  toSettings,
  toTransfer,
  toWaste,
} from './ledger-model.ts';

const now = new Date('2026-06-10T16:00:00Z');
const vial = { id: 'lot-1', unit: 'mL' as const, balance: 12.5, containerSize: 10 };
const device = { id: 'lot-2', unit: 'device' as const, balance: 6, containerSize: 1 };

describe('quantities', () => {
  it('parses mL to 3 decimals and whole devices', () => {
    expect(parseQuantity('1,25', 'mL')).toEqual({ value: 1.25 });
    expect(parseQuantity('0.0005', 'mL')).toEqual({ error: 'At most three decimals.' });
    expect(parseQuantity('1.5', 'device')).toEqual({ error: 'Count whole devices.' });
    expect(parseQuantity('0', 'mL')).toEqual({ error: 'Enter an amount above zero.' });
    expect(parseQuantity('0', 'mL', { allowZero: true })).toEqual({ value: 0 });
    expect(parseQuantity('-2', 'mL')).toEqual({ error: 'Enter an amount of zero or more.' });
    expect(parseQuantity('abc', 'mL')).toEqual({ error: 'Enter a number.' });
  });
  it('formats quantities and signed changes', () => {
    expect(formatQuantity(1, 'device')).toBe('1 device');
    expect(formatQuantity(2, 'troche')).toBe('2 troches');
    expect(formatQuantity(0.1 + 0.2, 'mL')).toBe('0.3 mL');
    expect(formatChange(-1.5, 'mL')).toBe('−1.5 mL');
    expect(formatChange(20, 'mL')).toBe('+20 mL');
  });
});

describe('entry forms', () => {
  it('a receipt carries the supplier, invoice, lot and expiry', () => {
    const values = {
      ...emptyReceipt('loc-1', now),
      productId: 'prod-1',
      lotNumber: ' A123 ',
      expiresOn: '2028-01-31',
      containers: '5',
      supplierName: 'Example Supply',
      supplierAddress: '9 Depot Rd',
      supplierDea: 'px1234563',
      invoiceNumber: 'INV-9',
    };
    const { body, errors } = toReceipt(values, 'id-1', now);
    expect(errors).toEqual({});
    expect(body).toMatchObject({
      id: 'id-1',
      lotNumber: 'A123',
      containers: 5,
      supplier: { name: 'Example Supply', deaNumber: 'PX1234563' },
      invoiceNumber: 'INV-9',
    });
    expect(toReceipt(emptyReceipt('', now), 'id', now).errors).toMatchObject({
      locationId: expect.any(String),
      productId: expect.any(String),
      lotNumber: expect.any(String),
      expiresOn: expect.any(String),
      containers: expect.any(String),
      'supplier.name': expect.any(String),
      'supplier.deaNumber': expect.any(String),
      invoiceNumber: expect.any(String),
    });
  });

  it('a waste needs a second person who signs with their own password', () => {
    const values = {
      ...emptyWaste(now),
      quantity: '0.5',
      reason: 'Remainder',
      witnessEmail: 'w@x.example',
      witnessPassword: 'pw',
    };
    expect(toWaste(values, vial, 'id', 'me@x.example', now).body).toMatchObject({
      lotId: 'lot-1',
      quantity: 0.5,
      witness: { username: 'w@x.example', password: 'pw' },
    });
    expect(
      toWaste({ ...values, witnessEmail: 'ME@x.example' }, vial, 'id', 'me@x.example', now).errors,
    ).toHaveProperty(['witness.username']);
    expect(
      toWaste({ ...values, witnessPassword: '' }, vial, 'id', 'me@x.example', now).errors,
    ).toHaveProperty(['witness.password']);
    expect(toWaste({ ...values, quantity: '13' }, vial, 'id', 'me@x.example', now).errors.quantity).toBe(
      'The lot holds 12.5 mL.',
    );
  });

  it('a transfer names the reverse distributor with its DEA number', () => {
    const values = {
      ...emptyTransfer(now),
      quantity: '10',
      containers: '1',
      recipientName: 'Returns Inc',
      recipientAddress: '5 Return St',
      recipientDea: 'RR7654321',
      reason: 'Expired',
    };
    expect(toTransfer(values, vial, 'id', now).body).toMatchObject({
      quantity: 10,
      containers: 1,
      recipient: { deaNumber: 'RR7654321' },
    });
    expect(toTransfer({ ...values, recipientDea: 'RR76' }, vial, 'id', now).errors).toHaveProperty([
      'recipient.deaNumber',
    ]);
  });

  it('a theft is always reportable; a loss says whether it is significant', () => {
    const values = { ...emptyLoss(now), quantity: '1', circumstances: 'Vial missing from the safe' };
    expect(toLoss({ ...values, kind: 'theft' }, vial, 'id', now).body?.report.significant).toBe(true);
    expect(toLoss(values, vial, 'id', now).body?.report.significant).toBe(false);
    expect(toLoss({ ...values, circumstances: '' }, vial, 'id', now).errors).toHaveProperty([
      'report.circumstances',
    ]);
    expect(
      toLoss({ ...values, discoveredAt: '2026-06-12T10:00' }, vial, 'id', now).errors['report.discoveredAt'],
    ).toBe('This is in the future.');
  });

  it('an adjustment is signed with the admin password and never takes the lot below zero', () => {
    const body = toAdjustment(
      { direction: 'remove', quantity: '2', reason: 'Count', password: 'pw' },
      vial,
      'id',
    ).body;
    expect(body).toMatchObject({ quantity: -2, reason: 'Count', password: 'pw' });
    expect(
      toAdjustment({ direction: 'add', quantity: '1', reason: 'Count', password: 'pw' }, device, 'id').body
        ?.quantity,
    ).toBe(1);
    expect(
      toAdjustment({ direction: 'remove', quantity: '13', reason: 'x', password: '' }, vial, 'id').errors,
    ).toMatchObject({
      quantity: 'The lot holds 12.5 mL.',
      password: 'Sign with your password.',
    });
  });

  it('a product needs a concentration and container size', () => {
    const result = toProduct({
      product: 'esketamine',
      name: 'SPRAVATO',
      ndc: '50458-028-02',
      form: 'nasal-device',
      concentrationMgPerUnit: '28',
      containerSize: '1',
    });
    expect(result.body).toMatchObject({ concentrationMgPerUnit: 28, containerSize: 1 });
  });
});

describe('counts and inventories', () => {
  const lots = [vial, device];
  it('a count sends only the lots counted; counted = sealed × size + opened contents', () => {
    const values = emptyCount('count', lots, now);
    values.lines[0] = {
      ...values.lines[0]!,
      sealedContainers: '1',
      openedContainers: '1',
      openedQuantity: '2.5',
      method: 'estimated',
    };
    expect(countedQuantity(values.lines[0]!, vial)).toBe(12.5);
    const { body, errors } = toCount(values, lots, 'loc-1', 'count-1', now);
    expect(errors).toEqual({});
    expect(body).toMatchObject({
      id: 'count-1',
      locationId: 'loc-1',
      kind: 'count',
      lines: [
        {
          lotId: 'lot-1',
          sealedContainers: 1,
          openedContainers: 1,
          openedQuantity: 2.5,
          method: 'estimated',
        },
      ],
    });
    expect(toCount(emptyCount('count', lots, now), lots, 'loc-1', 'c', now).errors.lines).toBe(
      'Count at least one lot.',
    );
  });

  it('an inventory lists every lot (blank is zero) and notes the opening or close of business', () => {
    const values = emptyCount('initial-inventory', lots, now);
    expect(toCount(values, lots, 'loc-1', 'c', now).errors.businessTime).toBeDefined();
    const { body } = toCount({ ...values, businessTime: 'close' }, lots, 'loc-1', 'c', now);
    expect(body?.lines).toHaveLength(2);
    expect(body?.lines.every((l) => l.sealedContainers === 0 && l.method === 'exact')).toBe(true);
    expect(body?.businessTime).toBe('close');
  });

  it('refuses contents without an opened container, and more than the opened containers hold', () => {
    const values = emptyCount('count', lots, now);
    values.lines[0] = {
      ...values.lines[0]!,
      sealedContainers: '0',
      openedContainers: '0',
      openedQuantity: '3',
    };
    values.lines[1] = {
      ...values.lines[1]!,
      sealedContainers: '0',
      openedContainers: '1',
      openedQuantity: '2',
    };
    const { errors } = toCount(values, lots, 'loc-1', 'c', now);
    expect(errors).toHaveProperty(['lines.0.openedContainers']);
    expect(errors).toHaveProperty(['lines.1.openedQuantity']);
  });

  it('maps server field paths back to the lot of the line', () => {
    const sent = { lines: [{ lotId: 'lot-2' }, { lotId: 'lot-1' }] } as never;
    expect(countErrorsByLot({ 'lines.1.method': 'Exact count required.', takenAt: 'Future' }, sent)).toEqual({
      byLot: { 'lot-1': { method: 'Exact count required.' } },
      other: { takenAt: 'Future' },
    });
  });

  it('labels a line and an inventory schedule in a clinician’s words', () => {
    const base = { discrepancy: { kind: 'shortage' as const }, unresolvedQuantity: -1 } as const;
    expect(discrepancyLabel({ ...base, status: 'open' } as never).text).toBe('Shortage: to resolve');
    expect(discrepancyLabel({ ...base, status: 'resolved' } as never).text).toBe('Discrepancy resolved');
    expect(
      discrepancyLabel({ status: 'none', discrepancy: { kind: 'match' }, unresolvedQuantity: 0 } as never)
        .text,
    ).toBe('Matches the book');
    expect(inventoryStandingLabel({ status: 'initial-due' } as never).text).toBe('Initial inventory due');
    expect(
      inventoryStandingLabel({ status: 'current', nextDueDate: '2028-06-01', daysRemaining: 20 } as never),
    ).toEqual({ text: 'Next due 2028-06-01 (20 days)', color: 'orange' });
  });
});

describe('settings and the dispensing log', () => {
  it('retention is at least 2 whole years; the interval can only be shortened', () => {
    expect(
      toSettings({
        jurisdiction: 'federal',
        inventoryIntervalMonths: '',
        retentionYears: '3',
        estimateToleranceQuantity: '',
      }).body,
    ).toEqual({
      jurisdiction: 'federal',
      inventoryIntervalMonths: null,
      retentionYears: 3,
      estimateToleranceQuantity: null,
    });
    const bad = toSettings({
      jurisdiction: 'iowa',
      inventoryIntervalMonths: '36',
      retentionYears: '1',
      estimateToleranceQuantity: '-1',
    });
    expect(Object.keys(bad.errors).sort()).toEqual([
      'estimateToleranceQuantity',
      'inventoryIntervalMonths',
      'retentionYears',
    ]);
  });
  it('checks the period of the log, and defaults it to the retention window', () => {
    expect(dispensingLogQuery('loc', '2026-06-01', '2026-06-10')).toBeNull();
    expect(dispensingLogQuery('loc', '2026-06-10', '2026-06-01')).toEqual({
      to: 'The last day is before the first.',
    });
    expect(dispensingLogQuery('', '', '')).toMatchObject({
      locationId: expect.any(String),
      from: expect.any(String),
    });
    expect(retentionWindowStart('2026-06-10', 2)).toBe('2024-06-10');
    expect(retentionWindowStart('2028-02-29', 2)).toBe('2026-02-28');
  });
});

describe('theft and loss filings', () => {
  it('records when the notice or Form 106 was filed, with its reference', () => {
    expect(
      toLossFiling({ filedAt: '2026-06-10T09:00', reference: ' DEA-106-77 ' }, 'form-106', 'id', now).body,
    ).toMatchObject({
      id: 'id',
      kind: 'form-106',
      reference: 'DEA-106-77',
    });
    expect(
      toLossFiling({ filedAt: '', reference: '' }, 'field-office-notice', 'id', now).errors.filedAt,
    ).toBeDefined();
  });
});
