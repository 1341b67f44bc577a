import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';

/** Security-relevant things that happen to accounts. */
export enum AuditEventType {
  SIGNED_UP = 'SIGNED_UP',
  LOGIN_SUCCEEDED = 'LOGIN_SUCCEEDED',
  LOGIN_FAILED = 'LOGIN_FAILED',
  ACCOUNT_LOCKED = 'ACCOUNT_LOCKED',
  LOGGED_OUT = 'LOGGED_OUT',
  REFRESH_REUSE_DETECTED = 'REFRESH_REUSE_DETECTED',
  ROLE_CHANGED = 'ROLE_CHANGED',
  PASSWORD_CHANGED = 'PASSWORD_CHANGED',
  PASSWORD_RESET_REQUESTED = 'PASSWORD_RESET_REQUESTED',
  PASSWORD_RESET = 'PASSWORD_RESET',
  TOTP_ENABLED = 'TOTP_ENABLED',
  TOTP_DISABLED = 'TOTP_DISABLED',
  SESSION_REVOKED = 'SESSION_REVOKED',
  ACCOUNT_DISABLED = 'ACCOUNT_DISABLED',
  ACCOUNT_ENABLED = 'ACCOUNT_ENABLED',
}
registerEnumType(AuditEventType, { name: 'AuditEventType' });

/** One line of the audit log, readable by ADMINs. */
@ObjectType({ description: 'A security-relevant event on an account.' })
@Entity({ tableName: 'audit_event' })
@Index({ properties: ['createdAt', 'id'] })
export class AuditEvent {
  [OptionalProps]?: 'id' | 'userId' | 'actorId' | 'email' | 'correlationId' | 'detail' | 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => AuditEventType)
  @Enum({ items: () => AuditEventType, type: 'string' })
  type!: AuditEventType;

  @Field(() => ID, { nullable: true, description: 'The account concerned, when known.' })
  @Index()
  @Property({ type: 'uuid', nullable: true })
  userId: string | null = null;

  @Field(() => ID, { nullable: true, description: 'Who did it, when not the account itself.' })
  @Property({ type: 'uuid', nullable: true })
  actorId: string | null = null;

  @Field(() => String, { nullable: true, description: 'The email given, for failed sign-ins.' })
  @Property({ type: 'string', length: 254, nullable: true })
  email: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 64, nullable: true })
  correlationId: string | null = null;

  @Field(() => GraphQLJSONObject)
  @Property({ type: 'json' })
  detail: Record<string, unknown> = {};

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
