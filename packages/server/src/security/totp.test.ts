import { describe, expect, it } from 'vitest';
import {
  acceptTotp,
  currentTotp,
  newRecoveryCodes,
  newTotpSecret,
  normaliseRecoveryCode,
  totpUri,
} from './totp.ts';

/** RFC 6238 appendix B: the SHA-1 seed is the ASCII string "12345678901234567890". */
const rfcSeed = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
/** The RFC's 8-digit SHA-1 values; a 6-digit code is their last six digits (RFC 4226 5.3). */
const rfcVectors: [seconds: number, eightDigits: string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
];
const at = (seconds: number) => new Date(seconds * 1000);
const stepOf = (seconds: number) => Math.floor(seconds / 30);

describe('TOTP', () => {
  it('produces the RFC 6238 test vectors (SHA-1, 30-second steps, 6 digits)', () => {
    for (const [seconds, code] of rfcVectors) expect(currentTotp(rfcSeed, at(seconds))).toBe(code.slice(2));
  });

  it('accepts a current code and names its time step', () => {
    for (const [seconds, code] of rfcVectors)
      expect(acceptTotp(rfcSeed, code.slice(2), at(seconds), null)).toBe(stepOf(seconds));
  });

  it('accepts one step of drift either way, and no more', () => {
    const now = 1234567890;
    for (const drift of [-1, 0, 1]) {
      const code = currentTotp(rfcSeed, at(now + drift * 30));
      expect(acceptTotp(rfcSeed, code, at(now), null), `drift ${drift}`).toBe(stepOf(now) + drift);
    }
    for (const drift of [-3, -2, 2, 3]) {
      const code = currentTotp(rfcSeed, at(now + drift * 30));
      expect(acceptTotp(rfcSeed, code, at(now), null), `drift ${drift}`).toBeNull();
    }
  });

  it('refuses a code from a step already used, or from an earlier one (no replay)', () => {
    const now = 2000000000;
    const code = currentTotp(rfcSeed, at(now));
    const step = acceptTotp(rfcSeed, code, at(now), null)!;
    expect(acceptTotp(rfcSeed, code, at(now + 5), step)).toBeNull();
    const previous = currentTotp(rfcSeed, at(now - 30));
    expect(acceptTotp(rfcSeed, previous, at(now), step)).toBeNull();
    const next = currentTotp(rfcSeed, at(now + 30));
    expect(acceptTotp(rfcSeed, next, at(now + 30), step)).toBe(step + 1);
  });

  it('refuses anything but six digits, and a right-looking code for another seed', () => {
    const now = at(1111111111);
    const code = currentTotp(rfcSeed, now);
    for (const wrong of ['', '12345', '1234567', `${code} `, ` ${code}`, 'abcdef', '12 456', '١٢٣٤٥٦'])
      expect(acceptTotp(rfcSeed, wrong, now, null), JSON.stringify(wrong)).toBeNull();
    const otherSeed = newTotpSecret();
    const otherCode = currentTotp(otherSeed, now);
    if (otherCode !== code) expect(acceptTotp(rfcSeed, otherCode, now, null)).toBeNull();
  });

  it('draws 160-bit secrets (RFC 4226 4, R6) that differ every time', () => {
    const secrets = Array.from({ length: 20 }, () => newTotpSecret());
    for (const secret of secrets) expect(secret).toMatch(/^[A-Z2-7]{32}$/); // 20 bytes in base32
    expect(new Set(secrets).size).toBe(secrets.length);
  });

  it('writes the otpauth URI authenticator apps read', () => {
    const uri = new URL(totpUri(rfcSeed, 'nurse@clinic.example'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Kapstone:nurse@clinic.example');
    expect(uri.searchParams.get('secret')).toBe(rfcSeed);
    expect(uri.searchParams.get('issuer')).toBe('Kapstone');
    expect(uri.searchParams.get('algorithm')).toBe('SHA1');
    expect(uri.searchParams.get('digits')).toBe('6');
    expect(uri.searchParams.get('period')).toBe('30');
  });
});

describe('recovery codes', () => {
  it('issues ten distinct codes from an alphabet without look-alike characters', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-hjkmnp-z2-9]{5}-[a-hjkmnp-z2-9]{5}$/);
  });

  it('reads a code back however it was typed', () => {
    expect(normaliseRecoveryCode('  K7Q2M-9XW4P ')).toBe('k7q2m-9xw4p');
    expect(normaliseRecoveryCode('k7q2m -  9xw4p')).toBe('k7q2m-9xw4p');
  });
});
