import { Migration } from '@mikro-orm/migrations';

/**
 * The revocation outbox: revocations of access tokens committed with the change that causes them,
 * until the relay has handed them to the revocation store (then deleted).
 */
export class Migration20261201171406_revocation_outbox extends Migration {
  override async up(): Promise<void> {
    this.addSql("create table \"pending_revocation\" (\"id\" uuid not null, \"kind\" text check (\"kind\" in ('session', 'user')) not null, \"subject_id\" uuid not null, \"generation\" int null, \"expires_at\" timestamptz not null, \"created_at\" timestamptz not null, constraint \"pending_revocation_pkey\" primary key (\"id\"))");
  }
}
