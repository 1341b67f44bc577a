import {
  AccountDisabledError,
  AccountLockedError,
  BadUserInputError,
  ConflictError,
  UnauthenticatedError,
  check,
  type Emit,
  type RequestContext,
} from '@supergraph/kit';
import type { UsersConfig } from '../config';
import { AuditEventType } from '../entities/audit-event.entity';
import { PasswordReset } from '../entities/password-reset.entity';
import { RefreshToken } from '../entities/refresh-token.entity';
import { Role, User } from '../entities/user.entity';
import type { AuthPayload } from '../types/auth.types';
import { issueAccessToken } from './access-token';
import { audit } from './audit.log';
import { clearFailedLogins, lockedUntil, recordFailedLogin } from './lockout.policy';
import { checkPasswordPolicy, dummyPasswordHash, hashPassword, verifyPassword } from './password';
import {
  newOpaqueToken,
  openSession,
  revokeFamily,
  revokeUserSessions,
  rotateRefreshToken,
  sessionsWithLiveAccess,
  tokenHash,
} from './session.service';
import type { SigningKey } from './signing-key';
import type { SecretBox } from './secret.box';
import type { TokenRevoker } from './token.revoker';
import { verifyTotp } from './totp';

const INVALID_CREDENTIALS = 'The email or password is wrong.';

/** Sign-up, sign-in, sessions and passwords: the rules of the users subgraph, outside GraphQL. */
export class AuthService {
  constructor(
    private readonly config: UsersConfig,
    private readonly key: SigningKey,
    /** Seals the two-factor seeds stored in `app_user.totp_secret`. */
    readonly secrets: SecretBox,
    /** Stops the access tokens of ended sessions at the router. */
    readonly revoker: TokenRevoker,
    /** Records the users subgraph's events. */
    private readonly emit: Emit,
  ) {}

  /** Checks the display name rule (2–50 characters) and returns it trimmed. */
  static displayName(value: string, field = 'displayName'): string {
    return check.text(value, field, { min: 2, max: 50 });
  }

  /** Creates an account (role USER), emits `user.registered`, and signs it in. */
  async signUp(
    ctx: RequestContext,
    input: { email: string; password: string; displayName: string },
  ): Promise<AuthPayload> {
    const email = check.email(input.email, 'input.email');
    const displayName = AuthService.displayName(input.displayName, 'input.displayName');
    checkPasswordPolicy(input.password, 'input.password', email);
    const em = ctx.em;
    if (await em.count(User, { email }))
      throw new ConflictError('An account with this email already exists.', 'input.email');
    const user = em.create(User, {
      email,
      displayName,
      passwordHash: await hashPassword(input.password),
      role: Role.USER,
    });
    audit(em, AuditEventType.SIGNED_UP, { userId: user.id, correlationId: ctx.correlationId });
    this.emit(em, 'user.registered', { userId: user.id, email, displayName }, { correlationId: ctx.correlationId });
    return this.signIn(ctx, user);
  }

