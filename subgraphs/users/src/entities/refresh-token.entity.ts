import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, PrimaryKey, Property, type Ref, OptionalProps } from '@mikro-orm/core';
import { User } from './user.entity';

/**
 * One refresh token of a sign-in session ("family"). Only a SHA-256 hash of the token is stored.
 * Refreshing rotates: the token gets `rotatedAt` and a successor in the same family. Presenting a
 * rotated token again is reuse: the whole family is revoked. A family's current token (neither
 * rotated nor revoked) describes the session: started at `sessionStartedAt`, last used at its
 * `createdAt`, from `userAgent`.
 */
@Entity({ tableName: 'refresh_token' })
@Index({ properties: ['user', 'revokedAt'] })
export class RefreshToken {
  [OptionalProps]?: 'id' | 'rotatedAt' | 'revokedAt' | 'revokeReason' | 'userAgent' | 'sessionStartedAt' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade' })
  user!: Ref<User>;

  @Index()
  @Property({ type: 'uuid' })
  familyId!: string;

  @Property({ type: 'string', length: 64, unique: true })
  tokenHash!: string;

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  rotatedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;

  @Property({ type: 'string', length: 40, nullable: true })
  revokeReason: string | null = null;

  /** The client's User-Agent at the sign-in or refresh that created this token (at most 300 characters). */
  @Property({ type: 'string', length: 300, nullable: true })
  userAgent: string | null = null;

  /** When the family's sign-in happened (copied to every successor). */
  @Property({ type: 'timestamptz' })
  sessionStartedAt: Date = new Date();

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
