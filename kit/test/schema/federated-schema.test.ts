import 'reflect-metadata';
import { execute, parse, type GraphQLObjectType } from 'graphql';
import { Field, ObjectType, Query, Resolver } from 'type-graphql';
import { describe, expect, it } from 'vitest';
import { buildFederatedSchema } from '../../src/schema/federated-schema';

@ObjectType()
class Shelf {
  @Field()
  title!: string;

  @Field({ name: 'label' })
  internalLabel!: string;
}

@Resolver()
class ShelfResolver {
  @Query(() => Shelf)
  shelf(): Shelf {
    return Object.assign(new Shelf(), { title: 'T', internalLabel: 'L' });
  }
}

describe('buildFederatedSchema', () => {
  it("leaves plain fields to graphql-js's default resolver, and a renamed one its own", async () => {
    const schema = await buildFederatedSchema({ resolvers: [ShelfResolver] });
    const fields = (schema.getType('Shelf') as GraphQLObjectType).getFields();
    expect(fields.title!.resolve).toBeUndefined();
    expect(fields.label!.resolve).toBeTypeOf('function');
    const result = await execute({ schema, document: parse('{ shelf { title label } }') });
    expect(result).toEqual({ data: { shelf: { title: 'T', label: 'L' } } });
  });
});
