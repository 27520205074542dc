import { describe, expect, it } from 'vitest';
import {
  answersFromForm,
  deadlineStanding,
  localDate,
  orderForms,
  type RemsFormData,
  toMarkSubmitted,
  toRemsAnswers,
} from './rems-model.ts';

const deadline = (daysLeft: number) => ({ dueDate: '2026-06-15', daysLeft, overdue: daysLeft < 0 });

describe('the REMS deadline', () => {
  it('words the days left as the server counts them in the clinic’s calendar', () => {
    expect(deadlineStanding(deadline(5))).toEqual({ kind: 'due', label: '5 days left' });
    expect(deadlineStanding(deadline(2))).toEqual({ kind: 'due-soon', label: '2 days left' });
    expect(deadlineStanding(deadline(1))).toEqual({ kind: 'due-soon', label: '1 day left' });
    expect(deadlineStanding(deadline(0))).toEqual({ kind: 'due-today', label: 'Due today' });
    expect(deadlineStanding(deadline(-1))).toEqual({ kind: 'overdue', label: 'Overdue by 1 day' });
    expect(deadlineStanding(deadline(-3)).label).toBe('Overdue by 3 days');
  });

  it('lists the nearest deadline first, incomplete forms first on a tie', () => {
    const forms = [
      { id: 'c', deadline: { dueDate: '2026-06-12' }, complete: true },
      { id: 'b', deadline: { dueDate: '2026-06-10' }, complete: true },
      { id: 'a', deadline: { dueDate: '2026-06-10' }, complete: false },
    ];
    expect(orderForms(forms).map((form) => form.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('marking a form submitted', () => {
  const now = new Date(2026, 5, 8, 15, 30);
  const context = { now, treatmentDate: '2026-06-05' };

  it('records today’s submission at the moment it is marked, and an earlier day at its noon', () => {
    expect(
      toMarkSubmitted(
        { submittedOn: localDate(now), method: 'online', confirmation: ' R-123 ' },
        'm1',
        context,
      ).body,
    ).toEqual({ id: 'm1', submittedAt: now.toISOString(), method: 'online', confirmation: 'R-123' });
    expect(
      toMarkSubmitted({ submittedOn: '2026-06-07', method: 'fax', confirmation: '' }, 'm1', context).body
        ?.submittedAt,
    ).toBe(new Date(2026, 5, 7, 12, 0).toISOString());
  });

  it('refuses a future date, a date before the session and a missing method', () => {
    expect(
      toMarkSubmitted({ submittedOn: '2026-06-30', method: '', confirmation: '' }, 'm1', context).errors,
    ).toEqual({
      submittedOn: 'The submission date cannot be in the future.',
      method: 'Say how it was submitted.',
    });
    expect(
      toMarkSubmitted({ submittedOn: '2026-06-04', method: 'fax', confirmation: '' }, 'm1', context).errors
        .submittedOn,
    ).toBe('The form cannot be submitted before the session.');
  });
});

const form: RemsFormData = {
  patient: { firstTreatment: null, enrolledInRems: true },
  concomitantMedications: {
    benzodiazepines: false,
    nonBenzodiazepineSedativeHypnotics: false,
    psychostimulants: true,
    maois: false,
    opioids: null,
  },
  monitoringHcp: { firstName: 'Ana', lastName: 'Nurse', telephone: null, email: 'ana@example.test' },
  setting: { name: 'Clinic', address1: '1 Main St', address2: null, city: 'Boston', state: 'MA', zip: null },
  session: { readyToLeaveMinutes: null },
  vitals: { acceptableBeforeAdministration: true, acceptableBeforeCompletion: null },
  observed: { sedation: true, dissociation: true, respiratoryDepression: false },
};

describe('the clinician’s answers to the form', () => {
  it('prefills the dialog from the form as it stands', () => {
    const values = answersFromForm(form);
    expect(values).toMatchObject({
      enrolledInRems: 'yes',
      firstTreatment: '',
      psychostimulants: 'yes',
      opioids: '',
      hcpTelephone: '',
      settingState: 'MA',
      readyToLeaveMinutes: '',
    });
  });

  it('sends only what the clinician changed, in the server’s groups', () => {
    const initial = answersFromForm(form);
    const values = {
      ...initial,
      firstTreatment: 'no' as const,
      opioids: 'no' as const,
      vitalsAcceptableBeforeCompletion: 'yes' as const,
      readyToLeaveMinutes: '95',
      hcpTelephone: ' (555) 010-0199 ',
      settingZip: '02115',
    };
    expect(toRemsAnswers(values, initial, 'r1').body).toEqual({
      id: 'r1',
      answers: {
        firstTreatment: false,
        concomitantMedications: { opioids: false },
        vitalsAcceptableBeforeCompletion: true,
        readyToLeaveMinutes: 95,
        monitoringHcp: { telephone: '(555) 010-0199' },
        setting: { zip: '02115' },
      },
    });
  });

  it('sends a cleared answer as unknown, and refuses minutes that are not whole', () => {
    const initial = answersFromForm(form);
    expect(toRemsAnswers({ ...initial, enrolledInRems: '' }, initial, 'r1').body?.answers).toEqual({
      enrolledInRems: null,
    });
    expect(toRemsAnswers({ ...initial, readyToLeaveMinutes: '90.5' }, initial, 'r1').errors).toEqual({
      readyToLeaveMinutes: 'Whole minutes from the start of administration (0–1,440).',
    });
    expect(toRemsAnswers(initial, initial, 'r1').errors).toEqual({ form: 'Nothing has changed.' });
  });
});
