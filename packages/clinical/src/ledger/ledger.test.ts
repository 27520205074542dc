import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  administrationRecordGaps,
  checkCountLine,
  countDiscrepancy,
  countRequirement,
  effectiveInventoryRules,
  inventorySchedule,
  ledgerRules,
  lossReportDeadlines,
  retainedUntil,
  retentionYears,
} from './index.ts';

describe('inventory schedule (clinical-reference 6, 21 CFR 1304.11)', () => {
  it('asks for the initial inventory when none was taken', () => {
    expect(inventorySchedule({ lastInventoryDate: null, today: '2026-12-01' })).toMatchObject({
      status: 'initial-due',
      nextDueDate: null,
      daysRemaining: null,
      intervalMonths: 24,
    });
  });
  it.each([
    ['2025-01-15', '2026-12-01', '2027-01-15', 'current'],
    ['2024-12-01', '2026-12-01', '2026-12-01', 'current'],
    ['2024-11-30', '2026-12-01', '2026-11-30', 'overdue'],
    ['2024-02-29', '2026-01-01', '2026-02-28', 'current'],
  ] as const)('last inventory %s, today %s: next due %s (%s)', (last, today, due, status) => {
    const schedule = inventorySchedule({ lastInventoryDate: last, today });
    expect(schedule.nextDueDate).toBe(due);
    expect(schedule.status).toBe(status);
  });
  it('counts the days left, negative once overdue', () => {
    expect(inventorySchedule({ lastInventoryDate: '2025-01-01', today: '2026-12-22' }).daysRemaining).toBe(
      10,
    );
    expect(inventorySchedule({ lastInventoryDate: '2024-11-21', today: '2026-12-01' }).daysRemaining).toBe(
      -10,
    );
  });
  it('Iowa inventories every year', () => {
    const schedule = inventorySchedule({
      lastInventoryDate: '2026-03-10',
      today: '2026-12-01',
      settings: { jurisdiction: 'iowa' },
    });
    expect(schedule).toMatchObject({ nextDueDate: '2027-03-10', intervalMonths: 12 });
    expect(schedule.citation.source).toContain('481-553.5');
  });
  it('a clinic may inventory more often than the law asks, never less often', () => {
    expect(effectiveInventoryRules({ inventoryIntervalMonths: 6 }).intervalMonths).toBe(6);
    expect(effectiveInventoryRules({ inventoryIntervalMonths: 36 }).intervalMonths).toBe(24);
    expect(
      effectiveInventoryRules({ jurisdiction: 'iowa', inventoryIntervalMonths: 24 }).intervalMonths,
    ).toBe(12);
    expect(() => effectiveInventoryRules({ inventoryIntervalMonths: 0 })).toThrow(RangeError);
    expect(() => effectiveInventoryRules({ inventoryIntervalMonths: 1.5 })).toThrow(RangeError);
  });
  it('refuses dates that are not calendar dates', () => {
    expect(() => inventorySchedule({ lastInventoryDate: '2026-13-01', today: '2026-12-01' })).toThrow(
      RangeError,
    );
    expect(() => inventorySchedule({ lastInventoryDate: null, today: '1 Dec 2026' })).toThrow(RangeError);
  });
  it('property: the due date is never more than the interval after the last inventory', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2090-12-31'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 24 }),
        (date, months) => {
          const last = date.toISOString().slice(0, 10);
          const { nextDueDate } = inventorySchedule({
            lastInventoryDate: last,
            today: last,
            settings: { inventoryIntervalMonths: months },
          });
          const [y, m] = last.split('-').map(Number) as [number, number];
          const [dy, dm] = nextDueDate!.split('-').map(Number) as [number, number];
          expect((dy - y) * 12 + (dm - m)).toBe(months);
          expect(nextDueDate! > last).toBe(true);
        },
      ),
    );
  });
});

