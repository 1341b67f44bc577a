import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, print, type DocumentNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import {
  AddPlantDocument,
  LogInDocument,
  PlantSpeciesDocument,
  ReportCaseDocument,
  ReportSightingDocument,
  SendTestNotificationDocument,
  SetUserRoleDocument,
  SignUpDocument,
} from '../../operations/generated/graphql';
import { loadConfig } from '../../router/src/config';
import { start, type RunningRouter } from '../../router/src/server';
import { post, uniqueEmail } from '../support/client';
import {
  fuzzCases,
  inputLeaves,
  leafName,
  loadOperations,
  type FuzzCase,
  type FuzzFixtures,
} from '../support/fuzz.generator';
import { consumerCounts, failedDeliveries, settledConsumers, type ConsumerCounts } from '../support/fuzz.consumers';
import { ADMIN, caseInput } from './cases.fixtures';

const ROOT = join(__dirname, '..', '..');
const schema = buildSchema(readFileSync(join(ROOT, 'schema', 'api.graphql'), 'utf8'));
const operations = loadOperations(join(ROOT, 'operations'), schema);
const PASSWORD = 'fuzz-password-1';

/** A second router on the same subgraphs without rate limits: the fuzz run sends thousands of requests. */
function unlimitedRouter(): Promise<RunningRouter> {
  const urls = Object.fromEntries(
    Object.entries(inject('subgraphUrls')).map(([name, url]) => [`${name.toUpperCase()}_URL`, url]),
  );
  return start(
    loadConfig({
      ...urls,
      PORT: '0',
      LOG_LEVEL: 'fatal',
      NODE_ENV: inject('mode') === 'production' ? 'production' : 'test',
      ROUTER_SIGNING_SECRET: inject('signingSecret'),
      RATE_LIMIT_IP_PER_MINUTE: '0',
      RATE_LIMIT_USER_PER_MINUTE: '0',
    }),
  );
}

/** What one request answered, kept raw: the test judges the status and the text. */
interface Answer {
  status: number;
  text: string;
}

async function send(url: string, body: unknown, token?: string): Promise<Answer> {
  const res = await post(url, body, { token });
  return { status: res.status, text: await res.text() };
}

