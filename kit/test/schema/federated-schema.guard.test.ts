import 'reflect-metadata';
import { Authorized, Field, ObjectType, Query, Resolver } from 'type-graphql';
import { describe, expect, it } from 'vitest';
import { buildFederatedSchema } from '../../src/schema/federated-schema';

// A file of its own: type-graphql's metadata is global to the process, and this class would make
// every schema built after it refuse.
@ObjectType()
class Vault {
  @Authorized('ADMIN')
  @Field()
  secret!: string;
}

@Resolver()
class VaultResolver {
  @Query(() => Vault)
  vault(): Vault {
    return Object.assign(new Vault(), { secret: 's' });
  }
}

describe('buildFederatedSchema', () => {
  it('refuses @Authorized on a field, which a plain field would skip', async () => {
    await expect(buildFederatedSchema({ resolvers: [VaultResolver] })).rejects.toThrow(
      'field middlewares and @Authorized are not supported in subgraphs (Vault.secret)',
    );
  });
});
