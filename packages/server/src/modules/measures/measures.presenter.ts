import { type InstrumentDefinition, incompleteBand, instruments } from '@kapstone/clinical';
import type { measureAssignment, observation, questionnaireResponse } from '../../db/schema/index.ts';

type AssignmentRow = typeof measureAssignment.$inferSelect;
type ResponseRow = typeof questionnaireResponse.$inferSelect;
type ObservationRow = typeof observation.$inferSelect;
type Person = { id: string; displayName: string };

/** The label @kapstone/clinical gives a band (its own words), or null for an unknown or incomplete one. */
export function bandLabelOf(definition: InstrumentDefinition, band: string | null): string | null {
  if (!band || band === incompleteBand) return null;
  return definition.bands.find((b) => b.id === band)?.label ?? null;
}

export function presentAssignment(row: AssignmentRow, assignedBy: Person | null) {
  const definition = instruments[row.instrument];
  return {
    id: row.id,
    instrument: row.instrument,
    name: definition.name,
    shortName: definition.shortName,
    reason: row.reason,
    respondent: row.respondent,
    dueDate: row.dueDate,
    status: row.status,
    assignedAt: row.assignedAt.toISOString(),
    assignedBy,
    completedAt: row.completedAt?.toISOString() ?? null,
    responseId: row.responseId,
  };
}

/** A response for the care team: the answers, the stored score with its band label, and its observations. */
export function presentResponse(
  row: ResponseRow,
  extras: {
    enteredBy: Person | null;
    supersededBy: string | null;
    observations: ObservationRow[];
    alerts: { id: string; severity: string; status: string }[];
  },
) {
  const definition = instruments[row.instrument];
  return {
    id: row.id,
    assignmentId: row.assignmentId,
    instrument: row.instrument,
    shortName: definition.shortName,
    answers: row.answers,
    score: {
      total: row.score.total,
      totalRange: definition.totalRange ?? null,
      band: row.score.band,
      bandLabel: bandLabelOf(definition, row.score.band),
      complete: row.score.complete,
      flags: row.score.flags,
      subscales: row.score.subscales ?? null,
    },
    source: row.source,
    enteredBy: extras.enteredBy,
    authoredAt: row.authoredAt.toISOString(),
    supersedesId: row.supersedesId,
    supersededBy: extras.supersededBy,
    observations: extras.observations.map((o) => ({
      id: o.id,
      key: o.key,
      code: o.code ? { system: o.codeSystem ?? 'http://loinc.org', code: o.code } : null,
      display: o.display,
      value: o.value,
      band: o.band,
      effectiveAt: o.effectiveAt.toISOString(),
    })),
    alerts: extras.alerts,
  };
}

/**
 * The questionnaire as the portal shows it: every item in the instrument's own wording (or its labels where
 * the licence allows no more) with its answer labels, and the skip logic (`enableWhen`) of the definition.
 */
export function presentQuestionnaire(definition: InstrumentDefinition) {
  return {
    instrument: definition.id,
    name: definition.name,
    shortName: definition.shortName,
    recallPeriod: definition.recallPeriod,
    licence: definition.licence,
    items: definition.items.map((item) => ({
      id: item.id,
      number: item.number,
      text: item.text,
      options: item.options.map((o) => ({ score: o.score, label: o.label })),
      enableWhen: item.enableWhen
        ? { item: item.enableWhen.item, answers: [...item.enableWhen.answers] }
        : null,
      optional: item.optional ?? false,
    })),
  };
}
