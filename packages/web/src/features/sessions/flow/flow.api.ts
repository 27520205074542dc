import type { DischargeInstructions, DoseCalculation, Product, Route } from '@kapstone/clinical';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiBase, request } from '../../../api/client.ts';
import { sessionKeys, sessionOfAnswer } from '../sessions.api.ts';
import type { SessionView } from '../sessions.types.ts';
import type { AdministrationSubmission, DispensableLot } from './administration-model.ts';
import type {
  AdverseEventAmendment,
  AdverseEventFields,
  AdverseEventSubmission,
} from './adverse-event-model.ts';
import type { DischargeSubmission } from './discharge-model.ts';
import type { PreDoseChecklistSubmission } from './pre-dose-model.ts';
import type { NoteSubmission, PsychotherapyNoteView } from './psychotherapy-note-model.ts';

/**
 * The session-flow endpoints (check-in, pre-dose checklist and override, administration, discharge, adverse
 * events, psychotherapy notes) and the ledger reads the administration form needs. A hand-kept mirror of the
 * server's zod schemas (modules/sessions, modules/session-safety, modules/ledger); fields the panels can
 * live without are optional.
 */

export interface Person {
  id: string;
  displayName: string;
}

/** The order the active plan gives for this session. */
export interface PlanOrderView {
  planId: string;
  route: Route;
  product: Product;
  dose: { value: number; unit: 'mg/kg' | 'mg' };
  maximumDose: { value: number; unit: 'mg/kg' | 'mg' };
  weightKg: number | null;
  startingDoseMg: number;
  maximumDoseMg: number;
  /** calculateDose of the starting dose with the clinic's limits. */
  calculation: DoseCalculation;
  /** The clinic requires a second staff signature on each dose (setting sessions.secondSignerRequired). */
  secondSignerRequired: boolean;
  /** IV: the infusion time (40 min); null for the other routes. */
  infusionMinutes: number | null;
  /** mg given so far this session, and what the plan's maximum leaves for additional doses. */
  givenMg: number;
  remainingMg: number;
}

export interface ChecklistView {
  id: string;
  recordedAt: string;
  recordedBy?: Person | null;
  answers: Omit<PreDoseChecklistSubmission, 'id'>;
  blockers: string[];
  cautions: string[];
  proceed?: boolean;
  /** Where the chart facts came from; the intentions are the therapist's, from the preparation note. */
  sources?: {
    rideHomeId?: string | null;
    noDrivingAcknowledgementId?: string | null;
    baselineVitalsId?: string | null;
    baselineMoaasObservationId?: string | null;
    scores?: { instrument: string; respondedAt: string }[];
    intentions?: string[];
  } | null;
  override: {
    id: string;
    cautions: string[];
    rationale: string;
    prescriber: Person;
    signedAt: string;
  } | null;
}

export interface DischargeRecordView {
  id: string;
  ready: boolean;
  unmet: string[];
  overrideRationale: string | null;
  overriddenBy?: Person | null;
  escortName?: string | null;
  instructionsGiven: boolean;
  note?: string | null;
  dischargedBy?: Person | null;
  dischargedAt: string;
}

export interface DischargeReadinessView {
  ready: boolean;
  unmet: string[];
  minutesSinceDoseStart?: number | null;
}

export interface AdverseEventVersionView extends AdverseEventFields {
  id: string;
  version: number;
  amendmentReason: string | null;
  recordedAt: string;
  recordedBy: Person;
}

/** An adverse event with its versions (session-safety/adverse-events.schemas.ts `adverseEventView`). */
export interface AdverseEventView {
  seriesId: string;
  sessionId: string;
  patientId: string;
  current: AdverseEventVersionView;
  /** Every version, newest first. */
  versions: AdverseEventVersionView[];
  /** The follow-up alert of a serious event. */
  alert: { id: string; status: 'open' | 'acknowledged'; severity: string } | null;
}

/**
 * The patient's discharge instructions of one session (session-safety/discharge-instructions.routes.ts):
 * @kapstone/clinical's `dischargeInstructions` (title, sections, the clinic settings not set) with the session.
 */
export interface DischargeInstructionsView extends DischargeInstructions {
  sessionId: string;
  /** The clinic's date of the session. */
  date: string;
  clinicName: string;
  crisisPhone: string | null;
}

