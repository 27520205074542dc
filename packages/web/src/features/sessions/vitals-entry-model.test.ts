import { defaultVitalsThresholds } from '@kapstone/clinical';
import { describe, expect, it } from 'vitest';
import type { SessionVitalsReading } from './sessions.types.ts';
import {
  checkVitalsEntry,
  classifyEntry,
  emptyVitalsEntry,
  lastValues,
  latestReading,
  pressDigit,
  stepValue,
  type VitalsEntry,
  type VitalsEntryField,
} from './vitals-entry-model.ts';

function type(keys: string, field: VitalsEntryField, start: VitalsEntry = emptyVitalsEntry) {
  let entry = start;
  let advance = false;
  for (const key of keys) ({ entry, advance } = pressDigit(entry, field, key));
  return { entry, advance };
}

const measuredAt = new Date('2026-06-01T09:40:00Z');

describe('pressDigit', () => {
  it('moves on once no further digit could be plausible', () => {
    expect(type('12', 'systolic').advance).toBe(false);
    expect(type('120', 'systolic')).toEqual({
      entry: { ...emptyVitalsEntry, systolic: '120' },
      advance: true,
    });
    expect(type('80', 'diastolic').advance).toBe(true);
    expect(type('72', 'heartRate').advance).toBe(true);
    expect(type('98', 'spo2').advance).toBe(true);
    expect(type('100', 'spo2').advance).toBe(true);
    expect(type('10', 'spo2').advance).toBe(false);
  });
  it('refuses a digit past the plausible maximum and a leading zero', () => {
    expect(type('3', 'systolic').entry.systolic).toBe('3');
    expect(type('31', 'systolic').entry.systolic).toBe('31');
    expect(type('310', 'systolic').entry.systolic).toBe('31');
    expect(type('0', 'heartRate').entry.heartRate).toBe('');
    expect(type('101', 'spo2').entry.spo2).toBe('10');
  });
  it('deletes and clears', () => {
    const typed = type('128', 'systolic').entry;
    expect(pressDigit(typed, 'systolic', 'backspace').entry.systolic).toBe('12');
    expect(pressDigit(typed, 'systolic', 'clear').entry.systolic).toBe('');
    expect(pressDigit(typed, 'systolic', 'x').entry).toBe(typed);
  });
});

describe('stepValue', () => {
  it('starts an empty field at the last reading, without changing it by the step', () => {
    expect(stepValue(emptyVitalsEntry, 'systolic', 1, 132).systolic).toBe('132');
  });
  it('steps an entered value and stays within the plausible limits', () => {
    expect(stepValue({ ...emptyVitalsEntry, heartRate: '80' }, 'heartRate', -5, 70).heartRate).toBe('75');
    expect(stepValue({ ...emptyVitalsEntry, spo2: '99' }, 'spo2', 5, null).spo2).toBe('100');
  });
  it('does nothing on an empty field with no earlier reading', () => {
    expect(stepValue(emptyVitalsEntry, 'spo2', 1, undefined)).toBe(emptyVitalsEntry);
  });
});

describe('checkVitalsEntry', () => {
  it('builds the request from the entered values only', () => {
    const { submission, errors } = checkVitalsEntry(
      { systolic: '142', diastolic: '88', heartRate: '76', spo2: '' },
      'id-1',
      measuredAt,
    );
    expect(errors).toEqual({});
    expect(submission).toEqual({
      id: 'id-1',
      measuredAt: '2026-06-01T09:40:00.000Z',
      systolic: 142,
      diastolic: 88,
      heartRate: 76,
    });
  });
  it('asks for both blood pressure values, diastolic below systolic, and at least one value', () => {
    expect(checkVitalsEntry({ ...emptyVitalsEntry, systolic: '120' }, 'i', measuredAt).errors).toEqual({
      diastolic: 'Enter both systolic and diastolic.',
    });
    expect(
      checkVitalsEntry({ ...emptyVitalsEntry, systolic: '80', diastolic: '90' }, 'i', measuredAt).errors,
    ).toEqual({ diastolic: 'Diastolic must be below systolic.' });
    expect(checkVitalsEntry(emptyVitalsEntry, 'i', measuredAt)).toMatchObject({
      submission: null,
      errors: { systolic: 'Enter at least one measurement.' },
    });
  });
  it('refuses implausible and non-whole values as the server would', () => {
    const { errors, submission } = checkVitalsEntry(
      { systolic: '', diastolic: '', heartRate: '12', spo2: '97.5' },
      'i',
      measuredAt,
    );
    expect(submission).toBeNull();
    expect(errors).toEqual({
      heartRate: 'At least 20 /min: check the reading.',
      spo2: 'A whole number.',
    });
  });
  it('classifies at once with the clinic’s thresholds and against the baseline', () => {
    const critical = checkVitalsEntry(
      { systolic: '182', diastolic: '96', heartRate: '', spo2: '' },
      'i',
      measuredAt,
    );
    expect(critical.classification?.level).toBe('critical');
    const rise = checkVitalsEntry(
      { systolic: '162', diastolic: '88', heartRate: '', spo2: '' },
      'i',
      measuredAt,
      { baseline: { systolic: 120, diastolic: 80 } },
    );
    expect(rise.classification).toEqual({
      level: 'critical',
      reasons: ['Systolic up 42 mmHg from baseline (≥ 40)'],
    });
    const ownThresholds = {
      critical: { ...defaultVitalsThresholds.critical, spo2Below: 90 },
      warning: { ...defaultVitalsThresholds.warning, spo2Below: 94 },
    };
    expect(classifyEntry({ ...emptyVitalsEntry, spo2: '92' }, { thresholds: ownThresholds })?.level).toBe(
      'warning',
    );
    expect(classifyEntry({ ...emptyVitalsEntry, spo2: '92' })?.level).toBe('normal');
  });
  it('classifies only plausible values while typing, and nothing when nothing is entered', () => {
    expect(classifyEntry(emptyVitalsEntry)).toBeNull();
    expect(classifyEntry({ ...emptyVitalsEntry, systolic: '18' })).toBeNull();
    expect(classifyEntry({ ...emptyVitalsEntry, systolic: '185' })?.level).toBe('critical');
  });
});

describe('lastValues and latestReading', () => {
  const r = (id: string, minute: number, values: Partial<SessionVitalsReading>): SessionVitalsReading => ({
    id,
    measuredAt: new Date(Date.parse('2026-06-01T09:00:00Z') + minute * 60_000).toISOString(),
    systolic: null,
    diastolic: null,
    heartRate: null,
    spo2: null,
    classification: null,
    ...values,
  });
  const vitals = [
    r('a', 0, { systolic: 120, diastolic: 80, heartRate: 70, spo2: 98 }),
    r('b', 10, { systolic: 135, diastolic: 85 }),
    r('c', 20, { systolic: 300, diastolic: 100, status: 'entered-in-error' }),
  ];
  it('takes each measure’s most recent standing value', () => {
    expect(lastValues(vitals)).toEqual({ systolic: 135, diastolic: 85, heartRate: 70, spo2: 98 });
  });
  it('skips readings that no longer stand', () => {
    expect(latestReading(vitals)?.id).toBe('b');
    expect(latestReading([])).toBeNull();
  });
});
