import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { requireUser, type RequestContext } from '@supergraph/kit';
import type { AuthService } from '../auth/auth.service';
import type { UsersLoaders } from '../loaders/user.loader';
import { AuthPayload, LogInInput, SignUpInput } from '../types/auth.types';

type Ctx = RequestContext<UsersLoaders>;

/** Sign-up, sign-in, sessions and passwords. */
@Resolver()
export class AuthResolver {
  constructor(private readonly auth: AuthService) {}

  @Mutation(() => AuthPayload, { description: 'Creates an account and signs it in.' })
  signUp(@Arg('input', () => SignUpInput) input: SignUpInput, @Ctx() ctx: Ctx): Promise<AuthPayload> {
    return this.auth.signUp(ctx, input);
  }

  @Mutation(() => AuthPayload, {
    description: 'Signs in. Five failures within 15 minutes lock the account for 15 minutes.',
  })
  logIn(@Arg('input', () => LogInInput) input: LogInInput, @Ctx() ctx: Ctx): Promise<AuthPayload> {
    return this.auth.logIn(ctx, input);
  }

  @Mutation(() => AuthPayload, {
    description: 'Trades a refresh token for a new pair; the old one stops working. Reusing it ends the session.',
  })
  refreshSession(@Arg('refreshToken', () => String) refreshToken: string, @Ctx() ctx: Ctx): Promise<AuthPayload> {
    return this.auth.refresh(ctx, refreshToken);
  }

  @Mutation(() => Boolean, { description: 'Ends the session of this refresh token.' })
  logOut(@Arg('refreshToken', () => String) refreshToken: string, @Ctx() ctx: Ctx): Promise<boolean> {
    return this.auth.logOut(ctx, refreshToken);
  }

  @Mutation(() => Boolean, { description: 'Changes the password and ends every other session.' })
  changePassword(
    @Arg('currentPassword', () => String) currentPassword: string,
    @Arg('newPassword', () => String) newPassword: string,
    @Ctx() ctx: Ctx,
  ): Promise<boolean> {
    return this.auth.changePassword(ctx, requireUser(ctx), currentPassword, newPassword);
  }

  @Mutation(() => Boolean, { description: 'Sends a reset link when the email has an account. Always true.' })
  requestPasswordReset(@Arg('email', () => String) email: string, @Ctx() ctx: Ctx): Promise<boolean> {
    return this.auth.requestPasswordReset(ctx, email);
  }

  @Mutation(() => Boolean, { description: 'Sets a new password with the token from a reset link; ends every session.' })
  resetPassword(
    @Arg('token', () => String) token: string,
    @Arg('newPassword', () => String) newPassword: string,
    @Ctx() ctx: Ctx,
  ): Promise<boolean> {
    return this.auth.resetPassword(ctx, token, newPassword);
  }
}
