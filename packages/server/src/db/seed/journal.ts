import { randomUUID } from 'node:crypto';
import { addDays, localParts, zonedInstant } from '../../modules/scheduling/clinic-time.ts';
import { type call, SeedStepFailed } from './pathway.ts';

/**
 * The demo patients' own voice after each completed dosing session, walked through the portal API on the
 * moved clock: on the evening after a session (clinic-local) the patient rates its experience and writes in
 * the journal, answering a guided prompt that names the session's intention. Some entries are shared with the
 * care team, some kept private, and one is shared and later made private again (so the chart shows only what
 * is shared now). All of it invented; no real patient's words.
 */

/** A patient of the walk (sessions.ts's Person): signs in again by itself when the clock has moved on. */
export interface PortalCaller {
  request(
    request: Parameters<typeof call>[2],
    expected?: number[],
    // biome-ignore lint/suspicious/noExplicitAny: demo steps read a few fields of each answer
  ): Promise<any>;
}

interface DemoDay {
  rating: {
    intensity: number;
    difficulty: number;
    insight: number;
    support: number;
    afterEffects: string[];
    comment: string | null;
  };
  entries: {
    promptKey: 'intention-noticed' | 'carry-forward' | 'body' | null;
    text: string;
    shared: boolean;
  }[];
}

/** What the patient writes after the first, second, third … session (the last pattern repeats). */
const demoDays: DemoDay[] = [
  {
    rating: {
      intensity: 7,
      difficulty: 6,
      insight: 5,
      support: 9,
      afterEffects: ['nausea', 'fatigue'],
      comment: 'The first twenty minutes felt like a lot. Having the nurse check in helped.',
    },
    entries: [
      {
        promptKey: 'intention-noticed',
        text: 'I kept wanting to steer it. When I remembered the intention, I let the music carry me and the tightness in my chest eased.',
        shared: true,
      },
      {
        promptKey: null,
        text: 'Tired tonight. Ate a little soup. I do not want to talk about the part with my father yet.',
        shared: false,
      },
    ],
  },
  {
    rating: {
      intensity: 6,
      difficulty: 4,
      insight: 7,
      support: 9,
      afterEffects: ['dizziness'],
      comment: null,
    },
    entries: [
      {
        promptKey: 'carry-forward',
        text: 'Ten minutes outside every morning before I open my phone.',
        shared: true,
      },
      {
        promptKey: 'body',
        text: 'Heavy arms, then warmth. Afterwards my jaw was less clenched than it has been in months.',
        shared: false,
      },
    ],
  },
  {
    rating: {
      intensity: 5,
      difficulty: 3,
      insight: 8,
      support: 10,
      afterEffects: ['none'],
      comment: 'Felt more like a conversation with myself this time.',
    },
    entries: [
      {
        promptKey: 'intention-noticed',
        text: 'Curiosity came more easily. I noticed the old fear and could watch it without running.',
        shared: true,
      },
    ],
  },
];

/** 19:30 on the day after `start`, in the clinic's calendar. */
function eveningAfter(start: Date, timeZone: string): Date {
  return zonedInstant(addDays(localParts(start, timeZone).date, 1), 19 * 60 + 30, timeZone);
}

/**
 * A track of the demo timeline (sessions.ts's runTimeline): yields the evening after each completed session
 * (those before `until` only), then rates the session and writes that evening's entries as the patient.
 */
export async function* demoJournal(
  patient: PortalCaller,
  sessionStarts: Date[],
  timeZone: string,
  until: Date,
  summary: { ratings: number; entries: number; shared: number } = { ratings: 0, entries: 0, shared: 0 },
): AsyncGenerator<Date, void, void> {
  let sharedThenPrivate = false;
  for (const [index, start] of sessionStarts.entries()) {
    const evening = eveningAfter(start, timeZone);
    if (evening.getTime() >= until.getTime()) return;
    yield evening;
    const day = demoDays[Math.min(index, demoDays.length - 1)]!;
    const sessionDate = localParts(start, timeZone).date;

    const ratings = await patient.request({ method: 'GET', url: '/api/v1/me/experience-ratings' });
    const due = (ratings.due as { sessionId: string; sessionDate: string }[]).find(
      (d) => d.sessionDate === sessionDate,
    );
    if (!due) throw new SeedStepFailed(`the session of ${sessionDate} is not open for rating the day after`);
    await patient.request({
      method: 'POST',
      url: `/api/v1/me/experience-ratings/${due.sessionId}`,
      payload: { id: randomUUID(), answers: { ...day.rating, otherAfterEffect: null } },
    });
    summary.ratings += 1;

    const prompts = await patient.request({ method: 'GET', url: '/api/v1/me/journal/prompts' });
    const session = (
      prompts.sessions as { sessionId: string; prompts: { key: string; text: string }[] }[]
    ).find((s) => s.sessionId === due.sessionId);
    if (!session) throw new SeedStepFailed(`no journal prompts for the session of ${sessionDate}`);
    for (const entry of day.entries) {
      const prompt = entry.promptKey
        ? (session.prompts.find((p) => p.key === entry.promptKey) ??
          session.prompts.find((p) => p.key === 'carry-forward'))
        : undefined;
      const saved = await patient.request({
        method: 'POST',
        url: '/api/v1/me/journal',
        payload: {
          id: randomUUID(),
          text: entry.text,
          shared: entry.shared,
          ...(prompt ? { prompt: { sessionId: session.sessionId, key: prompt.key, text: prompt.text } } : {}),
        },
      });
      summary.entries += 1;
      if (entry.shared) summary.shared += 1;
      // The second evening's shared entry is made private again an hour later: the care team no longer sees it.
      const later = new Date(evening.getTime() + 60 * 60_000);
      if (index === 1 && entry.shared && !sharedThenPrivate && later.getTime() < until.getTime()) {
        sharedThenPrivate = true;
        yield later;
        await patient.request({
          method: 'POST',
          url: `/api/v1/me/journal/${saved.id}/versions`,
          payload: { id: randomUUID(), amendsId: saved.versionId, shared: false },
        });
        summary.shared -= 1;
      }
    }
  }
}
