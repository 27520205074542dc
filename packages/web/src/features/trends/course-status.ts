import type { CourseStatus, InstrumentSummary } from './trends.api.ts';

/** A course's status on one instrument in a clinician's words (issue 6), with the colour of its badge. */
export function courseStatusWords(
  summary: Pick<InstrumentSummary, 'course' | 'baseline'>,
  sessionsCompleted: number,
): { label: string; color: string } {
  if (!summary.baseline) return { label: 'No baseline yet', color: 'gray' };
  const status: CourseStatus = summary.course?.status ?? 'insufficient-data';
  switch (status) {
    case 'remitted':
      return { label: 'Remitted', color: 'teal' };
    case 'responding':
      return { label: 'Responding', color: 'green' };
    case 'worsening':
      return { label: 'Worsening', color: 'red' };
    case 'lost-response':
      return { label: 'Relapse after response', color: 'orange' };
    case 'no-response':
      return {
        label: `No response after ${sessionsCompleted} session${sessionsCompleted === 1 ? '' : 's'}`,
        color: 'yellow',
      };
    case 'no-response-yet':
      return { label: 'No response yet', color: 'gray' };
    case 'insufficient-data':
      return { label: 'Nothing measured since baseline', color: 'gray' };
  }
}

/** Where a point sits in the course, for the table under a chart. */
export const phaseWords = {
  'before-baseline': 'Before baseline',
  baseline: 'Baseline',
  course: 'During the course',
  'follow-up': 'Follow-up',
} as const;

/**
 * What a measure was asked for, in words, from its place in the plan's measure schedule ('baseline',
 * 'dose:<n>', 'week:<n>', 'end-of-course', 'follow-up:<m>m') or, unscheduled, why it was due.
 */
export function measureWords(scheduleKey: string | null, reason: string | null): string {
  const [kind, n] = scheduleKey?.split(':') ?? [];
  if (kind === 'baseline') return 'Baseline';
  if (kind === 'dose' && n) return `Before dose ${n}`;
  if (kind === 'week' && n) return `Week ${n}`;
  if (kind === 'end-of-course') return 'End of course';
  if (kind === 'follow-up' && n) {
    const months = Number.parseInt(n, 10);
    return `Follow-up, ${months} month${months === 1 ? '' : 's'}`;
  }
  const reasons: Record<string, string> = {
    baseline: 'Baseline',
    'pre-dose': 'Before a dose',
    weekly: 'Weekly',
    'end-of-course': 'End of course',
    'follow-up': 'Follow-up',
    staff: 'Asked for by the care team',
  };
  return (reason && reasons[reason]) || '—';
}
