import { clientId } from '../../api/client-id.ts';
import {
  type PreparationContent,
  type PsychoeducationTopic,
  psychoeducationTopics,
} from './preparation.api.ts';

/** The psychoeducation checklist, in our own words: what the therapist has gone through with the patient. */
export const psychoeducationLabels: Record<PsychoeducationTopic, string> = {
  'what-it-feels-like':
    'What ketamine can feel like: changes in how the body, time and surroundings are sensed, fading over hours',
  dissociation: 'Dissociation: feeling detached or dream-like is expected, passes, and staff stay nearby',
  nausea: 'Nausea: it can happen; what to eat and drink beforehand and how to ask for help',
  'blood-pressure': 'Blood pressure rises for a while; it is checked before and during the session',
  'no-driving': 'No driving or operating machinery until the next day after sleep; someone takes you home',
  'right-to-stop': 'The right to pause or stop a session, and to leave treatment, at any time',
  integration: 'Integration: the sessions after each dose to make sense of the experience',
};

/** Short names of the topics, for summaries. */
export const psychoeducationShortLabels: Record<PsychoeducationTopic, string> = {
  'what-it-feels-like': 'what it feels like',
  dissociation: 'dissociation',
  nausea: 'nausea',
  'blood-pressure': 'blood pressure',
  'no-driving': 'no driving',
  'right-to-stop': 'right to stop',
  integration: 'integration',
};

/** The form's state: the API's content with every checklist topic present and text fields as strings. */
export interface PreparationFormValues {
  sessionDate: string;
  goals: { id: string; text: string }[];
  intentions: { id: string; text: string }[];
  concerns: string;
  psychoeducation: Record<PsychoeducationTopic, { covered: boolean; note: string }>;
  music: string;
  eyeMask: 'yes' | 'no' | '';
  lighting: string;
  blanket: 'yes' | 'no' | '';
  other: string;
  supportName: string;
  supportRelationship: string;
  supportPhone: string;
  rideName: string;
  ridePhone: string;
  rideRelationship: string;
}

const yesNo = (value: boolean | null): 'yes' | 'no' | '' => (value === null ? '' : value ? 'yes' : 'no');
const fromYesNo = (value: 'yes' | 'no' | ''): boolean | null => (value === '' ? null : value === 'yes');

export function emptyPreparationForm(): PreparationFormValues {
  return {
    sessionDate: '',
    goals: [],
    intentions: [],
    concerns: '',
    psychoeducation: Object.fromEntries(
      psychoeducationTopics.map((t) => [t, { covered: false, note: '' }]),
    ) as PreparationFormValues['psychoeducation'],
    music: '',
    eyeMask: '',
    lighting: '',
    blanket: '',
    other: '',
    supportName: '',
    supportRelationship: '',
    supportPhone: '',
    rideName: '',
    ridePhone: '',
    rideRelationship: '',
  };
}

export function formFromContent(content: PreparationContent): PreparationFormValues {
  const values = emptyPreparationForm();
  for (const item of content.psychoeducation)
    values.psychoeducation[item.topic] = { covered: item.covered, note: item.note ?? '' };
  return {
    ...values,
    sessionDate: content.sessionDate ?? '',
    goals: content.goals.map((g) => ({ ...g })),
    intentions: content.intentions.map((g) => ({ ...g })),
    concerns: content.concerns ?? '',
    music: content.setAndSetting.music ?? '',
    eyeMask: yesNo(content.setAndSetting.eyeMask),
    lighting: content.setAndSetting.lighting ?? '',
    blanket: yesNo(content.setAndSetting.blanket),
    other: content.setAndSetting.other ?? '',
    supportName: content.supportPerson?.name ?? '',
    supportRelationship: content.supportPerson?.relationship ?? '',
    supportPhone: content.supportPerson?.phone ?? '',
    rideName: content.rideHome?.name ?? '',
    ridePhone: content.rideHome?.phone ?? '',
    rideRelationship: content.rideHome?.relationship ?? '',
  };
}

export const newItem = () => ({ id: clientId(), text: '' });

const orNull = (text: string) => (text.trim() === '' ? null : text.trim());

/**
 * The content to send, or the fields that are half filled in (a support person or ride home needs a name,
 * a relationship and, for the ride, a phone number), keyed by the server's field paths.
 */
export function toContent(
  values: PreparationFormValues,
): { content: PreparationContent; problems: null } | { content: null; problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  const support = [values.supportName, values.supportRelationship, values.supportPhone].some((t) => t.trim());
  if (support && !values.supportName.trim()) problems['supportPerson.name'] = 'Enter the name';
  if (support && !values.supportRelationship.trim())
    problems['supportPerson.relationship'] = 'Enter the relationship';
  const ride = [values.rideName, values.ridePhone, values.rideRelationship].some((t) => t.trim());
  if (ride && !values.rideName.trim()) problems['rideHome.name'] = 'Enter who drives the patient home';
  if (ride && values.ridePhone.trim().length < 3) problems['rideHome.phone'] = 'Enter their phone number';
  if (ride && !values.rideRelationship.trim()) problems['rideHome.relationship'] = 'Enter the relationship';
  if (Object.keys(problems).length) return { content: null, problems };
  return {
    content: {
      sessionDate: values.sessionDate || null,
      goals: values.goals.filter((g) => g.text.trim()).map((g) => ({ id: g.id, text: g.text.trim() })),
      intentions: values.intentions
        .filter((g) => g.text.trim())
        .map((g) => ({ id: g.id, text: g.text.trim() })),
      concerns: orNull(values.concerns),
      psychoeducation: psychoeducationTopics.map((topic) => ({
        topic,
        covered: values.psychoeducation[topic].covered,
        note: orNull(values.psychoeducation[topic].note),
      })),
      setAndSetting: {
        music: orNull(values.music),
        eyeMask: fromYesNo(values.eyeMask),
        lighting: orNull(values.lighting),
        blanket: fromYesNo(values.blanket),
        other: orNull(values.other),
      },
      supportPerson: support
        ? {
            name: values.supportName.trim(),
            relationship: values.supportRelationship.trim(),
            phone: orNull(values.supportPhone),
          }
        : null,
      rideHome: ride
        ? {
            name: values.rideName.trim(),
            phone: values.ridePhone.trim(),
            relationship: values.rideRelationship.trim(),
          }
        : null,
    },
    problems: null,
  };
}
