// The Drizzle schema, one file per area. drizzle-kit reads this index to generate SQL migrations
// (npm run db:generate -w @kapstone/server); add an area's file here when its tables are ready.

export * from './alerts.ts';
export * from './audit.ts';
export * from './clinic.ts';
export * from './consent.ts';
export * from './identity.ts';
export * from './intake.ts';
export * from './integration.ts';
export * from './invitations.ts';
export * from './jobs.ts';
export * from './journal.ts';
export * from './ledger.ts';
export * from './ledger-reports.ts';
export * from './measures.ts';
export * from './patients.ts';
export * from './plans.ts';
export * from './reminders.ts';
export * from './research.ts';
export * from './scheduling.ts';
export * from './screening.ts';
export * from './session-safety.ts';
export * from './sessions.ts';
