/**
 * The signed-in session of the dashboard: tokens from LogIn kept in localStorage (so a reload
 * stays signed in), refreshed once when the router says UNAUTHENTICATED, dropped on sign-out or
 * when refreshing fails. Listeners hear every change of the signed-in role.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  LogInDocument,
  LogOutDocument,
  RefreshSessionDocument,
  type Role,
} from '../../../operations/generated/graphql';
import { GraphQLRequestError, request } from './graphql.client';

const KEYS = { access: 'accessToken', refresh: 'refreshToken', role: 'role' } as const;

/** The session's tokens and role, or nobody. */
export class Session {
  private readonly listeners: Array<(role: Role | null) => void> = [];

  /** The signed-in role, null when signed out. */
  get role(): Role | null {
    return localStorage.getItem(KEYS.access) ? ((localStorage.getItem(KEYS.role) as Role | null) ?? null) : null;
  }

  /** The access token for the live socket (read at each connection). */
  get accessToken(): string | null {
    return localStorage.getItem(KEYS.access);
  }

  onChange(listener: (role: Role | null) => void): void {
    this.listeners.push(listener);
  }

  /** Signs in; throws a {@link GraphQLRequestError} (e.g. UNAUTHENTICATED, ACCOUNT_LOCKED) when refused. */
  async signIn(email: string, password: string): Promise<Role> {
    const { logIn } = await request(LogInDocument, { input: { email, password } });
    localStorage.setItem(KEYS.access, logIn.accessToken);
    localStorage.setItem(KEYS.refresh, logIn.refreshToken);
    localStorage.setItem(KEYS.role, logIn.user.role);
    this.changed();
    return logIn.user.role;
  }

  /** Ends the session here and on the server (a failure there still signs out here). */
  async signOut(): Promise<void> {
    const refreshToken = localStorage.getItem(KEYS.refresh);
    this.clear();
    if (refreshToken) await request(LogOutDocument, { refreshToken }).catch(() => undefined);
  }

  /** Runs `doc` as the signed-in user, refreshing the access token once if it expired. */
  async request<T, V>(doc: TypedDocumentNode<T, V>, variables: V): Promise<T> {
    try {
      return await request(doc, variables, this.accessToken);
    } catch (err) {
      if (!(err instanceof GraphQLRequestError) || err.code !== 'UNAUTHENTICATED' || !(await this.refresh())) throw err;
      return request(doc, variables, this.accessToken);
    }
  }

  private async refresh(): Promise<boolean> {
    const refreshToken = localStorage.getItem(KEYS.refresh);
    if (!refreshToken) return false;
    try {
      const { refreshSession } = await request(RefreshSessionDocument, { refreshToken });
      localStorage.setItem(KEYS.access, refreshSession.accessToken);
      localStorage.setItem(KEYS.refresh, refreshSession.refreshToken);
      return true;
    } catch {
      this.clear();
      return false;
    }
  }

  private clear(): void {
    for (const key of Object.values(KEYS)) localStorage.removeItem(key);
    this.changed();
  }

  private changed(): void {
    for (const listener of this.listeners) listener(this.role);
  }
}
