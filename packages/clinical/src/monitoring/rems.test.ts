import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dischargeInstructions } from './discharge-instructions.ts';
import {
  remsBloodPressures,
  remsConcomitantMedications,
  remsFormCompleteness,
  remsFormFields,
  remsSubmissionDeadline,
  type SpravatoMonitoringFormData,
} from './rems.ts';

const completeForm = (): SpravatoMonitoringFormData => ({
  patient: {
    firstName: 'Avery',
    middleInitial: null,
    lastName: 'Example',
    dateOfBirth: '1985-04-12',
    sex: 'female',
    firstTreatment: false,
    enrolledInRems: true,
  },
  concomitantMedications: {
    benzodiazepines: false,
    nonBenzodiazepineSedativeHypnotics: false,
    psychostimulants: true,
    maois: false,
    opioids: false,
  },
  monitoringHcp: {
    firstName: 'Noor',
    lastName: 'Nurse',
    telephone: '555-0100',
    email: 'noor@clinic.example',
  },
  setting: {
    name: 'Harbor Clinic',
    address1: '1 Main St',
    address2: null,
    city: 'Boston',
    state: 'MA',
    zip: '02110',
  },
  session: {
    treatmentDate: '2026-06-01',
    doseMg: 84,
    lotNumbers: ['L123'],
    totalMinutes: 125,
    readyToLeaveMinutes: 90,
  },
  vitals: {
    acceptableBeforeAdministration: true,
    acceptableBeforeCompletion: true,
    beforeAdministration: { systolic: 122, diastolic: 78, atMinutes: -5 },
    fortyMinutesAfter: { systolic: 138, diastolic: 86, atMinutes: 41 },
    beforeCompletion: { systolic: 124, diastolic: 80, atMinutes: 118 },
  },
  observed: { sedation: true, dissociation: true, respiratoryDepression: false },
  seriousAdverseEvents: { occurred: false, descriptions: [] },
});

/** Sets one dotted path of a copy of the form. */
function withField(path: string, value: unknown): SpravatoMonitoringFormData {
  const form = structuredClone(completeForm());
  const keys = path.split('.');
  let target = form as unknown as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
  target[keys.at(-1)!] = value;
  return form;
}

describe('remsFormCompleteness (clinical-reference 2.6)', () => {
  it('passes a form with every field, citing the REMS form', () => {
    const result = remsFormCompleteness(completeForm());
    expect(result).toMatchObject({ complete: true, missing: [], warnings: [] });
    expect(result.citation.section).toBe('clinical-reference 2.6');
  });

  it.each(remsFormFields.map((f) => [f.field, f.requiredBy]))('names %s (%s) when it is missing', (field) => {
    const empty = field === 'session.lotNumbers' ? [] : null;
    const result = remsFormCompleteness(withField(field, empty));
    expect(result.complete).toBe(false);
    expect(result.missing.map((m) => m.field)).toEqual([field]);
  });

  it('marks the starred fields of the form as the form’s own requirements', () => {
    const starred = remsFormFields.filter((f) => f.requiredBy === 'rems-form').map((f) => f.field);
    expect(starred).toEqual(
      expect.arrayContaining([
        'patient.firstName',
        'patient.lastName',
        'patient.dateOfBirth',
        'patient.sex',
        'concomitantMedications.maois',
        'monitoringHcp.email',
        'setting.zip',
        'session.treatmentDate',
        'session.doseMg',
      ]),
    );
    expect(starred).not.toContain('session.lotNumbers');
  });

  it('treats blank text as missing, and the optional middle initial and address line 2 as optional', () => {
    expect(remsFormCompleteness(withField('patient.lastName', '  ')).missing.map((m) => m.field)).toEqual([
      'patient.lastName',
    ]);
    expect(remsFormCompleteness(withField('setting.address2', null)).complete).toBe(true);
    expect(remsFormCompleteness(withField('patient.middleInitial', null)).complete).toBe(true);
  });

  it('counts a "no" as an answer, not as missing', () => {
    expect(remsFormCompleteness(withField('observed.sedation', false)).complete).toBe(true);
  });

  it.each([
    [119, true],
    [120, false],
  ])('warns when monitoring lasted %i minutes: %s', (minutes, warned) => {
    const result = remsFormCompleteness(withField('session.totalMinutes', minutes));
    expect(result.complete).toBe(true);
    expect(result.warnings.some((w) => w.field === 'session.totalMinutes')).toBe(warned);
  });

  it('warns about a serious adverse event without a description and a readiness after the end', () => {
    const sae = remsFormCompleteness(withField('seriousAdverseEvents.occurred', true));
    expect(sae.warnings.map((w) => w.field)).toEqual(['seriousAdverseEvents.descriptions']);
    const late = remsFormCompleteness(withField('session.readyToLeaveMinutes', 130));
    expect(late.warnings.map((w) => w.field)).toEqual(['session.readyToLeaveMinutes']);
  });

  it('warns when the blood pressures do not follow the timeline', () => {
    const early = withField('vitals.beforeAdministration', { systolic: 120, diastolic: 80, atMinutes: 3 });
    expect(remsFormCompleteness(early).warnings.map((w) => w.field)).toEqual(['vitals.beforeAdministration']);
    const swapped = withField('vitals.beforeCompletion', { systolic: 120, diastolic: 80, atMinutes: 30 });
    expect(remsFormCompleteness(swapped).warnings.map((w) => w.field)).toEqual(['vitals.beforeCompletion']);
  });

  it('never reports a field both present and missing (property)', () => {
    const paths = remsFormFields.map((f) => f.field);
    fc.assert(
      fc.property(fc.subarray(paths), (blanked) => {
        let form = completeForm();
        for (const path of blanked) {
          const next = structuredClone(form);
          const keys = path.split('.');
          let target = next as unknown as Record<string, unknown>;
          for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
          target[keys.at(-1)!] = path === 'session.lotNumbers' ? [] : null;
          form = next;
        }
        const result = remsFormCompleteness(form);
        expect(result.missing.map((m) => m.field).sort()).toEqual([...blanked].sort());
        expect(result.complete).toBe(blanked.length === 0);
      }),
    );
  });
});

