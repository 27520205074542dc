import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Bytes, sha256Hex } from './sha256.ts';

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('sha256', () => {
  it('gives the FIPS 180-4 test vectors with the fallback implementation', () => {
    expect(hex(sha256Bytes(utf8('')))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(hex(sha256Bytes(utf8('abc')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(hex(sha256Bytes(utf8('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('agrees with the platform on consent-like text of every length, accents and line breaks included', async () => {
    for (let length = 0; length < 300; length += 7) {
      const text = `José Núñez consents — ${'ä\n'.repeat(length)}“end”`;
      const expected = createHash('sha256').update(text, 'utf8').digest('hex');
      expect(hex(sha256Bytes(utf8(text)))).toBe(expected);
      expect(await sha256Hex(text)).toBe(expected);
    }
  });
});
