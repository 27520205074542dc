import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration from the environment', () => {
  it('defaults to embedded PGlite in ./data with the demo on, on port 3000', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      demo: true,
      secureCookies: false,
      database: { kind: 'pglite', dataDir: path.resolve('./data') },
    });
  });

  it('runs on PostgreSQL with DATABASE_URL, without the demo unless asked', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://k@db:5432/kap' })).toMatchObject({
      database: { kind: 'postgres' },
      demo: false,
    });
    expect(loadConfig({ DATABASE_URL: 'postgres://k@db:5432/kap', KAPSTONE_DEMO: 'true' }).demo).toBe(true);
  });

  it('treats an empty variable as unset, and makes cookies Secure behind an https origin', () => {
    expect(loadConfig({ DATABASE_URL: '' }).database.kind).toBe('pglite');
    expect(loadConfig({ PUBLIC_URL: 'https://kap.example.org' }).secureCookies).toBe(true);
  });

  it('lists every problem at once, naming each variable', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', TRUST_PROXY: 'maybe' });
      expect.unreachable('invalid configuration was accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      for (const name of ['PORT', 'DATABASE_URL', 'LOG_LEVEL', 'TRUST_PROXY'])
        expect(problems).toContain(name);
    }
  });

  it('refuses to run production on PGlite or without a secret key', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/production requires PostgreSQL/);
    expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgresql://k@db/kap' })).toThrow(
      /KAPSTONE_SECRET_KEY/,
    );
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(
      loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgresql://k@db/kap', KAPSTONE_SECRET_KEY: key })
        .env,
    ).toBe('production');
  });
});
