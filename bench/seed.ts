/** Data for the benchmark, created through the router as clients would. */
export interface Seeded {
  token: string;
  userId: string;
  caseIds: string[];
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
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  }));
  return out;
}

const SIGN_UP = 'mutation($input: SignUpInput!) { signUp(input: $input) { accessToken user { id } } }';
const REPORT = 'mutation($input: ReportCaseInput!) { reportCase(input: $input) { id } }';

/** Seeds `users` accounts and, when cases runs, `cases` cases spread over a few cities. */
export async function seed(routerUrl: string, size: { users: number; cases: number }, withCases: boolean): Promise<Seeded> {
  const stamp = Date.now().toString(36);
  const users = await pool(Array.from({ length: size.users }, (_, i) => i), 10, (i) =>
    call<{ signUp: { accessToken: string; user: { id: string } } }>(routerUrl, SIGN_UP, {
      input: { email: `bench${i}.${stamp}@example.com`, password: 'bench-password-1', displayName: `Bench User ${i}` },
    }),
  );
  const first = users[0]!.signUp;
  const caseIds: string[] = [];
  if (withCases) {
    const cities = [
      { place: 'Paris', lat: 48.8566, lng: 2.3522 },
      { place: 'Lyon', lat: 45.764, lng: 4.8357 },
      { place: 'Berlin', lat: 52.52, lng: 13.405 },
      { place: 'Madrid', lat: 40.4168, lng: -3.7038 },
      { place: 'Rome', lat: 41.9028, lng: 12.4964 },
    ];
    const ids = await pool(Array.from({ length: size.cases }, (_, i) => i), 10, (i) => {
      const c = cities[i % cities.length]!;
      const reporter = users[i % users.length]!.signUp;
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
    });
    caseIds.push(...ids.map((r) => r.reportCase.id));
  }
  return { token: first.accessToken, userId: first.user.id, caseIds };
}
