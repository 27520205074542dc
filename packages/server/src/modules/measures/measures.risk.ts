import type { InstrumentScore } from '@kapstone/clinical';
import type { AlertSeverity } from '../../db/schema/alerts.ts';

export interface RiskOutcome {
  /** The alert the care team must receive, or null. */
  alert: { kind: 'suicide-risk'; severity: AlertSeverity; summary: string } | null;
  /** Show the patient crisis resources with the confirmation of this submission. */
  crisisResources: boolean;
}

/**
 * What a scored response means for safety. It reads only the flags and bands @kapstone/clinical returned
 * (never the answers), so no rule is re-derived here:
 * - PHQ-9 flag `suicidal-ideation` (item 9 other than "Not at all"): a same-visit suicide-risk assessment is
 *   needed (clinical-reference 1.1; AACN Critical Care Nurse 40(1):92) -> alert, severity high.
 * - QIDS-SR16 flag `suicidal-ideation` (item 12), used like PHQ-9 item 9 as the reference suggests
 *   (clinical-reference 1.7, a design suggestion without a published source) -> alert, severity high.
 * - C-SSRS band `high`: safety precautions until a mental health professional evaluates (clinical-reference
 *   1.5, C-SSRS Triage, cssrs.columbia.edu) -> alert, severity critical; band `moderate` -> alert, severity
 *   high. Band `low` gets no alert, but "referral to outpatient care and crisis lines" (1.5): crisis resources.
 * The severities order the alert list; they are Kapstone's triage order, not published grades.
 */
export function riskOf(score: InstrumentScore): RiskOutcome {
  if (score.instrument === 'cssrs-screener') {
    if (score.band === 'high') {
      return {
        alert: {
          kind: 'suicide-risk',
          severity: 'critical',
          summary:
            'C-SSRS screener: high risk (intent, plan or recent behaviour). Safety precautions until a mental health professional evaluates the patient.',
        },
        crisisResources: true,
      };
    }
    if (score.band === 'moderate') {
      return {
        alert: {
          kind: 'suicide-risk',
          severity: 'high',
          summary:
            'C-SSRS screener: moderate risk (thoughts of a method, or past suicidal behaviour). Review with the patient.',
        },
        crisisResources: true,
      };
    }
    const ideation = score.band === 'low' || score.flags.some((f) => f.startsWith('suicidal-'));
    return { alert: null, crisisResources: ideation };
  }
  if (score.instrument === 'phq9' && score.flags.includes('suicidal-ideation')) {
    return {
      alert: {
        kind: 'suicide-risk',
        severity: 'high',
        summary:
          'PHQ-9 item 9 positive (thoughts of being better off dead or of self-harm). A same-visit suicide-risk assessment is needed.',
      },
      crisisResources: true,
    };
  }
  if (score.instrument === 'qids-sr16' && score.flags.includes('suicidal-ideation')) {
    return {
      alert: {
        kind: 'suicide-risk',
        severity: 'high',
        summary: 'QIDS-SR16 item 12 (suicidal ideation) positive. Assess suicide risk.',
      },
      crisisResources: true,
    };
  }
  return { alert: null, crisisResources: false };
}
