import { describe, expect, it } from 'vitest';
import {
  appointmentLength,
  appointmentRules,
  checkDosingStaffing,
  dosingStaffingRule,
  integrationWindow,
  preparationReminders,
} from './appointments.ts';

describe('appointmentLength', () => {
  it('gives preparation and integration 60 minutes unless the clinic sets its own', () => {
    expect(appointmentLength('preparation').defaultMinutes).toBe(60);
    expect(appointmentLength('integration').defaultMinutes).toBe(60);
    expect(appointmentLength('integration', { settings: { integrationMinutes: 50 } }).defaultMinutes).toBe(
      50,
    );
    expect(appointmentLength('preparation', { settings: { preparationMinutes: 0 } }).defaultMinutes).toBe(60);
  });
  it('has no length for follow-up or screening until the clinic sets one', () => {
    expect(appointmentLength('follow-up').defaultMinutes).toBeNull();
    expect(appointmentLength('screening').defaultMinutes).toBeNull();
    expect(appointmentLength('follow-up', { settings: { followUpMinutes: 30 } }).defaultMinutes).toBe(30);
    expect(appointmentLength('screening', { settings: { screeningMinutes: 45 } }).defaultMinutes).toBe(45);
  });
  it('books esketamine for at least the 2-hour observation, never shorter', () => {
    const length = appointmentLength('dosing', { route: 'intranasal', product: 'esketamine' });
    expect(length).toMatchObject({ defaultMinutes: 120, minimumMinutes: 120 });
    expect(length.citation.section).toBe('clinical-reference 2.5');
    expect(
      appointmentLength('dosing', {
        route: 'intranasal',
        product: 'esketamine',
        settings: { esketamineDosingMinutes: 90 },
      }).defaultMinutes,
    ).toBe(120);
    expect(
      appointmentLength('dosing', {
        route: 'intranasal',
        product: 'esketamine',
        settings: { esketamineDosingMinutes: 150 },
      }).defaultMinutes,
    ).toBe(150);
  });
  it('books IV for 90 minutes, never shorter than the infusion and 30 minutes of readings', () => {
    const length = appointmentLength('dosing', { route: 'iv', product: 'ketamine-racemic' });
    expect(length).toMatchObject({ defaultMinutes: 90, minimumMinutes: 70 });
    expect(
      appointmentLength('dosing', {
        route: 'iv',
        product: 'ketamine-racemic',
        settings: { ivDosingMinutes: 60 },
      }).defaultMinutes,
    ).toBe(70);
  });
  it('books IM and sublingual within 120–180 minutes, 120 by default, with the clinic minimum when set', () => {
    for (const route of ['im', 'sublingual'] as const) {
      const length = appointmentLength('dosing', { route, product: 'ketamine-racemic' });
      expect(length).toMatchObject({ defaultMinutes: 120, minimumMinutes: null, typicalRange: [120, 180] });
    }
    expect(
      appointmentLength('dosing', {
        route: 'im',
        product: 'ketamine-racemic',
        settings: { imDosingMinutes: 150, minimumObservationMinutes: 160 },
      }),
    ).toMatchObject({ defaultMinutes: 160, minimumMinutes: 160 });
    expect(
      appointmentLength('dosing', {
        route: 'sublingual',
        product: 'ketamine-racemic',
        settings: { sublingualDosingMinutes: 180 },
      }).defaultMinutes,
    ).toBe(180);
  });
  it('has no dosing length for oral or intranasal racemic ketamine, or without a route', () => {
    expect(
      appointmentLength('dosing', { route: 'oral', product: 'ketamine-racemic' }).defaultMinutes,
    ).toBeNull();
    expect(
      appointmentLength('dosing', { route: 'intranasal', product: 'ketamine-racemic' }).defaultMinutes,
    ).toBeNull();
    expect(
      appointmentLength('dosing', {
        route: 'oral',
        product: 'ketamine-racemic',
        settings: { oralDosingMinutes: 100, minimumObservationMinutes: 120 },
      }).defaultMinutes,
    ).toBe(120);
    expect(
      appointmentLength('dosing', {
        route: 'intranasal',
        product: 'ketamine-racemic',
        settings: { intranasalRacemicDosingMinutes: 130 },
      }).defaultMinutes,
    ).toBe(130);
    expect(appointmentLength('dosing').defaultMinutes).toBeNull();
  });
});

