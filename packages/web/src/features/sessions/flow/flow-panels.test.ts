import type { QueryClient } from '@tanstack/react-query';
import { createElement, type FunctionComponent } from 'react';
import { Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import {
  PortalDischargeInstructionsCard,
  PortalDischargeInstructionsPage,
} from '../../portal/portal-discharge-instructions.tsx';
import { remsKeys } from '../../rems/rems.api.ts';
import type { RemsFormSummary } from '../../rems/rems-model.ts';
import { RemsPage } from '../../rems/rems-page.tsx';
import { renderSignedIn, testNurse } from '../render-signed-in.ts';
import type { SessionView } from '../sessions.types.ts';
import { AdministrationPanel } from './administration-panel.tsx';
import { AdverseEventsPanel } from './adverse-events-panel.tsx';
import { CheckInPanel } from './check-in-panel.tsx';
import { DischargeInstructionsPage } from './discharge-instructions-page.tsx';
import { DischargePanel } from './discharge-panel.tsx';
import { type AdverseEventView, type ChecklistView, flowKeys, type PlanOrderView } from './flow.api.ts';
import { PreDosePanel } from './pre-dose-panel.tsx';
import { PsychotherapyNotesPanel } from './psychotherapy-notes-panel.tsx';

/**
 * The flow panels rendered once with React's server renderer (no browser here; the journeys in e2e/ drive
 * them for real): each state renders without throwing, offers only what the role and the state allow, and
 * carries the names the journeys and screen readers find it by.
 */

const now = Date.now();
const minutesAgo = (m: number) => new Date(now - m * 60_000).toISOString();
const sessionId = '00000000-0000-4000-8000-0000000000aa';
const patientId = '00000000-0000-4000-8000-0000000000bb';
const nurse = testNurse;
const prescriber = { id: '00000000-0000-4000-8000-000000000002', displayName: 'Dr Pat Prescriber' };

const nursePermissions = [
  'session.read',
  'session.check-in',
  'session.monitor',
  'session.administer',
  'session.discharge',
  'schedule.read',
  'schedule.manage',
  'ledger.read',
  'ledger.record',
  'rems.read',
  'rems.submit',
];
const prescriberPermissions = [...nursePermissions, 'session.override', 'psychotherapy-notes.write'];

const order: PlanOrderView = {
  planId: '00000000-0000-4000-8000-0000000000cc',
  route: 'im',
  product: 'ketamine-racemic',
  dose: { value: 0.75, unit: 'mg/kg' },
  maximumDose: { value: 1, unit: 'mg/kg' },
  weightKg: 80,
  startingDoseMg: 60,
  maximumDoseMg: 80,
  calculation: { doseMg: 60, mgPerKg: 0.75, level: 'ok', messages: [] },
  secondSignerRequired: false,
  infusionMinutes: null,
  givenMg: 0,
  remainingMg: 80,
};

const checklist = (overrides: Partial<ChecklistView> = {}): ChecklistView => ({
  id: '00000000-0000-4000-8000-0000000000dd',
  recordedAt: minutesAgo(10),
  recordedBy: nurse,
  answers: {
    hoursSinceFood: 3,
    hoursSinceLiquids: 1,
    pregnant: null,
    pregnancyTestNegative: null,
    medicationChanges: [],
    suicideRiskAssessedToday: false,
    escortPresent: true,
    note: null,
  },
  blockers: [],
  cautions: ['BP 150/92 is above 140/90: weigh the BP rise against the benefit.'],
  proceed: true,
  sources: { intentions: ['To be gentle with myself'] },
  override: null,
  ...overrides,
});

function session(overrides: Record<string, unknown> = {}): SessionView {
  return {
    id: sessionId,
    state: 'checked-in',
    patient: { id: patientId, displayName: 'Alex Example', mrn: 'MRN-1' },
    appointment: {
      id: sessionId,
      startsAt: minutesAgo(30),
      endsAt: minutesAgo(-120),
      roomId: null,
      roomName: 'Chair 2',
    },
    route: 'im',
    product: 'ketamine-racemic',
    planOrder: order,
    checkedInAt: minutesAgo(20),
    checkedInBy: nurse,
    doseStartedAt: null,
    administrations: [],
    vitals: [
      {
        id: 'v0',
        measuredAt: minutesAgo(15),
        systolic: 150,
        diastolic: 92,
        heartRate: 72,
        spo2: 98,
        baseline: true,
        status: 'current',
        classification: { level: 'warning', reasons: [] },
      },
    ],
    observations: [
      { id: 'o1', observedAt: minutesAgo(14), moaas: 5, cadss6: null, sideEffects: [], note: null },
    ],
    alerts: [],
    nextReadingDue: null,
    intentions: ['To be gentle with myself'],
    escort: { name: 'Sam Rivera', phone: '555-0101' },
    noDrivingAcknowledged: true,
    checklist: null,
    discharge: null,
    dischargeReadiness: null,
    adverseEvents: [],
    allowedActions: ['clear-to-dose', 'abort'],
    ...overrides,
  } as unknown as SessionView;
}

function render(
  component: FunctionComponent<{ session: SessionView }> | FunctionComponent,
  props: { session?: SessionView },
  permissions: string[],
  seed: (client: QueryClient) => void = () => {},
) {
  return renderSignedIn(createElement(component as FunctionComponent<object>, props), permissions, seed);
}

/** A page that reads its id from the address. */
function renderAt(
  path: string,
  pattern: string,
  page: FunctionComponent,
  permissions: string[],
  seed: (client: QueryClient) => void,
) {
  return renderSignedIn(
    createElement(Routes, null, createElement(Route, { path: pattern, element: createElement(page) })),
    permissions,
    seed,
    path,
  );
}

const instructions = (missingSettings: string[] = []) => ({
  sessionId,
  date: '2026-06-01',
  clinicName: 'Demo clinic',
  crisisPhone: missingSettings.length ? null : '555-0100',
  title: 'After your ketamine session at Demo clinic',
  sections: [
    {
      id: 'getting-home',
      heading: 'Getting home',
      lines: ['Do not drive until the next day, after a restful sleep.'],
      citations: [{ section: 'clinical-reference 4.6', source: 'SPRAVATO US PI', evidence: 'primary' }],
    },
  ],
  missingSettings,
});

const lots = {
  items: [
    {
      id: '00000000-0000-4000-8000-0000000000e1',
      product: 'ketamine-racemic',
      productName: 'Ketamine HCl 50 mg/mL',
      unit: 'mL',
      concentrationMgPerUnit: 50,
      containerSize: 10,
      lotNumber: 'K100',
      expiresOn: '2099-03-31',
      balance: 9.2,
    },
  ],
};

describe('check-in', () => {
  it('offers the ride home, the no-driving acknowledgement and the check-in before arrival', () => {
    const html = render(
      CheckInPanel,
      {
        session: session({
          state: 'scheduled',
          checkedInAt: null,
          escort: null,
          noDrivingAcknowledged: false,
        }),
      },
      nursePermissions,
      (client) =>
        client.setQueryData(['schedule', 'pre-check-in', sessionId], {
          appointmentId: sessionId,
          rideHomeConfirmed: false,
          noDrivingAcknowledged: false,
          rideHome: [],
          noDriving: null,
          statement: 'I will not drive until the next day after a restful sleep.',
        }),
    );
    expect(html).toContain('id="check-in-panel-heading"');
    expect(html).toContain('Ride home not confirmed');
    expect(html).toContain('aria-label="Confirm ride home"');
    expect(html).toContain('Escort’s name');
    expect(html).toContain('Patient acknowledges no driving');
    expect(html).toContain('Check in patient');
  });

  it('summarises the arrival afterwards, from the session view', () => {
    const html = render(CheckInPanel, { session: session() }, ['session.read']);
    expect(html).toContain('Checked in at');
    expect(html).toContain('by Nora Nurse');
    expect(html).toContain('Ride home: Sam Rivera');
    expect(html).not.toContain('Check in patient');
  });
});

describe('the pre-dose gate', () => {
  it('lets a prescriber override the cautions with a rationale and the password', () => {
    const html = render(
      PreDosePanel,
      { session: session({ checklist: checklist() }) },
      prescriberPermissions,
    );
    expect(html).toContain('1 caution needs a prescriber’s review');
    expect(html).toContain('aria-label="Cautions"');
    expect(html).toContain('BP 150/92 is above 140/90');
    expect(html).toContain('aria-label="Prescriber override"');
    expect(html).toContain('I have reviewed each caution');
    expect(html).toContain('Rationale');
    expect(html).toContain('Your password');
    expect(html).toContain('Sign override and clear to dose');
    // The checklist can be run again, and the intention and baseline are shown.
    expect(html).toContain('aria-label="Pre-dose checklist"');
    expect(html).toContain('Run pre-dose checks');
    expect(html).toContain('To be gentle with myself');
    expect(html).toContain('Baseline sedation: MOAA/S 5');
  });

  it('sends a nurse to the prescriber for cautions, and never offers an override over a blocker', () => {
    const cautions = render(PreDosePanel, { session: session({ checklist: checklist() }) }, nursePermissions);
    expect(cautions).toContain('A prescriber must review the cautions');
    expect(cautions).not.toContain('Sign override and clear to dose');
    const blocked = render(
      PreDosePanel,
      {
        session: session({
          checklist: checklist({ blockers: ['No confirmed ride home with a named escort.'] }),
        }),
      },
      prescriberPermissions,
    );
    expect(blocked).toContain('Do not dose: 1 blocker to resolve');
    expect(blocked).toContain('aria-label="Blockers"');
    expect(blocked).not.toContain('Sign override and clear to dose');
    expect(blocked).toContain('Stop session…');
  });

  it('shows the override once signed, read-only after clearing', () => {
    const html = render(
      PreDosePanel,
      {
        session: session({
          state: 'cleared-to-dose',
          checklist: checklist({
            override: {
              id: 'ov',
              cautions: [],
              rationale: 'Her usual BP; rechecked.',
              prescriber,
              signedAt: minutesAgo(5),
            },
          }),
        }),
      },
      prescriberPermissions,
    );
    expect(html).toContain('Cleared to dose by a prescriber over 1 caution');
    expect(html).toContain('Dr Pat Prescriber');
    expect(html).not.toContain('Run pre-dose checks');
  });
});

describe('administration', () => {
  const seedLots = (client: QueryClient) =>
    client.setQueryData(
      flowKeys.lots('ketamine-racemic', 'im'),
      lots.items.map((lot) => ({
        id: lot.id,
        product: lot.product,
        concentrationMgPerMl: 50,
        unit: 'mL',
        lotNumber: lot.lotNumber,
        expiresOn: lot.expiresOn,
        balance: lot.balance,
        containerSize: 10,
      })),
    );

  it('shows the order, the lot picker and the computed dose before the first dose', () => {
    const html = render(
      AdministrationPanel,
      { session: session({ state: 'cleared-to-dose' }) },
      nursePermissions,
      seedLots,
    );
    expect(html).toContain('Order: IM injection ketamine 0.75 mg/kg × 80 kg = 60 mg');
    expect(html).toContain('aria-label="Dose"');
    expect(html).toContain('Lot');
    expect(html).toContain('Dose (mg/kg)');
    expect(html).toContain('data-testid="dose-computed"');
    expect(html).toContain('60 mg');
    expect(html).toContain('Injection site');
    expect(html).toContain('Add a second signer');
    expect(html).toContain('Record dose');
  });

  it('asks for the second signer when the clinic requires one', () => {
    const html = render(
      AdministrationPanel,
      { session: session({ state: 'cleared-to-dose', planOrder: { ...order, secondSignerRequired: true } }) },
      nursePermissions,
      seedLots,
    );
    expect(html).toContain('the clinic requires one');
    expect(html).toContain('Second signer’s email');
    expect(html).toContain('Second signer’s password');
    expect(html).not.toContain('Add a second signer');
  });

  it('after a dose: the doses given, the end of dosing, an additional dose and the witnessed waste', () => {
    const html = render(
      AdministrationPanel,
      {
        session: session({
          state: 'dosing',
          doseStartedAt: minutesAgo(3),
          planOrder: { ...order, givenMg: 60, remainingMg: 20 },
          administrations: [
            {
              id: 'adm-1',
              sequence: 1,
              product: 'ketamine-racemic',
              route: 'im',
              site: 'Left deltoid',
              lotId: lots.items[0]!.id,
              lotNumber: 'K100',
              doseMg: 60,
              volumeMl: 1.2,
              quantity: 1.2,
              startedAt: minutesAgo(3),
              endedAt: null,
              administeredBy: nurse,
              secondSigner: null,
            },
          ],
          allowedActions: ['administer', 'start-monitoring', 'abort'],
        }),
      },
      nursePermissions,
      seedLots,
    );
    expect(html).toContain('aria-label="Doses given"');
    expect(html).toContain('60 mg (1.2 mL)');
    expect(html).toContain('Dosing complete: start monitoring');
    expect(html).toContain('Give an additional dose');
    expect(html).toContain('Up to 20 mg more within the plan.');
    expect(html).toContain('aria-label="Waste the remainder"');
    // The remainder of the 10 mL vial after the 1.2 mL draw.
    expect(html).toContain('value="8.8"');
    expect(html).toContain('Witness’s email');
    expect(html).toContain('Witness’s password');
    expect(html).toContain('Record waste');
  });

  it('offers nothing to give to a role that may only read', () => {
    const html = render(AdministrationPanel, { session: session({ state: 'cleared-to-dose' }) }, [
      'session.read',
    ]);
    expect(html).toContain('Order: IM injection');
    expect(html).not.toContain('Record dose');
  });
});

describe('discharge', () => {
  const monitoring = (readiness: { ready: boolean; unmet: string[] }) =>
    session({
      state: 'monitoring',
      doseStartedAt: minutesAgo(95),
      dischargeReadiness: { ...readiness, minutesSinceDoseStart: 95 },
    });

  it('lets a prescriber discharge against unmet criteria with a rationale and password', () => {
    const html = render(
      DischargePanel,
      { session: monitoring({ ready: false, unmet: ['Observed 95 of at least 120 minutes.'] }) },
      prescriberPermissions,
    );
    expect(html).toContain('Not ready: 1 unmet');
    expect(html).toContain('aria-label="Unmet discharge criteria"');
    expect(html).toContain('Observed 95 of at least 120 minutes.');
    expect(html).toContain('Prescriber discharge against unmet criteria');
    expect(html).toContain('Your password');
    expect(html).toContain('Sign and discharge');
    expect(html).toContain('aria-label="Print discharge instructions"');
  });

  it('leaves an unmet discharge to the prescriber when a nurse is signed in', () => {
    const html = render(
      DischargePanel,
      { session: monitoring({ ready: false, unmet: ['No responsible adult escort present.'] }) },
      nursePermissions,
    );
    expect(html).toContain('A prescriber decides');
    expect(html).not.toContain('Sign and discharge');
  });

  it('discharges a ready patient with the instructions given', () => {
    const html = render(
      DischargePanel,
      { session: monitoring({ ready: true, unmet: [] }) },
      nursePermissions,
    );
    expect(html).toContain('Ready for discharge');
    expect(html).toContain('Discharge instructions given to the patient and the escort');
    expect(html).toContain('Discharge patient');
  });

  it('shows the record once discharged', () => {
    const html = render(
      DischargePanel,
      {
        session: session({
          state: 'discharged',
          discharge: {
            id: 'd1',
            ready: false,
            unmet: ['Observed 95 of at least 120 minutes.'],
            overrideRationale: 'Stable, escorted by a nurse.',
            overriddenBy: prescriber,
            escortName: 'Sam Rivera',
            instructionsGiven: true,
            note: null,
            dischargedBy: prescriber,
            dischargedAt: minutesAgo(1),
          },
        }),
      },
      nursePermissions,
    );
    expect(html).toContain('Discharged at');
    expect(html).toContain('home with Sam Rivera');
    expect(html).toContain('Discharged against unmet criteria');
    expect(html).toContain('Stable, escorted by a nurse.');
  });
});

describe('adverse events', () => {
  const event: AdverseEventView = {
    seriesId: 'ae-1',
    sessionId,
    patientId,
    current: {
      id: 'ae-1',
      version: 1,
      category: 'nausea-vomiting',
      severity: 'severe',
      serious: true,
      description: 'Vomited twice',
      actionTaken: 'Ondansetron 4 mg',
      outcome: 'resolved',
      onsetAt: minutesAgo(20),
      amendmentReason: null,
      recordedAt: minutesAgo(19),
      recordedBy: nurse,
    },
    versions: [],
    alert: { id: 'al', status: 'open', severity: 'high' },
  };

  it('lists the events from the session view, serious ones flagged, with amend and record', () => {
    const html = render(
      AdverseEventsPanel,
      { session: session({ state: 'monitoring', adverseEvents: [event] }) },
      nursePermissions,
    );
    expect(html).toContain('1 recorded, 1 serious');
    expect(html).toContain('aria-label="Adverse event: Nausea or vomiting"');
    expect(html).toContain('Serious: follow-up open');
    expect(html).toContain('Amend');
    expect(html).toContain('Record adverse event');
  });
});

describe('psychotherapy notes', () => {
  it('is not there at all without the author permission', () => {
    const html = render(PsychotherapyNotesPanel, { session: session() }, nursePermissions);
    expect(html).not.toContain('psychotherapy-notes-panel');
    expect(html).not.toContain('psychotherapy note');
  });

  it('shows the author their own notes, with a new note and revise', () => {
    const html = render(PsychotherapyNotesPanel, { session: session() }, prescriberPermissions, (client) =>
      client.setQueryData(flowKeys.notes(sessionId), {
        items: [
          {
            seriesId: 'n1',
            patientId,
            appointmentId: sessionId,
            author: prescriber,
            current: {
              id: 'n1v2',
              version: 2,
              body: 'Spoke about the lake house.',
              writtenAt: minutesAgo(3),
            },
            versions: [],
          },
        ],
      }),
    );
    expect(html).toContain('My psychotherapy notes');
    expect(html).toContain('Only you can read these notes.');
    expect(html).toContain('aria-label="New psychotherapy note"');
    expect(html).toContain('Spoke about the lake house.');
    expect(html).toContain('Version 2');
    expect(html).toContain('Revise');
  });
});

describe('the REMS dashboard', () => {
  const form = (overrides: Partial<RemsFormSummary>): RemsFormSummary => ({
    sessionId,
    patient: { id: patientId, displayName: 'Alex Example', mrn: 'MRN-1' },
    treatmentDate: '2026-06-01',
    status: 'due',
    deadline: { dueDate: '2026-06-08', daysLeft: -2, overdue: true },
    complete: false,
    missing: ['First treatment (yes/no)'],
    submittedAt: null,
    pdfUrl: `/api/v1/sessions/${sessionId}/rems-form.pdf`,
    ...overrides,
  });

  it('lists the forms due with their deadline, PDF, completion and mark submitted', () => {
    const html = render(RemsPage, {}, nursePermissions, (client) =>
      client.setQueryData(remsKeys.forms('due'), {
        items: [form({})],
        nextCursor: null,
        today: '2026-06-10',
      }),
    );
    expect(html).toContain('SPRAVATO REMS monitoring forms');
    expect(html).toContain('aria-label="REMS monitoring forms"');
    expect(html).toContain('Overdue by 2 days');
    expect(html).toContain('1 form is overdue');
    expect(html).toContain('1 missing');
    expect(html).toContain(`href="/api/v1/sessions/${sessionId}/rems-form.pdf"`);
    expect(html).toContain('aria-label="Mark submitted: Alex Example, Jun 1, 2026"');
    expect(html).toContain('aria-label="Complete the form: Alex Example, Jun 1, 2026"');
  });

  it('offers no writes to a role that may only read', () => {
    const html = render(RemsPage, {}, ['rems.read'], (client) =>
      client.setQueryData(remsKeys.forms('due'), {
        items: [form({})],
        nextCursor: null,
        today: '2026-06-10',
      }),
    );
    expect(html).toContain('PDF');
    expect(html).not.toContain('Mark submitted:');
  });
});

describe('the portal', () => {
  it('shows the latest session’s whom-to-call lines and a link to the instructions', () => {
    const html = render(PortalDischargeInstructionsCard, {}, ['portal.self'], (client) =>
      client.setQueryData(['me', 'discharge-instructions'], {
        items: [
          {
            ...instructions(),
            sections: [
              {
                id: 'get-help',
                heading: 'When to get help',
                lines: ['Call 911 at once for chest pain.'],
                citations: [],
              },
            ],
          },
        ],
      }),
    );
    expect(html).toContain('After your session on Jun 1, 2026');
    expect(html).toContain('Call 911 at once for chest pain.');
    expect(html).toContain(`href="/portal/sessions/${sessionId}/instructions"`);
  });
});

describe('the printed instructions', () => {
  it('gives staff a page to print and the PDF, and says when the crisis phone is not set', () => {
    const html = renderAt(
      `/sessions/${sessionId}/discharge-instructions`,
      '/sessions/:sessionId/discharge-instructions',
      DischargeInstructionsPage,
      nursePermissions,
      (client) => client.setQueryData(flowKeys.instructions(sessionId), instructions(['crisisPhone'])),
    );
    expect(html).toContain('After your ketamine session at Demo clinic');
    expect(html).toContain('Do not drive until the next day, after a restful sleep.');
    expect(html).toContain('Source: SPRAVATO US PI');
    expect(html).toContain(`href="/api/v1/sessions/${sessionId}/discharge-instructions.pdf"`);
    expect(html).toContain('The clinic’s crisis phone is not set');
  });

  it('shows the patient their own instructions in the portal, with the PDF', () => {
    const html = renderAt(
      `/portal/sessions/${sessionId}/instructions`,
      '/portal/sessions/:sessionId/instructions',
      PortalDischargeInstructionsPage,
      ['portal.self'],
      (client) => client.setQueryData(['me', 'discharge-instructions', sessionId], instructions()),
    );
    expect(html).toContain('Session of Jun 1, 2026');
    expect(html).toContain('Getting home');
    expect(html).toContain(`href="/api/v1/me/sessions/${sessionId}/discharge-instructions.pdf"`);
    expect(html).not.toContain('crisis phone is not set');
  });
});
