import { escalateOverdueAlertsTask } from '../modules/alerts/alerts.escalation.ts';
import { measureScheduleSyncTask } from '../modules/measures/measure-schedule.jobs.ts';
import {
  defaultSmsReminderHandler,
  measureRemindersTask,
  missedMeasuresTask,
} from '../modules/reminders/reminders.service.ts';
import { researchExportHandler } from '../modules/research-export/research-export.service.ts';
import type { JobHandler, RecurringTask } from './types.ts';

/**
 * Every background job kind and every recurring task the server runs. Each area adds its own entry here;
 * the runner (runner.ts) takes these lists and nothing else.
 */
// biome-ignore lint/suspicious/noExplicitAny: each handler narrows its own payload
export const jobHandlers: JobHandler<any>[] = [defaultSmsReminderHandler, researchExportHandler];

export const recurringTasks: RecurringTask[] = [
  escalateOverdueAlertsTask,
  measureScheduleSyncTask,
  measureRemindersTask,
  missedMeasuresTask,
];
