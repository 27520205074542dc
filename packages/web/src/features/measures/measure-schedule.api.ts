import { useQuery } from '@tanstack/react-query';
import { apiBase, request } from '../../api/client.ts';

/** GET /api/v1/patients/:patientId/measure-schedule (server: modules/measures/measure-schedule.routes.ts). */
export type ScheduleStatus = 'planned' | 'due' | 'completed' | 'missed';
export type ScheduleReason = 'baseline' | 'pre-dose' | 'weekly' | 'end-of-course' | 'follow-up';

export interface ScheduleEntry {
  scheduleKey: string;
  reason: ScheduleReason;
  instrument: string;
  instrumentName: string;
  dueDate: string;
  status: ScheduleStatus;
  anchor: 'anchored' | 'planned';
  explanation: string;
  assignmentId: string | null;
  completedAt: string | null;
  responseId: string | null;
}

export interface MeasureScheduleView {
  planId: string | null;
  protocolId: string | null;
  planEnded: string | null;
  lastDose: string | null;
  today: string;
  entries: ScheduleEntry[];
}

export const measureScheduleKey = (patientId: string) => ['patients', 'measure-schedule', patientId] as const;

export function useMeasureSchedule(patientId: string) {
  return useQuery({
    queryKey: measureScheduleKey(patientId),
    queryFn: ({ signal }) =>
      request<MeasureScheduleView>(`${apiBase}/patients/${encodeURIComponent(patientId)}/measure-schedule`, {
        signal,
      }),
  });
}

/** One point of the schedule with its instruments, as the card lists it. */
export interface SchedulePoint {
  scheduleKey: string;
  status: ScheduleStatus;
  dueDate: string;
  explanation: string;
  estimated: boolean;
  instruments: string[];
}

/**
 * Groups the entries by point of the schedule and status (a point whose PHQ-9 is answered and GAD-7 is not
 * shows twice: completed and due), in date order, for the four lists of the card.
 */
export function groupSchedule(entries: readonly ScheduleEntry[]): Record<ScheduleStatus, SchedulePoint[]> {
  const groups: Record<ScheduleStatus, SchedulePoint[]> = { missed: [], due: [], planned: [], completed: [] };
  const byKey = new Map<string, SchedulePoint>();
  for (const e of [...entries].sort((a, b) => a.dueDate.localeCompare(b.dueDate))) {
    const id = `${e.status}|${e.scheduleKey}`;
    let point = byKey.get(id);
    if (!point) {
      point = {
        scheduleKey: e.scheduleKey,
        status: e.status,
        dueDate: e.dueDate,
        explanation: e.explanation,
        estimated: e.anchor === 'planned',
        instruments: [],
      };
      byKey.set(id, point);
      groups[e.status].push(point);
    }
    point.instruments.push(e.instrumentName);
  }
  // Completed: the latest first.
  groups.completed.reverse();
  return groups;
}
