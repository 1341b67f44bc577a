import type { EntityManager } from '@mikro-orm/postgresql';
import type { Emit } from '@supergraph/kit';
import type { UsersConfig } from '../config';
import { hashPassword } from '../auth/password';
import { Role, User } from '../entities/user.entity';

/** Demo accounts of the embedded default (password for all: `demo-password-1`). */
export const DEMO_USERS = [
  { email: 'ana@example.com', displayName: 'Ana Souza' },
  { email: 'ben@example.com', displayName: 'Ben Okafor' },
  { email: 'chloe@example.com', displayName: 'Chloé Martin' },
  { email: 'dev@example.com', displayName: 'Dev Patel' },
] as const;
export const DEMO_PASSWORD = 'demo-password-1';

/**
 * Seeds the ADMIN from ADMIN_EMAIL/ADMIN_PASSWORD and the demo users, each only when missing, so a
 * second start changes nothing.
 */
export async function seedUsers(em: EntityManager, config: UsersConfig, emit: Emit): Promise<void> {
  const wanted = [
    { email: config.adminEmail, displayName: 'Administrator', password: config.adminPassword, role: Role.ADMIN },
    ...DEMO_USERS.map((u) => ({ ...u, password: DEMO_PASSWORD, role: Role.USER })),
  ];
  const existing = new Set((await em.find(User, { email: { $in: wanted.map((u) => u.email) } })).map((u) => u.email));
  for (const u of wanted) {
    if (existing.has(u.email)) continue;
    const user = em.create(User, {
      email: u.email,
      displayName: u.displayName,
      role: u.role,
      passwordHash: await hashPassword(u.password),
    });
    // Seeded accounts are announced like any other, so services that keep a copy (recipients,
    // demo data owners) learn of them; they catch up whenever they start.
    const options = { correlationId: `seed-${user.id}` };
    emit(em, 'user.registered', { userId: user.id, email: user.email, displayName: user.displayName }, options);
    emit(
      em,
      'user.updated',
      { userId: user.id, email: user.email, displayName: user.displayName, phone: null, role: user.role },
      options,
    );
  }
  await em.flush();
}
