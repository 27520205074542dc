import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiBase, request } from '../../api/client.ts';
import { sessionKeys } from '../sessions/sessions.api.ts';

export type AppointmentKind = 'screening' | 'preparation' | 'dosing' | 'integration' | 'follow-up';
export type BookedRole = 'prescriber' | 'nurse' | 'therapist' | 'monitor';

export const kindLabels: Record<AppointmentKind, string> = {
  screening: 'Screening',
  preparation: 'Preparation',
  dosing: 'Dosing session',
  integration: 'Integration',
  'follow-up': 'Follow-up',
};

export interface StaffOnAppointment {
  userId: string;
  role: string;
  displayName: string;
}

export interface Appointment {
  id: string;
  patientId: string;
  patient: { displayName: string; mrn: string } | null;
  kind: AppointmentKind;
  roomId: string | null;
  roomName: string | null;
  startsAt: string;
  endsAt: string;
  status: 'scheduled' | 'cancelled';
  note: string | null;
  planId: string | null;
  protocolId: string | null;
  route: string | null;
  product: string | null;
  cancelReason: string | null;
  staff: StaffOnAppointment[];
  rideHomeConfirmed: boolean | null;
  noDrivingAcknowledged: boolean | null;
  rideHome: {
    status: 'confirmed' | 'withdrawn';
    escortName: string | null;
    escortPhone: string | null;
    escortRelationship: string | null;
    confirmedByName: string;
    confirmedAt: string;
  } | null;
}

export interface ProposedSlot {
  startsAt: string;
  endsAt: string;
  roomId: string | null;
  roomName: string | null;
  staff: { userId: string; role: BookedRole; displayName: string }[];
}

export interface BookedAppointment extends Appointment {
  warnings: string[];
  integrationProposals: ProposedSlot[];
}

export interface Room {
  id: string;
  name: string;
  kind: 'dosing-room' | 'therapy-room' | 'exam-room';
  active: boolean;
}

export interface BookableStaff {
  id: string;
  displayName: string;
  roles: string[];
}

export interface AppointmentType {
  kind: AppointmentKind;
  route: string | null;
  product: string | null;
  defaultMinutes: number | null;
  minimumMinutes: number | null;
  typicalRange: [number, number] | null;
  explanation: string;
  source: string;
}

export interface BookingInput {
  patientId: string;
  kind: AppointmentKind;
  roomId?: string | null;
  startsAt: string;
  endsAt?: string | null;
  staff: { userId: string; role: BookedRole }[];
  note?: string | null;
}

export const scheduleKeys = {
  all: ['schedule'] as const,
  range: (from: string, to: string) => ['schedule', 'appointments', from, to] as const,
  preCheckIn: (id: string) => ['schedule', 'pre-check-in', id] as const,
  feed: ['schedule', 'calendar-feed'] as const,
  mine: ['me', 'appointments'] as const,
};

export function useAppointments(from: string, to: string) {
  return useQuery({
    queryKey: scheduleKeys.range(from, to),
    queryFn: ({ signal }) =>
      request<{ timeZone: string; items: Appointment[] }>(`${apiBase}/appointments`, {
        query: { from, to },
        signal,
      }),
  });
}

export function useRooms() {
  return useQuery({
    queryKey: ['schedule', 'rooms'],
    queryFn: ({ signal }) => request<{ items: Room[] }>(`${apiBase}/rooms`, { signal }),
    staleTime: 60_000,
  });
}

export function useBookableStaff() {
  return useQuery({
    queryKey: ['schedule', 'staff'],
    queryFn: ({ signal }) => request<{ items: BookableStaff[] }>(`${apiBase}/staff/bookable`, { signal }),
    staleTime: 60_000,
  });
}

export function useAppointmentTypes() {
  return useQuery({
    queryKey: ['schedule', 'types'],
    queryFn: ({ signal }) =>
      request<{ items: AppointmentType[] }>(`${apiBase}/appointment-types`, { signal }),
    staleTime: 60_000,
  });
}

export function useBookAppointment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: BookingInput) =>
      request<BookedAppointment>(`${apiBase}/appointments`, { method: 'POST', body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: scheduleKeys.all }),
  });
}

export function useCancelAppointment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) =>
      request<Appointment>(`${apiBase}/appointments/${id}/cancel`, { method: 'POST', body: { reason } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: scheduleKeys.all }),
  });
}

export interface PreCheckIn {
  appointmentId: string;
  rideHomeConfirmed: boolean;
  noDrivingAcknowledged: boolean;
  rideHome: {
    id: string;
    status: 'confirmed' | 'withdrawn';
    escortName: string | null;
    escortPhone: string | null;
    escortRelationship: string | null;
    confirmedBy: { id: string; displayName: string };
    confirmedAt: string;
  }[];
  noDriving: {
    via: 'portal' | 'staff-on-behalf';
    recordedBy: { displayName: string };
    statement: string;
    acknowledgedAt: string;
  } | null;
  statement: string;
}

