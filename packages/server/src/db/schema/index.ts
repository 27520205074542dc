// The Drizzle schema, one file per area. drizzle-kit reads this index to generate SQL migrations
// (npm run db:generate -w @kapstone/server); add an area's file here when its tables are ready.
export * from './audit.ts';
export * from './clinic.ts';
export * from './identity.ts';
export * from './patients.ts';
export * from './scheduling.ts';
