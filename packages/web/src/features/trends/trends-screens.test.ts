import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import { renderSignedIn } from '../sessions/render-signed-in.ts';
import { InstrumentTrendChart } from './instrument-trend-chart.tsx';
import { MyProgressView } from './portal-progress-page.tsx';
import { trendChartModel } from './trend-chart-model.ts';
import type { MeasurementSummary, MyProgress, TrendPoint } from './trends.api.ts';
import { TrendsView } from './trends-section.tsx';

const timeZone = 'America/New_York';
const cite = { section: 'clinical-reference 1.1', source: 'NCQA/HEDIS', evidence: 'primary' as const };
const phq9Bands = [
  { id: 'none-minimal', label: 'None–minimal', min: 0, max: 4 },
  { id: 'mild', label: 'Mild', min: 5, max: 9 },
  { id: 'moderate', label: 'Moderate', min: 10, max: 14 },
  { id: 'moderately-severe', label: 'Moderately severe', min: 15, max: 19 },
  { id: 'severe', label: 'Severe', min: 20, max: 27 },
];
const point = (total: number, at: string, phase: TrendPoint['phase'], scheduleKey: string): TrendPoint => ({
  responseId: `00000000-0000-4000-8000-0000000000${String(total).padStart(2, '0')}`,
  total,
  band: null,
  bandLabel: phq9Bands.find((b) => total >= b.min && total <= b.max)!.label,
  at,
  reason: null,
  scheduleKey,
  phase,
});
const series = [
  point(20, '2026-03-02T15:00:00Z', 'baseline', 'baseline'),
  point(8, '2026-03-10T15:00:00Z', 'course', 'week:2'),
  point(6, '2026-03-20T15:00:00Z', 'course', 'end-of-course'),
  point(13, '2026-06-20T15:00:00Z', 'follow-up', 'follow-up:3m'),
];
const doses = ['2026-03-03T15:30:00Z', '2026-03-06T15:30:00Z', '2026-03-13T15:30:00Z'].map((at, i) => ({
  sessionId: `10000000-0000-4000-8000-00000000000${i}`,
  planId: '20000000-0000-4000-8000-000000000000',
  at,
  route: 'im',
  product: 'ketamine-racemic',
  doseMg: 35,
  doses: 1,
}));
const lines = {
  response: {
    value: 10,
    meets: 'at-or-below' as const,
    label: 'Response: 10 or less (50% below baseline 20)',
    citation: cite,
  },
  remission: { value: 5, meets: 'below' as const, label: 'Remission: below 5', citation: cite },
  worsening: { value: 25, meets: 'at-or-above' as const, label: 'Worsening: 25 or more', citation: cite },
};
const summary: MeasurementSummary = {
  patientId: '30000000-0000-4000-8000-000000000000',
  sessionsCompleted: 3,
  noResponseAfterSessions: null,
  doses,
  instruments: [
    {
      instrument: 'phq9',
      name: 'Patient Health Questionnaire-9',
      shortName: 'PHQ-9',
      range: { min: 0, max: 27 },
      bands: phq9Bands,
      series,
      baseline: series[0]!,
      lines,
      course: {
        status: 'lost-response',
        everResponded: true,
        latest: { change: -7, percentChange: -35 },
        reasons: ['PHQ-9 met response earlier but no longer does (-35% from baseline).'],
      },
      maintenance: {
        strength: 'firm',
        baseline: 20,
        best: series[2]!,
        latest: series[3]!,
        riseFromBest: 7,
        fractionTowardBaseline: 0.5,
        mcid: 5,
        points: series.slice(2),
        reasons: ['PHQ-9 went from 20 at baseline to a best of 6, and is 13 now.'],
        explanation:
          'After IV ketamine the median relapse was 18 days after the last infusion (Murrough 2013).',
        citations: [cite],
      },
    },
  ],
};

const chartProps = {
  title: 'Patient Health Questionnaire-9',
  shortName: 'PHQ-9',
  range: { min: 0, max: 27 },
  bands: phq9Bands,
  points: series,
  baseline: 20,
  lines,
  markers: doses.map((d, i) => ({ at: d.at, label: `Dose ${i + 1}` })),
  timeZone,
  height: 240,
};

const count = (html: string, needle: string) => html.split(needle).length - 1;

describe('trendChartModel', () => {
  it('orders the bands mildest first with their colours, and puts the doses inside the time axis', () => {
    const model = trendChartModel({ ...chartProps, bands: [...phq9Bands].reverse() });
    expect(model.bands.map((b) => [b.id, b.color])).toEqual([
      ['none-minimal', 'teal'],
      ['mild', 'lime'],
      ['moderate', 'yellow'],
      ['moderately-severe', 'orange'],
      ['severe', 'red'],
    ]);
    expect(model.lines.map((l) => [l.kind, l.value])).toEqual([
      ['baseline', 20],
      ['response', 10],
      ['remission', 5],
      ['worsening', 25],
    ]);
    const [from, to] = model.domain;
    for (const t of [...model.rows.map((r) => r.t), ...model.markers.map((m) => m.t)]) {
      expect(t).toBeGreaterThan(from);
      expect(t).toBeLessThan(to);
    }
    expect(model.summary).toBe(
      'PHQ-9: 4 scores from Mar 2, 2026 to Jun 20, 2026; latest 13 (Moderate), lowest 6, on a scale of 0 to 27. Baseline 20; Response: 10 or less (50% below baseline 20); Remission: below 5; Worsening: 25 or more. Bands: None–minimal 0–4, Mild 5–9, Moderate 10–14, Moderately severe 15–19, Severe 20–27. 3 dosing sessions marked.',
    );
  });
});

