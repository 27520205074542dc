import { randomUUID } from 'node:crypto';
import { addDays, localParts, zonedInstant } from '../../modules/scheduling/clinic-time.ts';
import { type call, SeedStepFailed } from './pathway.ts';

/**
 * The therapist's integration notes after the planned patient's completed dosing sessions, walked through the
 * API on the moved clock (a track of sessions.ts's runTimeline). Each session gets its integration a day or
 * two after the dose, in the afternoon, with one exception per clinic so that the console has something to
 * follow up:
 *
 *   harbor  session 1: day 2 (done), with psychotherapy notes; session 2: day 4 (late), then corrected;
 *           session 3: none (missing)
 *   summit  sessions 1 and 2: day 1 and day 2 (done), the second with psychotherapy notes; session 3: day 1
 *
 * The words are invented for the demo; no real patient's story.
 */

/** Days after the dose (clinic calendar) and what was recorded; `day: null`: no integration took place. */
type DemoIntegration = { day: null } | WrittenIntegration;

interface WrittenIntegration {
  day: number;
  content: {
    themes: string;
    insights: string;
    emotions: string;
    bodyExperience: string;
    intentionReflection: string;
    techniques: string[];
    techniquesOther?: string;
    actionItems: string[];
    nextFocus: string;
  };
  psychotherapyNotes?: string;
  /** A correction the therapist makes an hour later. */
  correction?: { reason: string; content: Partial<WrittenIntegration['content']> };
}

const notes: Record<string, DemoIntegration[]> = {
  harbor: [
    {
      day: 2,
      content: {
        themes: 'Letting go of control; the music as a guide',
        insights:
          'Noticed that steering the experience kept the tightness in place; allowing it eased her chest.',
        emotions: 'Apprehension early, then relief and tenderness',
        bodyExperience: 'Chest tightness that softened; heavy, warm limbs',
        intentionReflection: 'Partly met: she returned to the intention twice when she felt herself bracing.',
        techniques: ['mindfulness', 'somatic'],
        actionItems: ['Five minutes of slow breathing before bed', 'Notice one moment a day of bracing'],
        nextFocus: 'What “letting go” could look like outside the sessions',
      },
      psychotherapyNotes:
        'Process impressions: the father material is close to the surface and she is not ready to name it; hold space, do not push. Countertransference: my own urge to reassure.',
    },
    {
      day: 4,
      content: {
        themes: 'A morning routine of her own; less time on the phone',
        insights: 'Her jaw has been clenched for months; she felt it release afterwards.',
        emotions: 'Steadier; some sadness about how long she has been tense',
        bodyExperience: 'Arms heavy, then warm; jaw looser',
        intentionReflection: 'Met: she stayed curious about the discomfort rather than fighting it.',
        techniques: ['act', 'parts-work-ifs'],
        actionItems: ['Ten minutes outside every morning before opening the phone'],
        nextFocus: 'The protective part that keeps her busy',
      },
      correction: {
        reason: 'Added the homework agreed at the end of the session',
        content: {
          actionItems: [
            'Ten minutes outside every morning before opening the phone',
            'One page in the journal about the busy part',
          ],
        },
      },
    },
    { day: null },
  ],
  summit: [
    {
      day: 1,
      content: {
        themes: 'The infusion as a pause from constant worry',
        insights: 'He could watch a worry arrive and pass without following it.',
        emotions: 'Calm, a little flat the evening after',
        bodyExperience: 'Lightness in the shoulders; mild nausea at the end',
        intentionReflection: 'Met: he wanted to “see the worry from outside” and did for a while.',
        techniques: ['cbt', 'mindfulness'],
        actionItems: ['Write down one worry a day and what happened with it'],
        nextFocus: 'Sleep and the late-evening worry loop',
      },
    },
    {
      day: 2,
      content: {
        themes: 'Old grief about his brother',
        insights: 'Some of the worry protects him from the grief.',
        emotions: 'Sadness, then warmth',
        bodyExperience: 'Tears; a loosening in the throat',
        intentionReflection: 'Partly met: he let the sadness in without judging it.',
        techniques: ['narrative', 'other'],
        techniquesOther: 'Letter-writing',
        actionItems: ['Draft a letter to his brother, not to send'],
        nextFocus: 'Grief and the worry that shields it',
      },
      psychotherapyNotes:
        'Process notes: the brother’s accident, the guilt he has never told anyone about. Keep out of the progress note.',
    },
    {
      day: 1,
      content: {
        themes: 'Carrying the calm into work',
        insights: 'He can pause before answering email.',
        emotions: 'Hopeful',
        bodyExperience: 'Less tension in the stomach',
        intentionReflection: 'Met: he practised the pause twice at work already.',
        techniques: ['motivational-interviewing'],
        actionItems: ['A two-minute pause before the first email of the day'],
        nextFocus: 'Preparing for the end of the series',
      },
    },
  ],
};

/** A staff member of the walk (sessions.ts's Person): signs in again by itself when the clock has moved on. */
interface WalkCaller {
  request(
    request: Parameters<typeof call>[2],
    expected?: number[],
    // biome-ignore lint/suspicious/noExplicitAny: demo steps read a few fields of each answer
  ): Promise<any>;
}

export interface IntegrationSummary {
  notes: number;
  corrections: number;
  psychotherapyNotes: number;
}

/**
 * A track of the demo timeline: for each completed session (before `until`), at 15:00 on the chosen day after
 * it, the therapist writes the integration note after that session.
 */
export async function* demoIntegration(
  therapist: WalkCaller,
  slug: string,
  patientId: string,
  sessionStarts: Date[],
  timeZone: string,
  until: Date,
  summary: IntegrationSummary = { notes: 0, corrections: 0, psychotherapyNotes: 0 },
): AsyncGenerator<Date, void, void> {
  const plan = notes[slug] ?? [];
  for (const [index, start] of sessionStarts.entries()) {
    const integration = plan[index];
    if (!integration || integration.day === null) continue;
    const dosedOn = localParts(start, timeZone).date;
    const heldOn = addDays(dosedOn, integration.day);
    const at = zonedInstant(heldOn, 15 * 60, timeZone);
    if (at.getTime() >= until.getTime()) continue;
    yield at;
    const adherence = await therapist.request({
      method: 'GET',
      url: `/api/v1/patients/${patientId}/integration-adherence`,
    });
    const session = (adherence.items as { sessionId: string; dosedOn: string }[]).find(
      (i) => i.dosedOn === dosedOn,
    );
    if (!session)
      throw new SeedStepFailed(`no completed dosing session of ${dosedOn} to write integration after`);
    const saved = await therapist.request({
      method: 'POST',
      url: `/api/v1/patients/${patientId}/integration-notes`,
      payload: {
        id: randomUUID(),
        dosingSessionId: session.sessionId,
        heldOn,
        content: integration.content,
        ...(integration.psychotherapyNotes ? { psychotherapyNotes: integration.psychotherapyNotes } : {}),
      },
    });
    summary.notes += 1;
    if (integration.psychotherapyNotes) summary.psychotherapyNotes += 1;
    const correction = integration.correction;
    const later = new Date(at.getTime() + 60 * 60_000);
    if (correction && later.getTime() < until.getTime()) {
      yield later;
      await therapist.request({
        method: 'POST',
        url: `/api/v1/patients/${patientId}/integration-notes/${saved.id}/amendments`,
        payload: {
          id: randomUUID(),
          amendsId: saved.current.id,
          reason: correction.reason,
          heldOn,
          content: { ...integration.content, ...correction.content },
        },
      });
      summary.corrections += 1;
    }
  }
}
