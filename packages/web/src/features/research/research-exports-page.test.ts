import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import { renderSignedIn } from '../sessions/render-signed-in.ts';
import {
  isBuilding,
  type ResearchExport,
  refreshWhileBuildingMs,
  researchExportsKey,
} from './research.api.ts';
import { ResearchExportsPage } from './research-exports-page.tsx';

const base: ResearchExport = {
  id: '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
  requestedAt: '2026-11-20T15:00:00Z',
  requestedBy: { id: '00000000-0000-4000-8000-000000000009', displayName: 'Dr. Priya Natarajan' },
  instruments: ['phq9', 'gad7'],
  from: '2026-01-01',
  to: '2026-11-19',
  formats: ['csv', 'ndjson'],
  status: 'ready',
  progress: 100,
  completedAt: '2026-11-20T15:01:00Z',
  patientCount: 12,
  rowCounts: { 'patients.csv': 12, 'observations.csv': 96, 'sessions.csv': 48 },
  files: [
    { name: 'bundle.ndjson', contentType: 'application/fhir+ndjson', byteSize: 9000, rowCount: 200 },
    { name: 'patients.csv', contentType: 'text/csv', byteSize: 400, rowCount: 12 },
  ],
  filesDeletedAt: null,
};
const running: ResearchExport = {
  ...base,
  id: '1c2d3e4f-5a6b-4c7d-9e8f-0a1b2c3d4e5f',
  status: 'running',
  progress: 40,
  completedAt: null,
  patientCount: null,
  rowCounts: null,
  files: [],
};

const render = (items: ResearchExport[], permissions = ['research.export']) =>
  renderSignedIn(createElement(ResearchExportsPage), permissions, (client) =>
    client.setQueryData(researchExportsKey, { items }),
  );

describe('ResearchExportsPage', () => {
  it('explains in plain words what is removed, with the 18 Safe Harbor identifiers', () => {
    const html = render([]);
    expect(html).toContain('What is removed');
    expect(html).toContain('90+');
    expect(html).toContain('ZIP codes included');
    expect(html).toContain('never psychotherapy notes');
    expect(html).toContain('-180 to +180');
    expect(html).toContain('No exports yet.');
  });

  it('offers the form: instruments, the date range and both formats', () => {
    const html = render([]);
    for (const label of [
      'Instruments',
      'Data from',
      'Data to',
      'CSV files with a data dictionary',
      'FHIR R4 NDJSON',
    ])
      expect(html, label).toContain(label);
    expect(html).toContain('Start the export');
  });

  it('shows a progress bar while an export is built, and downloads once it is ready', () => {
    const html = render([running, base]);
    expect(html).toContain('aria-label="Export progress, 40%"');
    expect(html).toContain('Being built');
    expect(html).toContain('Ready');
    expect(html).toContain(`href="/api/v1/research/exports/${base.id}/files/patients.csv"`);
    expect(html).toContain('FHIR R4 bundle (NDJSON)');
    expect(html).toContain('12 patients, 96 scores, 48 dosing sessions');
    // One progress bar: the ready export has none.
    expect(html.split('Export progress').length - 1).toBe(1);
  });

  it('offers the deletion of files only to those allowed (admins)', () => {
    expect(render([base])).not.toContain('Delete the files');
    expect(render([base], ['research.export', 'research.export.delete'])).toContain('Delete the files');
    const deleted = render(
      [{ ...base, status: 'files-deleted', files: [], filesDeletedAt: '2026-11-21T10:00:00Z' }],
      ['research.export', 'research.export.delete'],
    );
    expect(deleted).toContain('Files deleted on');
    expect(deleted).not.toContain('Delete the files');
  });

  it('refreshes only while an export is being built', () => {
    expect(isBuilding(running)).toBe(true);
    expect(isBuilding({ status: 'queued' })).toBe(true);
    expect(isBuilding(base)).toBe(false);
    expect(refreshWhileBuildingMs).toBeGreaterThan(0);
  });
});
