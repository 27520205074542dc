import type { InstrumentDefinition } from '../types.ts';

/** The part of FHIR R4 Questionnaire that Kapstone produces (hl7.org/fhir/R4/questionnaire.html). */
export interface Coding {
  system: string;
  code: string;
  display?: string;
}
export interface QuestionnaireItem {
  linkId: string;
  text: string;
  type: 'choice' | 'display';
  required?: boolean;
  code?: Coding[];
  enableWhen?: { question: string; operator: '='; answerCoding: Coding }[];
  enableBehavior?: 'any' | 'all';
  answerOption?: { valueCoding: Coding; extension: { url: string; valueDecimal: number }[] }[];
}
export interface Questionnaire {
  resourceType: 'Questionnaire';
  id: string;
  url: string;
  name: string;
  title: string;
  status: 'active';
  subjectType: ['Patient'];
  code?: Coding[];
  copyright: string;
  item: QuestionnaireItem[];
}

const loincSystem = 'http://loinc.org';
/** Answers without a LOINC answer code are coded in Kapstone's own code system, by score. */
const kapstoneAnswerSystem = 'https://kapstone.dev/fhir/CodeSystem/answer-score';
/** FHIR R4 core extension carrying an answer's numeric value for scoring. */
const ordinalValue = 'http://hl7.org/fhir/StructureDefinition/ordinalValue';

function answerCoding(option: { score: number; label: string; loinc?: string }): Coding {
  return option.loinc
    ? { system: loincSystem, code: option.loinc, display: option.label }
    : { system: kapstoneAnswerSystem, code: String(option.score), display: option.label };
}

export function questionnaireOf(definition: InstrumentDefinition): Questionnaire {
  const byId = new Map(definition.items.map((item) => [item.id, item]));
  return {
    resourceType: 'Questionnaire',
    id: definition.id,
    url: `https://kapstone.dev/fhir/Questionnaire/${definition.id}`,
    name: definition.shortName.replace(/[^A-Za-z0-9]/g, ''),
    title: `${definition.name} (${definition.shortName})`,
    status: 'active',
    subjectType: ['Patient'],
    // LOINC codes carry no display: our titles and item labels are not LOINC's display names, and a display
    // that differs from the code system's is a validation error waiting to happen.
    ...(definition.loinc?.panel ? { code: [{ system: loincSystem, code: definition.loinc.panel }] } : {}),
    copyright: definition.licence,
    item: definition.items.map((item): QuestionnaireItem => {
      const condition = item.enableWhen;
      const source = condition ? byId.get(condition.item) : undefined;
      return {
        linkId: item.id,
        text: item.text,
        type: 'choice',
        // Conditional and optional items (PHQ-9 item 10, MDQ question 2) must not block a submission.
        required: !condition && !item.optional,
        ...(item.loinc ? { code: [{ system: loincSystem, code: item.loinc }] } : {}),
        ...(condition && source
          ? {
              enableWhen: condition.answers.map((score) => ({
                question: condition.item,
                operator: '=' as const,
                answerCoding: answerCoding(source.options.find((o) => o.score === score)!),
              })),
              enableBehavior: 'any' as const,
            }
          : {}),
        answerOption: item.options.map((option) => ({
          valueCoding: answerCoding(option),
          extension: [{ url: ordinalValue, valueDecimal: option.score }],
        })),
      };
    }),
  };
}
