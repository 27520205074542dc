import { defineConfig } from 'drizzle-kit';

// Generates SQL migrations from the schema. Never point it at a live database directory: migrations are
// applied in-process at start (and by `kapstone migrate`), for PGlite and PostgreSQL alike.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: './src/db/migrations',
});
