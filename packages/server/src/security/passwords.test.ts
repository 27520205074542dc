import { describe, expect, it } from 'vitest';
import { decoyPasswordHash, hashPassword, verifyPassword } from './passwords.ts';

/** OWASP Password Storage Cheat Sheet, argon2id minimum: 19 MiB of memory, 2 iterations, 1 lane. */
const owaspArgon2id = /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

describe('password hashing', () => {
  it('stores argon2id with the OWASP parameters and a fresh salt each time', async () => {
    const first = await hashPassword('a passphrase of some length');
    const second = await hashPassword('a passphrase of some length');
    expect(first).toMatch(owaspArgon2id);
    expect(second).toMatch(owaspArgon2id);
    expect(first).not.toBe(second);
    expect(first).not.toContain('passphrase');
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(await verifyPassword(stored, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(stored, 'correct horse battery stapler')).toBe(false);
    expect(await verifyPassword(stored, 'Correct horse battery staple')).toBe(false);
    expect(await verifyPassword(stored, '')).toBe(false);
  });

  it('answers false, not an exception, for a damaged stored hash', async () => {
    expect(await verifyPassword('not a hash', 'anything')).toBe(false);
    expect(await verifyPassword('', 'anything')).toBe(false);
  });

  it('keeps a decoy hash of the same cost for unknown accounts, so their refusal takes as long', async () => {
    const decoy = await decoyPasswordHash();
    expect(decoy).toMatch(owaspArgon2id);
    expect(await decoyPasswordHash()).toBe(decoy);
    expect(await verifyPassword(decoy, 'correct horse battery staple')).toBe(false);
  });
});
