import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import { renderSignedIn } from '../sessions/render-signed-in.ts';
import { AlertSettingsPage } from './alert-settings.tsx';
import { type AlertSettings, type AlertView, alertKeys } from './alerts.api.ts';
import { AlertsPage } from './alerts-page.tsx';

/** The alerts inbox and the escalation settings, rendered once on the server side of React. */

const now = Date.now();
const minutesAgo = (m: number) => new Date(now - m * 60_000).toISOString();

function alert(overrides: Partial<AlertView>): AlertView {
  return {
    id: '00000000-0000-4000-8000-0000000000a1',
    patient: { id: '00000000-0000-4000-8000-0000000000b1', displayName: 'Alex Example', mrn: 'MRN-1' },
    kind: 'suicide-risk',
    severity: 'high',
    summary: 'PHQ-9 item 9 positive.',
    source: { type: 'questionnaire-response', id: '00000000-0000-4000-8000-0000000000c1' },
    owner: { id: '00000000-0000-4000-8000-000000000001', displayName: 'Nora Nurse' },
    status: 'open',
    raisedAt: minutesAgo(35),
    acknowledgement: null,
    escalation: { state: 'scheduled', dueAt: minutesAgo(-25) },
    ...overrides,
  };
}

const unconfigured: AlertSettings = {
  settings: { escalateAfterMinutes: {}, onCallRole: null, onCallUserIds: [] },
  onCall: [],
  notConfigured: ['critical', 'high', 'moderate', 'low'],
};

describe('alerts inbox', () => {
  it('shows the tabs, kinds, owner, age and escalation, and the not-configured notice', () => {
    const html = renderSignedIn(
      createElement(AlertsPage),
      ['alerts.read', 'alerts.acknowledge'],
      (client) => {
        client.setQueryData(alertKeys.pages('open', 'mine'), {
          pageParams: [undefined],
          pages: [
            {
              items: [
                alert({}),
                alert({
                  id: '00000000-0000-4000-8000-0000000000a2',
                  kind: 'relapse',
                  escalation: { state: 'escalated', at: minutesAgo(10), toRole: 'prescriber' },
                }),
                alert({ id: '00000000-0000-4000-8000-0000000000a3', kind: 'worsening', owner: null }),
              ],
              nextCursor: 'next',
            },
          ],
        });
        client.setQueryData(alertKeys.settings, unconfigured);
      },
    );
    for (const label of ['Mine', 'Unassigned', 'Escalated', 'All open', 'Acknowledged'])
      expect(html).toContain(`>${label}</`);
    expect(html).toContain('Relapse in follow-up');
    expect(html).toContain('Worsening');
    expect(html).toContain('raised 35 min ago');
    expect(html).toContain('escalates in 25 min');
    expect(html).toContain('escalated to on-call prescriber 10 min ago');
    expect(html).toContain('Owner: Nora Nurse');
    expect(html).toContain('Unassigned (the care team)');
    expect(html).toContain('aria-label="Reassign alert for Alex Example"');
    expect(html).toContain('aria-label="Acknowledge alert for Alex Example"');
    expect(html).toContain('data-testid="escalation-not-configured"');
    expect(html).toContain('An admin sets them under Alert escalation.');
    // More than one page: the rest stays reachable.
    expect(html).toContain('Show more alerts');
  });

  it('has no reassign or acknowledge buttons without the permission, and no notice when configured', () => {
    const html = renderSignedIn(createElement(AlertsPage), ['alerts.read'], (client) => {
      client.setQueryData(alertKeys.pages('open', 'mine'), {
        pageParams: [undefined],
        pages: [{ items: [alert({})], nextCursor: null }],
      });
      client.setQueryData(alertKeys.settings, {
        ...unconfigured,
        settings: {
          escalateAfterMinutes: { critical: 15, high: 30, moderate: 60, low: 240 },
          onCallRole: 'prescriber',
          onCallUserIds: [],
        },
        notConfigured: [],
      });
    });
    expect(html).not.toContain('Reassign alert');
    expect(html).not.toContain('Acknowledge alert');
    expect(html).not.toContain('escalation-not-configured');
    expect(html).not.toContain('Show more alerts');
  });
});

describe('escalation settings', () => {
  it('shows a field per severity, the on-call role and who is on call', () => {
    const html = renderSignedIn(createElement(AlertSettingsPage), ['care.settings.manage'], (client) => {
      client.setQueryData(alertKeys.settingsForm, {
        settings: { escalateAfterMinutes: { critical: 15 }, onCallRole: 'prescriber', onCallUserIds: [] },
        onCall: [{ id: 'p1', displayName: 'Dr Rowan' }],
        notConfigured: ['high', 'moderate', 'low'],
        candidates: [{ id: 'p1', displayName: 'Dr Rowan', roles: ['prescriber'] }],
      });
    });
    for (const label of ['Critical (minutes)', 'High (minutes)', 'Moderate (minutes)', 'Low (minutes)'])
      expect(html).toContain(label);
    expect(html).toContain('Unacknowledged high, moderate and low alerts never escalate.');
    expect(html).toContain('On call now: Dr Rowan');
    expect(html).toContain('value="15"');
    expect(html).toContain('On-call role');
  });
});
