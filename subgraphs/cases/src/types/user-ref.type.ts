import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The users subgraph's User, as cases knows it: its key only (the router resolves the rest). */
@ObjectType('User')
@Directive('@key(fields: "id")')
export class UserRef {
  @Field(() => ID, { description: 'Id of the user (owned by the users subgraph).' })
  id!: string;
}