describe('dosing staffing', () => {
  it('needs a therapist for KAP and allows a monitor for the IV series and SPRAVATO', () => {
    expect(dosingStaffingRule('kap-im').support).toBe('therapist');
    expect(dosingStaffingRule('kap-sublingual').support).toBe('therapist');
    expect(dosingStaffingRule('iv-series').support).toBe('therapist-or-monitor');
    expect(dosingStaffingRule('spravato-trd').support).toBe('therapist-or-monitor');
    expect(() => dosingStaffingRule('nope' as never)).toThrow(RangeError);
  });
  it('lists every missing resource with its field', () => {
    const kap = dosingStaffingRule('kap-im');
    expect(checkDosingStaffing(kap, { roomKind: null, staff: [] })).toEqual([
      { path: 'roomId', message: 'A dosing session needs a dosing room.' },
      { path: 'staff', message: 'A dosing session needs a prescriber or a nurse.' },
      { path: 'staff', message: 'A KAP dosing session needs a therapist.' },
    ]);
    expect(
      checkDosingStaffing(kap, { roomKind: 'therapy-room', staff: [{ role: 'nurse' }, { role: 'monitor' }] }),
    ).toEqual([
      { path: 'roomId', message: 'Choose a dosing room (this one is not for dosing).' },
      { path: 'staff', message: 'A KAP dosing session needs a therapist.' },
    ]);
    expect(
      checkDosingStaffing(kap, {
        roomKind: 'dosing-room',
        staff: [{ role: 'prescriber' }, { role: 'therapist' }],
      }),
    ).toEqual([]);
    const iv = dosingStaffingRule('iv-series');
    expect(
      checkDosingStaffing(iv, { roomKind: 'dosing-room', staff: [{ role: 'nurse' }, { role: 'monitor' }] }),
    ).toEqual([]);
    expect(checkDosingStaffing(iv, { roomKind: 'dosing-room', staff: [{ role: 'nurse' }] })).toEqual([
      { path: 'staff', message: 'A dosing session needs a therapist or a monitor.' },
    ]);
  });
});

describe('preparation reminders', () => {
  it('gives the label fasting for esketamine and the clinic’s own (or none) for racemic ketamine', () => {
    expect(preparationReminders('esketamine').fasting).toMatchObject({
      kind: 'label',
      foodHours: 2,
      liquidsMinutes: 30,
    });
    expect(preparationReminders('ketamine-racemic').fasting.kind).toBe('ask-clinic');
    expect(preparationReminders(null, { fastingHours: 0 }).fasting.kind).toBe('ask-clinic');
    expect(preparationReminders('ketamine-racemic', { fastingHours: 4 }).fasting).toMatchObject({
      kind: 'clinic',
      foodHours: 4,
    });
  });
  it('always asks for a ride home and no driving until the next day', () => {
    const reminders = preparationReminders('ketamine-racemic');
    expect(reminders.rideHome.required).toBe(true);
    expect(reminders.noDriving.until).toBe('next-day-after-restful-sleep');
    expect(reminders.noDriving.citation.section).toBe('clinical-reference 2.5');
  });
});

describe('integration window and rule metadata', () => {
  it('proposes integration 1–3 days after KAP and IV doses, none for SPRAVATO', () => {
    expect(integrationWindow('kap-im')).toEqual([1, 3]);
    expect(integrationWindow('iv-series')).toEqual([1, 3]);
    expect(integrationWindow('spravato-trd')).toBeNull();
    expect(() => integrationWindow('nope' as never)).toThrow(RangeError);
  });
  it('marks follow-up and screening lengths as clinic settings without a default', () => {
    const withoutDefault = appointmentRules.filter((r) => r.setting?.default === null).map((r) => r.id);
    expect(withoutDefault).toEqual(
      expect.arrayContaining([
        'protocols.appointment-follow-up-length',
        'protocols.appointment-screening-length',
        'protocols.appointment-oral-intranasal-length',
      ]),
    );
  });
});