describe('remsBloodPressures (clinical-reference 4.1, 2.6)', () => {
  const bp = (atMinutes: number, systolic = 120) => ({ systolic, diastolic: 80, atMinutes });

  it('takes the last pre-dose reading, the one closest to 40 minutes, and the last one', () => {
    const picked = remsBloodPressures([
      bp(60, 130),
      bp(-10, 118),
      bp(-2, 121),
      bp(38, 140),
      bp(45),
      bp(115, 125),
    ]);
    expect(picked.beforeAdministration).toEqual(bp(-2, 121));
    expect(picked.fortyMinutesAfter).toEqual(bp(38, 140));
    expect(picked.beforeCompletion).toEqual(bp(115, 125));
  });

  it('does not count a reading before minute 20 as the 40-minute one, nor reuse it for completion', () => {
    const picked = remsBloodPressures([bp(0), bp(10)]);
    expect(picked).toEqual({ beforeAdministration: bp(0), fortyMinutesAfter: null, beforeCompletion: null });
    const one = remsBloodPressures([bp(-5), bp(42)]);
    expect(one.fortyMinutesAfter).toEqual(bp(42));
    expect(one.beforeCompletion).toBeNull();
  });

  it('has nothing to pick from no readings', () => {
    expect(remsBloodPressures([])).toEqual({
      beforeAdministration: null,
      fortyMinutesAfter: null,
      beforeCompletion: null,
    });
  });
});

describe('remsConcomitantMedications (clinical-reference 3.3)', () => {
  it('answers each class from the medication names', () => {
    expect(remsConcomitantMedications([{ name: 'Lorazepam 1 mg' }, { name: 'Adderall XR' }])).toEqual({
      benzodiazepines: true,
      nonBenzodiazepineSedativeHypnotics: false,
      psychostimulants: true,
      maois: false,
      opioids: false,
    });
    expect(Object.values(remsConcomitantMedications([{ name: 'Sertraline' }]))).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('remsSubmissionDeadline (clinical-reference 2.6: within 7 days)', () => {
  it.each([
    ['2026-06-01', '2026-06-01', '2026-06-08', 7, false],
    ['2026-06-01', '2026-06-08', '2026-06-08', 0, false],
    ['2026-06-01', '2026-06-09', '2026-06-08', -1, true],
    ['2026-02-25', '2026-02-26', '2026-03-04', 6, false], // across the end of February
    ['2026-12-28', '2027-01-05', '2027-01-04', -1, true], // across the year
  ] as const)(
    'treated %s, today %s: due %s, %i days left, overdue %s',
    (treated, today, due, left, overdue) => {
      expect(remsSubmissionDeadline(treated, today)).toEqual({ dueDate: due, daysLeft: left, overdue });
    },
  );

  it('refuses a date that is not a calendar date', () => {
    expect(() => remsSubmissionDeadline('2026-02-30', '2026-03-01')).toThrow(RangeError);
    expect(() => remsSubmissionDeadline('2026-06-01', 'tomorrow')).toThrow(RangeError);
  });
});

describe('dischargeInstructions (clinical-reference 4.5, 2.5, 2.7)', () => {
  it('says no driving until the next day, whom to call, and cites each section', () => {
    const text = dischargeInstructions({
      product: 'esketamine',
      route: 'intranasal',
      clinicName: 'Harbor Clinic',
      crisisPhone: '(555) 010-0199',
      escortName: 'Robin',
    });
    expect(text.title).toBe('After your SPRAVATO session at Harbor Clinic');
    expect(text.sections.map((s) => s.id)).toEqual([
      'what-to-expect',
      'getting-home',
      'rest-of-today',
      'get-help',
    ]);
    const all = text.sections.flatMap((s) => s.lines).join('\n');
    expect(all).toContain('until the next day, after a restful sleep');
    expect(all).toContain('Go home with Robin');
    expect(all).toContain('call Harbor Clinic at (555) 010-0199');
    expect(all).toContain('988');
    expect(text.missingSettings).toEqual([]);
    for (const section of text.sections) expect(section.citations.length).toBeGreaterThan(0);
    expect(text.sections[1]!.citations[0]!.section).toBe('clinical-reference 2.5');
  });

  it('names the missing crisis phone instead of inventing one', () => {
    const text = dischargeInstructions({
      product: 'ketamine-racemic',
      route: 'im',
      clinicName: 'Summit',
      crisisPhone: null,
    });
    expect(text.title).toBe('After your ketamine session at Summit');
    expect(text.missingSettings).toEqual(['crisisPhone']);
    expect(text.sections.at(-1)!.lines[1]).toBe(
      'For questions, or if you feel unsafe or much worse, call Summit.',
    );
    expect(text.sections[1]!.citations[0]!.section).toBe('clinical-reference 4.6');
  });
});
