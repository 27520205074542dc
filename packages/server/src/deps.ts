import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Database } from './db/client.ts';

/** What route modules receive: the database, the clock and the configuration, passed in (never imported). */
export interface AppDeps {
  database: Database;
  databaseKind: 'pglite' | 'postgres';
  clock: Clock;
  config: Config;
}
