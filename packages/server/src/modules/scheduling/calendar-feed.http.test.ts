import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import { auditEvent, calendarFeed } from '../../db/schema/index.ts';
import { createTestDatabase } from '../../testing/database.ts';
import {
  as,
  buildTestApp,
  createClinic,
  createPatient,
  createStaffUser,
  type SignedIn,
  signIn,
} from '../../testing/factories.ts';
import { foldLine, renderCalendar } from './icalendar.ts';

let database: DatabaseHandle;
let app: FastifyInstance;
let clinicId: string;
let frontDesk: SignedIn;
let admin: SignedIn;
let therapist: SignedIn;
let therapistId: string;
let researcher: SignedIn;
const clock = new ManualClock('2026-06-01T08:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, clock);
  clinicId = (await createClinic(database.db)).id;
  frontDesk = await signIn(app, (await createStaffUser(database.db, clinicId, ['frontdesk'])).email);
  admin = await signIn(app, (await createStaffUser(database.db, clinicId, ['admin'])).email);
  const t = await createStaffUser(database.db, clinicId, ['therapist']);
  therapistId = t.id;
  therapist = await signIn(app, t.email);
  researcher = await signIn(app, (await createStaffUser(database.db, clinicId, ['researcher'])).email);
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const fetchFeed = (path: string, ip = '203.0.113.7') =>
  app.inject({ method: 'GET', url: path, remoteAddress: ip });

describe('iCalendar feeds', () => {
  it('gives a staff member a secret feed of their appointments, with initials and no names, MRN or notes', async () => {
    const patient = await createPatient(database.db, clinicId, {
      givenName: 'Marguerite',
      familyName: 'Okonkwo',
    });
    const roomId = (
      await as(
        app,
        admin,
      )({ method: 'POST', url: '/api/v1/rooms', payload: { name: 'Willow, east', kind: 'therapy-room' } })
    ).json().id;
    const booked = await as(
      app,
      frontDesk,
    )({
      method: 'POST',
      url: '/api/v1/appointments',
      payload: {
        patientId: patient.id,
        kind: 'integration',
        roomId,
        startsAt: '2026-06-03T14:00:00Z',
        staff: [{ userId: therapistId, role: 'therapist' }],
        note: 'Talked about her sister',
      },
    });
    expect(booked.statusCode, booked.body).toBe(201);

    expect((await as(app, therapist)({ method: 'GET', url: '/api/v1/calendar-feed' })).json().active).toBe(
      false,
    );
    const created = await as(app, therapist)({ method: 'POST', url: '/api/v1/calendar-feed' });
    expect(created.statusCode, created.body).toBe(201);
    const { path, url, active } = created.json();
    expect(active).toBe(true);
    expect(path).toMatch(/^\/api\/v1\/calendar-feeds\/[A-Za-z0-9_-]{43}\.ics$/);
    expect(url.endsWith(path)).toBe(true);
    // Only the hash of the token is stored.
    const token = path.slice('/api/v1/calendar-feeds/'.length, -'.ics'.length);
    const [stored] = await database.db
      .select()
      .from(calendarFeed)
      .where(eq(calendarFeed.userId, therapistId));
    expect(stored!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(token);

    const feed = await fetchFeed(path);
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const text = feed.body;
    expect(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text).toContain(`UID:${booked.json().id}@kapstone\r\n`);
    expect(text).toContain('DTSTART:20260603T140000Z\r\nDTEND:20260603T150000Z\r\n');
    expect(text).toContain('SUMMARY:Integration session (M. O.)\r\n');
    expect(text).toContain('LOCATION:Willow\\, east\r\n');
    expect(text).toContain('STATUS:CONFIRMED');
    for (const secret of ['Marguerite', 'Okonkwo', patient.mrn, 'sister']) expect(text).not.toContain(secret);
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);

    const status = (await as(app, therapist)({ method: 'GET', url: '/api/v1/calendar-feed' })).json();
    expect(status).toMatchObject({ active: true, fetchCount: 1, lastFetchedAt: clock.now().toISOString() });
    // A cancelled appointment stays in the feed as cancelled, so calendar apps remove it.
    await as(
      app,
      frontDesk,
    )({
      method: 'POST',
      url: `/api/v1/appointments/${booked.json().id}/cancel`,
      payload: { reason: 'Patient asked to move it' },
    });
    expect((await fetchFeed(path)).body).toContain('STATUS:CANCELLED');
  });

  it('rotates and revokes: the old URL stops working at once; every step and fetch is audited', async () => {
    const first = (await as(app, frontDesk)({ method: 'POST', url: '/api/v1/calendar-feed' })).json().path;
    expect((await fetchFeed(first)).statusCode).toBe(200);
    const second = (await as(app, frontDesk)({ method: 'POST', url: '/api/v1/calendar-feed' })).json().path;
    expect(second).not.toBe(first);
    expect((await fetchFeed(first)).statusCode).toBe(404);
    expect((await fetchFeed(second)).statusCode).toBe(200);
    expect((await as(app, frontDesk)({ method: 'DELETE', url: '/api/v1/calendar-feed' })).statusCode).toBe(
      204,
    );
    expect((await fetchFeed(second)).statusCode).toBe(404);
    expect((await as(app, frontDesk)({ method: 'DELETE', url: '/api/v1/calendar-feed' })).statusCode).toBe(
      204,
    );
    expect((await as(app, frontDesk)({ method: 'GET', url: '/api/v1/calendar-feed' })).json().active).toBe(
      false,
    );
    const actions = (
      await database.db
        .select({
          action: auditEvent.action,
          actorId: auditEvent.actorId,
          resourceType: auditEvent.resourceType,
        })
        .from(auditEvent)
        .where(and(eq(auditEvent.clinicId, clinicId), eq(auditEvent.resourceType, 'calendar_feed')))
    ).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'calendar-feed.create',
        'calendar-feed.rotate',
        'calendar-feed.revoke',
        'calendar-feed.fetch',
      ]),
    );
    expect(actions.filter((a) => a === 'calendar-feed.fetch').length).toBeGreaterThanOrEqual(3);
  });

  it('answers 404 for malformed or unknown tokens, 403 to roles without the schedule, and rate-limits each address', async () => {
    expect((await fetchFeed('/api/v1/calendar-feeds/short.ics')).statusCode).toBe(404);
    expect((await fetchFeed(`/api/v1/calendar-feeds/${'B'.repeat(43)}.ics`)).statusCode).toBe(404);
    expect((await as(app, researcher)({ method: 'POST', url: '/api/v1/calendar-feed' })).statusCode).toBe(
      403,
    );
    expect((await app.inject({ method: 'POST', url: '/api/v1/calendar-feed' })).statusCode).toBe(401);
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++)
      statuses.push(
        (await fetchFeed(`/api/v1/calendar-feeds/${'C'.repeat(43)}.ics`, '198.51.100.9')).statusCode,
      );
    expect(statuses.slice(0, 30).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
    // Another address is not limited by the first one.
    expect(
      (await fetchFeed(`/api/v1/calendar-feeds/${'C'.repeat(43)}.ics`, '198.51.100.10')).statusCode,
    ).toBe(404);
  });

  it('renders RFC 5545 text: escaping and folding at 75 octets', () => {
    const long = `SUMMARY:${'é'.repeat(60)}`;
    const folded = foldLine(long);
    for (const line of folded.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(
      folded
        .split('\r\n')
        .slice(1)
        .every((l) => l.startsWith(' ')),
    ).toBe(true);
    expect(folded.replace(/\r\n /g, '')).toBe(long);
    const text = renderCalendar({
      name: 'A; B, C\\D',
      events: [],
    });
    expect(text).toContain('X-WR-CALNAME:A\\; B\\, C\\\\D\r\n');
  });
});

