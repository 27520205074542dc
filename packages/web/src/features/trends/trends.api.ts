import { useQuery } from '@tanstack/react-query';
import { apiBase, request } from '../../api/client.ts';

/** Shapes of GET /api/v1/patients/:patientId/measurement-summary and GET /api/v1/me/progress (trends). */
export interface Citation {
  section: string;
  source: string;
  evidence: 'primary' | 'secondary' | 'unconfirmed';
}

export interface ChartBand {
  id: string;
  label: string;
  min: number;
  max: number;
}

export interface ChartLine {
  value: number;
  meets: 'below' | 'at-or-below' | 'at-or-above';
  label: string;
  citation: Citation;
}

export type Phase = 'before-baseline' | 'baseline' | 'course' | 'follow-up';

export interface TrendPoint {
  responseId: string;
  total: number;
  band: string | null;
  bandLabel: string | null;
  at: string;
  reason: string | null;
  scheduleKey: string | null;
  phase: Phase;
}

export type CourseStatus =
  | 'insufficient-data'
  | 'remitted'
  | 'responding'
  | 'worsening'
  | 'lost-response'
  | 'no-response-yet'
  | 'no-response';

export interface MaintenanceSignalView {
  strength: 'firm' | 'early';
  baseline: number;
  best: TrendPoint;
  latest: TrendPoint;
  riseFromBest: number;
  fractionTowardBaseline: number;
  mcid: number | null;
  points: TrendPoint[];
  reasons: string[];
  explanation: string;
  citations: Citation[];
}

export interface InstrumentSummary {
  instrument: string;
  name: string;
  shortName: string;
  range: { min: number; max: number };
  bands: ChartBand[];
  series: TrendPoint[];
  baseline: TrendPoint | null;
  lines: { response: ChartLine | null; remission: ChartLine | null; worsening: ChartLine | null };
  course: {
    status: CourseStatus;
    everResponded: boolean;
    latest: { change: number; percentChange: number } | null;
    reasons: string[];
  } | null;
  maintenance: MaintenanceSignalView | null;
}

export interface DosingMarker {
  sessionId: string;
  planId: string;
  at: string;
  route: string;
  product: string;
  doseMg: number | null;
  doses: number;
}

export interface MeasurementSummary {
  patientId: string;
  sessionsCompleted: number;
  noResponseAfterSessions: number | null;
  doses: DosingMarker[];
  instruments: InstrumentSummary[];
}

export interface MyProgress {
  instruments: {
    instrument: string;
    name: string;
    shortName: string;
    about: string;
    range: { min: number; max: number };
    bands: ChartBand[];
    points: { at: string; total: number; band: string | null; bandLabel: string | null }[];
    summary: string;
  }[];
  sessions: { at: string }[];
}

export const trendKeys = {
  summary: (patientId: string) => ['patients', 'measurement-summary', patientId] as const,
  mine: ['me', 'progress'] as const,
};

export function useMeasurementSummary(patientId: string) {
  return useQuery({
    queryKey: trendKeys.summary(patientId),
    queryFn: ({ signal }) =>
      request<MeasurementSummary>(
        `${apiBase}/patients/${encodeURIComponent(patientId)}/measurement-summary`,
        { signal },
      ),
  });
}

export function useMyProgress() {
  return useQuery({
    queryKey: trendKeys.mine,
    queryFn: ({ signal }) => request<MyProgress>(`${apiBase}/me/progress`, { signal }),
  });
}
