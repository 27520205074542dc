import { describe, expect, it } from 'vitest';
import { ageText, escalationText, eventText, kindLabel, severityList, spanText } from './alert-format.ts';
import type { AlertEvent } from './alerts.api.ts';

const now = new Date('2026-06-01T15:00:00Z');
const minutesFromNow = (m: number) => new Date(now.getTime() + m * 60_000).toISOString();

describe('alert wording', () => {
  it('says spans as people do', () => {
    expect(spanText(20_000)).toBe('less than a minute');
    expect(spanText(25 * 60_000)).toBe('25 min');
    expect(spanText(60 * 60_000)).toBe('1 h');
    expect(spanText(125 * 60_000)).toBe('2 h 5 min');
    expect(spanText(3 * 24 * 60 * 60_000)).toBe('3 days');
    expect(ageText(minutesFromNow(-40), now)).toBe('raised 40 min ago');
  });

  it('says where escalation stands', () => {
    expect(escalationText({ state: 'scheduled', dueAt: minutesFromNow(25) }, now)).toBe(
      'escalates in 25 min',
    );
    expect(escalationText({ state: 'scheduled', dueAt: minutesFromNow(-1) }, now)).toBe(
      'escalating to on-call now',
    );
    expect(escalationText({ state: 'escalated', at: minutesFromNow(-10), toRole: 'prescriber' }, now)).toBe(
      'escalated to on-call prescriber 10 min ago',
    );
    expect(escalationText({ state: 'not-configured' }, now)).toBe(
      'Escalation not configured for this severity',
    );
    expect(escalationText({ state: 'not-escalated' }, now)).toBe('acknowledged before escalation');
  });

  it('names the new kinds and tells the trail', () => {
    expect(kindLabel('worsening')).toBe('Worsening');
    expect(kindLabel('relapse')).toBe('Relapse in follow-up');
    expect(kindLabel('missed-measure')).toBe('Missed questionnaire');
    expect(kindLabel('something-new')).toBe('something-new');
    const base: AlertEvent = {
      kind: 'raised',
      at: now.toISOString(),
      actor: null,
      owner: null,
      previousOwner: null,
      role: null,
      note: null,
      notifiedCount: null,
    };
    const rowan = { id: 'a', displayName: 'Dr Rowan' };
    const kim = { id: 'b', displayName: 'Nurse Kim' };
    expect(
      eventText({ ...base, kind: 'routed', owner: rowan, note: 'The patient’s assigned prescriber.' }),
    ).toBe('Routed to Dr Rowan: The patient’s assigned prescriber.');
    expect(eventText({ ...base, kind: 'routed' })).toBe('Routed to the care team');
    expect(
      eventText({
        ...base,
        kind: 'reassigned',
        actor: rowan,
        owner: kim,
        previousOwner: rowan,
        note: 'On leave',
      }),
    ).toBe('Dr Rowan reassigned it from Dr Rowan to Nurse Kim: On leave');
    expect(eventText({ ...base, kind: 'escalated', role: 'prescriber', notifiedCount: 2 })).toBe(
      'Escalated to on-call prescriber (2 notified)',
    );
    expect(eventText({ ...base, kind: 'escalated', role: 'nurse', notifiedCount: 0 })).toContain(
      'nobody active',
    );
    expect(eventText({ ...base, kind: 'acknowledged', actor: kim, note: 'Called' })).toBe(
      'Nurse Kim acknowledged it: Called',
    );
    expect(severityList(['moderate', 'low'])).toBe('moderate and low');
    expect(severityList(['critical', 'high', 'low'])).toBe('critical, high and low');
  });
});
