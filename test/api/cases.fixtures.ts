import {
  LogInDocument,
  ReportCaseDocument,
  SignUpDocument,
  type ReportCaseInput,
} from '../../operations/generated/graphql';
import { ok, uniqueEmail } from '../support/client';

/** The seeded ADMIN (README defaults). */
export const ADMIN = { email: 'admin@example.com', password: 'admin-password-123' };

/** A fresh signed-in user. */
export async function signUp(tag = 'cases'): Promise<{ token: string; id: string; displayName: string }> {
  const displayName = `Reporter ${tag}`.slice(0, 50);
  const data = await ok(SignUpDocument, {
    input: { email: uniqueEmail(tag), password: 'correct-horse-7', displayName },
  });
  return { token: data.signUp.accessToken, id: data.signUp.user.id, displayName };
}

/** The seeded ADMIN's access token. */
export async function adminToken(): Promise<string> {
  return (await ok(LogInDocument, { input: ADMIN })).logIn.accessToken;
}

/** A valid report, with `over` applied; an hour ago in Lyon unless told otherwise. */
export function caseInput(over: Partial<ReportCaseInput> = {}): ReportCaseInput {
  return {
    childName: 'Léa Martin',
    age: 8,
    gender: 'FEMALE' as ReportCaseInput['gender'],
    description: 'Blue coat, red backpack.',
    lastSeenAt: new Date(Date.now() - 3_600_000).toISOString(),
    lastSeenPlace: 'Lyon, France',
    contactPhone: '+33 6 12 34 56 78',
    ...over,
  };
}

/** Reports a case as `token`; returns the ReportCase payload. */
export async function reportCase(token: string, over: Partial<ReportCaseInput> = {}) {
  return (await ok(ReportCaseDocument, { input: caseInput(over) }, { token })).reportCase;
}

/** A word no other case contains, for searches that must see only this test's cases. */
export const uniqueWord = (tag: string) => `${tag}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
