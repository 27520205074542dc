import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import { renderSignedIn } from '../sessions/render-signed-in.ts';
import {
  groupSchedule,
  type MeasureScheduleView,
  measureScheduleKey,
  type ScheduleEntry,
} from './measure-schedule.api.ts';
import { MeasureScheduleCard } from './measure-schedule-card.tsx';

const patientId = '00000000-0000-4000-8000-0000000000cc';
const entry = (overrides: Partial<ScheduleEntry>): ScheduleEntry => ({
  scheduleKey: 'dose:1',
  reason: 'pre-dose',
  instrument: 'phq9',
  instrumentName: 'PHQ-9',
  dueDate: '2026-06-16',
  status: 'planned',
  anchor: 'anchored',
  explanation: 'Before dose 1 (booked on 2026-06-16)',
  assignmentId: null,
  completedAt: null,
  responseId: null,
  ...overrides,
});
const view = (entries: ScheduleEntry[], extra: Partial<MeasureScheduleView> = {}): MeasureScheduleView => ({
  planId: '00000000-0000-4000-8000-0000000000dd',
  protocolId: 'kap-im',
  planEnded: null,
  lastDose: null,
  today: '2026-06-17',
  entries,
  ...extra,
});

describe('measure schedule card', () => {
  const entries = [
    entry({
      scheduleKey: 'baseline',
      reason: 'baseline',
      dueDate: '2026-06-15',
      status: 'missed',
      explanation: 'Baseline before the first dose',
    }),
    entry({ status: 'completed', dueDate: '2026-06-16' }),
    entry({ instrument: 'gad7', instrumentName: 'GAD-7', status: 'due', dueDate: '2026-06-16' }),
    entry({
      scheduleKey: 'dose:2',
      dueDate: '2026-06-23',
      explanation: 'Before dose 2 (not booked yet; estimated from the protocol)',
      anchor: 'planned',
    }),
    entry({
      scheduleKey: 'dose:2',
      instrument: 'gad7',
      instrumentName: 'GAD-7',
      dueDate: '2026-06-23',
      explanation: 'Before dose 2 (not booked yet; estimated from the protocol)',
      anchor: 'planned',
    }),
  ];

  it('groups by point and status, in date order', () => {
    const groups = groupSchedule(entries);
    expect(groups.missed.map((p) => p.scheduleKey)).toEqual(['baseline']);
    expect(groups.due).toMatchObject([{ scheduleKey: 'dose:1', instruments: ['GAD-7'] }]);
    expect(groups.completed).toMatchObject([{ scheduleKey: 'dose:1', instruments: ['PHQ-9'] }]);
    expect(groups.planned).toMatchObject([
      { scheduleKey: 'dose:2', instruments: ['PHQ-9', 'GAD-7'], estimated: true },
    ]);
  });

  it('lists missed, due, upcoming and completed measures on the chart', () => {
    const html = renderSignedIn(
      createElement(MeasureScheduleCard, { patientId }),
      ['patient.clinical.read'],
      (client) => client.setQueryData(measureScheduleKey(patientId), view(entries)),
    );
    expect(html).toContain('Measure schedule');
    const order = ['Missed', 'Due now', 'Upcoming', 'Completed'].map((t) => html.indexOf(`>${t}<`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(html).toContain('Baseline before the first dose');
    expect(html).toContain('PHQ-9, GAD-7');
    expect(html).toContain('about');
    expect(html).toContain('aria-label="1 missed"');
  });

  it('says when there is no signed plan, and when the plan ended', () => {
    const none = renderSignedIn(
      createElement(MeasureScheduleCard, { patientId }),
      ['patient.clinical.read'],
      (client) => client.setQueryData(measureScheduleKey(patientId), view([], { planId: null })),
    );
    expect(none).toContain('No signed treatment plan');
    const ended = renderSignedIn(
      createElement(MeasureScheduleCard, { patientId }),
      ['patient.clinical.read'],
      (client) =>
        client.setQueryData(
          measureScheduleKey(patientId),
          view(
            [
              entry({
                scheduleKey: 'follow-up:1m',
                reason: 'follow-up',
                dueDate: '2026-07-17',
                explanation: '1-month follow-up after the last dose (2026-06-17)',
              }),
            ],
            {
              planEnded: '2026-06-18',
              lastDose: '2026-06-17',
            },
          ),
        ),
    );
    expect(ended).toContain('The plan ended on');
    expect(ended).toContain('1-month follow-up after the last dose');
  });
});
