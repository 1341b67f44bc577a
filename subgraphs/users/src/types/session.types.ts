import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A sign-in session of the signed-in user (a refresh-token family).' })
export class Session {
  @Field(() => ID, { description: 'The session id (the `sid` of its access tokens).' })
  id!: string;

  @Field(() => Boolean, { description: 'True for the session the request is made with.' })
  current!: boolean;

  @Field(() => Date, { description: 'When the sign-in happened.' })
  createdAt!: Date;

  @Field(() => Date, { description: 'The last sign-in or refresh of the session.' })
  lastUsedAt!: Date;

  @Field(() => String, { nullable: true, description: 'The User-Agent of the client at its last sign-in or refresh.' })
  userAgent!: string | null;
}
