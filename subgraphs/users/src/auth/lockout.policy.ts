import type { User } from '../entities/user.entity';

/** Failed sign-ins allowed within the window before the account locks. */
export const MAX_FAILED_LOGINS = 5;
/** The window in which failures count, and how long a lock lasts. */
export const LOCKOUT_WINDOW_MS = 15 * 60_000;
export const LOCKOUT_DURATION_MS = 15 * 60_000;

/** The moment the account unlocks, or null when it is not locked now. */
export function lockedUntil(user: User, now = new Date()): Date | null {
  return user.lockedUntil && user.lockedUntil > now ? user.lockedUntil : null;
}

/**
 * Records a failed sign-in on the entity: failures older than the window start a new count; the
 * MAX_FAILED_LOGINS-th failure within it locks the account. Returns true when this failure locked it.
 */
export function recordFailedLogin(user: User, now = new Date()): boolean {
  const windowOpen =
    user.failedWindowStartedAt && now.getTime() - user.failedWindowStartedAt.getTime() < LOCKOUT_WINDOW_MS;
  if (!windowOpen) {
    user.failedWindowStartedAt = now;
    user.failedLogins = 0;
  }
  user.failedLogins += 1;
  if (user.failedLogins >= MAX_FAILED_LOGINS) {
    user.lockedUntil = new Date(now.getTime() + LOCKOUT_DURATION_MS);
    user.failedLogins = 0;
    user.failedWindowStartedAt = null;
    return true;
  }
  return false;
}

/** Clears failure counting after a successful sign-in or a password reset. */
export function clearFailedLogins(user: User): void {
  user.failedLogins = 0;
  user.failedWindowStartedAt = null;
  user.lockedUntil = null;
}
