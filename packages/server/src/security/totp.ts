import { randomInt } from 'node:crypto';
import * as OTPAuth from 'otpauth';

/**
 * TOTP (RFC 6238) as authenticator apps expect it: SHA-1, 6 digits, 30-second steps. One step of clock
 * drift either way is accepted, and a step once used is refused (no replay of an observed code).
 */
const period = 30;

function totpFor(secretBase32: string, label = 'Kapstone'): OTPAuth.TOTP {
  return new OTPAuth.TOTP({
    issuer: 'Kapstone',
    label,
    algorithm: 'SHA1',
    digits: 6,
    period,
    secret: OTPAuth.Secret.fromBase32(secretBase32),
  });
}

export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

export function totpUri(secretBase32: string, accountEmail: string): string {
  return totpFor(secretBase32, accountEmail).toString();
}

/** The time step a valid code belongs to, or null when the code is wrong or already used. */
export function acceptTotp(
  secretBase32: string,
  code: string,
  now: Date,
  lastUsedStep: number | null,
): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpFor(secretBase32).validate({ token: code, timestamp: now.getTime(), window: 1 });
  if (delta === null) return null;
  const step = Math.floor(now.getTime() / 1000 / period) + delta;
  if (lastUsedStep !== null && step <= lastUsedStep) return null;
  return step;
}

/** For tests and the CLI: the code an authenticator would show at `now`. */
export function currentTotp(secretBase32: string, now: Date): string {
  return totpFor(secretBase32).generate({ timestamp: now.getTime() });
}

/** Ten single-use recovery codes, e.g. 'k7q2m-9xw4p' (about 50 bits each; no 0/o, 1/i/l to misread). */
export function newRecoveryCodes(count = 10): string[] {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  return Array.from({ length: count }, () => {
    const chars = Array.from({ length: 10 }, () => alphabet[randomInt(alphabet.length)]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

export function normaliseRecoveryCode(code: string): string {
  return code.trim().toLowerCase().replace(/\s+/g, '');
}
