import { cohortWeeklySeries, summarizeCohort } from '@kapstone/clinical';
import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import { renderSignedIn } from '../sessions/render-signed-in.ts';
import { emptyFilters, type OutcomesView, outcomesKey, outcomesQueryString } from './outcomes.api.ts';
import { countText, meanText, rateText } from './outcomes-format.ts';
import { OutcomesPage, OutcomesReport } from './outcomes-page.tsx';

const members = [
  {
    ageYears: 30,
    sex: 'female' as const,
    baseline: 20,
    endOfCourse: 8,
    followUps: { 3: 10, 6: 18 },
    afterFirstDose: [{ days: 7, total: 12 }],
  },
  {
    ageYears: 45,
    sex: 'male' as const,
    baseline: 16,
    endOfCourse: 4,
    followUps: { 3: 3 },
    afterFirstDose: [{ days: 5, total: 10 }],
  },
  {
    ageYears: 62,
    sex: 'female' as const,
    baseline: 12,
    endOfCourse: 11,
    followUps: { 6: 12 },
    afterFirstDose: [{ days: 10, total: 11 }],
  },
];

function view(minimumCellSize: number | null = null, withheld = false): OutcomesView {
  const summary = summarizeCohort('phq9', members, { minimumCellSize });
  return {
    filters: {
      ...Object.fromEntries(Object.keys(emptyFilters).map((k) => [k, null])),
      instrument: 'phq9',
    } as OutcomesView['filters'],
    instrument: { id: 'phq9', shortName: 'PHQ-9', name: 'Patient Health Questionnaire-9' },
    suppression: {
      minimumCellSize,
      researchView: withheld,
      notice: withheld ? 'The clinic has not set a minimum cell size for outcome figures.' : null,
    },
    withheld,
    summary: withheld ? null : summary,
    weekly: withheld ? null : cohortWeeklySeries('phq9', members, { minimumCellSize }),
    notes: [
      {
        id: 'outcomes.phq9.response',
        title: 'PHQ-9 response: ≥50% reduction from baseline',
        citation: { section: 'clinical-reference 1.1', source: 'NCQA/HEDIS', evidence: 'primary' },
      },
    ],
  };
}

describe('the outcomes cells', () => {
  it('read as figure and n, or suppressed with its minimum', () => {
    expect(meanText({ suppressed: false, n: 4, mean: 18, sd: 5.2 })).toEqual({ value: '18.0 (5.2)', n: '4' });
    expect(meanText({ suppressed: false, n: 0, mean: null, sd: null })).toEqual({ value: '—', n: '0' });
    expect(rateText({ suppressed: false, n: 3, count: 2, percent: 66.7 })).toEqual({
      value: '66.7% (2 of 3)',
      n: '3',
    });
    expect(rateText({ suppressed: true, fewerThan: 5 })).toEqual({ value: 'Suppressed', n: 'fewer than 5' });
    expect(countText({ suppressed: false, n: 2 }, { suppressed: false, n: 4 }).value).toBe('2 (50.0%)');
  });

  it('send only whole filters', () => {
    expect(outcomesQueryString(emptyFilters)).toBe('instrument=phq9');
    expect(outcomesQueryString({ ...emptyFilters, indication: 'F3', route: 'im' })).toBe(
      'instrument=phq9&route=im',
    );
    expect(
      outcomesQueryString({ ...emptyFilters, indication: 'F33.2', sex: 'female', from: '2026-01-01' }),
    ).toBe('instrument=phq9&indication=F33.2&sex=female&from=2026-01-01');
  });
});

describe('OutcomesReport', () => {
  it('shows the Dore-shaped table with n on every row, the charts and the definitions', () => {
    const html = renderSignedIn(createElement(OutcomesReport, { view: view() }), ['outcomes.read']);
    expect(html).toContain('aria-label="Cohort outcomes, PHQ-9"');
    expect(html).toContain('Baseline PHQ-9, mean (SD)');
    expect(html).toContain('16.0 (4.0)'); // baselines 20 16 12
    expect(html).toContain('66.7% (2 of 3)'); // response
    expect(html).toContain('Still responding at 6 months');
    expect(html).toContain('Still responding at 1 month<');
    expect(html).not.toContain('1 months');
    expect(html).toContain('0.0% (0 of 1)');
    // Both charts drawn, with n under every week, and the weekly table as their text alternative.
    expect(html).toContain('aria-label="Mean PHQ-9 by week since the first dose"');
    expect(html).toContain('aria-label="Share meeting response and remission by week since the first dose"');
    expect(html.split('class="outcomes-week-tick"').length - 1).toBe(2 * 3);
    expect(html).toContain('aria-label="Weekly figures"');
    expect(html.split('class="outcomes-durability"').length - 1).toBe(4);
    expect(html).toContain('NCQA/HEDIS');
  });

  it('marks small cells as suppressed, and shows no figures when the research view is withheld', () => {
    const small = renderSignedIn(createElement(OutcomesReport, { view: view(3) }), ['outcomes.read']);
    expect(small).toContain('Suppressed');
    expect(small).toContain('fewer than 3');
    const withheld = renderSignedIn(createElement(OutcomesReport, { view: view(null, true) }), [
      'outcomes.read',
    ]);
    expect(withheld).toContain('No figures yet');
    expect(withheld).toContain('has not set a minimum cell size');
    expect(withheld).not.toContain('Cohort outcomes');
  });

  it('renders the page with its filter bar from the cached answer', () => {
    const html = renderSignedIn(createElement(OutcomesPage), ['outcomes.read'], (client) =>
      client.setQueryData(outcomesKey(emptyFilters), view()),
    );
    expect(html).toContain('Practice outcomes');
    expect(html).toContain('aria-label="Cohort filters"');
    for (const label of [
      'Instrument',
      'Indication (ICD-10-CM)',
      'Route',
      'Protocol',
      'Age band (at first dose)',
      'Sex at birth',
      'First dose from',
      'First dose to',
    ])
      expect(html, label).toContain(label);
    expect(html).toContain('Cohort outcomes, PHQ-9');
  });
});