/** Why an answer is a failure of the server (5xx, INTERNAL_SERVER_ERROR, not JSON, a stack trace), or undefined. */
function serverFault(answer: Answer): string | undefined {
  if (answer.status >= 500) return `status ${answer.status}`;
  let body: { errors?: { message?: string; extensions?: Record<string, unknown> }[] };
  try {
    body = JSON.parse(answer.text);
  } catch {
    return `a body that is not JSON (${answer.text.slice(0, 80)})`;
  }
  if (typeof body !== 'object' || body === null) return 'a JSON body that is not an object';
  const internal = body.errors?.find((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR' || !e.extensions?.code);
  if (internal) return `${internal.extensions?.code ?? 'an uncoded error'}: ${internal.message}`;
  if (/stacktrace|\n\s+at .+:\d+:\d+|\bat [\w.<>]+ \(\/.+:\d+:\d+\)/.test(answer.text)) return 'a stack trace';
  return undefined;
}

describe('fuzzing every client operation with hostile input', () => {
  let router: RunningRouter;
  let adminToken: string;
  let fixtures: FuzzFixtures;
  /** The consumers' figures before this file's first request (earlier files' events settled). */
  let consumersBefore: Record<string, ConsumerCounts>;

  async function ok<T>(doc: DocumentNode, variables: unknown, token?: string): Promise<T> {
    const answer = await send(router.url, { query: print(doc), variables }, token);
    const body = JSON.parse(answer.text) as { data?: T; errors?: unknown[] };
    if (body.errors?.length || !body.data) throw new Error(`fixture failed: ${answer.text}`);
    return body.data;
  }

  beforeAll(async () => {
    router = await unlimitedRouter();
    await settledConsumers(inject('subgraphUrls'));
    consumersBefore = await consumerCounts(inject('subgraphUrls'));
    // A fresh ADMIN of its own (the fuzz may change its password) and a target user for ids and sign-ins.
    const seeded = (await ok<{ logIn: { accessToken: string } }>(LogInDocument, { input: ADMIN })).logIn.accessToken;
    const adminEmail = uniqueEmail('fuzz-admin');
    const admin = await ok<{ signUp: { user: { id: string } } }>(SignUpDocument, {
      input: { email: adminEmail, password: PASSWORD, displayName: 'Fuzz Admin' },
    });
    await ok(SetUserRoleDocument, { userId: admin.signUp.user.id, role: 'ADMIN' }, seeded);
    adminToken = (
      await ok<{ logIn: { accessToken: string } }>(LogInDocument, { input: { email: adminEmail, password: PASSWORD } })
    ).logIn.accessToken;
    const targetEmail = uniqueEmail('fuzz-target');
    const target = await ok<{ signUp: { user: { id: string }; refreshToken: string } }>(SignUpDocument, {
      input: { email: targetEmail, password: PASSWORD, displayName: 'Fuzz Target' },
    });

    const reported = (
      await ok<{ reportCase: { id: string; reportId: string } }>(
        ReportCaseDocument,
        { input: caseInput({ location: { lat: 46.2, lng: 6.1 } }) },
        adminToken,
      )
    ).reportCase;
    const sighting = await ok<{ reportSighting: { id: string } }>(ReportSightingDocument, {
      input: {
        caseId: reported.id,
        seenAt: new Date(Date.now() - 60_000).toISOString(),
        place: 'Geneva',
        location: { lat: 46.2, lng: 6.1 },
      },
    });
    const species = await ok<{ plantSpecies: { edges: { node: { id: string } }[] } }>(PlantSpeciesDocument, {
      first: 1,
    });
    const speciesId = species.plantSpecies.edges[0]!.node.id;
    const plant = await ok<{ addPlant: { id: string } }>(
      AddPlantDocument,
      { input: { speciesId, nickname: 'Fuzz fern' } },
      adminToken,
    );
    const notification = await ok<{ sendTestNotification: { id: string } }>(
      SendTestNotificationDocument,
      { channel: 'IN_APP' },
      adminToken,
    );
    fixtures = {
      ids: {
        case: reported.id,
        sighting: sighting.reportSighting.id,
        plant: plant.addPlant.id,
        species: speciesId,
        plantspecies: speciesId,
        notification: notification.sendTestNotification.id,
        user: target.signUp.user.id,
      },
      strings: {
        email: (op) => (op.rootField === 'signUp' ? uniqueEmail('fuzz') : targetEmail),
        password: PASSWORD,
        currentpassword: PASSWORD,
        newpassword: 'fuzz-password-2',
        refreshtoken: target.signUp.refreshToken,
        reportid: reported.reportId,
        contactphone: '+41 79 123 45 67',
        phone: '+41 79 123 45 67',
        timezone: 'Europe/Zurich',
        start: '22:00',
        end: '07:00',
        search: 'fern',
      },
    };
  });
  afterAll(() => router?.stop());

  it('finds every operation of operations/*.graphql and the input leaves of each', () => {
    expect(operations.length).toBeGreaterThan(30);
    const leaves = operations.flatMap((op) => inputLeaves(schema, op).map((l) => `${op.name}.${leafName(l.path)}`));
    expect(leaves).toContain('ReportSighting.input.seenAt');
    expect(leaves).toContain('DeleteCases.ids[0]');
  });

  it('answers every hostile value without a 5xx, INTERNAL_SERVER_ERROR, a non-JSON body or a stack trace', async () => {
    const cases = fuzzCases(schema, operations, fixtures);
    const faults: string[] = [];
    const queue = [...cases];
    const worker = async () => {
      for (let c: FuzzCase | undefined; (c = queue.shift());) {
        const answer = await send(router.url, c.body, c.identity === 'admin' ? adminToken : undefined);
        const fault = serverFault(answer);
        if (fault) faults.push(`${c.operation} ${c.leaf} = <${c.valueClass}> (${c.identity}, ${c.form}): ${fault}`);
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    expect(cases.length).toBeGreaterThan(500);
    expect(faults, `${faults.length} of ${cases.length} requests failed:\n${faults.slice(0, 60).join('\n')}`).toEqual(
      [],
    );
  }, 300_000);

  // Input a mutation accepts can still break a consumer later (a subnormal latitude once made the
  // alert fan-out's SQL underflow on every redelivery): every event the run caused must be handled.
  it('leaves no event handler failing on what the fuzzed mutations accepted', async () => {
    const after = await settledConsumers(inject('subgraphUrls'), { timeoutMs: 120_000 });
    expect(Object.values(after).every((c) => c.backlog === 0)).toBe(true);
    expect(
      failedDeliveries(consumersBefore, after),
      'failed event deliveries per consuming subgraph (its log says which: "event handler failed")',
    ).toEqual([]);
  }, 180_000);
});
