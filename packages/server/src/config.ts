import path from 'node:path';
import { z } from 'zod';

/**
 * Configuration comes only from the environment, is validated once at boot, and a bad value stops
 * the process with every problem listed (not just the first).
 */
const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** When set, Kapstone runs on this PostgreSQL server; when unset, on embedded PGlite in DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  /** Seed the synthetic demo clinics when the database is empty. Defaults to on for PGlite, off for PostgreSQL. */
  KAPSTONE_DEMO: booleanFromEnv.optional(),
  /** The public origin, e.g. https://kap.example.org; an https origin makes the session cookie Secure. */
  PUBLIC_URL: z.url().optional(),
  /** Trust X-Forwarded-* from a reverse proxy (needed for the real client IP and https detection). */
  TRUST_PROXY: booleanFromEnv.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Key for secrets encrypted at rest (TOTP seeds): 32 random bytes, base64. Required in production. */
  KAPSTONE_SECRET_KEY: z
    .string()
    .min(32, 'use 32 random bytes in base64 (openssl rand -base64 32)')
    .optional(),
  /** Where the built web app lives; the server serves it at /. */
  WEB_DIST_DIR: z.string().optional(),
  /** Outgoing mail server, e.g. smtps://user:pass@smtp.example.org:465. Unset: mail is logged, not sent. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^/\s]+/, 'must be an smtp:// or smtps:// URL (smtp://user:pass@host:587)')
    .optional(),
  /** The sender of the clinic's mail: an address, or `Name <address>`. Required with SMTP_URL. */
  MAIL_FROM: z
    .string()
    .trim()
    .max(320)
    .regex(
      /^(?:[^<>@\r\n]*<[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+)$/,
      'must be an address or "Name <address>"',
    )
    .optional(),
  /** Text messages (measure reminders): 'console' logs a redacted line; 'off' sends none. No gateway is built in. */
  SMS_ADAPTER: z.enum(['console', 'off']).default('console'),
});

export interface Config {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  database: { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };
  demo: boolean;
  publicUrl: string | null;
  secureCookies: boolean;
  trustProxy: boolean;
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
  webDistDir: string;
  /** Key for secrets at rest; a fixed development key outside production (never for real data). */
  secretKey: string;
  /** Outgoing mail: SMTP when configured; otherwise the console adapter (see modules/mail). */
  mail: { smtpUrl: string | null; from: string };
  /** Text messages: the adapter measure reminders go through (modules/reminders/sms.ts). */
  sms: { adapter: 'console' | 'off' };
}

/** Outside production, TOTP seeds are still encrypted, under this published key: fine for demos, not for patients. */
const developmentSecretKey = 'kapstone-development-key-not-for-production-use';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (DATABASE_URL= in an env file) means unset.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  const database: Config['database'] = e.DATABASE_URL
    ? { kind: 'postgres', url: e.DATABASE_URL }
    : { kind: 'pglite', dataDir: path.resolve(e.DATA_DIR) };
  const problems: string[] = [];
  if (e.NODE_ENV === 'production' && database.kind === 'pglite') {
    problems.push(
      'DATABASE_URL: production requires PostgreSQL; the embedded PGlite database is for trying Kapstone, demos, development and tests (see docs/deployment.md)',
    );
  }
  if (e.NODE_ENV === 'production' && !e.KAPSTONE_SECRET_KEY) {
    problems.push(
      'KAPSTONE_SECRET_KEY: required in production (32 random bytes, base64: openssl rand -base64 32)',
    );
  }
  if (e.SMTP_URL && !e.MAIL_FROM) {
    problems.push(
      'MAIL_FROM: required with SMTP_URL (the sender address, e.g. "Kapstone <noreply@example.org>")',
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    database,
    demo: e.KAPSTONE_DEMO ?? database.kind === 'pglite',
    publicUrl: e.PUBLIC_URL ?? null,
    secureCookies: e.PUBLIC_URL?.startsWith('https://') ?? false,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    webDistDir: path.resolve(e.WEB_DIST_DIR ?? path.join(import.meta.dirname, '../../web/dist')),
    secretKey: e.KAPSTONE_SECRET_KEY ?? developmentSecretKey,
    mail: { smtpUrl: e.SMTP_URL ?? null, from: e.MAIL_FROM ?? 'Kapstone <no-reply@localhost>' },
    sms: { adapter: e.SMS_ADAPTER },
  };
}