  /**
   * Signs in with email and password (and TOTP when enabled). Five failures within 15 minutes
   * lock the account for 15 minutes; while locked every attempt answers ACCOUNT_LOCKED with the time.
   */
  async logIn(
    ctx: RequestContext,
    input: { email: string; password: string; totp?: string | null },
  ): Promise<AuthPayload> {
    const em = ctx.em;
    const email = input.email.trim().toLowerCase();
    if (!email || !input.password)
      throw new BadUserInputError('Give an email and a password.', !email ? 'input.email' : 'input.password');
    const user = await em.findOne(User, { email });
    if (!user) {
      await verifyPassword(await dummyPasswordHash(), input.password); // same cost as a real check
      audit(em, AuditEventType.LOGIN_FAILED, {
        email,
        correlationId: ctx.correlationId,
        detail: { reason: 'unknown email' },
      });
      await em.flush();
      throw new UnauthenticatedError(INVALID_CREDENTIALS);
    }
    const locked = lockedUntil(user);
    if (locked) throw new AccountLockedError(locked);

    const passwordOk = await verifyPassword(user.passwordHash, input.password);
    const totpMissing = passwordOk && user.totpEnabled && !input.totp;
    const totpOk =
      !user.totpEnabled ||
      (!!input.totp && !!user.totpSecret && verifyTotp(this.secrets.open(user.totpSecret), input.totp));
    if (totpMissing) {
      // Right password, second factor still to come: not a failure.
      throw new UnauthenticatedError('Enter the 6-digit code from your authenticator app (input.totp).');
    }
    if (!passwordOk || !totpOk) {
      const nowLocked = recordFailedLogin(user);
      audit(em, AuditEventType.LOGIN_FAILED, {
        userId: user.id,
        email,
        correlationId: ctx.correlationId,
        detail: { reason: passwordOk ? 'totp' : 'password' },
      });
      if (nowLocked)
        audit(em, AuditEventType.ACCOUNT_LOCKED, {
          userId: user.id,
          correlationId: ctx.correlationId,
          detail: { until: user.lockedUntil },
        });
      await em.flush();
      throw new UnauthenticatedError(passwordOk ? 'The two-factor code is wrong.' : INVALID_CREDENTIALS);
    }
    // Told only to someone who knows the credentials, so it reveals nothing to a guesser.
    if (user.disabled) {
      const detail = { reason: 'disabled' };
      audit(em, AuditEventType.LOGIN_FAILED, { userId: user.id, email, correlationId: ctx.correlationId, detail });
      await em.flush();
      throw new AccountDisabledError();
    }
    clearFailedLogins(user);
    // A seed stored before sealing existed is sealed now (signIn flushes).
    if (user.totpSecret && !this.secrets.isSealed(user.totpSecret))
      user.totpSecret = this.secrets.seal(user.totpSecret);
    audit(em, AuditEventType.LOGIN_SUCCEEDED, { userId: user.id, correlationId: ctx.correlationId });
    return this.signIn(ctx, user);
  }

  /** Rotates a refresh token into a new token pair (reuse revokes the family). */
  async refresh(ctx: RequestContext, refreshToken: string): Promise<AuthPayload> {
    if (!refreshToken.trim()) throw new BadUserInputError('refreshToken must not be empty.', 'refreshToken');
    const { token, familyId, user } = await rotateRefreshToken(
      ctx.em,
      refreshToken.trim(),
      this.config.refreshTokenTtlSeconds,
      ctx.correlationId,
      ctx.userAgent,
      this.revoker,
    );
    ctx.identity = { userId: user.id, role: user.role, sessionId: familyId };
    return this.payload(user, familyId, token);
  }

  /** Ends the session the refresh token belongs to, access tokens included. Unknown tokens are accepted silently. */
  async logOut(ctx: RequestContext, refreshToken: string): Promise<boolean> {
    if (!refreshToken.trim()) throw new BadUserInputError('refreshToken must not be empty.', 'refreshToken');
    const row = await ctx.em.findOne(RefreshToken, { tokenHash: tokenHash(refreshToken.trim()) });
    if (row) {
      await this.revoker.transaction(ctx.em, async (tx) => {
        await revokeFamily(tx, row.familyId, 'logout');
        audit(tx, AuditEventType.LOGGED_OUT, { userId: row.user.id, correlationId: ctx.correlationId });
        this.revoker.sessions(tx, [row.familyId]);
      });
    }
    return true;
  }

  /** Changes the password after checking the current one, and ends every other session (access tokens included). */
  async changePassword(
    ctx: RequestContext,
    userId: string,
    currentPassword: string,
    newPassword: string,
  ): Promise<boolean> {
    const user = await ctx.em.findOneOrFail(User, { id: userId });
    if (!(await verifyPassword(user.passwordHash, currentPassword)))
      throw new BadUserInputError('currentPassword is wrong.', 'currentPassword');
    checkPasswordPolicy(newPassword, 'newPassword', user.email);
    if (currentPassword === newPassword)
      throw new BadUserInputError('newPassword must differ from the current password.', 'newPassword');
    const passwordHash = await hashPassword(newPassword);
    const keep = ctx.identity.sessionId;
    await this.revoker.transaction(ctx.em, async (tx) => {
      user.passwordHash = passwordHash;
      const withAccess = await sessionsWithLiveAccess(tx, user.id, this.config.accessTokenTtlSeconds, keep);
      const ended = await revokeUserSessions(tx, user.id, 'password changed', keep);
      audit(tx, AuditEventType.PASSWORD_CHANGED, {
        userId: user.id,
        correlationId: ctx.correlationId,
        detail: { sessionsEnded: ended },
      });
      this.revoker.sessions(tx, withAccess);
    });
    return true;
  }