describe('InstrumentTrendChart', () => {
  it('draws the five severity bands, the four dashed lines and a marker per dosing session', () => {
    const html = renderSignedIn(createElement(InstrumentTrendChart, chartProps), []);
    expect(html).toContain('<svg');
    // Bands stacked without gaps: severe from the top of the scale down to 19.5, none–minimal down to 0.
    expect(html).toContain('data-band="severe" x="0" width="100%" y="0%"');
    expect(count(html, 'trend-point')).toBe(series.length);
    expect(count(html, 'trend-segment')).toBe(series.length - 1);
    expect(count(html, 'trend-band"')).toBe(5);
    for (const kind of ['baseline', 'response', 'remission', 'worsening']) {
      expect(count(html, `trend-line-${kind}`), kind).toBe(1);
    }
    expect(count(html, 'trend-dose-marker')).toBe(3);
    // The accessible alternatives: the summary on the chart and a table of every score.
    expect(html).toContain('role="img" aria-label="PHQ-9: 4 scores from Mar 2, 2026 to Jun 20, 2026');
    expect(html).toContain('aria-label="PHQ-9 scores"');
    expect(count(html, '<tr')).toBe(1 + series.length);
    expect(html).toContain(
      'Dosing sessions: Mar 3, 2026 (Dose 1); Mar 6, 2026 (Dose 2); Mar 13, 2026 (Dose 3)',
    );
  });

  it('draws no lines without a baseline, and says so when there is nothing to chart', () => {
    const bare = renderSignedIn(
      createElement(InstrumentTrendChart, { ...chartProps, baseline: null, lines: undefined, markers: [] }),
      [],
    );
    expect(count(bare, 'trend-line-')).toBe(0);
    expect(count(bare, 'trend-dose-marker')).toBe(0);
    expect(count(bare, 'trend-band"')).toBe(5);
    const empty = renderSignedIn(createElement(InstrumentTrendChart, { ...chartProps, points: [] }), []);
    expect(empty).toContain('No scores yet.');
    expect(empty).not.toContain('trend-band');
  });
});

describe('the chart’s trends', () => {
  it('shows the prescriber the maintenance signal with its data, and the status in words', () => {
    const html = renderSignedIn(createElement(TrendsView, { summary, timeZone, prescriber: true }), []);
    expect(html).toContain('PHQ-9: scores rising back toward baseline');
    expect(html).toContain('Response lost');
    expect(html).toContain('50% of the way back');
    expect(html).toContain('Relapse after response');
    expect(html).toContain('Murrough 2013');
    expect(html).toContain('Dose 1 · IM 35 mg');
    // The measure behind each point in words, not the schedule's key.
    expect(html).toContain('Follow-up, 3 months');
    expect(html).not.toContain('follow-up:3m');
    expect(count(html, 'trend-dose-marker')).toBe(3);
  });

  it('keeps the maintenance card for prescribers', () => {
    const html = renderSignedIn(createElement(TrendsView, { summary, timeZone, prescriber: false }), []);
    expect(html).not.toContain('rising back toward baseline');
    expect(html).toContain('Relapse after response');
  });
});

describe('the patient’s own progress', () => {
  const progress: MyProgress = {
    instruments: [
      {
        instrument: 'phq9',
        name: 'Patient Health Questionnaire-9',
        shortName: 'PHQ-9',
        about: 'low mood and depression',
        range: { min: 0, max: 27 },
        bands: phq9Bands,
        points: series.map(({ at, total, band, bandLabel }) => ({ at, total, band, bandLabel })),
        summary:
          'Your latest PHQ-9 score is 13 (moderate). That is 7 points lower than your first score (20).',
      },
    ],
    sessions: doses.map((d) => ({ at: d.at })),
  };

  it('charts the scores with bands and session markers, and no clinician lines', () => {
    const html = renderSignedIn(createElement(MyProgressView, { progress, timeZone }), []);
    expect(count(html, 'trend-band"')).toBe(5);
    expect(count(html, 'trend-dose-marker')).toBe(3);
    expect(count(html, 'trend-line-')).toBe(0);
    expect(html).toContain('PHQ-9: low mood and depression');
    expect(html).toContain('Your latest PHQ-9 score is 13 (moderate).');
    expect(html).toContain('Ketamine sessions: Mar 3, 2026; Mar 6, 2026; Mar 13, 2026');
    const text = html.replace(/<style[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, ' ');
    expect(text).toContain('Ketamine session');
    expect(text).not.toMatch(/relapse|baseline|maintenance|response|remission/i);
  });
});
