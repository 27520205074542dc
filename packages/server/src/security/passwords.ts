import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id with @node-rs/argon2's defaults, which are OWASP's recommended minimum (m=19456 KiB, t=2, p=1;
 * OWASP Password Storage Cheat Sheet). The algorithm is argon2id by default; we do not import the
 * library's const enum (it breaks under verbatimModuleSyntax, STACK.md).
 */
export async function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the account does not exist, so both paths spend the same time. */
let decoyHash: Promise<string> | null = null;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hash('kapstone-decoy-password-for-timing');
  return decoyHash;
}

/** NIST SP 800-63B 5.1.1.2: at least 8 characters; we ask 12 for staff and patients alike, and at most 256. */
export const minimumPasswordLength = 12;
export const maximumPasswordLength = 256;
