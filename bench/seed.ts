/** Data for the benchmark, created through the router as clients would. */
export interface Seeded {
  /** The seeded users, signed in, in seeding order (user 0 is the one of the identical `Me`). */
  sessions: Sessions;
  caseIds: string[];
  /** The cursor of every case of the default `cases` list, in list order. */
  caseCursors: string[];
}

/** One signed-in seeded user. */
export interface SeededUser {
  id: string;
  accessToken: string;
  refreshToken: string;
  signedInAt: number;
}

async function call<T>(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const json = (await res.json()) as { data?: T; errors?: unknown[] };
  if (json.errors || !json.data) throw new Error(`seeding failed: ${JSON.stringify(json.errors)}`);
  return json.data;
}

/** Runs `fn` over `items` with at most `width` at a time. */
async function pool<T, R>(items: T[], width: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

const SIGN_UP = 'mutation($input: SignUpInput!) { signUp(input: $input) { accessToken refreshToken user { id } } }';
const REFRESH =
  'mutation($refreshToken: String!) { refreshSession(refreshToken: $refreshToken) { accessToken refreshToken } }';
const REPORT = 'mutation($input: ReportCaseInput!) { reportCase(input: $input) { id } }';
const PAGE =
  'query($after: String) { cases(first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { cursor } } }';

/** Access tokens live 15 minutes; a run is longer, so tokens older than this are refreshed first. */
const REFRESH_AFTER_MS = 8 * 60_000;

/**
 * The seeded users' sessions. `fresh()` rotates every session whose access token is older than
 * 8 minutes (refreshSession through the router), so no measured request carries an expired token.
 */
export class Sessions {
  constructor(
    private readonly routerUrl: string,
    readonly users: SeededUser[],
  ) {}

  /** Refreshes stale sessions; call before every measured round. */
  async fresh(): Promise<void> {
    const stale = this.users.filter((u) => Date.now() - u.signedInAt > REFRESH_AFTER_MS);
    await pool(stale, 10, async (user) => {
      type Refreshed = { refreshSession: { accessToken: string; refreshToken: string } };
      const { refreshSession } = await call<Refreshed>(this.routerUrl, REFRESH, { refreshToken: user.refreshToken });
      Object.assign(user, { ...refreshSession, signedInAt: Date.now() });
    });
  }
}

/** Seeds `users` signed-in accounts and, when cases runs, `cases` cases spread over a few cities. */
export async function seed(
  routerUrl: string,
  size: { users: number; cases: number },
  withCases: boolean,
): Promise<Seeded> {
  const stamp = Date.now().toString(36);
  const users = await pool(
    Array.from({ length: size.users }, (_, i) => i),
    10,
    async (i): Promise<SeededUser> => {
      const { signUp } = await call<{ signUp: { accessToken: string; refreshToken: string; user: { id: string } } }>(
        routerUrl,
        SIGN_UP,
        {
          input: {
            email: `bench${i}.${stamp}@example.com`,
            password: 'bench-password-1',
            displayName: `Bench User ${i}`,
          },
        },
      );
      return {
        id: signUp.user.id,
        accessToken: signUp.accessToken,
        refreshToken: signUp.refreshToken,
        signedInAt: Date.now(),
      };
    },
  );
  const caseIds: string[] = [];
  const caseCursors: string[] = [];
  if (withCases) {
    const cities = [
      { place: 'Paris', lat: 48.8566, lng: 2.3522 },
      { place: 'Lyon', lat: 45.764, lng: 4.8357 },
      { place: 'Berlin', lat: 52.52, lng: 13.405 },
      { place: 'Madrid', lat: 40.4168, lng: -3.7038 },
      { place: 'Rome', lat: 41.9028, lng: 12.4964 },
    ];
    const ids = await pool(
      Array.from({ length: size.cases }, (_, i) => i),
      10,
      (i) => {
        const c = cities[i % cities.length]!;
        const reporter = users[i % users.length]!;
        return call<{ reportCase: { id: string } }>(
          routerUrl,
          REPORT,
          {
            input: {
              childName: `Child ${i}`,
              age: i % 18,
              gender: ['FEMALE', 'MALE', 'OTHER', 'UNKNOWN'][i % 4],
              description: 'Synthetic benchmark case.',
              lastSeenAt: new Date(Date.now() - (i % 500) * 3_600_000).toISOString(),
              lastSeenPlace: c.place,
              location: { lat: c.lat + ((i * 7919) % 1000) / 20_000, lng: c.lng + ((i * 104729) % 1000) / 20_000 },
              contactPhone: '+41 79 123 45 67',
            },
          },
          reporter.accessToken,
        );
      },
    );
    caseIds.push(...ids.map((r) => r.reportCase.id));
    caseCursors.push(...(await allCursors(routerUrl)));
  }
  return { sessions: new Sessions(routerUrl, users), caseIds, caseCursors };
}

/** Every edge cursor of the default `cases` list, read page by page. */
async function allCursors(routerUrl: string): Promise<string[]> {
  const cursors: string[] = [];
  for (let after: string | null = null; ;) {
    type Page = {
      cases: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { cursor: string }[] };
    };
    const { cases }: Page = await call<Page>(routerUrl, PAGE, { after });
    cursors.push(...cases.edges.map((e) => e.cursor));
    if (!cases.pageInfo.hasNextPage || !cases.pageInfo.endCursor) return cursors;
    after = cases.pageInfo.endCursor;
  }
}
