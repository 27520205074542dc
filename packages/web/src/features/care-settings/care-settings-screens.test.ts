import { createElement } from 'react';
import { Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import { ApiProblem } from '../../api/client.ts';
import { StaffShell } from '../../app/staff-shell.tsx';
import { alertKeys } from '../alerts/alerts.api.ts';
import { renderSignedIn } from '../sessions/render-signed-in.ts';
import {
  careSettingsKeys,
  type IntegrationSettingsView,
  type ReminderSettingsView,
} from './care-settings.api.ts';
import {
  CareSettingsPage,
  IntegrationWindowFields,
  integrationDraftOf,
  integrationFieldErrors,
  ReminderSettingsFields,
  reminderDraftOf,
} from './care-settings-page.tsx';

/** The Care settings area (admins), rendered once on the server side of React. */

const admin = ['care.settings.manage', 'schedule.read'];

const reminders: ReminderSettingsView = {
  own: { sendHour: 7, sms: true },
  effective: { sendHour: 7, repeatAfterHours: 48, maxReminders: 3, sms: true, missedAfterDays: null },
  defaults: { sendHour: 9, repeatAfterHours: 48, maxReminders: 3 },
};

const clinicWindow: IntegrationSettingsView = {
  windowDays: [2, 5],
  effective: {
    'iv-series': [2, 5],
    'spravato-trd': null,
    'spravato-mdd-si': null,
    'kap-im': [2, 5],
    'kap-sublingual': [2, 5],
  },
};

function page(path: string, seed: Parameters<typeof renderSignedIn>[2], permissions = admin) {
  return renderSignedIn(
    createElement(
      Routes,
      null,
      createElement(Route, { path: '/care-settings/:section?', element: createElement(CareSettingsPage) }),
    ),
    permissions,
    seed,
    path,
  );
}

/** The opening tag of the element with this id. */
function tagWithId(html: string, id: string): string {
  const match = html.match(new RegExp(`<[a-z]+[^>]*\\bid="${id}"[^>]*>`));
  if (!match) throw new Error(`no element with id ${id}`);
  return match[0];
}

/** The text inside the element with this id (up to its first closing tag). */
function textOf(html: string, id: string): string {
  const start = html.indexOf(tagWithId(html, id));
  const rest = html.slice(start);
  return rest.slice(rest.indexOf('>') + 1, rest.indexOf('</'));
}

describe('care settings: the values shown', () => {
  it('measure reminders: what the clinic set, the defaults and where they come from; no default for missed', () => {
    const html = page('/care-settings/reminders', (client) =>
      client.setQueryData(careSettingsKeys.reminders, reminders),
    );
    expect(html).toContain('>Care settings</h1>');
    expect(html).toMatch(/aria-selected="true"[^>]*>.*?Measure reminders/s);
    expect(tagWithId(html, 'reminders-sendHour')).toContain('value="7"');
    expect(html).toContain('Now 07:00: set by the clinic. Default 09:00 (Kapstone’s operational default');
    // Not set by the clinic: empty, with the default as the value that applies.
    expect(tagWithId(html, 'reminders-repeatAfterHours')).toContain('value=""');
    expect(html).toContain(
      'Now 48 hours: the default (Kapstone’s operational default, not a clinical number)',
    );
    expect(html).toContain('Now 3 reminders: the default');
    expect(html).toContain('Now on: set by the clinic. Default off.');
    expect(tagWithId(html, 'reminders-missedAfterDays')).toContain('value=""');
    expect(html).toContain(
      'Not set. No default: the clinical reference gives no number; until you set one, no measure is marked missed and no missed-measure alert is raised.',
    );
    // Only the active tab's form is mounted.
    expect(html).not.toContain('integration-first');
  });

  it('measure reminders: a grace the clinic set shows as set by the clinic', () => {
    const html = page('/care-settings/reminders', (client) =>
      client.setQueryData(careSettingsKeys.reminders, {
        ...reminders,
        own: { missedAfterDays: 2 },
        effective: { ...reminders.effective, missedAfterDays: 2 },
      }),
    );
    expect(tagWithId(html, 'reminders-missedAfterDays')).toContain('value="2"');
    expect(html).toContain('Now 2 days after the due day: set by the clinic');
    expect(html).toContain('Now 09:00: the default');
  });

  it('integration window: the clinic’s window, each protocol’s own and what applies', () => {
    const html = page('/care-settings/integration', (client) =>
      client.setQueryData(careSettingsKeys.integration, clinicWindow),
    );
    expect(tagWithId(html, 'integration-first')).toContain('value="2"');
    expect(tagWithId(html, 'integration-last')).toContain('value="5"');
    expect(textOf(html, 'integration-current')).toContain(
      'Now days 2–5 after each dose, for every protocol with integration: set by the clinic.',
    );
    expect(html).toContain('Default: the protocol’s window, days 1–3 after each dose');
    expect(html).toMatch(
      /KAP with IM ketamine[^<]*<\/td><td[^>]*>days 1–3 after each dose<\/td><td[^>]*>days 2–5/,
    );
    expect(html).toMatch(
      /SPRAVATO for treatment-resistant depression[^<]*<\/td><td[^>]*>No integration session/,
    );
  });

  it('integration window: unset, the fields are off and each protocol keeps its own', () => {
    const html = page('/care-settings/integration', (client) =>
      client.setQueryData(careSettingsKeys.integration, {
        windowDays: null,
        effective: {
          ...clinicWindow.effective,
          'iv-series': [1, 3],
          'kap-im': [1, 3],
          'kap-sublingual': [1, 3],
        },
      }),
    );
    expect(textOf(html, 'integration-current')).toContain('Now each protocol’s own window: the default.');
    expect(tagWithId(html, 'integration-first')).toContain('disabled');
  });

  it('alert escalation: the alerts feature’s own form, under the old URL, with the no-default note', () => {
    const html = page('/care-settings/alerts', (client) =>
      client.setQueryData(alertKeys.settingsForm, {
        settings: { escalateAfterMinutes: { critical: 15 }, onCallRole: 'prescriber', onCallUserIds: [] },
        onCall: [],
        notConfigured: ['high', 'moderate', 'low'],
        candidates: [],
      }),
    );
    expect(html).toContain('Critical (minutes)');
    expect(html).toContain('value="15"');
    expect(html).toContain(
      'No default: the clinical reference gives no number; until you set one for a severity, its unacknowledged alerts never escalate',
    );
    // The page's own heading only: the alerts page's title is not repeated inside the tab.
    expect(html.match(/<h1/g)).toHaveLength(1);
  });

  it('/care-settings opens on alert escalation', () => {
    const html = page('/care-settings', () => {});
    expect(html).toMatch(/aria-selected="true"[^>]*>.*?Alert escalation/s);
    expect(html).toContain('Loading the escalation settings');
  });
});

describe('care settings: the server’s field errors next to their fields', () => {
  it('a refused missed-measure grace shows under that field, and only there', () => {
    const problem = new ApiProblem({
      type: 'https://kapstone.example/problems/invalid',
      title: 'Bad Request',
      status: 400,
      detail: 'Some fields are invalid.',
      errors: [{ path: 'missedAfterDays', message: 'Too big: expected number to be <=60' }],
    });
    const html = renderSignedIn(
      createElement(ReminderSettingsFields, {
        loaded: reminders,
        draft: { ...reminderDraftOf(reminders), missedAfterDays: 90 },
        errors: problem.fieldMessages(),
        onChange: () => {},
      }),
      admin,
    );
    const input = tagWithId(html, 'reminders-missedAfterDays');
    expect(input).toContain('aria-invalid="true"');
    expect(input).toMatch(/aria-describedby="[^"]*reminders-missedAfterDays-error/);
    expect(textOf(html, 'reminders-missedAfterDays-error')).toBe('Too big: expected number to be &lt;=60');
    expect(tagWithId(html, 'reminders-sendHour')).not.toContain('aria-invalid="true"');
    expect(html).not.toContain('reminders-sendHour-error');
  });

  it('the integration window’s order error goes to the last day, an entry’s error to its own field', () => {
    const messages = new ApiProblem({
      type: 'https://kapstone.example/problems/invalid',
      title: 'Bad Request',
      status: 400,
      errors: [
        { path: 'windowDays.0', message: 'Too big: expected number to be <=30' },
        { path: 'windowDays', message: 'The first day comes on or before the last.' },
      ],
    }).fieldMessages();
    const errors = integrationFieldErrors(messages);
    expect(errors).toEqual({
      first: 'Too big: expected number to be <=30',
      last: 'The first day comes on or before the last.',
    });
    const html = renderSignedIn(
      createElement(IntegrationWindowFields, {
        loaded: clinicWindow,
        draft: { ...integrationDraftOf(clinicWindow), first: 40 },
        errors,
        onChange: () => {},
      }),
      admin,
    );
    expect(tagWithId(html, 'integration-first')).toContain('aria-invalid="true"');
    expect(textOf(html, 'integration-first-error')).toBe('Too big: expected number to be &lt;=30');
    expect(textOf(html, 'integration-last-error')).toBe('The first day comes on or before the last.');
  });
});

describe('care settings: the navigation entry', () => {
  const shell = (permissions: string[]) =>
    renderSignedIn(
      createElement(Routes, null, createElement(Route, { path: '*', element: createElement(StaffShell) })),
      permissions,
      () => {},
      '/patients',
    );

  it('an admin gets it', () => {
    const html = shell(['patient.read', 'care.settings.manage']);
    expect(html).toMatch(/href="\/care-settings"[^>]*>.*?Care settings/s);
  });

  it('a clinician without care.settings.manage does not', () => {
    const html = shell([
      'patient.read',
      'alerts.read',
      'alerts.acknowledge',
      'schedule.read',
      'session.read',
    ]);
    expect(html).toContain('href="/patients"');
    expect(html).not.toContain('href="/care-settings');
    expect(html).not.toContain('Care settings');
  });
});
