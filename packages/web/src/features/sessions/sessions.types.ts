import type {
  Product,
  Route,
  SessionEventKind,
  SessionState,
  VitalsClassification,
  VitalsThresholds,
} from '@kapstone/clinical';

/**
 * Shapes of the dosing-session endpoints as the web app reads them: a hand-kept mirror of the server's zod
 * schemas (packages/server/src/modules/sessions/sessions.schemas.ts), like the other features' `*.api.ts`.
 * Fields the console can live without are optional, so it keeps working while the server grows.
 */

/** The lifecycle is @kapstone/clinical's (monitoring/session-lifecycle.ts). */
export type { SessionState };

export const sessionStateLabels: Record<SessionState, string> = {
  scheduled: 'Not yet arrived',
  'checked-in': 'Checked in',
  'cleared-to-dose': 'Cleared to dose',
  dosing: 'Dosing',
  monitoring: 'Monitoring',
  discharged: 'Discharged',
  aborted: 'Stopped',
};

export const sessionStateColors: Record<SessionState, string> = {
  scheduled: 'gray',
  'checked-in': 'blue',
  'cleared-to-dose': 'teal',
  dosing: 'violet',
  monitoring: 'indigo',
  discharged: 'green',
  aborted: 'dark',
};

/** A session that has ended: nothing more is recorded in it and nothing about it stays in the browser. */
export function isFinished(state: SessionState): boolean {
  return state === 'discharged' || state === 'aborted';
}

export type VitalsLevel = VitalsClassification['level'];

export interface SessionVitalsReading {
  id: string;
  measuredAt: string;
  systolic: number | null;
  diastolic: number | null;
  heartRate: number | null;
  spo2: number | null;
  respiratoryRate?: number | null;
  /** The pre-dose reading the rises are measured against. */
  baseline?: boolean;
  status?: 'current' | 'superseded' | 'entered-in-error' | 'retraction';
  classification: VitalsClassification | null;
  recordedBy?: { id: string; displayName: string };
  recordedAt?: string;
  /** Minutes from the start of the first dose (negative before it); null before dosing started. */
  minutesFromDoseStart?: number | null;
  note?: string | null;
  alertId?: string | null;
}

/** The fixed list of side effects a nurse can tick (issue 5, "Observations"). */
export const sideEffects = [
  'nausea',
  'vomiting',
  'dizziness',
  'headache',
  'anxiety',
  'confusion',
  'perceptual-changes',
] as const;
export type SideEffect = (typeof sideEffects)[number];

export const sideEffectLabels: Record<SideEffect, string> = {
  nausea: 'Nausea',
  vomiting: 'Vomiting',
  dizziness: 'Dizziness',
  headache: 'Headache',
  anxiety: 'Anxiety',
  confusion: 'Confusion',
  'perceptual-changes': 'Perceptual changes',
};

export type ObservationKind = 'moaas' | 'cadss6' | 'side-effects';

/** One observation is of one kind: the sedation level, a CADSS-6 rating, or the side effects seen. */
export interface SessionObservation {
  id: string;
  kind: ObservationKind;
  observedAt: string;
  minutesFromDoseStart?: number | null;
  /** MOAA/S 0–5 (5 = alert). */
  moaas: number | null;
  /** CADSS-6 answers in item order (0–4 each) and their total. */
  cadss6: { answers: number[]; total: number } | null;
  sideEffects: SideEffect[];
  note: string | null;
  recordedBy?: { id: string; displayName: string };
  recordedAt?: string;
}

export interface SessionAdministration {
  id: string;
  product: Product | string;
  route: Route | string;
  doseMg: number;
  volumeMl?: number | null;
  devices?: number | null;
  site?: string | null;
  startedAt: string;
  endedAt?: string | null;
  /** 1 for the first dose, 2… for additional doses and esketamine devices. */
  sequence?: number;
  lotNumber?: string | null;
  administeredBy?: { id: string; displayName: string };
}

