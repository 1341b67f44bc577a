import { EVENT_ENTITIES } from '@supergraph/kit';
import { AuditEvent } from './audit-event.entity';
import { PasswordReset } from './password-reset.entity';
import { PendingRevocation } from './pending-revocation.entity';
import { RefreshToken } from './refresh-token.entity';
import { User } from './user.entity';

/** Every entity of the users database, including the event backbone's outbox tables and the revocation outbox. */
export const ENTITIES = [User, RefreshToken, PasswordReset, AuditEvent, PendingRevocation, ...EVENT_ENTITIES];