  /**
   * Starts a password reset: when the email has an account, stores a single-use token and emits
   * `user.password_reset_requested` (notifications mails the link). Always answers true, so the
   * answer does not reveal which emails have accounts.
   */
  async requestPasswordReset(ctx: RequestContext, emailInput: string): Promise<boolean> {
    const email = check.email(emailInput, 'email');
    const user = await ctx.em.findOne(User, { email });
    if (user) {
      const token = newOpaqueToken();
      const expiresAt = new Date(Date.now() + this.config.passwordResetTtlSeconds * 1000);
      ctx.em.create(PasswordReset, { user, tokenHash: tokenHash(token), expiresAt });
      audit(ctx.em, AuditEventType.PASSWORD_RESET_REQUESTED, { userId: user.id, correlationId: ctx.correlationId });
      this.emit(
        ctx.em,
        'user.password_reset_requested',
        { userId: user.id, email, resetToken: token, expiresAt: expiresAt.toISOString() },
        { correlationId: ctx.correlationId },
      );
      await ctx.em.flush();
    }
    return true;
  }

  /** Sets a new password with a reset token; ends every session and unlocks the account. */
  async resetPassword(ctx: RequestContext, token: string, newPassword: string): Promise<boolean> {
    const reset = await ctx.em.findOne(PasswordReset, { tokenHash: tokenHash(token.trim()) }, { populate: ['user'] });
    if (!reset || reset.usedAt || reset.expiresAt.getTime() <= Date.now()) {
      throw new BadUserInputError('This reset link is invalid or has expired. Ask for a new one.', 'token');
    }
    const user = reset.user.getEntity();
    checkPasswordPolicy(newPassword, 'newPassword', user.email);
    const passwordHash = await hashPassword(newPassword);
    await this.revoker.transaction(ctx.em, async (tx) => {
      const used = await tx.nativeUpdate(PasswordReset, { id: reset.id, usedAt: null }, { usedAt: new Date() });
      if (used !== 1) throw new BadUserInputError('This reset link was already used.', 'token');
      user.passwordHash = passwordHash;
      clearFailedLogins(user);
      await revokeUserSessions(tx, user.id, 'password reset');
      user.tokenGeneration += 1;
      audit(tx, AuditEventType.PASSWORD_RESET, { userId: user.id, correlationId: ctx.correlationId });
      this.revoker.userBelow(tx, user.id, user.tokenGeneration);
    });
    return true;
  }

  /**
   * Opens a session for `user`, flushes the unit of work, and returns the token pair. From here on
   * the request acts as that user, so the payload shows the user's own fields (email).
   */
  private async signIn(ctx: RequestContext, user: User): Promise<AuthPayload> {
    const session = openSession(ctx.em, user, this.config.refreshTokenTtlSeconds, { userAgent: ctx.userAgent });
    await ctx.em.flush();
    ctx.identity = { userId: user.id, role: user.role, sessionId: session.familyId };
    return this.payload(user, session.familyId, session.token);
  }

  private async payload(user: User, sessionId: string, refreshToken: string): Promise<AuthPayload> {
    const ttl = this.config.accessTokenTtlSeconds;
    const claims = { userId: user.id, role: user.role, sessionId, generation: user.tokenGeneration };
    const accessToken = await issueAccessToken(this.key, claims, this.config.jwtIssuer, ttl);
    return { accessToken, refreshToken, expiresIn: ttl, user };
  }
}
