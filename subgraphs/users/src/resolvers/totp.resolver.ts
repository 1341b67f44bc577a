import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { BadUserInputError, ConflictError, requireUser, type RequestContext } from '@supergraph/kit';
import { audit } from '../auth/audit.log';
import type { AuthService } from '../auth/auth.service';
import { newTotpSecret, verifyTotp } from '../auth/totp';
import { AuditEventType } from '../entities/audit-event.entity';
import { User } from '../entities/user.entity';
import { TotpSetup } from '../types/auth.types';

/** Optional two-factor sign-in with time-based one-time codes (RFC 6238). */
@Resolver()
export class TotpResolver {
  constructor(private readonly auth: AuthService) {}

  @Mutation(() => TotpSetup, { description: 'Starts two-factor setup: a new secret that confirmTotp activates.' })
  async enableTotp(@Ctx() ctx: RequestContext): Promise<TotpSetup> {
    const user = await ctx.em.findOneOrFail(User, { id: requireUser(ctx) });
    if (user.totpEnabled)
      throw new ConflictError('Two-factor sign-in is already on; disable it first to get a new secret.');
    const setup = newTotpSecret(user.email);
    user.totpSecret = this.auth.secrets.seal(setup.secret);
    await ctx.em.flush();
    return setup;
  }

  @Mutation(() => Boolean, { description: 'Activates two-factor sign-in with a current code from the app.' })
  async confirmTotp(@Arg('code', () => String) code: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    const user = await ctx.em.findOneOrFail(User, { id: requireUser(ctx) });
    if (!user.totpSecret) throw new BadUserInputError('Call enableTotp first.', 'code');
    if (!verifyTotp(this.auth.secrets.open(user.totpSecret), code))
      throw new BadUserInputError('code is wrong or expired.', 'code');
    if (!user.totpEnabled) {
      user.totpEnabled = true;
      audit(ctx.em, AuditEventType.TOTP_ENABLED, { userId: user.id, correlationId: ctx.correlationId });
      await ctx.em.flush();
    }
    return true;
  }

  @Mutation(() => Boolean, { description: 'Turns two-factor sign-in off; needs a current code.' })
  async disableTotp(@Arg('code', () => String) code: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    const user = await ctx.em.findOneOrFail(User, { id: requireUser(ctx) });
    if (!user.totpEnabled || !user.totpSecret) throw new BadUserInputError('Two-factor sign-in is not on.', 'code');
    if (!verifyTotp(this.auth.secrets.open(user.totpSecret), code))
      throw new BadUserInputError('code is wrong or expired.', 'code');
    user.totpEnabled = false;
    user.totpSecret = null;
    audit(ctx.em, AuditEventType.TOTP_DISABLED, { userId: user.id, correlationId: ctx.correlationId });
    await ctx.em.flush();
    return true;
  }
}