describe('appointment types, lengths and working hours', () => {
  it('lists the default lengths by kind and route, with their sources', async () => {
    const types = (await as(app, frontDesk)({ method: 'GET', url: '/api/v1/appointment-types' })).json()
      .items as {
      kind: string;
      route: string | null;
      product: string | null;
      defaultMinutes: number | null;
      minimumMinutes: number | null;
      source: string;
    }[];
    const find = (kind: string, route: string | null = null, product: string | null = null) =>
      types.find((t) => t.kind === kind && t.route === route && (product === null || t.product === product));
    expect(find('preparation')).toMatchObject({ defaultMinutes: 60 });
    expect(find('integration')).toMatchObject({ defaultMinutes: 60 });
    expect(find('follow-up')).toMatchObject({ defaultMinutes: null });
    expect(find('screening')).toMatchObject({ defaultMinutes: null });
    expect(find('dosing', 'intranasal', 'esketamine')).toMatchObject({
      defaultMinutes: 120,
      minimumMinutes: 120,
    });
    expect(find('dosing', 'intranasal', 'esketamine')!.source).toContain('clinical-reference 2.5');
    expect(find('dosing', 'iv')).toMatchObject({ defaultMinutes: 90, minimumMinutes: 70 });
    expect(find('dosing', 'im')).toMatchObject({ defaultMinutes: 120, minimumMinutes: null });
    expect(find('dosing', 'sublingual')).toMatchObject({ defaultMinutes: 120 });
    expect(find('dosing', 'oral', 'ketamine-racemic')).toMatchObject({ defaultMinutes: null });
  });

  it('books a default length, asks for an end time where the clinic has set none, and takes the clinic’s setting', async () => {
    const patient = await createPatient(database.db, clinicId);
    const prep = await as(
      app,
      frontDesk,
    )({
      method: 'POST',
      url: '/api/v1/appointments',
      payload: { patientId: patient.id, kind: 'preparation', startsAt: '2026-06-08T14:00:00Z' },
    });
    expect(prep.json().endsAt).toBe('2026-06-08T15:00:00.000Z');
    const followUp = { patientId: patient.id, kind: 'follow-up', startsAt: '2026-06-09T14:00:00Z' };
    const noLength = await as(
      app,
      frontDesk,
    )({ method: 'POST', url: '/api/v1/appointments', payload: followUp });
    expect(noLength.statusCode).toBe(400);
    expect(noLength.json().errors[0].path).toBe('endsAt');
    expect(
      (
        await as(
          app,
          frontDesk,
        )({
          method: 'PUT',
          url: '/api/v1/scheduling/settings',
          payload: { lengths: { followUpMinutes: 30 } },
        })
      ).statusCode,
    ).toBe(403);
    const saved = await as(
      app,
      admin,
    )({
      method: 'PUT',
      url: '/api/v1/scheduling/settings',
      payload: { lengths: { followUpMinutes: 30 } },
    });
    expect(saved.json()).toMatchObject({ lengths: { followUpMinutes: 30 }, fastingHours: null });
    const booked = await as(
      app,
      frontDesk,
    )({ method: 'POST', url: '/api/v1/appointments', payload: followUp });
    expect(booked.statusCode, booked.body).toBe(201);
    expect(booked.json().endsAt).toBe('2026-06-09T14:30:00.000Z');
    expect(
      (
        await as(
          app,
          admin,
        )({
          method: 'PUT',
          url: '/api/v1/scheduling/settings',
          payload: { lengths: { followUpMinutes: 2 } },
        })
      ).json().errors[0].path,
    ).toBe('lengths.followUpMinutes');
  });

  it('keeps working hours per person: replaced as a whole, overlaps refused, other clinics 404, audited', async () => {
    const url = `/api/v1/staff/${therapistId}/working-hours`;
    const overlap = await as(
      app,
      frontDesk,
    )({
      method: 'PUT',
      url,
      payload: {
        spans: [
          { weekday: 2, startsAt: '09:00', endsAt: '13:00' },
          { weekday: 2, startsAt: '12:00', endsAt: '17:00' },
        ],
      },
    });
    expect(overlap.statusCode).toBe(400);
    expect(overlap.json().errors).toEqual([
      { path: 'spans.1.startsAt', message: 'Overlaps another span on the same day.' },
    ]);
    expect(
      (
        await as(
          app,
          frontDesk,
        )({ method: 'PUT', url, payload: { spans: [{ weekday: 2, startsAt: '17:00', endsAt: '09:00' }] } })
      ).json().errors[0].path,
    ).toBe('spans.0.endsAt');
    expect(
      (
        await as(
          app,
          frontDesk,
        )({ method: 'PUT', url, payload: { spans: [{ weekday: 8, startsAt: '09:00', endsAt: '10:00' }] } })
      ).statusCode,
    ).toBe(400);
    const saved = await as(
      app,
      frontDesk,
    )({
      method: 'PUT',
      url,
      payload: {
        spans: [
          { weekday: 2, startsAt: '09:00', endsAt: '12:00' },
          { weekday: 2, startsAt: '13:00', endsAt: '17:00' },
        ],
      },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toEqual({
      timeZone: 'America/New_York',
      items: [
        {
          userId: therapistId,
          spans: [
            { weekday: 2, startsAt: '09:00', endsAt: '12:00' },
            { weekday: 2, startsAt: '13:00', endsAt: '17:00' },
          ],
        },
      ],
    });
    expect((await as(app, therapist)({ method: 'PUT', url, payload: { spans: [] } })).statusCode).toBe(403);
    const foreign = await createClinic(database.db);
    const foreignDesk = await signIn(
      app,
      (await createStaffUser(database.db, foreign.id, ['frontdesk'])).email,
    );
    expect((await as(app, foreignDesk)({ method: 'PUT', url, payload: { spans: [] } })).statusCode).toBe(404);
    expect(
      (await as(app, foreignDesk)({ method: 'GET', url: `/api/v1/working-hours?userId=${therapistId}` }))
        .statusCode,
    ).toBe(404);
    // The lunch break is outside the hours (12:30 New York on a Tuesday).
    const patient = await createPatient(database.db, clinicId);
    const lunch = await as(
      app,
      frontDesk,
    )({
      method: 'POST',
      url: '/api/v1/appointments',
      payload: {
        patientId: patient.id,
        kind: 'integration',
        startsAt: '2026-06-09T16:30:00Z',
        staff: [{ userId: therapistId, role: 'therapist' }],
      },
    });
    expect(lunch.statusCode).toBe(409);
    expect(lunch.json().errors[0].message).toContain('09:00–12:00, 13:00–17:00 on Tuesdays');
    const [event] = await database.db
      .select({ detail: auditEvent.detail })
      .from(auditEvent)
      .where(and(eq(auditEvent.clinicId, clinicId), eq(auditEvent.action, 'working-hours.update')));
    expect(event!.detail).toMatchObject({ spansAfter: 2 });
  });
});
