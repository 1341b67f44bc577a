import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The users subgraph's User, known here by its key only; plants contributes `User.plants`. */
@ObjectType('User', { description: 'A person with an account.' })
@Directive('@key(fields: "id")')
export class UserRef {
  @Field(() => ID)
  id!: string;
}