export function usePreCheckIn(appointmentId: string | null) {
  return useQuery({
    queryKey: scheduleKeys.preCheckIn(appointmentId ?? 'none'),
    enabled: appointmentId !== null,
    queryFn: ({ signal }) =>
      request<PreCheckIn>(`${apiBase}/appointments/${appointmentId}/pre-check-in`, { signal }),
  });
}

export type RideHomeInput =
  | { status: 'confirmed'; escortName: string; escortPhone: string; escortRelationship: string }
  | { status: 'withdrawn' };

export function useConfirmRideHome(appointmentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: RideHomeInput & { clientId: string }) =>
      request<PreCheckIn>(`${apiBase}/appointments/${appointmentId}/ride-home`, {
        method: 'POST',
        body: input,
      }),
    onSuccess: (data) => {
      queryClient.setQueryData(scheduleKeys.preCheckIn(appointmentId), data);
      return queryClient.invalidateQueries({ queryKey: scheduleKeys.all });
    },
  });
}

export function useAcknowledgeOnBehalf(appointmentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      request<PreCheckIn>(`${apiBase}/appointments/${appointmentId}/no-driving-acknowledgement`, {
        method: 'POST',
        body: { patientAcknowledged: true },
      }),
    onSuccess: (data) => {
      queryClient.setQueryData(scheduleKeys.preCheckIn(appointmentId), data);
      return queryClient.invalidateQueries({ queryKey: scheduleKeys.all });
    },
  });
}

/** What a check-in answers: no clinical detail (the front desk checks patients in). */
export interface CheckedIn {
  id: string;
  state: string;
  patientId: string;
  checkedInAt: string;
}

/**
 * Checks the patient in for a dosing appointment: the dosing session starts from it (its id is the
 * appointment's). A second check-in answers with the first, so a double tap does no harm.
 */
export function useCheckIn(appointmentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      request<CheckedIn>(`${apiBase}/sessions/${appointmentId}/check-in`, { method: 'POST', body: {} }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sessionKeys.all }),
  });
}

export interface FeedStatus {
  active: boolean;
  createdAt: string | null;
  lastFetchedAt: string | null;
  fetchCount: number;
}

export function useCalendarFeed() {
  return useQuery({
    queryKey: scheduleKeys.feed,
    queryFn: ({ signal }) => request<FeedStatus>(`${apiBase}/calendar-feed`, { signal }),
  });
}

export function useCreateCalendarFeed() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      request<FeedStatus & { url: string; path: string }>(`${apiBase}/calendar-feed`, { method: 'POST' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: scheduleKeys.feed }),
  });
}

export function useRevokeCalendarFeed() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => request<void>(`${apiBase}/calendar-feed`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: scheduleKeys.feed }),
  });
}

export interface CourseProposalItem {
  ref: number;
  kind: 'preparation' | 'dosing' | 'integration' | 'follow-up';
  note: string;
  window: { earliest: string; latest: string };
  startsAt: string | null;
  endsAt: string | null;
  roomId: string | null;
  roomName: string | null;
  staff: { userId: string; role: BookedRole; displayName: string }[];
  problem: string | null;
  /** Already covered by a live appointment: nothing to book for it. */
  bookedAppointmentId: string | null;
}

export interface CourseProposal {
  planId: string | null;
  protocolId: string | null;
  timeZone: string;
  pathwayMissing: { path: string; message: string }[];
  items: CourseProposalItem[];
}

export function useCourseProposal(patientId: string) {
  return useMutation({
    mutationFn: () =>
      request<CourseProposal>(`${apiBase}/patients/${patientId}/course-booking/proposal`, { method: 'POST' }),
  });
}

export interface CourseBookingItem {
  kind: CourseProposalItem['kind'];
  startsAt: string;
  endsAt: string | null;
  roomId: string | null;
  staff: { userId: string; role: BookedRole }[];
  note: string | null;
}

export function useBookCourse(patientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (items: CourseBookingItem[]) =>
      request<{ items: Appointment[] }>(`${apiBase}/patients/${patientId}/course-booking`, {
        method: 'POST',
        body: { items },
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: scheduleKeys.all }),
  });
}

// ---- The patient portal ------------------------------------------------------------------------------

export interface MyAppointment {
  id: string;
  kind: AppointmentKind;
  title: string;
  startsAt: string;
  endsAt: string;
  roomName: string | null;
  preparation: { fasting: string; rideHome: string; noDriving: string; sources: string[] } | null;
  noDrivingAcknowledged: boolean | null;
}

export function useMyAppointments() {
  return useQuery({
    queryKey: scheduleKeys.mine,
    queryFn: ({ signal }) =>
      request<{ clinicName: string; timeZone: string; noDrivingStatement: string; items: MyAppointment[] }>(
        `${apiBase}/me/appointments`,
        { signal },
      ),
  });
}

export function useAcknowledgeNoDriving() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (appointmentId: string) =>
      request<{ appointmentId: string; noDrivingAcknowledged: boolean }>(
        `${apiBase}/me/appointments/${appointmentId}/no-driving-acknowledgement`,
        { method: 'POST', body: { acknowledged: true } },
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: scheduleKeys.mine }),
  });
}
