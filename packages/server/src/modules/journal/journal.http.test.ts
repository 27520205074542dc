import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import { auditEvent, journalEntryVersion, treatmentPlan } from '../../db/schema/index.ts';
import { createTestDatabase } from '../../testing/database.ts';
import {
  as,
  buildTestApp,
  createClinic,
  createPatient,
  createPatientUser,
  createStaffUser,
  databaseError,
  type SignedIn,
  signIn,
} from '../../testing/factories.ts';
import { createDosingSession } from '../session-safety/session.fixture.ts';

let database: DatabaseHandle;
let app: FastifyInstance;
let clinicId: string;
let staffId: string;
let therapist: SignedIn;
let frontDesk: SignedIn;
let foreignTherapist: SignedIn;
const clock = new ManualClock('2026-06-01T18:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, clock);
  clinicId = (await createClinic(database.db, { name: 'Harbor Clinic' })).id;
  const t = await createStaffUser(database.db, clinicId, ['therapist']);
  staffId = t.id;
  therapist = await signIn(app, t.email);
  frontDesk = await signIn(app, (await createStaffUser(database.db, clinicId, ['frontdesk'])).email);
  const foreign = await createClinic(database.db, { name: 'Elsewhere' });
  foreignTherapist = await signIn(app, (await createStaffUser(database.db, foreign.id, ['therapist'])).email);
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

/** A patient with a portal account and a discharged session whose plan set one intention. */
async function patientWithSession(intention = 'Meet what comes with curiosity') {
  const patient = await createPatient(database.db, clinicId);
  const session = await createDosingSession(database.db, {
    clinicId,
    patientId: patient.id,
    staffId,
    dischargedAfterMinutes: 125,
  });
  await database.db
    .update(treatmentPlan)
    .set({ intentions: [{ text: intention, preparationNoteId: null, preparationItemId: null }] })
    .where(and(eq(treatmentPlan.clinicId, clinicId), eq(treatmentPlan.id, session.planId)));
  const account = await signIn(app, (await createPatientUser(database.db, clinicId, patient.id)).email);
  return { patient, session, self: as(app, account) };
}

const staffJournal = (who: SignedIn, patientId: string) =>
  as(app, who)({ method: 'GET', url: `/api/v1/patients/${patientId}/journal` });

describe('patient journal', () => {
  it('offers guided prompts naming the session’s intention, and stores the prompt shown with the entry', async () => {
    const { session, self } = await patientWithSession('Let go of the need to fix everything');
    const prompts = await self({ method: 'GET', url: '/api/v1/me/journal/prompts' });
    expect(prompts.statusCode).toBe(200);
    const [first] = prompts.json().sessions;
    expect(first).toMatchObject({
      sessionId: session.id,
      date: '2026-06-01',
      intentions: ['Let go of the need to fix everything'],
    });
    const prompt = first.prompts.find((p: { key: string }) => p.key === 'intention-noticed');
    expect(prompt.text).toContain('“Let go of the need to fix everything”');

    const saved = await self({
      method: 'POST',
      url: '/api/v1/me/journal',
      payload: {
        id: randomUUID(),
        text: 'I noticed I stopped bracing.',
        prompt: { sessionId: session.id, ...prompt },
      },
    });
    expect(saved.statusCode).toBe(201);
    expect(saved.json()).toMatchObject({
      shared: false,
      version: 1,
      prompt: { key: 'intention-noticed', text: prompt.text },
      sessionId: session.id,
      sessionDate: '2026-06-01',
    });

    // A prompt the server did not offer for that session is refused with the field named.
    const invented = await self({
      method: 'POST',
      url: '/api/v1/me/journal',
      payload: {
        id: randomUUID(),
        text: 'x',
        prompt: { sessionId: session.id, key: 'carry-forward', text: 'A prompt nobody offered' },
      },
    });
    expect(invented.statusCode).toBe(400);
    expect(invented.json().errors).toEqual([{ path: 'prompt.text', message: expect.any(String) }]);
  });

  it('keeps a private entry from staff, shows a shared one, and hides it again once un-shared', async () => {
    const { patient, self } = await patientWithSession();
    const secret = 'PRIVATE-WORDS the care team must never read';
    const open = 'SHARED-WORDS for my therapist';
    const privateId = randomUUID();
    const sharedId = randomUUID();
    expect(
      (await self({ method: 'POST', url: '/api/v1/me/journal', payload: { id: privateId, text: secret } }))
        .statusCode,
    ).toBe(201);
    expect(
      (
        await self({
          method: 'POST',
          url: '/api/v1/me/journal',
          payload: { id: sharedId, text: open, shared: true },
        })
      ).statusCode,
    ).toBe(201);

    const seen = await staffJournal(therapist, patient.id);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().items.map((i: { id: string }) => i.id)).toEqual([sharedId]);
    expect(seen.body).toContain(open);
    expect(seen.body).not.toContain(secret);
    expect(seen.body).not.toContain(privateId);

    // Un-share: a new version; staff no longer see the entry at all.
    const mine = (await self({ method: 'GET', url: '/api/v1/me/journal' })).json();
    const entry = mine.items.find((i: { id: string }) => i.id === sharedId);
    const unshared = await self({
      method: 'POST',
      url: `/api/v1/me/journal/${sharedId}/versions`,
      payload: { id: randomUUID(), amendsId: entry.versionId, shared: false },
    });
    expect(unshared.statusCode).toBe(201);
    expect(unshared.json()).toMatchObject({ version: 2, shared: false, text: open });
    expect(unshared.json().history.map((h: { shared: boolean }) => h.shared)).toEqual([true, false]);
    const after = await staffJournal(therapist, patient.id);
    expect(after.json().items).toEqual([]);
    expect(after.body).not.toContain(open);

    // The audit trail says which version staff read while it was shared, and never carries the words.
    const events = await database.db
      .select({ action: auditEvent.action, detail: auditEvent.detail })
      .from(auditEvent)
      .where(and(eq(auditEvent.clinicId, clinicId), eq(auditEvent.patientId, patient.id)));
    const reads = events.filter((e) => e.action === 'journal.read-shared');
    expect(reads.map((e) => e.detail)).toEqual([{ versionsRead: [entry.versionId] }, { versionsRead: [] }]);
    const everything = JSON.stringify(events);
    expect(everything).not.toContain('PRIVATE-WORDS');
    expect(everything).not.toContain('SHARED-WORDS');
    // The words are sealed at rest: not in the table in clear.
    const stored = await database.db.execute(
      sql`SELECT text_sealed FROM journal_entry_version WHERE patient_id = ${patient.id}`,
    );
    expect(JSON.stringify(stored)).not.toContain('WORDS');

    // Sharing the private one later makes it visible from then on.
    const privateEntry = mine.items.find((i: { id: string }) => i.id === privateId);
    await self({
      method: 'POST',
      url: `/api/v1/me/journal/${privateId}/versions`,
      payload: {
        id: randomUUID(),
        amendsId: privateEntry.versionId,
        shared: true,
        text: 'Edited, now shared',
      },
    });
    const later = (await staffJournal(therapist, patient.id)).json();
    expect(later.items.map((i: { id: string; text: string }) => [i.id, i.text])).toEqual([
      [privateId, 'Edited, now shared'],
    ]);
  });

  it('is append-only: an edit of an old version is refused, a retry answers 200, and the table rejects updates', async () => {
    const { self, patient } = await patientWithSession();
    const id = randomUUID();
    const first = await self({ method: 'POST', url: '/api/v1/me/journal', payload: { id, text: 'Day one' } });
    const retry = await self({ method: 'POST', url: '/api/v1/me/journal', payload: { id, text: 'Day one' } });
    expect(retry.statusCode).toBe(200);
    expect(retry.json().id).toBe(first.json().id);
    const reused = await self({ method: 'POST', url: '/api/v1/me/journal', payload: { id, text: 'Other' } });
    expect(reused.statusCode).toBe(409);

    const v2 = randomUUID();
    const edit = { id: v2, amendsId: id, text: 'Day one, rewritten' };
    expect(
      (await self({ method: 'POST', url: `/api/v1/me/journal/${id}/versions`, payload: edit })).statusCode,
    ).toBe(201);
    expect(
      (await self({ method: 'POST', url: `/api/v1/me/journal/${id}/versions`, payload: edit })).statusCode,
    ).toBe(200);
    const stale = await self({
      method: 'POST',
      url: `/api/v1/me/journal/${id}/versions`,
      payload: { id: randomUUID(), amendsId: id, shared: true },
    });
    expect(stale.statusCode).toBe(409);
    const nothing = await self({
      method: 'POST',
      url: `/api/v1/me/journal/${id}/versions`,
      payload: { id: randomUUID(), amendsId: v2, text: 'Day one, rewritten' },
    });
    expect(nothing.statusCode).toBe(400);
    expect(
      await databaseError(
        database.db
          .update(journalEntryVersion)
          .set({ shared: true })
          .where(eq(journalEntryVersion.patientId, patient.id)),
      ),
    ).toContain('append-only');
    const list = (await self({ method: 'GET', url: '/api/v1/me/journal' })).json();
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ text: 'Day one, rewritten', version: 2 });
  });

  it('shows a patient only their own entries; another patient’s entry is 404', async () => {
    const a = await patientWithSession();
    const b = await patientWithSession();
    const id = randomUUID();
    await a.self({ method: 'POST', url: '/api/v1/me/journal', payload: { id, text: 'Mine alone' } });
    expect((await b.self({ method: 'GET', url: '/api/v1/me/journal' })).json().items).toEqual([]);
    const theirs = await b.self({
      method: 'POST',
      url: `/api/v1/me/journal/${id}/versions`,
      payload: { id: randomUUID(), amendsId: id, shared: true },
    });
    expect(theirs.statusCode).toBe(404);
    // Patient b may not use a's session for a prompt either.
    const prompts = (await a.self({ method: 'GET', url: '/api/v1/me/journal/prompts' })).json();
    const p = prompts.sessions[0].prompts[0];
    const borrowed = await b.self({
      method: 'POST',
      url: '/api/v1/me/journal',
      payload: { id: randomUUID(), text: 'x', prompt: { sessionId: a.session.id, ...p } },
    });
    expect(borrowed.statusCode).toBe(400);
  });

  it('answers staff without clinical access 403, another clinic 404, and a patient on the staff route 403', async () => {
    const { patient, self } = await patientWithSession();
    await self({
      method: 'POST',
      url: '/api/v1/me/journal',
      payload: { id: randomUUID(), text: 'Shared words', shared: true },
    });
    expect((await staffJournal(frontDesk, patient.id)).statusCode).toBe(403);
    const foreign = await staffJournal(foreignTherapist, patient.id);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.body).not.toContain('Shared words');
    expect((await self({ method: 'GET', url: `/api/v1/patients/${patient.id}/journal` })).statusCode).toBe(
      403,
    );
    expect((await as(app, therapist)({ method: 'GET', url: '/api/v1/me/journal' })).statusCode).toBe(403);
  });

  it('refuses bad input with field-level problems', async () => {
    const { self } = await patientWithSession();
    const cases = [
      { id: 'nope', text: 'x' },
      { id: randomUUID(), text: '   ' },
      { id: randomUUID(), text: 'x', shared: 'yes' },
      { id: randomUUID(), text: 'x', extra: 1 },
      { id: randomUUID(), text: 'x'.repeat(20_001) },
    ];
    for (const payload of cases) {
      const response = await self({ method: 'POST', url: '/api/v1/me/journal', payload });
      expect(response.statusCode, JSON.stringify(payload).slice(0, 60)).toBe(400);
      expect(response.json().errors.length).toBeGreaterThan(0);
    }
    const noChange = await self({
      method: 'POST',
      url: `/api/v1/me/journal/${randomUUID()}/versions`,
      payload: { id: randomUUID(), amendsId: randomUUID() },
    });
    expect(noChange.statusCode).toBe(400);
    expect(
      (await self({ method: 'POST', url: '/api/v1/me/journal/not-an-id/versions', payload: {} })).statusCode,
    ).toBe(400);
  });
});
