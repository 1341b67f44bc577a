import { Migration } from '@mikro-orm/migrations';

/**
 * Accounts can be disabled and carry a token generation; refresh tokens record the session's
 * start and the client's User-Agent. Existing sessions started with their family's oldest token.
 */
export class Migration20261201100831_sessions extends Migration {
  override async up(): Promise<void> {
    this.addSql("alter table \"audit_event\" drop constraint if exists \"audit_event_type_check\"");
    this.addSql("alter table \"audit_event\" add constraint \"audit_event_type_check\" check(\"type\" in ('SIGNED_UP', 'LOGIN_SUCCEEDED', 'LOGIN_FAILED', 'ACCOUNT_LOCKED', 'LOGGED_OUT', 'REFRESH_REUSE_DETECTED', 'ROLE_CHANGED', 'PASSWORD_CHANGED', 'PASSWORD_RESET_REQUESTED', 'PASSWORD_RESET', 'TOTP_ENABLED', 'TOTP_DISABLED', 'SESSION_REVOKED', 'ACCOUNT_DISABLED', 'ACCOUNT_ENABLED'))");
    this.addSql("alter table \"app_user\" add column \"disabled\" boolean not null default false, add column \"token_generation\" int not null default 0");
    this.addSql("alter table \"refresh_token\" add column \"user_agent\" varchar(300) null, add column \"session_started_at\" timestamptz null");
    this.addSql(
      "update \"refresh_token\" r set \"session_started_at\" = f.started " +
        "from (select \"family_id\", min(\"created_at\") as started from \"refresh_token\" group by \"family_id\") f where r.\"family_id\" = f.\"family_id\"",
    );
    this.addSql("alter table \"refresh_token\" alter column \"session_started_at\" set not null");
  }
}
