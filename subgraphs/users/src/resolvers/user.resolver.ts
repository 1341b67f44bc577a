import { Arg, Ctx, Directive, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import {
  BadUserInputError,
  ConnectionType,
  ForbiddenError,
  NotFoundError,
  check,
  decodeCursor,
  isAdmin,
  pageSize,
  requireAdmin,
  requireUser,
  toConnection,
  type Connection,
  type Emit,
  type RequestContext,
} from '@supergraph/kit';
import { AuthService } from '../auth/auth.service';
import { audit } from '../auth/audit.log';
import { revokeUserSessions } from '../auth/session.service';
import type { TokenRevoker } from '../auth/token.revoker';
import { AuditEventType } from '../entities/audit-event.entity';
import { Role, User } from '../entities/user.entity';
import type { UsersLoaders } from '../loaders/user.loader';
import { UpdateProfileInput } from '../types/auth.types';

type Ctx = RequestContext<UsersLoaders>;

const UserConnection = ConnectionType(User, 'User');

/** Reading accounts and changing profiles, roles and whether an account is disabled. */
@Resolver(() => User)
export class UserResolver {
  constructor(
    private readonly revoker: TokenRevoker,
    private readonly emit: Emit,
  ) {}

  @Query(() => User, { nullable: true, description: 'The signed-in user; null when not signed in.' })
  me(@Ctx() ctx: Ctx): Promise<User | null> | null {
    return ctx.identity.userId ? ctx.loaders.userById.load(ctx.identity.userId) : null;
  }

  @Query(() => User, { nullable: true, description: 'A user by id (public fields for everyone).' })
  user(@Arg('id', () => ID) id: string, @Ctx() ctx: Ctx): Promise<User | null> {
    return ctx.loaders.userById.load(id);
  }

  @Query(() => UserConnection, {
    description: 'ADMIN only: accounts, newest first, optionally matching a search on email or name.',
  })
  async users(
    @Ctx() ctx: Ctx,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('search', () => String, { nullable: true }) search?: string,
  ): Promise<Connection<User>> {
    requireAdmin(ctx);
    const size = pageSize(first);
    const cursor = decodeCursor(after);
    const text = search?.trim() ? `%${search.trim().replace(/[%_\\]/g, (c) => `\\${c}`)}%` : undefined;
    const where = text ? { $or: [{ email: { $ilike: text } }, { displayName: { $ilike: text } }] } : {};
    const position = cursor
      ? {
          $or: [
            { createdAt: { $lt: new Date(cursor.value) } },
            { createdAt: new Date(cursor.value), id: { $lt: cursor.id } },
          ],
        }
      : {};
    const rows = await ctx.em.find(
      User,
      { $and: [where, position] },
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit: size + 1 },
    );
    const total = () => ctx.em.count(User, where); // counted only when totalCount is selected
    return toConnection(rows, size, total, (u) => ({ value: u.createdAt.toISOString(), id: u.id }));
  }

  @Directive('@cacheControl(scope: PRIVATE)') // depends on who asks: cached per caller only
  @FieldResolver(() => String, { nullable: true, description: 'Visible to the user and ADMINs only; null for others.' })
  email(@Root() user: User, @Ctx() ctx: Ctx): string | null {
    return ctx.identity.userId === user.id || isAdmin(ctx) ? user.email : null;
  }

  @Directive('@cacheControl(scope: PRIVATE)') // depends on who asks: cached per caller only
  @FieldResolver(() => String, { nullable: true, description: 'Visible to the user and ADMINs only; null for others.' })
  phone(@Root() user: User, @Ctx() ctx: Ctx): string | null {
    return ctx.identity.userId === user.id || isAdmin(ctx) ? user.phone : null;
  }

  @Directive('@cacheControl(scope: PRIVATE)') // depends on who asks: cached per caller only
  @FieldResolver(() => Boolean, {
    nullable: true,
    description: 'Whether two-factor sign-in is on; visible to the user only.',
  })
  totpEnabled(@Root() user: User, @Ctx() ctx: Ctx): boolean | null {
    return ctx.identity.userId === user.id ? user.totpEnabled : null;
  }

  @Directive('@cacheControl(scope: PRIVATE)') // depends on who asks: cached per caller only
  @FieldResolver(() => Boolean, {
    nullable: true,
    description: 'Whether an ADMIN disabled the account; visible to the user and ADMINs only.',
  })
  disabled(@Root() user: User, @Ctx() ctx: Ctx): boolean | null {
    return ctx.identity.userId === user.id || isAdmin(ctx) ? user.disabled : null;
  }

  @Mutation(() => User, { description: "Changes the signed-in user's display name and/or phone." })
  async updateProfile(
    @Arg('input', () => UpdateProfileInput) input: UpdateProfileInput,
    @Ctx() ctx: Ctx,
  ): Promise<User> {
    const user = await ctx.em.findOneOrFail(User, { id: requireUser(ctx) });
    if (input.displayName === null)
      throw new BadUserInputError('input.displayName cannot be removed.', 'input.displayName');
    if (input.displayName !== undefined)
      user.displayName = AuthService.displayName(input.displayName, 'input.displayName');
    if (input.phone !== undefined)
      user.phone = input.phone === null || input.phone.trim() === '' ? null : check.phone(input.phone, 'input.phone');
    emitUserUpdated(this.emit, ctx.em, ctx, user);
    await ctx.em.flush();
    return user;
  }

  @Mutation(() => User, {
    description:
      'ADMIN only: gives a user a role. An ADMIN cannot demote themself. ' +
      "The user's access tokens stop working (refresh for one with the new role).",
  })
  async setUserRole(
    @Arg('userId', () => ID) userId: string,
    @Arg('role', () => Role) role: Role,
    @Ctx() ctx: Ctx,
  ): Promise<User> {
    const adminId = requireAdmin(ctx);
    const user = await ctx.loaders.userById.load(userId);
    if (!user) throw new NotFoundError('User', userId);
    if (user.id === adminId && role !== Role.ADMIN)
      throw new ForbiddenError('You cannot remove your own ADMIN role; ask another ADMIN.');
    if (user.role !== role) {
      await this.revoker.transaction(ctx.em, async (tx) => {
        audit(tx, AuditEventType.ROLE_CHANGED, {
          userId: user.id,
          actorId: adminId,
          correlationId: ctx.correlationId,
          detail: { from: user.role, to: role },
        });
        user.role = role;
        user.tokenGeneration += 1; // tokens carrying the old role are refused from now on
        emitUserUpdated(this.emit, tx, ctx, user);
        this.revoker.userBelow(tx, user.id, user.tokenGeneration);
      });
    }
    return user;
  }

  @Mutation(() => User, {
    description:
      'ADMIN only: disables or enables an account. ' +
      'A disabled account cannot sign in (ACCOUNT_DISABLED); disabling ends all its sessions.',
  })
  async setUserDisabled(
    @Arg('userId', () => ID) userIdInput: string,
    @Arg('disabled', () => Boolean) disabled: boolean,
    @Ctx() ctx: Ctx,
  ): Promise<User> {
    const adminId = requireAdmin(ctx);
    const userId = check.id(userIdInput, 'userId');
    if (disabled && userId === adminId) {
      throw new BadUserInputError('You cannot disable your own account; ask another ADMIN.', 'userId');
    }
    const user = await ctx.loaders.userById.load(userId);
    if (!user) throw new NotFoundError('User', userId);
    if (user.disabled === disabled) return user;
    const line = { userId: user.id, actorId: adminId, correlationId: ctx.correlationId };
    await this.revoker.transaction(ctx.em, async (tx) => {
      user.disabled = disabled;
      if (disabled) {
        const ended = await revokeUserSessions(tx, user.id, 'account disabled');
        user.tokenGeneration += 1;
        audit(tx, AuditEventType.ACCOUNT_DISABLED, { ...line, detail: { sessionsEnded: ended } });
        this.revoker.userBelow(tx, user.id, user.tokenGeneration);
      } else {
        audit(tx, AuditEventType.ACCOUNT_ENABLED, line);
      }
      emitUserUpdated(this.emit, tx, ctx, user);
    });
    return user;
  }
}

/** Tells other services the account's contact details, role or disabled state changed (same transaction). */
function emitUserUpdated(emit: Emit, em: Ctx['em'], ctx: Ctx, user: User): void {
  emit(
    em,
    'user.updated',
    {
      userId: user.id,
      email: user.email,
      displayName: user.displayName,
      phone: user.phone,
      role: user.role,
      disabled: user.disabled,
    },
    { correlationId: ctx.correlationId },
  );
}
