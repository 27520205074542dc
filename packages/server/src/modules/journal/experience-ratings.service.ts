import { isDeepStrictEqual } from 'node:util';
import {
  difficultExperience,
  type ExperienceRatingAnswers,
  experienceRatingOpensOn,
  experienceRatingProblems,
  isExperienceRatingOpen,
} from '@kapstone/clinical';
import { and, asc, eq } from 'drizzle-orm';
import type { ServiceContext } from '../../context.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { experienceRating } from '../../db/schema/index.ts';
import { Conflict, Invalid, NotFound } from '../../errors.ts';
import { localParts } from '../scheduling/clinic-time.ts';
import { requireClinicalAccess } from '../screening/vitals.service.ts';
import type { ExperienceRatingInput } from './experience-ratings.schemas.ts';
import { clinicFacts, type PatientSession, patientSessions } from './journal.sessions.ts';

/*
 * The patient's rating of each dosing session's experience (@kapstone/clinical `monitoring.experience-rating`,
 * a Kapstone design, not a validated instrument: no totals, no bands). It opens on the day after a discharged
 * session (clinic-local) and is given once per session; a correction is a new version of the same rating.
 */

type RatingRow = typeof experienceRating.$inferSelect;

function patientIdOf(ctx: ServiceContext): string {
  if (ctx.actor.kind !== 'patient') throw new NotFound('Patient');
  return ctx.actor.patientId;
}

async function ratingsOf(ctx: ServiceContext, patientId: string): Promise<RatingRow[]> {
  return ctx.tx
    .select()
    .from(experienceRating)
    .where(and(eq(experienceRating.clinicId, ctx.clinicId), eq(experienceRating.patientId, patientId)))
    .orderBy(asc(experienceRating.version));
}

/** The current (latest) version of each session's rating. */
function currentBySession(rows: RatingRow[]): Map<string, RatingRow> {
  const current = new Map<string, RatingRow>();
  for (const row of rows) {
    const seen = current.get(row.sessionId);
    if (!seen || row.version > seen.version) current.set(row.sessionId, row);
  }
  return current;
}

function present(row: RatingRow, sessionDate: string) {
  return {
    id: row.id,
    sessionId: row.sessionId,
    sessionDate,
    version: row.version,
    amendsId: row.amendsId,
    answers: row.answers,
    submittedAt: row.submittedAt.toISOString(),
  };
}

/** The portal: which sessions' ratings are due, which open later, and what I have rated. */
export async function myExperienceRatings(ctx: ServiceContext) {
  const patientId = patientIdOf(ctx);
  const { timeZone } = await clinicFacts(ctx);
  const sessions = await patientSessions(ctx, patientId, timeZone, { dischargedOnly: true });
  const current = currentBySession(await ratingsOf(ctx, patientId));
  const today = localParts(ctx.clock.now(), timeZone).date;
  const due: { sessionId: string; sessionDate: string; opensOn: string }[] = [];
  const upcoming: typeof due = [];
  const rated: ReturnType<typeof present>[] = [];
  for (const s of sessions) {
    const rating = current.get(s.id);
    if (rating) rated.push(present(rating, s.date));
    else if (isExperienceRatingOpen(s.date, today))
      due.push({ sessionId: s.id, sessionDate: s.date, opensOn: experienceRatingOpensOn(s.date) });
    else upcoming.push({ sessionId: s.id, sessionDate: s.date, opensOn: experienceRatingOpensOn(s.date) });
  }
  ctx.audit.record({
    action: 'experience-rating.list-own',
    resourceType: 'experience_rating',
    patientId,
    detail: { due: due.length, rated: rated.length },
  });
  return { due, upcoming, rated };
}

function normalised(answers: ExperienceRatingInput['answers']): ExperienceRatingAnswers {
  return {
    ...answers,
    otherAfterEffect: answers.otherAfterEffect || null,
    comment: answers.comment || null,
  };
}