export interface SessionAlert {
  id: string;
  kind?: string;
  source?: { type: string; id: string };
  severity: 'critical' | 'high' | 'moderate' | 'low';
  summary: string;
  raisedAt: string;
  status: 'open' | 'acknowledged';
  acknowledgement: { at: string; by: { id: string; displayName: string }; action: string } | null;
}

export interface NextReadingDue {
  /** When the next reading is due, or null when the schedule has none left ("as clinically warranted"). */
  dueAt: string | null;
  overdue: boolean;
}

/**
 * One dosing session as the server presents it (`SessionView`). H6's panels (features/sessions/flow/) take
 * it as their one prop; the parts they alone use (checklist, discharge) are left open here.
 */
export interface SessionView {
  id: string;
  state: SessionState;
  patient: { id: string; displayName: string; mrn: string };
  appointment: {
    id: string;
    startsAt: string;
    endsAt: string;
    roomId: string | null;
    roomName: string | null;
  };
  route: Route;
  product: Product;
  protocolId?: string | null;
  planOrder?: unknown;
  checkedInAt?: string | null;
  /** When the first dose started: the monitoring clock counts from here. */
  doseStartedAt?: string | null;
  monitoringStartedAt?: string | null;
  /** Discharged or stopped at. */
  endedAt?: string | null;
  abortReason?: string | null;
  checklist?: unknown;
  administrations: SessionAdministration[];
  vitals: SessionVitalsReading[];
  observations: SessionObservation[];
  alerts: SessionAlert[];
  nextReadingDue: NextReadingDue | null;
  /** The clinic's thresholds the server classifies against; the console draws them as bands. */
  thresholds?: VitalsThresholds | null;
  /** The pre-dose values rises are measured against. */
  baselineVitals?: { systolic?: number; diastolic?: number; heartRate?: number; spo2?: number } | null;
  /** MOAA/S before the dose: a lower value afterwards is sedation. */
  baselineMoaas?: number | null;
  /** The route's reading schedule (@kapstone/clinical observationSchedule with the clinic's settings). */
  observationPlan?: {
    readingsAtMinutes: number[];
    thenEveryMinutes: number | null;
    minimumObservationMinutes: number | null;
  } | null;
  discharge?: unknown;
  events?: {
    id: string;
    kind: SessionEventKind;
    fromState: SessionState;
    toState: SessionState;
    reason: string | null;
    actor: { id: string; displayName: string };
    occurredAt: string;
  }[];
  /** The lifecycle events the session accepts now (@kapstone/clinical allowedSessionEvents). */
  allowedActions?: SessionEventKind[];
}

/** One line of the nurse's board (`GET /api/v1/sessions/board`). */
export interface BoardSession {
  id: string;
  state: SessionState;
  patient: { id: string; displayName: string; mrn: string };
  roomName: string | null;
  route: Route;
  product: Product;
  startsAt: string;
  checkedInAt?: string | null;
  doseStartedAt?: string | null;
  /** Minutes since the first dose (or check-in before it), at the time of the answer. */
  elapsedMinutes?: number | null;
  nextReadingDue: NextReadingDue | null;
  latestVitals: SessionVitalsReading | null;
  openAlerts: number;
  /** The most severe open alert, if any. */
  worstAlert?: SessionAlert['severity'] | null;
}

export interface BoardView {
  /** The clinic's local date the board is of. */
  date: string;
  items: BoardSession[];
}

/** What the console sends for a reading (client-generated id: a resend is the same reading). */
export interface SessionVitalsSubmission {
  id: string;
  measuredAt: string;
  systolic?: number;
  diastolic?: number;
  heartRate?: number;
  spo2?: number;
  respiratoryRate?: number;
  note?: string;
}

export interface SessionObservationSubmission {
  id: string;
  observedAt: string;
  kind: ObservationKind;
  moaas?: number;
  cadss6?: number[];
  sideEffects?: SideEffect[];
  note?: string;
}
