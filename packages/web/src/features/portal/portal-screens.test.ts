import type { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { measureKeys } from '../measures/measures.api.ts';
import { type PortalHomeView, portalKeys, type SessionHistory } from './portal.api.ts';
import { portalNavigation } from './portal-shell.tsx';
import { renderPortal } from './render-portal.ts';

/**
 * The portal's screens rendered once on the server side of React (the browser journeys in e2e/ drive them for
 * real): the home's checklist in each of its states, the crisis button on every portal page, the session
 * history, and the phone's navigation.
 */

const dosingId = '00000000-0000-4000-8000-0000000000d1';
const consentVersionId = '00000000-0000-4000-8000-0000000000c1';
const phq9Id = '00000000-0000-4000-8000-0000000000e1';

function home(overrides: Partial<PortalHomeView> = {}): PortalHomeView {
  return {
    greetingName: 'Rowan',
    clinicName: 'Juniper Clinic',
    timeZone: 'America/New_York',
    crisisPhone: '(555) 010-0142',
    nextSession: {
      appointmentId: dosingId,
      kind: 'dosing',
      title: 'Ketamine session',
      startsAt: '2026-06-03T14:00:00Z',
      endsAt: '2026-06-03T16:00:00Z',
      date: '2026-06-03',
      route: 'intranasal',
      routeName: 'nasal spray',
      location: { clinicName: 'Juniper Clinic', roomName: 'Chair 2' },
      whatToBring: ['The adult who will take you home (or their phone number, if they will collect you)'],
    },
    preparation: {
      appointmentId: dosingId,
      startsAt: '2026-06-03T14:00:00Z',
      date: '2026-06-03',
      sources: ['clinical-reference 2.5'],
      items: [
        {
          id: 'ride-home',
          label: 'Ride home confirmed',
          state: 'done',
          detail: 'Jordan will take you home.',
          action: null,
        },
        {
          id: 'no-driving',
          label: 'No driving until the next day',
          state: 'to-do',
          detail: 'Do not drive, cycle or operate machinery until the next day, after a restful sleep.',
          action: { label: 'Agree not to drive', to: '/portal/appointments' },
        },
        {
          id: 'fasting',
          label: 'Eating and drinking',
          state: 'info',
          detail: 'Do not eat for 2 hours, and do not drink anything for 30 minutes, before your session.',
          action: null,
        },
        {
          id: 'consents',
          label: 'Consent forms',
          state: 'waiting',
          detail: 'You have signed your forms; your care team still has to complete them.',
          action: { label: 'Your consent forms', to: '/portal/consents' },
        },
        {
          id: 'questionnaires',
          label: 'Questionnaires before your session',
          state: 'to-do',
          detail: 'Fill in the Patient Health Questionnaire-9 before your session.',
          action: { label: 'Start the questionnaire', to: `/portal/measures/${phq9Id}` },
        },
      ],
    },
    todos: [
      {
        kind: 'questionnaire',
        label: 'Fill in the Patient Health Questionnaire-9',
        detail: '10 questions · Due by 2026-06-02',
        dueDate: '2026-06-02',
        action: { label: 'Start PHQ-9', to: `/portal/measures/${phq9Id}` },
      },
      {
        kind: 'consent',
        label: 'Sign “General KAP consent”',
        detail: null,
        dueDate: null,
        action: { label: 'Read and sign', to: `/portal/consents/${consentVersionId}` },
      },
    ],
    ...overrides,
  };
}

const crisis = {
  lifeline: { name: '988 Suicide & Crisis Lifeline', call: '988', text: '988' },
  emergency: '911',
  clinicName: 'Juniper Clinic',
  clinicPhone: '(555) 010-0142',
};

function seeded(view: PortalHomeView | null = home()) {
  return (client: QueryClient) => {
    if (view) client.setQueryData(portalKeys.home, view);
    client.setQueryData(portalKeys.crisis, crisis);
    client.setQueryData(measureKeys.due, { items: [] });
  };
}

/** The HTML of one checklist row (its <li> up to the next row or the end of the list). */
function row(html: string, id: string): string {
  const marker = html.indexOf(`data-testid="checklist-${id}"`);
  expect(marker, `checklist row ${id}`).toBeGreaterThan(-1);
  const start = html.lastIndexOf('<li', marker);
  const end = html.indexOf('</li>', marker);
  return html.slice(start, end);
}

describe('the portal home', () => {
  it('shows the next session with its place, route and what to bring', () => {
    const html = renderPortal('/portal', seeded());
    expect(html).toContain('Welcome, Rowan');
    expect(html).toContain('Your next session');
    expect(html).toContain('Ketamine session');
    expect(html).toContain('Wednesday, June 3, 2026, 10:00 AM – 12:00 PM');
    expect(html).toContain('Medicine given as: nasal spray');
    expect(html).toContain('Juniper Clinic, Chair 2');
    expect(html).toContain('What to bring');
    expect(html).toContain('The adult who will take you home');
    // The details moved to their own page.
    expect(html).not.toContain('Medical record number');
    expect(html).toContain('href="/portal/details"');
  });

  it('marks each checklist item done or not, in words and not by colour alone, with a link to act', () => {
    const html = renderPortal('/portal', seeded());
    expect(html).toContain('Before your ketamine session');
    expect(html).toContain('2 things to do.');
    const ride = row(html, 'ride-home');
    expect(ride).toContain('data-state="done"');
    expect(ride).toContain('>Done<');
    expect(ride).not.toContain('<a ');
    const noDriving = row(html, 'no-driving');
    expect(noDriving).toContain('data-state="to-do"');
    expect(noDriving).toContain('>To do<');
    expect(noDriving).toMatch(/<a [^>]*href="\/portal\/appointments"[^>]*>/);
    expect(noDriving).toContain('Agree not to drive');
    const fasting = row(html, 'fasting');
    expect(fasting).toContain('data-state="info"');
    expect(fasting).toContain('>On the day<');
    expect(fasting).toContain('do not drink anything for 30 minutes');
    const consents = row(html, 'consents');
    expect(consents).toContain('>Waiting for the clinic<');
    expect(consents).toContain('href="/portal/consents"');
    const questionnaires = row(html, 'questionnaires');
    expect(questionnaires).toContain('>To do<');
    expect(questionnaires).toContain(`href="/portal/measures/${phq9Id}"`);
  });

  it('says when everything on the patient’s side is done', () => {
    const view = home();
    const allDone = home({
      preparation: {
        ...view.preparation!,
        items: view.preparation!.items.map((i) =>
          i.state === 'to-do' ? { ...i, state: 'done' as const, action: null } : i,
        ),
      },
    });
    const html = renderPortal('/portal', seeded(allDone));
    expect(html).toContain('Everything on your side is done.');
    expect(row(html, 'no-driving')).toContain('data-state="done"');
    expect(html).not.toContain('>To do<');
  });

  it('lists the to-dos, each with the button that leads to it', () => {
    const html = renderPortal('/portal', seeded());
    expect(html).toContain('Your to-dos');
    expect(html).toContain('Fill in the Patient Health Questionnaire-9');
    expect(html).toContain('10 questions · Due by 2026-06-02');
    expect(html).toContain(`href="/portal/consents/${consentVersionId}"`);
    expect(html).toContain('Read and sign');
    // And the areas' own cards.
    expect(html).toContain('Questionnaires to fill in');
    expect(html).toContain('Consent forms');
    expect(html).toContain('Your intake');
    expect(html).toContain('How was your session?');
    expect(html).toContain('My progress');
  });

  it('folds several questionnaires into one to-do (the questionnaires card lists each)', () => {
    const view = home();
    const gad7 = {
      ...view.todos[0]!,
      label: 'Fill in the Generalized Anxiety Disorder-7',
      detail: '7 questions · Due by 2026-06-05',
      action: { label: 'Start GAD-7', to: '/portal/measures/00000000-0000-4000-8000-0000000000e2' },
    };
    const html = renderPortal('/portal', seeded(home({ todos: [view.todos[0]!, gad7, view.todos[1]!] })));
    expect(html).toContain('2 questionnaires to fill in');
    expect(html).toContain('First: Patient Health Questionnaire-9 (10 questions · Due by 2026-06-02)');
    expect(html).toContain('Start the first');
    expect(html).not.toContain('Start GAD-7');
    expect(html).toContain('Sign “General KAP consent”');
  });

  it('has no checklist, and says so, when nothing is booked', () => {
    const html = renderPortal('/portal', seeded(home({ nextSession: null, preparation: null, todos: [] })));
    expect(html).toContain('No session is booked yet.');
    expect(html).not.toContain('Before your ketamine session');
    expect(html).toContain('Nothing waiting for you right now.');
  });
});

const sessionsView: SessionHistory = {
  clinicName: 'Juniper Clinic',
  timeZone: 'America/New_York',
  dosingSessions: [
    {
      sessionId: '00000000-0000-4000-8000-0000000000f1',
      date: '2026-05-12',
      route: 'intranasal',
      routeName: 'nasal spray',
      state: 'discharged',
      stateLabel: 'Completed',
      checkedInAt: '2026-05-12T13:35:00Z',
      dosingStartedAt: '2026-05-12T14:00:00Z',
      dischargedAt: '2026-05-12T16:05:00Z',
      endedAt: '2026-05-12T16:05:00Z',
      roomName: 'Chair 2',
      dischargeInstructions: {
        page: '/portal/sessions/00000000-0000-4000-8000-0000000000f1/instructions',
        pdf: '/api/v1/me/sessions/00000000-0000-4000-8000-0000000000f1/discharge-instructions.pdf',
      },
    },
  ],
  integrationSessions: [
    {
      appointmentId: '00000000-0000-4000-8000-0000000000f2',
      date: '2026-05-13',
      startsAt: '2026-05-13T15:00:00Z',
      endsAt: '2026-05-13T16:00:00Z',
      roomName: null,
      followsSession: { sessionId: '00000000-0000-4000-8000-0000000000f1', date: '2026-05-12' },
    },
    {
      appointmentId: null,
      date: '2026-05-15',
      startsAt: null,
      endsAt: null,
      roomName: null,
      followsSession: null,
    },
  ],
};

describe('my sessions', () => {
  it('lists the ketamine sessions with their times and instructions, and the integration sessions', () => {
    const html = renderPortal('/portal/sessions', (client) => {
      seeded(null)(client);
      client.setQueryData(portalKeys.sessions, sessionsView);
    });
    expect(html).toContain('My sessions');
    expect(html).toContain('Tuesday, May 12, 2026');
    expect(html).toContain('Completed');
    expect(html).toContain('Checked in:</span> 9:35 AM');
    expect(html).toContain('Medicine given:</span> 10:00 AM');
    expect(html).toContain('Went home:</span> 12:05 PM');
    expect(html).toContain('href="/portal/sessions/00000000-0000-4000-8000-0000000000f1/instructions"');
    expect(html).toContain(
      'href="/api/v1/me/sessions/00000000-0000-4000-8000-0000000000f1/discharge-instructions.pdf"',
    );
    expect(html).toContain('Integration session · 11:00 AM – 12:00 PM');
    expect(html).toContain('After your ketamine session of May 12, 2026');
    // Documented without an appointment: the day, no times.
    expect(html).toContain('May 15, 2026');
  });
});

/** Every page of the portal registered in routes.tsx (and the menu's entries). */
const portalPages = [
  '/portal',
  '/portal/details',
  '/portal/sessions',
  '/portal/appointments',
  '/portal/consents',
  `/portal/consents/${consentVersionId}`,
  '/portal/intake',
  `/portal/measures/${phq9Id}`,
  '/portal/sessions/00000000-0000-4000-8000-0000000000f1/instructions',
  '/portal/experience/00000000-0000-4000-8000-0000000000f1',
  ...portalNavigation.map((entry) => entry.to),
];

describe('the portal shell', () => {
  it.each([...new Set(portalPages)])('has the crisis button in the header of %s', (path) => {
    const html = renderPortal(path, seeded());
    const header = html.slice(html.indexOf('<header'), html.indexOf('</header>'));
    expect(header, path).toContain('data-testid="crisis-button"');
    expect(header).toContain('aria-label="Crisis help: call or text 988, your clinic, or 911"');
    // And the lines themselves, one tap each, at the foot of the page: 988, the clinic, 911.
    expect(html).toContain('href="tel:988"');
    expect(html).toContain('href="sms:988"');
    expect(html).toContain('href="tel:5550100142"');
    expect(html).toContain('Your clinic: (555) 010-0142');
    expect(html).toContain('href="tel:911"');
    // Not the "page not found" screen: the page is inside the portal's shell.
    expect(html).not.toContain('Page not found');
  });

  it('gives the phone a bottom bar of large targets and a menu, and one sign-out button', () => {
    const html = renderPortal('/portal', seeded());
    expect(html).toContain('aria-label="Portal, quick links"');
    const bar = html.slice(html.indexOf('data-testid="portal-bottom-nav"'));
    for (const label of ['Home', 'Schedule', 'Journal', 'Progress', 'Menu']) expect(bar).toContain(label);
    expect(bar).toContain('aria-current="page"');
    expect(html.match(/aria-label="Sign out"/g)).toHaveLength(1);
  });
});
