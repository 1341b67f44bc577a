import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema, type Emit, type RequestContext } from '@supergraph/kit';
import type { AuthService } from './auth/auth.service';
import type { TokenRevoker } from './auth/token.revoker';
import { User } from './entities/user.entity';
import type { UsersLoaders } from './loaders/user.loader';
import { AuditResolver } from './resolvers/audit.resolver';
import { AuthResolver } from './resolvers/auth.resolver';
import { SessionResolver } from './resolvers/session.resolver';
import { TotpResolver } from './resolvers/totp.resolver';
import { UserResolver } from './resolvers/user.resolver';

/** What the resolvers use to serve requests (composition builds the schema without them). */
export interface UsersServices {
  auth: AuthService;
  emit: Emit;
}

/** The users subgraph schema: User (owned), sign-up/in, sessions, two-factor and the audit log. */
export function buildSchema(services?: UsersServices): Promise<GraphQLSchema> {
  const auth = services?.auth;
  const instances = new Map<Function, unknown>([
    [AuthResolver, new AuthResolver(auth!)],
    [UserResolver, new UserResolver(auth?.revoker as TokenRevoker, services?.emit as Emit)],
    [SessionResolver, new SessionResolver(auth?.revoker as TokenRevoker)],
    [TotpResolver, new TotpResolver(auth!)],
    [AuditResolver, new AuditResolver()],
  ]);
  return buildFederatedSchema(
    {
      resolvers: [AuthResolver, UserResolver, SessionResolver, TotpResolver, AuditResolver],
      container: { get: (cls) => instances.get(cls) },
    },
    {
      User: {
        __resolveReference: (ref: { id: string }, ctx: RequestContext<UsersLoaders>): Promise<User | null> =>
          ctx.loaders.userById.load(ref.id),
      },
    },
  );
}
