import { useQuery } from '@tanstack/react-query';
import { apiBase, request } from '../../api/client.ts';

/**
 * The clinic's measure-reminder and integration-window settings (admins, `care.settings.manage`), as the
 * server's `/api/v1/care-settings/reminders` and `/integration` give them. Alert escalation has its own hooks
 * in features/alerts.
 */

export interface ReminderSettingsValues {
  sendHour: number;
  repeatAfterHours: number;
  maxReminders: number;
  sms: boolean;
  /** null: no grace set, so nothing is ever marked missed. */
  missedAfterDays: number | null;
}

export interface ReminderSettingsView {
  /** What the clinic set (an absent key: not set). */
  own: Partial<ReminderSettingsValues & { missedAfterDays: number }>;
  /** What applies now: the clinic's values over the defaults. */
  effective: ReminderSettingsValues;
  /** Kapstone's operational defaults (missedAfterDays has none). */
  defaults: { sendHour: number; repeatAfterHours: number; maxReminders: number };
}

/** Each key null or left out: back to its default (or, for missedAfterDays, to not set). */
export interface ReminderSettingsInput {
  sendHour: number | null;
  repeatAfterHours: number | null;
  maxReminders: number | null;
  sms: boolean | null;
  missedAfterDays: number | null;
}

export interface IntegrationSettingsView {
  /** The clinic's own window, [first, last] days after a dose; null: each protocol's own. */
  windowDays: [number, number] | null;
  /** The window each protocol holds its doses to now (null: the protocol expects no integration). */
  effective: Record<string, [number, number] | null>;
}

export interface IntegrationSettingsInput {
  /** Entries the person left empty go as null, so the server names the field. */
  windowDays: [number | null, number | null] | null;
}

export const careSettingsKeys = {
  reminders: ['care-settings', 'reminders'] as const,
  integration: ['care-settings', 'integration'] as const,
};

export function useReminderSettings() {
  return useQuery({
    queryKey: careSettingsKeys.reminders,
    queryFn: ({ signal }) => request<ReminderSettingsView>(`${apiBase}/care-settings/reminders`, { signal }),
  });
}

export function useIntegrationSettings() {
  return useQuery({
    queryKey: careSettingsKeys.integration,
    queryFn: ({ signal }) =>
      request<IntegrationSettingsView>(`${apiBase}/care-settings/integration`, { signal }),
  });
}

export const careSettingsApi = {
  saveReminders: (input: ReminderSettingsInput) =>
    request<ReminderSettingsView>(`${apiBase}/care-settings/reminders`, { method: 'PUT', body: input }),
  saveIntegration: (input: IntegrationSettingsInput) =>
    request<IntegrationSettingsView>(`${apiBase}/care-settings/integration`, { method: 'PUT', body: input }),
};
