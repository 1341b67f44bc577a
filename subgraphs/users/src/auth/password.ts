import argon2 from 'argon2';
import { BadUserInputError } from '@supergraph/kit';

/** argon2id parameters (OWASP's recommended minimum is m=19 MiB, t=2, p=1; we use more memory). */
const HASH_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Hashes a password with argon2id. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, HASH_OPTIONS);
}

/** True when `password` matches `hash`; false for malformed hashes. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** A hash of a random password, verified against when an email is unknown, so timing tells nothing. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  return (dummyHash ??= hashPassword('not-a-real-password-0'));
}

/**
 * The password policy: 10–128 characters, at least one letter and one non-letter, and not the
 * email address. Throws BAD_USER_INPUT naming `field`.
 */
export function checkPasswordPolicy(password: string, field: string, email?: string): void {
  if (password.length < 10) throw new BadUserInputError(`${field} must be at least 10 characters.`, field);
  if (password.length > 128) throw new BadUserInputError(`${field} must be at most 128 characters.`, field);
  if (!/\p{L}/u.test(password) || !/[^\p{L}]/u.test(password)) {
    throw new BadUserInputError(`${field} must contain at least one letter and one digit or symbol.`, field);
  }
  if (
    email &&
    password.toLowerCase().includes(email.split('@')[0]!.toLowerCase()) &&
    email.split('@')[0]!.length >= 4
  ) {
    throw new BadUserInputError(`${field} must not contain your email address.`, field);
  }
}
