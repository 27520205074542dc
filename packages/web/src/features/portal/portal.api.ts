import { useQuery } from '@tanstack/react-query';
import { apiBase, request } from '../../api/client.ts';
import type { Patient } from '../../api/types.ts';

export const portalKeys = {
  record: ['me', 'patient'] as const,
  home: ['me', 'home'] as const,
  sessions: ['me', 'sessions'] as const,
  crisis: ['me', 'crisis-resources'] as const,
};

export function useOwnRecord() {
  return useQuery({
    queryKey: portalKeys.record,
    queryFn: ({ signal }) => request<Patient>(`${apiBase}/me/patient`, { signal }),
  });
}

type AppointmentKind = 'screening' | 'preparation' | 'dosing' | 'integration' | 'follow-up';

/** A link inside the portal, with the words of its button. */
export interface PortalAction {
  label: string;
  to: string;
}

export interface NextSession {
  appointmentId: string;
  kind: AppointmentKind;
  title: string;
  startsAt: string;
  endsAt: string;
  /** The day in the clinic's calendar, YYYY-MM-DD. */
  date: string;
  route: string | null;
  routeName: string | null;
  location: { clinicName: string; roomName: string | null };
  whatToBring: string[];
}

/**
 * done: nothing left; to-do: the patient has something to do; waiting: the patient's part is done, or it is
 * the clinic's to do; info: an instruction to follow on the day.
 */
export type ChecklistState = 'done' | 'to-do' | 'waiting' | 'info';

export interface ChecklistItem {
  id: 'ride-home' | 'no-driving' | 'fasting' | 'consents' | 'questionnaires';
  label: string;
  state: ChecklistState;
  detail: string;
  action: PortalAction | null;
}

export interface Todo {
  kind: 'questionnaire' | 'consent' | 'experience-rating' | 'intake';
  label: string;
  detail: string | null;
  dueDate: string | null;
  action: PortalAction;
}

export interface PortalHomeView {
  greetingName: string;
  clinicName: string;
  timeZone: string;
  crisisPhone: string | null;
  nextSession: NextSession | null;
  preparation: {
    appointmentId: string;
    startsAt: string;
    date: string;
    items: ChecklistItem[];
    sources: string[];
  } | null;
  todos: Todo[];
}

export interface DosingSessionEntry {
  sessionId: string;
  date: string;
  route: string;
  routeName: string;
  state: string;
  stateLabel: string;
  checkedInAt: string;
  dosingStartedAt: string | null;
  dischargedAt: string | null;
  endedAt: string | null;
  roomName: string | null;
  dischargeInstructions: { page: string; pdf: string } | null;
}

export interface IntegrationSessionEntry {
  /** Null when the therapist documented the session without a booked appointment. */
  appointmentId: string | null;
  date: string;
  startsAt: string | null;
  endsAt: string | null;
  roomName: string | null;
  /** The ketamine session it followed, when the therapist's note says so. */
  followsSession: { sessionId: string; date: string } | null;
}

export interface SessionHistory {
  clinicName: string;
  timeZone: string;
  dosingSessions: DosingSessionEntry[];
  integrationSessions: IntegrationSessionEntry[];
}

export interface PortalCrisisResources {
  lifeline: { name: string; call: string; text: string };
  emergency: string;
  clinicName: string;
  clinicPhone: string | null;
}

/** The home page in one call (next session, the next dosing session's checklist, to-dos). */
export function usePortalHome() {
  return useQuery({
    queryKey: portalKeys.home,
    queryFn: ({ signal }) => request<PortalHomeView>(`${apiBase}/me/home`, { signal }),
    // Whatever the patient did on another page (signed, answered, agreed) shows when they come back.
    staleTime: 0,
  });
}

export function useSessionHistory() {
  return useQuery({
    queryKey: portalKeys.sessions,
    queryFn: ({ signal }) => request<SessionHistory>(`${apiBase}/me/sessions`, { signal }),
  });
}

/** The clinic's crisis phone for the header; 988 and 911 are shown without waiting for it. */
export function usePortalCrisisResources() {
  return useQuery({
    queryKey: portalKeys.crisis,
    queryFn: ({ signal }) => request<PortalCrisisResources>(`${apiBase}/me/crisis-resources`, { signal }),
    staleTime: 10 * 60_000,
  });
}