/** The extra parts of a session the flow panels read; the console's type leaves them open. */
export type FlowSession = Omit<SessionView, 'administrations'> & {
  planOrder?: PlanOrderView | null;
  checklist?: ChecklistView | null;
  discharge?: DischargeRecordView | null;
  dischargeReadiness?: DischargeReadinessView | null;
  checkedInBy?: Person | null;
  /** The day's intentions from the therapist's preparation note. */
  intentions?: string[] | null;
  adverseEvents?: AdverseEventView[] | null;
  /** The confirmed ride home (scheduling's pre-check-in). */
  escort?: { name: string | null; phone: string | null } | null;
  noDrivingAcknowledged?: boolean;
  administrations: (SessionView['administrations'][number] & {
    quantity?: number;
    lotId?: string;
    devices?: number | null;
    site?: string | null;
    secondSigner?: Person | null;
  })[];
};

export const asFlow = (session: SessionView): FlowSession => session as unknown as FlowSession;

const sessionPath = (sessionId: string) => `${apiBase}/sessions/${encodeURIComponent(sessionId)}`;

export const flowKeys = {
  session: (sessionId: string) => ['sessions', sessionId] as const,
  lots: (product: Product, route: Route) => ['ledger', 'dispensable-lots', product, route] as const,
  readiness: (sessionId: string) => ['sessions', sessionId, 'discharge-readiness'] as const,
  adverseEvents: (sessionId: string) => ['sessions', sessionId, 'adverse-events'] as const,
  notes: (sessionId: string) => ['psychotherapy-notes', 'session', sessionId] as const,
  instructions: (sessionId: string) => ['sessions', sessionId, 'discharge-instructions'] as const,
};

/** After any step, the console's copy of the session (and the board) is stale. */
function useRefreshSession() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ['sessions'] });
}

function useSessionStep<Body>(sessionId: string, step: string, alsoStale: readonly string[][] = []) {
  const queryClient = useQueryClient();
  const refreshSession = useRefreshSession();
  const refresh = async () => {
    await refreshSession();
    for (const queryKey of alsoStale) await queryClient.invalidateQueries({ queryKey });
  };
  return useMutation({
    mutationFn: (body: Body) =>
      request<unknown>(`${sessionPath(sessionId)}/${step}`, { method: 'POST', body }),
    onSuccess: (answer) => {
      // Most steps answer with the session as it now stands: the chair shows it at once.
      const session = sessionOfAnswer(answer, sessionId);
      if (session) queryClient.setQueryData(sessionKeys.session(sessionId), session);
    },
    onSettled: refresh,
  });
}

export const useCheckIn = (sessionId: string) => useSessionStep<Record<string, never>>(sessionId, 'check-in');

export const useRecordChecklist = (sessionId: string) =>
  useSessionStep<PreDoseChecklistSubmission>(sessionId, 'checklist');

export const useOverrideGate = (sessionId: string) =>
  useSessionStep<{
    id: string;
    checklistId: string;
    cautions: string[];
    rationale: string;
    password: string;
  }>(sessionId, 'gate-override');

export const useAdminister = (sessionId: string) =>
  // A dose draws from the ledger: the lots' balances change too.
  useSessionStep<AdministrationSubmission>(sessionId, 'administrations', [['ledger']]);

export const useStartMonitoring = (sessionId: string) =>
  useSessionStep<Record<string, never>>(sessionId, 'start-monitoring');

export const useDischarge = (sessionId: string) =>
  useSessionStep<DischargeSubmission>(sessionId, 'discharge');

export const useAbort = (sessionId: string) => useSessionStep<{ reason: string }>(sessionId, 'abort');

/** The ledger's lots that may be drawn for this product (in date, balance above zero). */
export function useDispensableLots(product: Product, route: Route, enabled: boolean) {
  return useQuery({
    queryKey: flowKeys.lots(product, route),
    enabled,
    queryFn: async ({ signal }) => {
      const answer = await request<{ items: LedgerLot[] } | LedgerLot[]>(
        `${apiBase}/ledger/lots/dispensable`,
        {
          query: { product, route },
          signal,
        },
      );
      return (Array.isArray(answer) ? answer : answer.items).map(toDispensableLot);
    },
    retry: false,
  });
}

/** A lot as the ledger presents it (modules/ledger/ledger.schemas.ts `lotView`). */
export interface LedgerLot {
  id: string;
  product: string;
  productName?: string;
  unit: string;
  concentrationMgPerUnit: number;
  containerSize?: number | null;
  lotNumber: string;
  expiresOn: string;
  balance: number;
}

