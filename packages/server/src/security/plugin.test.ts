import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { loadConfig } from '../config.ts';
import type { Database } from '../db/client.ts';
import securityPlugin from './plugin.ts';

/**
 * Deny by default, at registration: an /api/v1 route that names neither a permission nor `public` is a
 * programming error caught when the app starts, not a route that quietly answers everyone.
 */
let app: FastifyInstance | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

async function bareApp(): Promise<FastifyInstance> {
  const instance = Fastify({ logger: false });
  await instance.register(fastifyCookie);
  await instance.register(securityPlugin, {
    // Registration never touches the database; a request would, and none is made here.
    database: {} as Database,
    databaseKind: 'pglite',
    clock: new ManualClock(),
    config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }),
  });
  app = instance;
  return instance;
}

describe('route registration', () => {
  it('refuses an API route that names no permission', async () => {
    const instance = await bareApp();
    expect(() => instance.get('/api/v1/forgotten', async () => ({ ok: true }))).toThrow(
      /GET \/api\/v1\/forgotten names no permission/,
    );
    expect(() => instance.post('/api/v1/forgotten-too', { config: {} }, async () => ({ ok: true }))).toThrow(
      /names no permission/,
    );
  });

  it('accepts an API route with a permission or marked public, and leaves other paths alone', async () => {
    const instance = await bareApp();
    expect(() =>
      instance.get('/api/v1/guarded', { config: { permission: 'audit.read' } }, async () => ({})),
    ).not.toThrow();
    expect(() => instance.get('/api/v1/open', { config: { public: true } }, async () => ({}))).not.toThrow();
    expect(() => instance.get('/healthz-like', async () => ({}))).not.toThrow();
  });

  it('answers 401 to an anonymous caller of a guarded route and lets a public one through', async () => {
    const instance = await bareApp();
    instance.get('/api/v1/guarded', { config: { permission: 'audit.read' } }, async () => ({ secret: 1 }));
    instance.get('/api/v1/open', { config: { public: true } }, async () => ({ open: 1 }));
    const guarded = await instance.inject({ method: 'GET', url: '/api/v1/guarded' });
    expect(guarded.statusCode).toBe(401);
    expect(guarded.body).not.toContain('secret');
    expect((await instance.inject({ method: 'GET', url: '/api/v1/open' })).json()).toEqual({ open: 1 });
  });
});
