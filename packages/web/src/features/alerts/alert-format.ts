import type { AlertEscalation, AlertEvent, AlertSeverity } from './alerts.api.ts';

/** What each kind of alert means to a clinician. */
export const kindLabels: Record<string, string> = {
  'suicide-risk': 'Suicide risk',
  'session-vitals': 'Vital signs in session',
  worsening: 'Worsening',
  relapse: 'Relapse in follow-up',
  'missed-measure': 'Missed questionnaire',
};

export function kindLabel(kind: string): string {
  return kindLabels[kind] ?? kind;
}

const roleNames: Record<string, string> = {
  prescriber: 'prescriber',
  nurse: 'nurse',
  therapist: 'therapist',
};

export const severityOrder: readonly AlertSeverity[] = ['critical', 'high', 'moderate', 'low'];

/** A span as people say it: "25 min", "2 h 5 min", "3 days". */
export function spanText(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) {
    const hours = Math.floor(minutes / 60);
    const rest = minutes % 60;
    return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
  }
  return `${Math.floor(minutes / (24 * 60))} days`;
}

/** "raised 40 min ago". */
export function ageText(raisedAt: string, now: Date): string {
  return `raised ${spanText(now.getTime() - new Date(raisedAt).getTime())} ago`;
}

/** The escalation line of an alert: "escalates in 25 min", "escalated to on-call prescriber 10 min ago". */
export function escalationText(escalation: AlertEscalation, now: Date): string {
  switch (escalation.state) {
    case 'not-configured':
      return 'Escalation not configured for this severity';
    case 'scheduled': {
      const left = new Date(escalation.dueAt).getTime() - now.getTime();
      return left > 0 ? `escalates in ${spanText(left)}` : 'escalating to on-call now';
    }
    case 'escalated':
      return `escalated to on-call ${roleNames[escalation.toRole] ?? escalation.toRole} ${spanText(
        now.getTime() - new Date(escalation.at).getTime(),
      )} ago`;
    case 'not-escalated':
      return 'acknowledged before escalation';
  }
}

/** One line of an alert's trail. */
export function eventText(event: AlertEvent): string {
  const by = event.actor ? event.actor.displayName : 'Kapstone';
  switch (event.kind) {
    case 'raised':
      return 'Raised';
    case 'routed':
      return `Routed to ${event.owner ? event.owner.displayName : 'the care team'}${event.note ? `: ${event.note}` : ''}`;
    case 'escalated': {
      const told =
        event.notifiedCount === null
          ? ''
          : event.notifiedCount === 0
            ? ' (nobody active in the role to notify)'
            : ` (${event.notifiedCount} notified)`;
      return `Escalated to on-call ${event.role ?? ''}${told}${event.note ? `: ${event.note}` : ''}`;
    }
    case 'reassigned':
      return `${by} reassigned it from ${event.previousOwner?.displayName ?? 'the care team'} to ${
        event.owner?.displayName ?? 'the care team'
      }${event.note ? `: ${event.note}` : ''}`;
    case 'acknowledged':
      return `${by} acknowledged it${event.note ? `: ${event.note}` : ''}`;
  }
}

/** "critical and high" from a list of severities. */
export function severityList(severities: readonly AlertSeverity[]): string {
  if (severities.length <= 1) return severities.join('');
  return `${severities.slice(0, -1).join(', ')} and ${severities.at(-1)}`;
}
