import { z } from 'zod';
import { appointmentKinds } from '../../db/schema/index.ts';

/** No query parameters: an unknown one is a 400, not silently ignored. */
export const noQuery = z.strictObject({});

/** A link inside the portal (a web path), with the words of the button that follows it. */
const portalAction = z.object({ label: z.string(), to: z.string() });

const routes = ['iv', 'im', 'sublingual', 'oral', 'intranasal'] as const;

export const nextSessionView = z.object({
  appointmentId: z.uuid(),
  kind: z.enum(appointmentKinds),
  title: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  /** The day of the session in the clinic's calendar (YYYY-MM-DD). */
  date: z.string(),
  /** Dosing sessions: how the medicine is given, as booked. */
  route: z.enum(routes).nullable(),
  routeName: z.string().nullable(),
  location: z.object({ clinicName: z.string(), roomName: z.string().nullable() }),
  whatToBring: z.array(z.string()),
});

export const checklistStates = ['done', 'to-do', 'waiting', 'info'] as const;

export const checklistItemView = z.object({
  id: z.enum(['ride-home', 'no-driving', 'fasting', 'consents', 'questionnaires']),
  label: z.string(),
  /**
   * done: nothing left; to-do: the patient has something to do (the action says where); waiting: the
   * patient's part is done or it is the clinic's to do; info: an instruction to follow on the day.
   */
  state: z.enum(checklistStates),
  detail: z.string(),
  action: portalAction.nullable(),
});

export const preparationView = z.object({
  appointmentId: z.uuid(),
  startsAt: z.string(),
  date: z.string(),
  items: z.array(checklistItemView),
  /** Where the rules behind the reminders come from (clinical-reference sections). */
  sources: z.array(z.string()),
});

export const todoView = z.object({
  kind: z.enum(['questionnaire', 'consent', 'experience-rating', 'intake']),
  label: z.string(),
  detail: z.string().nullable(),
  /** YYYY-MM-DD when the item has a due date. */
  dueDate: z.string().nullable(),
  action: portalAction,
});

export const homeView = z.object({
  greetingName: z.string(),
  clinicName: z.string(),
  timeZone: z.string(),
  crisisPhone: z.string().nullable(),
  nextSession: nextSessionView.nullable(),
  /** The checklist of the next dosing session (which may come after the next appointment). */
  preparation: preparationView.nullable(),
  todos: z.array(todoView),
});

export const crisisResourcesView = z.object({
  lifeline: z.object({ name: z.string(), call: z.string(), text: z.string() }),
  emergency: z.string(),
  clinicName: z.string(),
  clinicPhone: z.string().nullable(),
});

export const sessionStates = [
  'scheduled',
  'checked-in',
  'cleared-to-dose',
  'dosing',
  'monitoring',
  'discharged',
  'aborted',
] as const;

export const dosingSessionHistoryView = z.object({
  sessionId: z.uuid(),
  date: z.string(),
  route: z.enum(routes),
  routeName: z.string(),
  state: z.enum(sessionStates),
  stateLabel: z.string(),
  checkedInAt: z.string(),
  dosingStartedAt: z.string().nullable(),
  dischargedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  roomName: z.string().nullable(),
  dischargeInstructions: z.object({ page: z.string(), pdf: z.string() }).nullable(),
});

export const integrationSessionHistoryView = z.object({
  /** The booked integration appointment; null when the session was documented without one. */
  appointmentId: z.uuid().nullable(),
  date: z.string(),
  startsAt: z.string().nullable(),
  endsAt: z.string().nullable(),
  roomName: z.string().nullable(),
  /** The ketamine session it followed, when the therapist's note says so. */
  followsSession: z.object({ sessionId: z.uuid(), date: z.string() }).nullable(),
});

export const sessionHistoryView = z.object({
  clinicName: z.string(),
  timeZone: z.string(),
  dosingSessions: z.array(dosingSessionHistoryView),
  integrationSessions: z.array(integrationSessionHistoryView),
});

export type HomeView = z.infer<typeof homeView>;
export type ChecklistItemView = z.infer<typeof checklistItemView>;
export type TodoView = z.infer<typeof todoView>;
export type SessionHistoryView = z.infer<typeof sessionHistoryView>;