describe('count method (clinical-reference 6, 21 CFR 1304.11(e)(3))', () => {
  const vial = { form: 'liquid', containerCapacity: 10 } as const;
  it('counts sealed containers exactly', () => {
    expect(countRequirement({ ...vial, opened: false }).method).toBe('exact');
  });
  it('federal: an opened vial of a Schedule III substance may be estimated', () => {
    expect(countRequirement({ ...vial, opened: true })).toMatchObject({
      method: 'estimate-allowed',
      estimateIncrement: null,
    });
  });
  it.each([
    [1000, 'estimate-allowed'],
    [1001, 'exact'],
  ] as const)('federal: an opened bottle of %i tablets: %s', (capacity, method) => {
    expect(countRequirement({ form: 'tablet', opened: true, containerCapacity: capacity }).method).toBe(
      method,
    );
    expect(countRequirement({ form: 'capsule', opened: true, containerCapacity: capacity }).method).toBe(
      method,
    );
  });
  it('federal: 1,000-plus devices or mL are not tablets: estimate allowed', () => {
    expect(countRequirement({ form: 'liquid', opened: true, containerCapacity: 5000 }).method).toBe(
      'estimate-allowed',
    );
  });
  it('Iowa: opened containers are counted exactly, except non-incremented liquids to ¼ container', () => {
    const iowa = { jurisdiction: 'iowa' } as const;
    expect(countRequirement({ ...vial, opened: true, incremented: true }, iowa).method).toBe('exact');
    expect(countRequirement({ ...vial, opened: true }, iowa).method).toBe('exact');
    expect(countRequirement({ form: 'device', opened: true, containerCapacity: 2 }, iowa).method).toBe(
      'exact',
    );
    expect(countRequirement({ ...vial, opened: true, incremented: false }, iowa)).toMatchObject({
      method: 'estimate-allowed',
      estimateIncrement: 2.5,
    });
  });
  it('refuses a container without a capacity', () => {
    expect(() => countRequirement({ form: 'liquid', opened: true, containerCapacity: 0 })).toThrow(
      RangeError,
    );
  });
  it('flags an estimate where an exact count is required, and an estimate off the quarter step', () => {
    const exact = countRequirement({ ...vial, opened: false });
    expect(checkCountLine({ method: 'estimated', quantity: 10 }, exact)).toEqual([
      expect.objectContaining({ field: 'method' }),
    ]);
    expect(checkCountLine({ method: 'exact', quantity: 10 }, exact)).toEqual([]);
    const quarter = countRequirement({ ...vial, opened: true, incremented: false }, { jurisdiction: 'iowa' });
    expect(checkCountLine({ method: 'estimated', quantity: 7.5 }, quarter)).toEqual([]);
    expect(checkCountLine({ method: 'estimated', quantity: 7 }, quarter)).toEqual([
      { field: 'quantity', message: 'Estimate to the nearest 2.5 (a quarter container).' },
    ]);
    expect(checkCountLine({ method: 'exact', quantity: -1 }, exact)).toEqual([
      expect.objectContaining({ field: 'quantity' }),
    ]);
  });
});

