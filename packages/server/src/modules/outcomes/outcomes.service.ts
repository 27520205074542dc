import {
  ageBandOf,
  ageOn,
  type CohortMember,
  cohortRules,
  cohortWeeklySeries,
  instruments,
  normaliseIcd10,
  outcomeRules,
  summarizeCohort,
} from '@kapstone/clinical';
import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { ServiceContext } from '../../context.ts';
import { clinic, dosingSession, patient, treatmentPlan } from '../../db/schema/index.ts';
import { NotFound } from '../../errors.ts';
import { loadScoreSeriesOfPatients } from '../measures/measures.series.ts';
import { localParts } from '../scheduling/clinic-time.ts';
import { courseValues } from './outcomes.course.ts';
import type { OutcomesQuery, OutcomesView } from './outcomes.schemas.ts';

/** The weekly chart covers the course and the first follow-up (six months of weeks would be mostly empty). */
const weeklyChartWeeks = 12;

/**
 * A viewer who may see only de-identified aggregates: the researcher role without a clinical or admin
 * role (blueprint 1: "de-identified outcomes and exports only, never identities").
 */
function isResearchView(ctx: ServiceContext): boolean {
  if (ctx.actor.kind !== 'staff') return true;
  const roles = ctx.actor.roles;
  return roles.includes('researcher') && !roles.includes('prescriber') && !roles.includes('admin');
}

interface Course {
  patientId: string;
  indicationIcd10: string;
  route: string;
  protocolId: string;
  doses: Date[];
}

/**
 * The patients' courses: the dosing sessions that got a dose (as `loadCourseDoses`), grouped by treatment
 * plan (all versions of a plan are one course), each with the indication, route and protocol of the plan's
 * latest signed version. One query each for the plans and the doses of the whole clinic.
 */
async function loadCourses(ctx: ServiceContext): Promise<Course[]> {
  const plans = await ctx.tx
    .select({
      id: treatmentPlan.id,
      seriesId: treatmentPlan.seriesId,
      version: treatmentPlan.version,
      patientId: treatmentPlan.patientId,
      indicationIcd10: treatmentPlan.indicationIcd10,
      route: treatmentPlan.route,
      protocolId: treatmentPlan.protocolId,
    })
    .from(treatmentPlan)
    .where(and(eq(treatmentPlan.clinicId, ctx.clinicId), eq(treatmentPlan.status, 'signed')));
  const seriesOf = new Map(plans.map((p) => [p.id, p.seriesId]));
  const latest = new Map<string, (typeof plans)[number]>();
  for (const p of plans) {
    const seen = latest.get(p.seriesId);
    if (!seen || p.version > seen.version) latest.set(p.seriesId, p);
  }
  const doses = await ctx.tx
    .select({ planId: dosingSession.planId, at: dosingSession.dosingStartedAt })
    .from(dosingSession)
    .where(and(eq(dosingSession.clinicId, ctx.clinicId), isNotNull(dosingSession.dosingStartedAt)))
    .orderBy(asc(dosingSession.dosingStartedAt), asc(dosingSession.id));
  const courses = new Map<string, Course>();
  for (const dose of doses) {
    const seriesId = seriesOf.get(dose.planId);
    const plan = seriesId ? latest.get(seriesId) : undefined;
    if (!seriesId || !plan || !dose.at) continue;
    const course = courses.get(seriesId) ?? {
      patientId: plan.patientId,
      indicationIcd10: plan.indicationIcd10,
      route: plan.route,
      protocolId: plan.protocolId,
      doses: [],
    };
    course.doses.push(dose.at);
    courses.set(seriesId, course);
  }
  return [...courses.values()];
}

function notesFor(instrument: OutcomesQuery['instrument']): OutcomesView['notes'] {
  const ids = new Set([`outcomes.${instrument}.response`, `outcomes.${instrument}.remission`]);
  return [...outcomeRules.filter((r) => ids.has(r.id)), ...cohortRules].map((r) => ({
    id: r.id,
    title: r.title,
    citation: r.citation,
  }));
}

/**
 * Practice outcomes of the clinic's cohort on one instrument, in the shape of Dore et al. 2019
 * (clinical-reference 5.1): aggregates only, never a patient's identity, for prescribers, admins and
 * researchers (`outcomes.read`). The cohort is every patient of the clinic with a course that got a dose and
 * matches the filters (a patient counts once: their first matching course); no chart is opened, so the care
 * team does not narrow it. One audit event records the read with its filters.
 *
 * Small cells: the clinic's `outcomes.minimumCellSize` (no default, the reference gives no number) applies to
 * every viewer once set; a research view requires it, and shows nothing until the clinic has set it.
 */
