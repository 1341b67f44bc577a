import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOG_IN, PASSWORD, SIGN_UP, eventually, metric, post, startTopology, type Topology } from './support';

describe('production topology: a subgraph stops', () => {
  let topology: Topology;
  beforeAll(async () => {
    topology = await startTopology(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  });
  afterAll(() => topology?.stop());

  it('loses no mutation that got a response when SIGTERM arrives during a stream of them', async () => {
    const users = topology.service('users');
    const stamp = Date.now().toString(36);
    const confirmed: string[] = [];
    let refused = 0;
    let n = 0;
    let stopSent = false;
    const exited = new Promise<number | null>((resolve) => users.child.once('exit', (code) => resolve(code)));
    const worker = async () => {
      while (refused < 5) {
        const email = `drain${n++}.${stamp}@example.com`;
        const r = await post(topology.routerUrl, SIGN_UP, {
          input: { email, password: PASSWORD, displayName: 'Drain Test' },
        }).catch(() => undefined);
        if (r?.data?.signUp) confirmed.push(email);
        else refused += 1;
        if (!stopSent && confirmed.length >= 20) {
          stopSent = true;
          users.child.kill('SIGTERM');
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    expect(await exited).toBe(0); // drained and closed cleanly
    expect(confirmed.length).toBeGreaterThanOrEqual(20);

    await users.restart();
    for (const email of confirmed) {
      const r = await post(topology.routerUrl, LOG_IN, { input: { email, password: PASSWORD } });
      expect(r.errors, email).toBeUndefined();
    }
  });

  it("answers the other subgraphs' fields while one is down, and recovers when it returns", async () => {
    const email = `partial.${Date.now().toString(36)}@example.com`;
    const { data } = await post<{ signUp: { accessToken: string; user: { id: string } } }>(
      topology.routerUrl,
      SIGN_UP,
      {
        input: { email, password: PASSWORD, displayName: 'Partial Data' },
      },
    );
    const token = data!.signUp.accessToken;
    const query = '{ me { id displayName reportedCases { id } } }';
    expect((await post(topology.routerUrl, query, {}, token)).errors).toBeUndefined();

    const cases = topology.service('cases');
    await new Promise<void>((resolve) => {
      cases.child.once('exit', () => resolve());
      cases.child.kill('SIGKILL');
    });
    // Under load: the users part keeps answering; the cases part is a coded error, not a failure of the whole request.
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        post<{ me: { id: string; reportedCases: unknown } }>(topology.routerUrl, query, {}, token),
      ),
    );
    for (const r of results) {
      expect(r.status).toBe(200);
      expect(r.data?.me?.id).toBe(data!.signUp.user.id);
      expect(r.data?.me?.reportedCases).toBeNull(); // nullable by design: only this part is missing
      expect(r.errors?.map((e) => e.extensions?.code)).toContain('SUBGRAPH_UNAVAILABLE');
    }
    const routerUrl = topology.service('router').url;
    expect(await metric(routerUrl, 'subgraph_fetch_duration_seconds_count', 'subgraph="cases"')).toBeGreaterThan(0);

    await cases.restart();
    await eventually(
      async () => {
        const r = await post<{ me: { reportedCases: unknown[] } }>(topology.routerUrl, query, {}, token);
        return !r.errors && Array.isArray(r.data?.me?.reportedCases);
      },
      15_000,
      'full answers after cases returns',
    );
  });
});
