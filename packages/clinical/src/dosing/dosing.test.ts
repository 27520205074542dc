import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calculateDose, dosingRules } from './index.ts';

describe('calculateDose (clinical-reference 2)', () => {
  it('computes the standard IV dose and volume', () => {
    expect(
      calculateDose({
        product: 'ketamine-racemic',
        route: 'iv',
        weightKg: 80,
        mgPerKg: 0.5,
        concentrationMgPerMl: 10,
      }),
    ).toMatchObject({
      doseMg: 40,
      mgPerKg: 0.5,
      volumeMl: 4,
      level: 'ok',
      messages: ['Infuse over 40 minutes.'],
    });
  });
  it('warns above 1.0 mg/kg IV and says what the standard is', () => {
    const result = calculateDose({ product: 'ketamine-racemic', route: 'iv', weightKg: 70, mgPerKg: 1.1 });
    expect(result.level).toBe('warning');
    expect(result.doseMg).toBe(77);
  });
  it.each([
    [0.75, 'ok'],
    [1.0, 'ok'],
    [1.01, 'warning'],
    [6.49, 'warning'],
    [6.5, 'blocked'],
    [9, 'blocked'],
  ] as const)('IM %f mg/kg is %s', (mgPerKg, level) => {
    expect(calculateDose({ product: 'ketamine-racemic', route: 'im', weightKg: 60, mgPerKg }).level).toBe(
      level,
    );
  });
  it('blocks weight-based doses without a plausible weight', () => {
    expect(calculateDose({ product: 'ketamine-racemic', route: 'im', mgPerKg: 0.5 }).level).toBe('blocked');
    expect(
      calculateDose({ product: 'ketamine-racemic', route: 'iv', weightKg: -70, mgPerKg: 0.5 }).level,
    ).toBe('blocked');
    expect(
      calculateDose({ product: 'ketamine-racemic', route: 'iv', weightKg: 800, mgPerKg: 0.5 }).level,
    ).toBe('blocked');
    expect(calculateDose({ product: 'ketamine-racemic', route: 'iv', weightKg: 70 }).level).toBe('blocked');
  });
  it('doses sublingual and oral in fixed mg, warning above 450 mg', () => {
    expect(
      calculateDose({ product: 'ketamine-racemic', route: 'sublingual', doseMg: 300, weightKg: 75 }),
    ).toMatchObject({ doseMg: 300, mgPerKg: 4, level: 'ok' });
    expect(calculateDose({ product: 'ketamine-racemic', route: 'oral', doseMg: 500 }).level).toBe('warning');
    expect(calculateDose({ product: 'ketamine-racemic', route: 'sublingual' }).level).toBe('blocked');
    expect(
      calculateDose(
        { product: 'ketamine-racemic', route: 'sublingual', doseMg: 500 },
        { ...dosingDefaults(), sublingualOral: { warnAboveMg: 450, blockAboveMg: 400 } },
      ).level,
    ).toBe('blocked');
  });
  it('gives esketamine in whole 28 mg devices', () => {
    expect(calculateDose({ product: 'esketamine', route: 'intranasal', doseMg: 56 })).toMatchObject({
      doseMg: 56,
      devices: 2,
      level: 'ok',
    });
    expect(calculateDose({ product: 'esketamine', route: 'intranasal', doseMg: 84 })).toMatchObject({
      devices: 3,
      level: 'ok',
    });
    expect(calculateDose({ product: 'esketamine', route: 'intranasal', doseMg: 70 }).level).toBe('blocked');
    expect(calculateDose({ product: 'esketamine', route: 'intranasal', doseMg: 112 }).level).toBe('blocked');
    expect(
      calculateDose({ product: 'esketamine', route: 'intranasal', doseMg: 28, ageYears: 70 }),
    ).toMatchObject({ devices: 1, level: 'warning' });
    expect(calculateDose({ product: 'esketamine', route: 'im', doseMg: 56 }).level).toBe('blocked');
  });
  it('keeps volume × concentration = dose', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 20, max: 200 }),
        fc.constantFrom(0.25, 0.5, 0.75, 1),
        fc.constantFrom(10, 50, 100),
        (weight, mgPerKg, conc) => {
          const r = calculateDose({
            product: 'ketamine-racemic',
            route: 'im',
            weightKg: weight,
            mgPerKg,
            concentrationMgPerMl: conc,
          });
          expect(Math.abs(r.volumeMl! * conc - r.doseMg)).toBeLessThanOrEqual(0.005 * conc + 0.05);
        },
      ),
    );
  });
  it('doses intranasal racemic ketamine in mg without assuming a bioavailability, and honours clinic limits', () => {
    const plain = calculateDose({ product: 'ketamine-racemic', route: 'intranasal', doseMg: 50 });
    expect(plain).toMatchObject({ doseMg: 50, level: 'ok' });
    expect(plain.messages.join(' ')).toMatch(/no fixed bioavailability/);
    const limits = { ...dosingDefaults(), intranasalRacemic: { warnAboveMg: 60, blockAboveMg: 100 } };
    expect(
      calculateDose({ product: 'ketamine-racemic', route: 'intranasal', doseMg: 80 }, limits).level,
    ).toBe('warning');
    expect(
      calculateDose({ product: 'ketamine-racemic', route: 'intranasal', doseMg: 120 }, limits).level,
    ).toBe('blocked');
    expect(calculateDose({ product: 'ketamine-racemic', route: 'intranasal' }).level).toBe('blocked');
  });
  it('applies a clinic IV hard limit when one is set, and accepts an IV dose given in mg', () => {
    const limits = {
      ...dosingDefaults(),
      iv: { standardMgPerKg: 0.5, warnAboveMgPerKg: 1.0, blockAtOrAboveMgPerKg: 1.5 },
    };
    expect(
      calculateDose({ product: 'ketamine-racemic', route: 'iv', weightKg: 70, mgPerKg: 1.5 }, limits).level,
    ).toBe('blocked');
    expect(
      calculateDose({ product: 'ketamine-racemic', route: 'iv', weightKg: 80, doseMg: 40 }),
    ).toMatchObject({ mgPerKg: 0.5, level: 'ok' });
  });
  it('blocks a non-positive concentration and an esketamine order without a dose', () => {
    expect(
      calculateDose({
        product: 'ketamine-racemic',
        route: 'im',
        weightKg: 70,
        mgPerKg: 0.5,
        concentrationMgPerMl: 0,
      }).level,
    ).toBe('blocked');
    expect(calculateDose({ product: 'esketamine', route: 'intranasal' }).level).toBe('blocked');
    expect(calculateDose({ product: 'esketamine', route: 'intranasal', doseMg: 28 }).messages[0]).toMatch(
      /below the label doses/,
    );
  });
  it('cites every dosing rule', () => {
    for (const rule of dosingRules) expect(rule.citation.section).toMatch(/^clinical-reference 2\.\d$/);
  });
});

function dosingDefaults() {
  return {
    iv: { standardMgPerKg: 0.5, warnAboveMgPerKg: 1.0, blockAtOrAboveMgPerKg: null },
    im: { warnAboveMgPerKg: 1.0, blockAtOrAboveMgPerKg: 6.5 },
    sublingualOral: { warnAboveMg: 450, blockAboveMg: null },
    intranasalRacemic: { warnAboveMg: null, blockAboveMg: null },
    esketamine: { labelDosesMg: [56, 84], maxMg: 84 },
  };
}
