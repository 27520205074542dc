import { describe, expect, it } from 'vitest';
import {
  type AdministrationFormValues,
  type DispensableLot,
  doseInMg,
  infusionEnd,
  lotChoices,
  lotLabel,
  nextDeviceAllowedAt,
  type PlanOrder,
  previewDose,
  quantityLabel,
  remainderToWaste,
  toAdministrationSubmission,
  toWasteSubmission,
} from './administration-model.ts';

const vial = (overrides: Partial<DispensableLot> = {}): DispensableLot => ({
  id: 'lot-a',
  product: 'ketamine-racemic',
  concentrationMgPerMl: 50,
  unit: 'mL',
  lotNumber: 'K100',
  expiresOn: '2027-03-31',
  balance: 10,
  containerSize: 10,
  ...overrides,
});

const imOrder: PlanOrder = {
  route: 'im',
  product: 'ketamine-racemic',
  dose: { value: 0.75, unit: 'mg/kg' },
  maximumDose: { value: 1, unit: 'mg/kg' },
  weightKg: 80,
};

const spravato: PlanOrder = {
  route: 'intranasal',
  product: 'esketamine',
  dose: { value: 56, unit: 'mg' },
  maximumDose: { value: 84, unit: 'mg' },
  weightKg: null,
};

const form = (overrides: Partial<AdministrationFormValues> = {}): AdministrationFormValues => ({
  lotId: 'lot-a',
  doseValue: '',
  site: 'Left deltoid',
  startedAt: '2026-06-01T10:00',
  endedAt: '',
  secondSignerUsername: '',
  secondSignerPassword: '',
  note: '',
  ...overrides,
});

describe('the lot picker', () => {
  it('offers only lots of the ordered product that are in date and in stock, soonest expiry first', () => {
    const lots = [
      vial({ id: 'late', lotNumber: 'K300', expiresOn: '2028-01-31' }),
      vial({ id: 'expired', lotNumber: 'K000', expiresOn: '2026-05-31' }),
      vial({ id: 'empty', lotNumber: 'K200', balance: 0 }),
      vial({ id: 'soon', lotNumber: 'K150', expiresOn: '2026-06-01' }),
      vial({ id: 'spray', product: 'esketamine', unit: 'devices', concentrationMgPerMl: null }),
    ];
    expect(lotChoices(lots, 'ketamine-racemic', '2026-06-01').map((lot) => lot.id)).toEqual(['soon', 'late']);
    expect(lotChoices(lots, 'esketamine', '2026-06-01').map((lot) => lot.id)).toEqual(['spray']);
  });

  it('counts devices and troches in whole units', () => {
    expect(quantityLabel(2, 'device')).toBe('2 devices');
    expect(quantityLabel(1, 'device')).toBe('1 device');
    expect(quantityLabel(3, 'troche')).toBe('3 troches');
    expect(quantityLabel(1.25, 'mL')).toBe('1.25 mL');
  });

  it('names the lot, its strength, its expiry and what is left', () => {
    expect(lotLabel(vial({ balance: 9.2 }))).toBe(
      'Lot K100 · 50 mg/mL · expires 2027-03-31 · 9.2 mL in stock',
    );
  });
});