function toDispensableLot(lot: LedgerLot): DispensableLot {
  return {
    id: lot.id,
    product: lot.product,
    // Devices and troches carry mg per unit, not per mL: no volume is computed for them.
    concentrationMgPerMl: lot.unit === 'mL' ? lot.concentrationMgPerUnit : null,
    mgPerUnit: lot.concentrationMgPerUnit,
    unit: lot.unit,
    lotNumber: lot.lotNumber,
    expiresOn: lot.expiresOn,
    balance: lot.balance,
    containerSize: lot.containerSize ?? null,
    ...(lot.productName ? { productName: lot.productName } : {}),
  };
}

export function useRecordWaste() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: {
      id: string;
      lotId: string;
      quantity: number;
      sessionId?: string;
      administrationId?: string;
      witness: { username: string; password: string };
      reason: string;
    }) => request<unknown>(`${apiBase}/ledger/wastes`, { method: 'POST', body }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['ledger'] }),
  });
}

/** dischargeReadiness now, with the escort as the nurse says (the session view's copy assumes none). */
export function useDischargeReadiness(sessionId: string, escortPresent: boolean, enabled: boolean) {
  return useQuery({
    queryKey: [...flowKeys.readiness(sessionId), escortPresent] as const,
    enabled,
    queryFn: ({ signal }) =>
      request<DischargeReadinessView>(`${sessionPath(sessionId)}/discharge-readiness`, {
        query: { escortPresent },
        signal,
      }),
    retry: false,
    refetchInterval: 30_000,
    placeholderData: (previous) => previous,
  });
}

/** The session's adverse events, when the session view does not carry them itself. */
export function useAdverseEvents(sessionId: string, enabled: boolean) {
  return useQuery({
    queryKey: flowKeys.adverseEvents(sessionId),
    enabled,
    queryFn: ({ signal }) =>
      request<{ items: AdverseEventView[] }>(`${sessionPath(sessionId)}/adverse-events`, { signal }),
    retry: false,
  });
}

export function useRecordAdverseEvent(sessionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: AdverseEventSubmission) =>
      request<AdverseEventView>(`${sessionPath(sessionId)}/adverse-events`, { method: 'POST', body }),
    onSettled: async () => {
      // The session view carries the events too (and the session's key prefixes this one).
      await queryClient.invalidateQueries({ queryKey: ['sessions', sessionId] });
      await queryClient.invalidateQueries({ queryKey: ['alerts'] });
    },
  });
}

export function useAmendAdverseEvent(sessionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ seriesId, ...body }: AdverseEventAmendment & { seriesId: string }) =>
      request<AdverseEventView>(
        `${sessionPath(sessionId)}/adverse-events/${encodeURIComponent(seriesId)}/amendments`,
        {
          method: 'POST',
          body,
        },
      ),
    onSettled: async () => {
      // The session view carries the events too (and the session's key prefixes this one).
      await queryClient.invalidateQueries({ queryKey: ['sessions', sessionId] });
      await queryClient.invalidateQueries({ queryKey: ['alerts'] });
    },
  });
}

/**
 * The signed-in author's own psychotherapy notes about this patient and session (never anyone else's: the
 * server answers only the author's). A separate path from the session record.
 */
export function usePsychotherapyNotes(patientId: string, appointmentId: string, enabled: boolean) {
  return useQuery({
    queryKey: flowKeys.notes(appointmentId),
    enabled,
    queryFn: ({ signal }) =>
      request<{ items: PsychotherapyNoteView[] }>(`${apiBase}/psychotherapy-notes`, {
        query: { patientId, appointmentId },
        signal,
      }),
    retry: false,
    // Notes are not kept in the cache once they leave the screen.
    gcTime: 0,
  });
}

export function useWritePsychotherapyNote(appointmentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NoteSubmission) =>
      request<PsychotherapyNoteView>(`${apiBase}/psychotherapy-notes`, { method: 'POST', body }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: flowKeys.notes(appointmentId) }),
  });
}

export function useDischargeInstructions(sessionId: string) {
  return useQuery({
    queryKey: flowKeys.instructions(sessionId),
    queryFn: ({ signal }) =>
      request<DischargeInstructionsView>(`${sessionPath(sessionId)}/discharge-instructions`, { signal }),
    retry: false,
  });
}

/** The instructions as a PDF (the server's), to print or hand over. */
export const dischargeInstructionsPdfUrl = (sessionId: string) =>
  `${sessionPath(sessionId)}/discharge-instructions.pdf`;

/** The printable page of the instructions (the app's own page, opened in a new tab to print). */
export const dischargeInstructionsPrintPath = (sessionId: string) =>
  `/sessions/${encodeURIComponent(sessionId)}/discharge-instructions`;
