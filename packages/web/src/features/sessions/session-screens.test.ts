import type { QueryClient } from '@tanstack/react-query';
import { createElement, type ReactElement } from 'react';
import { Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import { renderSignedIn } from './render-signed-in.ts';
import { SessionBoardPage } from './session-board-page.tsx';
import { SessionPage } from './session-page.tsx';
import { sessionKeys } from './sessions.api.ts';
import type { BoardView, SessionView } from './sessions.types.ts';

/**
 * The console's screens rendered once on the server side of React (no browser here; the browser journeys in
 * e2e/ drive them for real): they render for each state without throwing, and carry the names the journeys
 * and screen readers find them by.
 */

const now = Date.now();
const minutesAgo = (m: number) => new Date(now - m * 60_000).toISOString();
const sessionId = '00000000-0000-4000-8000-0000000000aa';

function session(overrides: Partial<SessionView> = {}): SessionView {
  return {
    id: sessionId,
    state: 'monitoring',
    patient: { id: '00000000-0000-4000-8000-0000000000bb', displayName: 'Alex Example', mrn: 'MRN-1' },
    appointment: {
      id: sessionId,
      startsAt: minutesAgo(90),
      endsAt: minutesAgo(-60),
      roomId: null,
      roomName: 'Chair 2',
    },
    route: 'im',
    product: 'ketamine-racemic',
    checkedInAt: minutesAgo(80),
    doseStartedAt: minutesAgo(50),
    administrations: [
      {
        id: 'adm-1',
        sequence: 1,
        product: 'ketamine-racemic',
        route: 'im',
        doseMg: 56,
        startedAt: minutesAgo(50),
        endedAt: null,
      },
    ],
    vitals: [
      {
        id: 'v0',
        measuredAt: minutesAgo(60),
        systolic: 122,
        diastolic: 78,
        heartRate: 72,
        spo2: 98,
        baseline: true,
        status: 'current',
        classification: { level: 'normal', reasons: [] },
      },
      {
        id: 'v1',
        measuredAt: minutesAgo(30),
        systolic: 184,
        diastolic: 104,
        heartRate: 88,
        spo2: 97,
        status: 'current',
        classification: { level: 'critical', reasons: ['Systolic 184 mmHg ≥ 180'] },
        alertId: 'al-1',
      },
    ],
    baselineVitals: { systolic: 122, diastolic: 78, heartRate: 72, spo2: 98 },
    baselineMoaas: 5,
    observations: [
      {
        id: 'o1',
        kind: 'moaas',
        observedAt: minutesAgo(30),
        moaas: 4,
        cadss6: null,
        sideEffects: [],
        note: null,
      },
    ],
    alerts: [
      {
        id: 'al-1',
        severity: 'critical',
        summary: 'Critical vitals: Systolic 184 mmHg ≥ 180',
        raisedAt: minutesAgo(30),
        status: 'open',
        acknowledgement: null,
      },
    ],
    nextReadingDue: { dueAt: minutesAgo(5), overdue: true },
    observationPlan: { readingsAtMinutes: [0], thenEveryMinutes: 15, minimumObservationMinutes: 90 },
    allowedActions: ['administer', 'discharge', 'abort'],
    ...overrides,
  };
}

function render(
  path: string,
  element: ReactElement,
  seed: (client: QueryClient) => void,
  permissions: string[],
) {
  return renderSignedIn(
    createElement(Routes, null, createElement(Route, { path: '*', element })),
    permissions,
    seed,
    path,
  );
}

const monitorPermissions = ['session.read', 'session.monitor', 'alerts.read', 'alerts.acknowledge'];

function renderChair(view: SessionView, permissions = monitorPermissions) {
  return render(
    `/sessions/${sessionId}`,
    createElement(
      Routes,
      null,
      createElement(Route, { path: '/sessions/:sessionId', element: createElement(SessionPage) }),
    ),
    (client) => client.setQueryData(sessionKeys.session(sessionId), view),
    permissions,
  );
}

describe('the chair screen', () => {
  it('shows a monitoring session with its overdue reading, open alert, pad, observations and chart', () => {
    const html = renderChair(session());
    expect(html).toContain('Alex Example');
    expect(html).toContain('Chair 2');
    expect(html).toContain('aria-label="State: Monitoring"');
    expect(html).toMatch(/data-tone="overdue"/);
    expect(html).toMatch(/Reading overdue by \d+ min/);
    expect(html).toContain('Since the dose');
    expect(html).toContain('Reading before the dose, then every 15 min · observe at least 1 h 30 min');
    // Alert with its acknowledge button named after the alert.
    expect(html).toContain('aria-label="Acknowledge: Critical vitals: Systolic 184 mmHg ≥ 180"');
    // The vitals pad.
    expect(html).toContain('Record vitals');
    expect(html).toContain('Systolic (mmHg)');
    expect(html).toContain('Diastolic (mmHg)');
    expect(html).toContain('Heart rate (/min)');
    expect(html).toContain('SpO₂ (%)');
    expect(html).toContain('aria-label="Number pad"');
    expect(html).toContain('aria-label="Digit 7"');
    expect(html).toContain('aria-label="Systolic up 1"');
    expect(html).toContain('Last 184');
    expect(html).toContain('Record reading');
    // Observations.
    expect(html).toContain('Sedation (MOAA/S)');
    expect(html).toContain('aria-label="MOAA/S 5: Responds readily to name spoken in a normal tone"');
    expect(html).toContain('Dissociation (CADSS-6)');
    expect(html).toContain('CADSS-6 due now');
    expect(html).toContain('Record CADSS-6');
    expect(html).toContain('Record: no side effects');
    // Chart and the readings table behind it.
    expect(html).toContain('Vitals over the session');
    expect(html).toContain('aria-label="Readings"');
    expect(html).toContain('BP 184/104 · HR 88 · SpO₂ 97%');
  });

  it('offers no recording to a role that may only read', () => {
    const html = renderChair(session(), ['session.read']);
    expect(html).toContain('Vitals over the session');
    expect(html).not.toContain('Record reading');
    expect(html).not.toContain('Acknowledge:');
  });

  it('shows a finished session without a clock or a pad', () => {
    const html = renderChair(
      session({
        state: 'discharged',
        nextReadingDue: null,
        alerts: [],
        endedAt: minutesAgo(1),
        allowedActions: [],
      }),
    );
    expect(html).toContain('aria-label="State: Discharged"');
    expect(html).not.toContain('next-reading-due');
    expect(html).not.toContain('Record reading');
    expect(html).toContain('Vitals over the session');
  });

  it('renders a session not yet checked in', () => {
    const html = renderChair(
      session({
        state: 'scheduled',
        checkedInAt: null,
        doseStartedAt: null,
        administrations: [],
        vitals: [],
        observations: [],
        alerts: [],
        nextReadingDue: null,
        allowedActions: ['check-in', 'abort'],
      }),
    );
    expect(html).toContain('aria-label="State: Not yet arrived"');
    expect(html).not.toContain('Record reading');
  });
});

describe('the board', () => {
  const board: BoardView = {
    date: '2026-06-01',
    items: [
      {
        id: sessionId,
        state: 'monitoring',
        patient: { id: 'p1', displayName: 'Alex Example', mrn: 'MRN-1' },
        roomName: 'Chair 2',
        route: 'im',
        product: 'ketamine-racemic',
        startsAt: minutesAgo(90),
        checkedInAt: minutesAgo(80),
        doseStartedAt: minutesAgo(50),
        nextReadingDue: { dueAt: minutesAgo(5), overdue: true },
        latestVitals: session().vitals[1] ?? null,
        openAlerts: 1,
        worstAlert: 'critical',
      },
      {
        id: '00000000-0000-4000-8000-0000000000cc',
        state: 'checked-in',
        patient: { id: 'p2', displayName: 'Sam Sample', mrn: 'MRN-2' },
        roomName: 'Chair 1',
        route: 'intranasal',
        product: 'esketamine',
        startsAt: minutesAgo(10),
        checkedInAt: minutesAgo(5),
        doseStartedAt: null,
        nextReadingDue: { dueAt: new Date(now + 10.5 * 60_000).toISOString(), overdue: false },
        latestVitals: null,
        openAlerts: 0,
        worstAlert: null,
      },
      {
        id: '00000000-0000-4000-8000-0000000000dd',
        state: 'discharged',
        patient: { id: 'p3', displayName: 'Robin Done', mrn: 'MRN-3' },
        roomName: 'Chair 3',
        route: 'im',
        product: 'ketamine-racemic',
        startsAt: minutesAgo(300),
        nextReadingDue: null,
        latestVitals: null,
        openAlerts: 0,
      },
    ],
  };

  it('lists the active chairs by room, the overdue one marked, and the finished ones apart', () => {
    const html = render(
      '/sessions',
      createElement(SessionBoardPage),
      (client) => client.setQueryData(sessionKeys.board, board),
      monitorPermissions,
    );
    expect(html).toContain('Session board');
    expect(html).toContain('2 active');
    expect(html).toContain('1 overdue');
    expect(html).toContain('1 open alert');
    expect(html.indexOf('Sam Sample')).toBeLessThan(html.indexOf('Alex Example'));
    expect(html).toContain('data-overdue="true"');
    expect(html).toContain('aria-label="Open the session of Alex Example (Chair 2)"');
    expect(html).toContain('Esketamine nasal spray (SPRAVATO)');
    expect(html).toContain('Next reading in 10 min');
    expect(html).toContain('Finished today');
    expect(html).toContain('Robin Done');
  });
});