/** My rating of one of my sessions, or a correction of it (`amendsId`). Idempotent by the client id. */
export async function rateMySession(ctx: ServiceContext, sessionId: string, input: ExperienceRatingInput) {
  const patientId = patientIdOf(ctx);
  const { timeZone } = await clinicFacts(ctx);
  const [session] = await patientSessions(ctx, patientId, timeZone, { ids: [sessionId] });
  if (!session) throw new NotFound('Session');
  const answers = normalised(input.answers);
  const rows = (await ratingsOf(ctx, patientId)).filter((r) => r.sessionId === sessionId);

  const retried = rows.find((r) => r.id === input.id);
  if (retried) {
    if ((retried.amendsId ?? undefined) !== input.amendsId || !isDeepStrictEqual(retried.answers, answers))
      throw idUsed();
    return { created: false, rating: present(retried, session.date) };
  }
  const problems = experienceRatingProblems(answers).map((p) => ({ ...p, path: `answers.${p.path}` }));
  if (problems.length > 0) throw new Invalid('Some answers need a second look.', problems);
  assertOpen(session, localParts(ctx.clock.now(), timeZone).date);

  const latest = rows.at(-1);
  if (!input.amendsId && latest)
    throw new Conflict('You have rated this session already: send a correction of your rating instead.', [
      { path: 'amendsId', message: 'Name the rating you are correcting.' },
    ]);
  if (input.amendsId && !rows.some((r) => r.id === input.amendsId))
    throw new Invalid('Not a rating of this session.', [
      { path: 'amendsId', message: 'Name your rating of this session.' },
    ]);
  if (input.amendsId && latest && latest.id !== input.amendsId) throw stale();

  try {
    await ctx.tx.transaction(async (sp) =>
      sp.insert(experienceRating).values({
        id: input.id,
        clinicId: ctx.clinicId,
        patientId,
        sessionId,
        version: (latest?.version ?? 0) + 1,
        amendsId: input.amendsId ?? null,
        answers,
        submittedAt: ctx.clock.now(),
      }),
    );
  } catch (error) {
    if (
      isUniqueViolation(error, 'experience_rating_id_key') ||
      isUniqueViolation(error, 'experience_rating_pkey')
    )
      throw idUsed();
    if (isUniqueViolation(error)) throw stale();
    throw error;
  }
  ctx.audit.record({
    action: input.amendsId ? 'experience-rating.correct' : 'experience-rating.submit',
    resourceType: 'experience_rating',
    resourceId: input.id,
    patientId,
    detail: { sessionId, version: (latest?.version ?? 0) + 1 },
  });
  const [saved] = (await ratingsOf(ctx, patientId)).filter((r) => r.id === input.id);
  return { created: true, rating: present(saved!, session.date) };
}

function assertOpen(session: PatientSession, today: string) {
  if (session.state !== 'discharged')
    throw new Conflict('This session has not ended with a discharge, so there is nothing to rate yet.');
  if (!isExperienceRatingOpen(session.date, today))
    throw new Conflict(
      `You can rate this session from ${experienceRatingOpensOn(session.date)}, the day after it.`,
    );
}

const idUsed = () =>
  new Conflict('This id is already used: generate a new one.', [
    { path: 'id', message: 'Generate a new id.' },
  ]);
const stale = () =>
  new Conflict('Your rating changed since you opened it: reload it and correct the latest one.', [
    { path: 'amendsId', message: 'Not the latest rating.' },
  ]);

/** Staff: the patient's current rating of each session, newest session first, with the clinic's flag. */
export async function listPatientExperienceRatings(ctx: ServiceContext, patientId: string) {
  const access = await requireClinicalAccess(ctx, patientId);
  const { timeZone, settings } = await clinicFacts(ctx);
  const current = currentBySession(await ratingsOf(ctx, patientId));
  const sessions = await patientSessions(ctx, patientId, timeZone, { ids: [...current.keys()] });
  const threshold = settings.experienceRating?.difficultyFlagAtLeast ?? null;
  const items = sessions.flatMap((s) => {
    const rating = current.get(s.id);
    if (!rating) return [];
    return [
      { ...present(rating, s.date), difficultExperience: difficultExperience(rating.answers, threshold) },
    ];
  });
  ctx.audit.record({
    action: 'experience-rating.read',
    resourceType: 'experience_rating',
    patientId,
    breakGlass: access.breakGlass,
    detail: { ratingsRead: items.map((i) => i.id) },
  });
  return { difficultyFlagAtLeast: threshold, items };
}
