import { Secret, TOTP } from 'otpauth';

const ISSUER = 'Supergraph';

/** A fresh TOTP secret (160 bits, base32) and its otpauth:// URI for `email`. */
export function newTotpSecret(email: string): { secret: string; otpauthUrl: string } {
  const totp = new TOTP({
    issuer: ISSUER,
    label: email,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: new Secret({ size: 20 }),
  });
  return { secret: totp.secret.base32, otpauthUrl: totp.toString() };
}

/** True when `code` is valid for `secret` now, allowing one 30-second step of clock drift. */
export function verifyTotp(secret: string, code: string): boolean {
  if (!/^\d{6}$/.test(code.trim())) return false;
  const totp = new TOTP({
    issuer: ISSUER,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(secret),
  });
  return totp.validate({ token: code.trim(), window: 1 }) !== null;
}

/** The current code for `secret` (tests and the seed use it; clients use an authenticator app). */
export function currentTotp(secret: string): string {
  return new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate();
}
