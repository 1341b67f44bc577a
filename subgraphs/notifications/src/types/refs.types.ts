import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The users subgraph's User, by key only; this subgraph adds the inbox and preferences to it. */
@ObjectType('User', { description: 'A person with an account.' })
@Directive('@key(fields: "id")')
export class UserRef {
  @Field(() => ID)
  id!: string;
}

/** The cases subgraph's Case, by key only; the router resolves its other fields from cases. */
@ObjectType('Case', { description: 'A missing-child report and its lifecycle.' })
@Directive('@key(fields: "id")')
export class CaseRef {
  @Field(() => ID)
  id!: string;
}