describe('the dose preview', () => {
  it('computes mg from mg/kg and the volume from the lot’s concentration', () => {
    const preview = previewDose({ order: imOrder, lot: vial(), given: [] });
    expect(preview.calculation.doseMg).toBe(60);
    expect(preview.calculation.volumeMl).toBe(1.2);
    expect(preview.drawQuantity).toBe(1.2);
    expect(preview.drawUnit).toBe('mL');
    expect(preview.maximumMg).toBe(80);
    expect(preview.aboveMaximum).toBeNull();
  });

  it('refuses an additional dose that takes the session above the plan’s maximum', () => {
    const preview = previewDose({
      order: imOrder,
      doseValue: 0.5,
      lot: vial(),
      given: [{ doseMg: 60, startedAt: '2026-06-01T10:00:00Z' }],
    });
    expect(preview.givenBeforeMg).toBe(60);
    expect(preview.aboveMaximum).toBe(
      "This dose brings the session to 100 mg, above the plan's maximum of 80 mg.",
    );
    const result = toAdministrationSubmission({
      values: form({ doseValue: '0.5' }),
      order: imOrder,
      preview,
      id: 'a1',
      secondSignerRequired: false,
    });
    expect(result.submission).toBeNull();
    expect(result.errors.doseValue).toMatch(/above the plan's maximum/);
  });

  it('allows an additional dose up to the maximum exactly', () => {
    const preview = previewDose({
      order: imOrder,
      doseValue: 0.25,
      lot: vial(),
      given: [{ doseMg: 60, startedAt: '2026-06-01T10:00:00Z' }],
    });
    expect(preview.aboveMaximum).toBeNull();
    expect(preview.calculation.doseMg).toBe(20);
  });

  it('draws whole esketamine devices and never a volume', () => {
    const lot = vial({
      id: 'spray',
      product: 'esketamine',
      unit: 'devices',
      concentrationMgPerMl: null,
      balance: 6,
    });
    const preview = previewDose({ order: spravato, lot, given: [] });
    expect(preview.calculation.devices).toBe(2);
    expect(preview.drawQuantity).toBe(2);
    expect(preview.drawUnit).toBe('devices');
    expect(preview.calculation.volumeMl).toBeUndefined();
  });

  it('counts a sublingual dose in troches of the lot’s strength', () => {
    const troches = vial({
      id: 't',
      unit: 'troche',
      concentrationMgPerMl: null,
      mgPerUnit: 200,
      balance: 30,
    });
    const order: PlanOrder = {
      route: 'sublingual',
      product: 'ketamine-racemic',
      dose: { value: 300, unit: 'mg' },
      maximumDose: { value: 400, unit: 'mg' },
      weightKg: 70,
    };
    const preview = previewDose({ order, lot: troches, given: [] });
    expect(preview.drawQuantity).toBe(1.5);
    expect(preview.drawUnit).toBe('troche');
    const result = toAdministrationSubmission({
      values: form({ lotId: 't', site: '' }),
      order,
      preview,
      id: 'a1',
      secondSignerRequired: false,
    });
    expect(result.submission?.doseMg).toBe(300);
  });

  it('says when the lot holds less than the draw', () => {
    const preview = previewDose({ order: imOrder, lot: vial({ balance: 1 }), given: [] });
    expect(preview.notEnoughStock).toBe('Lot K100 holds 1 mL; this dose needs 1.2.');
  });

  it('carries calculateDose’s block (anaesthetic IM range) to the dose field', () => {
    const preview = previewDose({
      order: { ...imOrder, maximumDose: null },
      doseValue: 7,
      lot: vial(),
      given: [],
    });
    expect(preview.calculation.level).toBe('blocked');
    const result = toAdministrationSubmission({
      values: form({ doseValue: '7' }),
      order: imOrder,
      preview,
      id: 'a1',
      secondSignerRequired: false,
    });
    expect(result.errors.doseValue).toMatch(/anaesthetic range/);
  });

  it('converts a weight-based maximum only when the weight is known', () => {
    expect(doseInMg({ value: 1, unit: 'mg/kg' }, null)).toBeNull();
    expect(doseInMg({ value: 1, unit: 'mg/kg' }, 72.5)).toBe(72.5);
    expect(doseInMg({ value: 84, unit: 'mg' }, null)).toBe(84);
  });
});

describe('esketamine device spacing', () => {
  it('allows the next device 5 minutes after each device of the last administration', () => {
    const given = [
      { doseMg: 28, startedAt: '2026-06-01T10:00:00Z', devices: 1 },
      { doseMg: 28, startedAt: '2026-06-01T10:05:30Z', devices: 1 },
    ];
    expect(nextDeviceAllowedAt('esketamine', given)?.toISOString()).toBe('2026-06-01T10:10:30.000Z');
    // 56 mg recorded at once is two devices: the next one from 10 minutes after the start.
    expect(
      nextDeviceAllowedAt('esketamine', [{ doseMg: 56, startedAt: '2026-06-01T10:00:00Z' }])?.toISOString(),
    ).toBe('2026-06-01T10:10:00.000Z');
    expect(nextDeviceAllowedAt('esketamine', [])).toBeNull();
    expect(nextDeviceAllowedAt('ketamine-racemic', given)).toBeNull();
  });
});

describe('the administration submission', () => {
  it('sends the computed dose in mg with a client id (the server computes the draw again)', () => {
    const preview = previewDose({ order: imOrder, lot: vial(), given: [] });
    const result = toAdministrationSubmission({
      values: form({ note: ' first dose ' }),
      order: imOrder,
      preview,
      id: '7d1f0c8e-0000-4000-8000-000000000001',
      secondSignerRequired: false,
    });
    expect(result.errors).toEqual({});
    expect(result.submission).toEqual({
      id: '7d1f0c8e-0000-4000-8000-000000000001',
      lotId: 'lot-a',
      doseMg: 60,
      site: 'Left deltoid',
      startedAt: new Date('2026-06-01T10:00').toISOString(),
      endedAt: null,
      secondSigner: null,
      note: 'first dose',
    });
  });

  it('asks for the lot, the site of an IM injection and a second signer when the clinic requires one', () => {
    const preview = previewDose({ order: imOrder, lot: null, given: [] });
    const result = toAdministrationSubmission({
      values: form({ lotId: '', site: '' }),
      order: imOrder,
      preview,
      id: 'a1',
      secondSignerRequired: true,
    });
    expect(result.submission).toBeNull();
    expect(Object.keys(result.errors).sort()).toEqual([
      'lotId',
      'secondSignerPassword',
      'secondSignerUsername',
      'site',
    ]);
  });

  it('needs an end for an IV infusion, after its start', () => {
    const ivOrder: PlanOrder = { ...imOrder, route: 'iv', dose: { value: 0.5, unit: 'mg/kg' } };
    const preview = previewDose({ order: ivOrder, lot: vial(), given: [] });
    const missing = toAdministrationSubmission({
      values: form(),
      order: ivOrder,
      preview,
      id: 'a',
      secondSignerRequired: false,
    });
    expect(missing.errors.endedAt).toMatch(/infusion ends/);
    const before = toAdministrationSubmission({
      values: form({ endedAt: '2026-06-01T09:59' }),
      order: ivOrder,
      preview,
      id: 'a',
      secondSignerRequired: false,
    });
    expect(before.errors.endedAt).toBe('The end cannot be before the start.');
    expect(infusionEnd('2026-06-01T10:00')).toBe('2026-06-01T10:40');
  });
});

describe('the waste of the remainder', () => {
  it('defaults to what is left of a single-use container after the draws', () => {
    expect(remainderToWaste(10, [1.2, 0.4])).toBe(8.4);
    expect(remainderToWaste(1, [1])).toBe(0);
    expect(remainderToWaste(null, [1.2])).toBeNull();
  });

  const values = {
    lotId: 'lot-a',
    quantity: '8.4',
    reason: 'Remainder of a single-use vial',
    witnessUsername: 'nurse.b@example.test',
    witnessPassword: 'secret',
  };

  it('sends the quantity, the session and dose it follows, and the witness’s signature', () => {
    const result = toWasteSubmission({
      values,
      lot: vial(),
      id: 'w1',
      signedInUsername: 'nurse.a@example.test',
      sessionId: 's1',
      administrationId: 'a1',
    });
    expect(result.submission).toEqual({
      id: 'w1',
      lotId: 'lot-a',
      sessionId: 's1',
      administrationId: 'a1',
      quantity: 8.4,
      reason: 'Remainder of a single-use vial',
      witness: { username: 'nurse.b@example.test', password: 'secret' },
    });
  });

  it('refuses the signed-in person as their own witness, and more than the lot holds', () => {
    const result = toWasteSubmission({
      values: { ...values, quantity: '12', witnessUsername: 'Nurse.A@example.test ' },
      lot: vial(),
      id: 'w1',
      signedInUsername: 'nurse.a@example.test',
    });
    expect(result.submission).toBeNull();
    expect(result.errors.witnessUsername).toBe('The witness must be a different person from you.');
    expect(result.errors.quantity).toMatch(/cannot waste more/);
  });

  it('asks for a quantity, a reason and the witness’s password', () => {
    const result = toWasteSubmission({
      values: { ...values, quantity: '0', reason: ' ', witnessPassword: '' },
      lot: vial(),
      id: 'w1',
      signedInUsername: 'nurse.a@example.test',
    });
    expect(Object.keys(result.errors).sort()).toEqual(['quantity', 'reason', 'witnessPassword']);
  });
});