export async function cohortOutcomes(ctx: ServiceContext, query: OutcomesQuery): Promise<OutcomesView> {
  const [home] = await ctx.tx
    .select({ settings: clinic.settings, timeZone: clinic.timeZone })
    .from(clinic)
    .where(eq(clinic.id, ctx.clinicId));
  if (!home) throw new NotFound('Clinic');
  const minimumCellSize = home.settings.outcomes?.minimumCellSize ?? null;
  const researchView = isResearchView(ctx);
  const withheld = researchView && minimumCellSize === null;
  const filters = {
    instrument: query.instrument,
    indication: query.indication ?? null,
    route: query.route ?? null,
    protocol: query.protocol ?? null,
    ageBand: query.ageBand ?? null,
    sex: query.sex ?? null,
    from: query.from ?? null,
    to: query.to ?? null,
  };
  ctx.audit.record({
    action: 'outcomes.read',
    resourceType: 'outcomes-cohort',
    detail: { filters, researchView, withheld },
  });
  const definition = instruments[query.instrument];
  const base = {
    filters,
    instrument: { id: query.instrument, shortName: definition.shortName, name: definition.name },
    notes: notesFor(query.instrument),
  };
  if (withheld) {
    return {
      ...base,
      suppression: {
        minimumCellSize,
        researchView,
        notice:
          'The clinic has not set a minimum cell size for outcome figures (clinic settings, outcomes.minimumCellSize). Until it does, research views show no figures.',
      },
      withheld: true,
      summary: null,
      weekly: null,
    };
  }

  const indication = query.indication ? normaliseIcd10(query.indication) : null;
  const courses = (await loadCourses(ctx)).filter(
    (c) =>
      (!indication || normaliseIcd10(c.indicationIcd10).startsWith(indication)) &&
      (!query.route || c.route === query.route) &&
      (!query.protocol || c.protocolId === query.protocol),
  );
  const firstDay = (c: Course) => localParts(c.doses[0]!, home.timeZone).date;
  const inRange = courses
    .filter((c) => (!query.from || firstDay(c) >= query.from) && (!query.to || firstDay(c) <= query.to))
    .sort((a, b) => a.doses[0]!.getTime() - b.doses[0]!.getTime());
  const firstCourse = new Map<string, Course>();
  for (const c of inRange) if (!firstCourse.has(c.patientId)) firstCourse.set(c.patientId, c);

  const people = firstCourse.size
    ? await ctx.tx
        .select({ id: patient.id, dateOfBirth: patient.dateOfBirth, sexAtBirth: patient.sexAtBirth })
        .from(patient)
        .where(and(eq(patient.clinicId, ctx.clinicId), inArray(patient.id, [...firstCourse.keys()])))
    : [];
  const included = people.flatMap((person) => {
    const course = firstCourse.get(person.id)!;
    const ageYears = ageOn(person.dateOfBirth, firstDay(course));
    if (query.ageBand && ageBandOf(ageYears) !== query.ageBand) return [];
    if (query.sex && person.sexAtBirth !== query.sex) return [];
    return [{ person, course, ageYears }];
  });
  // The whole cohort's scores in a few queries (one per 500 patients), not one query per patient.
  const seriesOf = await loadScoreSeriesOfPatients(
    ctx,
    included.map((m) => m.person.id),
    [query.instrument],
  );
  const members: CohortMember[] = included.map(({ person, course, ageYears }) => ({
    ageYears,
    sex: person.sexAtBirth,
    ...courseValues(seriesOf.get(person.id)?.get(query.instrument) ?? [], course.doses),
  }));
  const options = { minimumCellSize };
  return {
    ...base,
    suppression: {
      minimumCellSize,
      researchView,
      notice:
        minimumCellSize === null
          ? null
          : `Figures resting on fewer than ${minimumCellSize} patients are suppressed (clinic setting).`,
    },
    withheld: false,
    summary: summarizeCohort(query.instrument, members, options),
    weekly: cohortWeeklySeries(query.instrument, members, { ...options, maxWeek: weeklyChartWeeks }),
  };
}