describe('count discrepancy (clinical-reference 6, 21 CFR 1304.21, 1301.76(b))', () => {
  it('a matching count needs nothing', () => {
    expect(countDiscrepancy({ bookBalance: 12.5, counted: 12.5, method: 'exact' })).toMatchObject({
      kind: 'match',
      difference: 0,
      actions: [],
    });
  });
  it('compares at the ledger precision (no float noise)', () => {
    expect(countDiscrepancy({ bookBalance: 0.3, counted: 0.1 + 0.2, method: 'exact' }).kind).toBe('match');
  });
  it('a shortage points to an adjustment or a loss report', () => {
    const result = countDiscrepancy({ bookBalance: 20, counted: 18.4, method: 'exact' });
    expect(result).toMatchObject({
      kind: 'shortage',
      difference: -1.6,
      actions: ['adjustment', 'loss-report'],
    });
    expect(result.citation.source).toContain('1301.76(b)');
  });
  it('an overage points to an adjustment', () => {
    expect(countDiscrepancy({ bookBalance: 20, counted: 21, method: 'exact' })).toMatchObject({
      kind: 'overage',
      difference: 1,
      actions: ['adjustment'],
    });
  });
  it('an estimate has no tolerance unless the clinic sets one', () => {
    expect(countDiscrepancy({ bookBalance: 10, counted: 9.8, method: 'estimated' }).kind).toBe('shortage');
    const settings = { estimateToleranceQuantity: 0.5 };
    expect(countDiscrepancy({ bookBalance: 10, counted: 9.8, method: 'estimated', settings }).kind).toBe(
      'within-estimate',
    );
    expect(countDiscrepancy({ bookBalance: 10, counted: 9.4, method: 'estimated', settings }).kind).toBe(
      'shortage',
    );
    // An exact count has no tolerance, whatever the setting.
    expect(countDiscrepancy({ bookBalance: 10, counted: 9.8, method: 'exact', settings }).kind).toBe(
      'shortage',
    );
  });
  it('refuses negative quantities', () => {
    expect(() => countDiscrepancy({ bookBalance: -1, counted: 0, method: 'exact' })).toThrow(RangeError);
    expect(() => countDiscrepancy({ bookBalance: 1, counted: Number.NaN, method: 'exact' })).toThrow(
      RangeError,
    );
  });
  it('property: the difference is counted minus book, and its sign decides the kind', () => {
    const quantity = fc.integer({ min: 0, max: 1_000_000 }).map((n) => n / 1000);
    fc.assert(
      fc.property(quantity, quantity, (book, counted) => {
        const result = countDiscrepancy({ bookBalance: book, counted, method: 'exact' });
        expect(result.difference).toBeCloseTo(counted - book, 6);
        expect(result.kind).toBe(counted === book ? 'match' : counted < book ? 'shortage' : 'overage');
        expect(result.actions.length === 0).toBe(result.kind === 'match');
      }),
    );
  });
});

describe('retention (clinical-reference 6, 21 CFR 1304.04(a))', () => {
  it('keeps records 2 years by default, longer if the clinic says', () => {
    expect(retentionYears()).toBe(2);
    expect(retainedUntil('2026-12-01')).toBe('2028-12-01');
    expect(retainedUntil('2024-02-29')).toBe('2026-02-28');
    expect(retainedUntil('2026-12-01', { retentionYears: 5 })).toBe('2031-12-01');
  });
  it('refuses less than 2 years', () => {
    expect(() => retentionYears({ retentionYears: 1 })).toThrow(RangeError);
    expect(() => retentionYears({ retentionYears: 2.5 })).toThrow(RangeError);
  });
});

describe('theft or loss deadlines (clinical-reference 6, 21 CFR 1301.76(b), 88 FR 40707)', () => {
  it.each([
    ['2026-12-01', '2026-12-02', '2027-01-15'], // Tuesday
    ['2026-12-04', '2026-12-07', '2027-01-18'], // Friday: notice by Monday
    ['2026-12-05', '2026-12-07', '2027-01-19'], // Saturday
  ] as const)('discovered %s: notice by %s, Form 106 by %s', (discovered, notice, form106) => {
    expect(lossReportDeadlines(discovered)).toMatchObject({
      fieldDivisionNoticeBy: notice,
      form106By: form106,
    });
  });
});

describe('dispenser record (clinical-reference 6, 21 CFR 1304.22(c))', () => {
  const complete = {
    patientName: 'Ada Example',
    patientAddress: '1 Main St, Springfield',
    date: '2026-12-01',
    quantity: 0.8,
    administeredBy: 'N. Nurse',
  };
  it('a complete administration record has no gaps', () => {
    expect(administrationRecordGaps(complete)).toEqual([]);
  });
  it('names each missing field', () => {
    expect(
      administrationRecordGaps({
        ...complete,
        patientAddress: ' ',
        quantity: null,
        administeredBy: undefined,
      }),
    ).toEqual(['patient address', 'quantity', 'administered by']);
    expect(administrationRecordGaps({ ...complete, patientName: null, date: '' })).toEqual([
      'patient name',
      'date',
    ]);
  });
});

describe('ledger rule metadata', () => {
  it('cites section 6 for every rule', () => {
    for (const rule of ledgerRules) {
      expect(rule.area).toBe('ledger');
      expect(rule.citation.section).toBe('clinical-reference 6');
    }
  });
  it('the estimate tolerance has no default (the reference gives none)', () => {
    expect(ledgerRules.find((r) => r.id === 'ledger.estimate-tolerance')?.setting?.default).toBeNull();
  });
});
