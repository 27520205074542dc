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
