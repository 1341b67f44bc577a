import { Entity, Enum, Index, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';

/** The roles of the platform. */
export enum Role {
  USER = 'USER',
  ADMIN = 'ADMIN',
}
registerEnumType(Role, { name: 'Role', description: 'What a user may do: USER (default) or ADMIN.' });

/** An account. Owned by users; other subgraphs reference it by `id`. */
@ObjectType({ description: 'A person with an account.' })
@Directive('@key(fields: "id")')
// The router may keep a user's public fields for 5 minutes: user.updated / user.registered invalidate them.
@Directive('@cacheControl(maxAge: 300)')
@Entity({ tableName: 'app_user' })
export class User {
  [OptionalProps]?:
    | 'id'
    | 'phone'
    | 'role'
    | 'totpSecret'
    | 'totpEnabled'
    | 'failedLogins'
    | 'failedWindowStartedAt'
    | 'lockedUntil'
    | 'disabled'
    | 'tokenGeneration'
    | 'createdAt'
    | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Stored lower-cased; exposed only to the user and ADMINs (see the field resolver). */
  @Property({ type: 'string', length: 254, unique: true })
  email!: string;

  @Property({ type: 'text', hidden: true })
  passwordHash!: string;

  @Field(() => String, { description: 'Public name, 2–50 characters.' })
  @Property({ type: 'string', length: 50 })
  displayName!: string;

  /** Exposed only to the user and ADMINs. */
  @Property({ type: 'string', length: 20, nullable: true })
  phone: string | null = null;

  @Field(() => Role)
  @Enum({ items: () => Role, type: 'string', default: Role.USER })
  role: Role = Role.USER;

  @Property({ type: 'text', nullable: true, hidden: true })
  totpSecret: string | null = null;

  @Property({ type: 'boolean', default: false })
  totpEnabled = false;

  /** Failed sign-ins in the current window (see lockout policy). */
  @Property({ type: 'integer', default: 0 })
  failedLogins = 0;

  @Property({ type: 'timestamptz', nullable: true })
  failedWindowStartedAt: Date | null = null;

  @Index()
  @Property({ type: 'timestamptz', nullable: true })
  lockedUntil: Date | null = null;

  /** Set by an ADMIN: the account cannot sign in, and its tokens are refused (exposed through a field resolver). */
  @Property({ type: 'boolean', default: false })
  disabled = false;

  /**
   * Raised whenever every access token issued so far must stop working (role change, disabled,
   * password reset); tokens carry it as `gen` and the router refuses lower ones.
   */
  @Property({ type: 'integer', default: 0, hidden: true })
  tokenGeneration = 0;

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
