import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { NotFoundError, check, requireUser, type RequestContext } from '@supergraph/kit';
import { audit } from '../auth/audit.log';
import { revokeFamily } from '../auth/session.service';
import type { TokenRevoker } from '../auth/token.revoker';
import { AuditEventType } from '../entities/audit-event.entity';
import { RefreshToken } from '../entities/refresh-token.entity';
import type { UsersLoaders } from '../loaders/user.loader';
import { Session } from '../types/session.types';

type Ctx = RequestContext<UsersLoaders>;

/** Most sessions listed (newest first); older ones can still be ended by signing out everywhere (changePassword). */
const MAX_SESSIONS = 100;

/** The signed-in user's sign-in sessions: listing them and ending one. */
@Resolver()
export class SessionResolver {
  constructor(private readonly revoker: TokenRevoker) {}

  @Query(() => [Session], {
    description: `The signed-in user's live sign-in sessions, newest first (at most ${MAX_SESSIONS}).`,
  })
  async mySessions(@Ctx() ctx: Ctx): Promise<Session[]> {
    const userId = requireUser(ctx);
    // A live session is a family whose current token is neither rotated nor revoked nor expired.
    const rows = await ctx.em.find(
      RefreshToken,
      { user: userId, rotatedAt: null, revokedAt: null, expiresAt: { $gt: new Date() } },
      { orderBy: { sessionStartedAt: 'desc', id: 'desc' }, limit: MAX_SESSIONS },
    );
    return rows.map((row) => ({
      id: row.familyId,
      current: row.familyId === ctx.identity.sessionId,
      createdAt: row.sessionStartedAt,
      lastUsedAt: row.createdAt,
      userAgent: row.userAgent,
    }));
  }

  @Mutation(() => Boolean, {
    description: "Ends one of the caller's sessions: its refresh token and its access tokens stop working.",
  })
  async revokeSession(@Arg('id', () => ID) idInput: string, @Ctx() ctx: Ctx): Promise<boolean> {
    const userId = requireUser(ctx);
    const id = check.id(idInput, 'id');
    // Another user's session answers exactly like an unknown one: ids reveal nothing.
    const current = { familyId: id, user: userId, rotatedAt: null, revokedAt: null, expiresAt: { $gt: new Date() } };
    const live = await ctx.em.count(RefreshToken, current);
    if (!live) throw new NotFoundError('Session', id);
    await this.revoker.transaction(ctx.em, async (tx) => {
      await revokeFamily(tx, id, 'session revoked');
      const detail = { sessionId: id };
      audit(tx, AuditEventType.SESSION_REVOKED, { userId, correlationId: ctx.correlationId, detail });
      this.revoker.sessions(tx, [id]);
    });
    return true;
  }
}
