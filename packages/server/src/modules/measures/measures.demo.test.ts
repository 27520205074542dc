import { scoreInstrument } from '@kapstone/clinical';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import { alert, auditEvent, observation, questionnaireResponse } from '../../db/schema/index.ts';
import { createTestDatabase } from '../../testing/database.ts';
import { createClinic, createPatient, createPatientUser, createStaffUser } from '../../testing/factories.ts';
import { seedDemoMeasures } from './measures.demo.ts';

let database: DatabaseHandle;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

describe('seedDemoMeasures', () => {
  it('stores a completed baseline through the service: scores, observations, alerts and audit', async () => {
    const clinic = await createClinic(database.db);
    const staff = await createStaffUser(database.db, clinic.id, ['prescriber']);
    const patient = await createPatient(database.db, clinic.id, { sexAtBirth: 'male' });
    const account = await createPatientUser(database.db, clinic.id, patient.id);
    const clock = new ManualClock('2026-06-01T15:00:00Z');
    const result = await database.db.transaction((tx) =>
      seedDemoMeasures(tx, clock, {
        clinicId: clinic.id,
        patientId: patient.id,
        staff: { userId: staff.id, email: staff.email, displayName: 'Dr Demo', roles: ['prescriber'] },
        patientAccount: { userId: account.id, email: account.email, displayName: 'Demo Patient' },
        profile: 'severe-with-risk',
      }),
    );
    expect(result.responses).toBe(7);
    const stored = await database.db
      .select()
      .from(questionnaireResponse)
      .where(eq(questionnaireResponse.patientId, patient.id));
    expect(stored).toHaveLength(7);
    for (const response of stored) {
      expect(response.source).toBe('patient');
      expect(response.score).toEqual(scoreInstrument(response.instrument, response.answers, { sex: 'male' }));
    }
    expect(
      await database.db.select().from(observation).where(eq(observation.patientId, patient.id)),
    ).toHaveLength(7 + 4); // one total each, plus the PCL-5's four clusters
    const alerts = await database.db.select().from(alert).where(eq(alert.patientId, patient.id));
    expect(alerts.map((a) => a.severity).sort()).toEqual(['high', 'high']);
    const audit = await database.db
      .select({ action: auditEvent.action })
      .from(auditEvent)
      .where(eq(auditEvent.patientId, patient.id));
    expect(audit.filter((a) => a.action === 'questionnaire-response.create')).toHaveLength(7);
  });

  it('enters the answers as staff when the patient has no portal account', async () => {
    const clinic = await createClinic(database.db);
    const staff = await createStaffUser(database.db, clinic.id, ['nurse']);
    const patient = await createPatient(database.db, clinic.id);
    await database.db.transaction((tx) =>
      seedDemoMeasures(tx, new ManualClock('2026-06-01T15:00:00Z'), {
        clinicId: clinic.id,
        patientId: patient.id,
        staff: { userId: staff.id, email: staff.email, displayName: 'Nurse Demo', roles: ['nurse'] },
        profile: 'mild',
      }),
    );
    const stored = await database.db
      .select()
      .from(questionnaireResponse)
      .where(eq(questionnaireResponse.patientId, patient.id));
    expect(stored.map((r) => r.source)).toEqual(Array(7).fill('staff'));
    expect(await database.db.select().from(alert).where(eq(alert.patientId, patient.id))).toEqual([]);
  });
});
