import { parse, type DocumentNode } from 'graphql';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { IDENTITY_HEADER, signIdentity } from '@supergraph/kit';
import {
  AddPlantDocument,
  LogGrowthDocument,
  LogInDocument,
  MyPlantsDocument,
  PlantSpeciesDocument,
  RemovePlantDocument,
  SignUpDocument,
  UpdateProfileDocument,
  WaterPlantDocument,
} from '../../operations/generated/graphql';
import { codes, gql, ok, sqlStatements, uniqueEmail } from '../support/client';

const DAY_MS = 86_400_000;
const ADMIN = { email: 'admin@example.com', password: 'admin-password-123' };
const NOBODY = '00000000-0000-4000-8000-000000000000';
type Doc = DocumentNode;
/** PlantSpecies variables with the omitted ones null. */
const sp = (v: { search?: string; first?: number; after?: string }) => ({
  search: null,
  first: null,
  after: null,
  ...v,
});

async function signUp(tag: string) {
  const data = await ok(SignUpDocument, {
    input: { email: uniqueEmail(tag), password: 'correct-horse-7', displayName: `Plant ${tag}` },
  });
  return { id: data.signUp.user.id, token: data.signUp.accessToken };
}

/** Sends one request with many aliased fields (keeps the suite well under the router's rate limits). */
async function batch(token: string, fields: string[], vars = '', variables: object = {}) {
  const r = await gql<Record<string, { id: string }>, object>(
    parse(`mutation${vars} { ${fields.join('\n')} }`),
    variables,
    { token },
  );
  if (r.errors?.length) throw new Error(JSON.stringify(r.errors));
  return r.data!;
}

/** Gives `owner` n plants, each with 5 waterings and 5 growth entries. */
async function garden(owner: { token: string }, speciesId: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 25) {
    const fields = Array.from(
      { length: Math.min(25, n - i) },
      (_, k) => `p${k}: addPlant(input: { speciesId: $s, nickname: "Plant ${i + k}" }) { id }`,
    );
    ids.push(...Object.values(await batch(owner.token, fields, '($s: ID!)', { s: speciesId })).map((p) => p.id));
  }
  for (let i = 0; i < ids.length; i += 3) {
    const fields = ids
      .slice(i, i + 3)
      .flatMap((id, k) =>
        [0, 1, 2, 3, 4].flatMap((j) => [
          `w${k}_${j}: waterPlant(plantId: "${id}", amountMl: ${100 + j}) { id }`,
          `g${k}_${j}: logGrowth(plantId: "${id}", input: { heightCm: ${10 + j}, leafCount: ${j}, note: "entry ${j}" }) { id }`,
        ]),
      );
    await batch(owner.token, fields);
  }
  return ids;
}

/**
 * The plants statement counter once it stops moving: the outbox relay kicked by a mutation runs in
 * that request's log scope, so its statements may still be arriving when the next measurement starts.
 */
async function settledStatements(): Promise<number> {
  let last = await sqlStatements('plants');
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 200));
    const now = await sqlStatements('plants');
    if (now === last) return now;
    last = now;
  }
  return last;
}

const PLANT = parse(
  'query($id: ID!) { plant(id: $id) { id nickname wateringIntervalDays waterings(first: 10) { id } growth { id } } }',
);
const UPDATE = parse(
  'mutation($id: ID!, $input: UpdatePlantInput!) { updatePlant(plantId: $id, input: $input) { id nickname nextWateringAt wateringIntervalDays } }',
);
const USER_PLANTS = parse('query($id: ID!) { user(id: $id) { id plants { id } } }');

describe('plants through the router', () => {
  let adminToken: string;
  let monstera: { id: string; wateringIntervalDays: number };
  beforeAll(async () => {
    adminToken = (await ok(LogInDocument, { input: ADMIN })).logIn.accessToken;
    const found = await ok(PlantSpeciesDocument, sp({ search: 'deliciosa' }));
    monstera = found.plantSpecies.edges[0]!.node;
  });

  it('serves the seeded species catalog with search and Relay pagination', async () => {
    const all = await ok(PlantSpeciesDocument, sp({ first: 100 }));
    expect(all.plantSpecies.totalCount).toBeGreaterThanOrEqual(45);
    const byCommon = await ok(PlantSpeciesDocument, sp({ search: 'snake' }));
    expect(byCommon.plantSpecies.edges.map((e) => e.node.scientificName)).toContain('Dracaena trifasciata');
    const byScientific = await ok(PlantSpeciesDocument, sp({ search: 'FICUS' }));
    expect(byScientific.plantSpecies.totalCount).toBeGreaterThanOrEqual(3);
    const page = parse(
      'query($after: String) { plantSpecies(first: 5, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id commonName } } } }',
    );
    type Page = {
      plantSpecies: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string };
        edges: { node: { id: string } }[];
      };
    };
    const p1 = (await gql<Page, object>(page, {})).data!.plantSpecies;
    const p2 = (await gql<Page, object>(page, { after: p1.pageInfo.endCursor })).data!.plantSpecies;
    expect(p1.pageInfo.hasNextPage).toBe(true);
    expect(p2.edges).toHaveLength(5);
    expect(p2.totalCount).toBe(p1.totalCount);
    expect(p2.edges.map((e) => e.node.id).some((id) => p1.edges.some((e) => e.node.id === id))).toBe(false);
    expect(codes(await gql(PlantSpeciesDocument, sp({ after: 'not-a-cursor' })))).toEqual(['BAD_USER_INPUT']);
  });

  it('adds, waters, logs growth, lists and removes a plant (AddPlant, WaterPlant, LogGrowth, MyPlants, RemovePlant)', async () => {
    const u = await signUp('care');
    expect(codes(await gql(AddPlantDocument, { input: { speciesId: monstera.id, nickname: 'Anon' } }))).toEqual([
      'UNAUTHENTICATED',
    ]);
    const added = (
      await ok(
        AddPlantDocument,
        { input: { speciesId: monstera.id, nickname: '  Monty ', location: 'Living room' } },
        { token: u.token },
      )
    ).addPlant;
    expect(added).toMatchObject({
      nickname: 'Monty',
      species: { id: monstera.id, commonName: 'Monstera' },
      owner: { id: u.id },
    });
    expect(new Date(added.nextWateringAt).getTime() - Date.now()).toBeGreaterThan(
      (monstera.wateringIntervalDays - 1) * DAY_MS,
    );
    const watered = (await ok(WaterPlantDocument, { plantId: added.id, amountMl: 400 }, { token: u.token })).waterPlant;
    expect(watered.plant).toMatchObject({ id: added.id, lastWateredAt: watered.wateredAt, isOverdue: false });
    expect(new Date(watered.plant.nextWateringAt).getTime() - new Date(watered.wateredAt).getTime()).toBe(
      monstera.wateringIntervalDays * DAY_MS,
    );
    await ok(WaterPlantDocument, { plantId: added.id, amountMl: null }, { token: u.token });
    const growth = (
      await ok(
        LogGrowthDocument,
        { plantId: added.id, input: { heightCm: 42.5, note: 'New leaf' } },
        { token: u.token },
      )
    ).logGrowth;
    expect(growth.heightCm).toBe(42.5);
    const me = (await ok(MyPlantsDocument, {}, { token: u.token })).me!;
    const mine = { ...me, plants: me.plants! };
    expect(mine.plants).toHaveLength(1);
    expect(mine.plants[0]).toMatchObject({
      id: added.id,
      nickname: 'Monty',
      species: { commonName: 'Monstera' },
      growth: [{ heightCm: 42.5, leafCount: null, note: 'New leaf' }],
    });
    expect(mine.plants[0]!.waterings.map((w) => w.amountMl)).toEqual([null, 400]); // newest first
    const edited = await gql<{ updatePlant: { wateringIntervalDays: number; nextWateringAt: string } }, object>(
      UPDATE,
      { id: added.id, input: { wateringIntervalDays: 3 } },
      { token: u.token },
    );
    expect(edited.data!.updatePlant.wateringIntervalDays).toBe(3);
    expect(new Date(edited.data!.updatePlant.nextWateringAt).getTime()).toBe(
      new Date(mine.plants[0]!.lastWateredAt!).getTime() + 3 * DAY_MS,
    );
    expect((await ok(RemovePlantDocument, { plantId: added.id, amountMl: null }, { token: u.token })).removePlant).toBe(
      true,
    );
    expect((await ok(MyPlantsDocument, {}, { token: u.token })).me!.plants).toEqual([]);
    expect(codes(await gql(PLANT, { id: added.id }, { token: u.token }))).toEqual(['NOT_FOUND']);
  });

  it('refuses bad input with BAD_USER_INPUT naming the field', async () => {
    const u = await signUp('input');
    const plantId = (
      await ok(AddPlantDocument, { input: { speciesId: monstera.id, nickname: 'Valid' } }, { token: u.token })
    ).addPlant.id;
    const cases: [Doc, object, string][] = [
      [AddPlantDocument, { input: { speciesId: NOBODY, nickname: 'Ghost' } }, 'input.speciesId'],
      [AddPlantDocument, { input: { speciesId: 'banana', nickname: 'Ghost' } }, 'input.speciesId'],
      [AddPlantDocument, { input: { speciesId: monstera.id, nickname: 'x'.repeat(61) } }, 'input.nickname'],
      [AddPlantDocument, { input: { speciesId: monstera.id, nickname: '   ' } }, 'input.nickname'],
      [
        AddPlantDocument,
        {
          input: {
            speciesId: monstera.id,
            nickname: 'Later',
            acquiredAt: new Date(Date.now() + 2 * DAY_MS).toISOString(),
          },
        },
        'input.acquiredAt',
      ],
      [WaterPlantDocument, { plantId, amountMl: -5 }, 'amountMl'],
      [WaterPlantDocument, { plantId, amountMl: 10_001 }, 'amountMl'],
      [LogGrowthDocument, { plantId, input: {} }, 'input'],
      [LogGrowthDocument, { plantId, input: { note: '  ' } }, 'input'],
      [LogGrowthDocument, { plantId, input: { heightCm: 2500 } }, 'input.heightCm'],
      [LogGrowthDocument, { plantId, input: { leafCount: -1 } }, 'input.leafCount'],
      [LogGrowthDocument, { plantId, input: { note: 'n'.repeat(501) } }, 'input.note'],
      [UPDATE, { id: plantId, input: { nickname: 'y'.repeat(61) } }, 'input.nickname'],
    ];
    for (const [doc, variables, field] of cases) {
      const r = await gql(doc, variables as never, { token: u.token });
      expect(codes(r), field).toEqual(['BAD_USER_INPUT']);
      expect(r.errors![0]!.extensions!.field).toBe(field);
      expect(r.errors![0]!.message).toContain(field);
    }
    const plant = await gql<{ plant: { waterings: unknown[]; growth: unknown[]; nickname: string } }, object>(
      PLANT,
      { id: plantId },
      { token: u.token },
    );
    expect(plant.data!.plant).toMatchObject({ nickname: 'Valid', waterings: [], growth: [] });
  });

  it("keeps plants private: another user's plant is NOT_FOUND for every operation and nothing changes", async () => {
    const owner = await signUp('owner');
    const other = await signUp('other');
    const plantId = (
      await ok(AddPlantDocument, { input: { speciesId: monstera.id, nickname: 'Mine' } }, { token: owner.token })
    ).addPlant.id;
    const attempts: [Doc, object][] = [
      [WaterPlantDocument, { plantId, amountMl: 100 }],
      [LogGrowthDocument, { plantId, input: { heightCm: 10 } }],
      [RemovePlantDocument, { plantId }],
      [UPDATE, { id: plantId, input: { nickname: 'Stolen' } }],
      [PLANT, { id: plantId }],
    ];
    for (const [doc, variables] of attempts)
      expect(codes(await gql(doc, variables as never, { token: other.token }))).toEqual(['NOT_FOUND']);
    expect((await ok(MyPlantsDocument, {}, { token: other.token })).me!.plants).toEqual([]);
    expect(codes(await gql(USER_PLANTS, { id: owner.id }, { token: other.token }))).toEqual(['FORBIDDEN']);
    // ADMINs may read it, but not change it.
    const asAdmin = await gql<{ plant: { id: string } }, object>(PLANT, { id: plantId }, { token: adminToken });
    expect(asAdmin.data!.plant.id).toBe(plantId);
    expect(
      (await gql<{ user: { plants: { id: string }[] } }, object>(USER_PLANTS, { id: owner.id }, { token: adminToken }))
        .data!.user.plants,
    ).toEqual([{ id: plantId }]);
    expect(codes(await gql(WaterPlantDocument, { plantId, amountMl: null }, { token: adminToken }))).toEqual([
      'FORBIDDEN',
    ]);
    const after = await gql<{ plant: { nickname: string; waterings: unknown[]; growth: unknown[] } }, object>(
      PLANT,
      { id: plantId },
      { token: owner.token },
    );
    expect(after.data!.plant).toMatchObject({ nickname: 'Mine', waterings: [], growth: [] });
  });

  it('costs a constant number of SQL statements for MyPlants: 10 plants and 100 plants alike', async () => {
    const small = await signUp('n10');
    const large = await signUp('n100');
    await garden(small, monstera.id, 10);
    await garden(large, monstera.id, 100);
    const cost = async (token: string) => {
      const before = await settledStatements();
      const data = await ok(MyPlantsDocument, {}, { token });
      return { statements: (await sqlStatements('plants')) - before, plants: data.me!.plants! };
    };
    const s = await cost(small.token);
    const l = await cost(large.token);
    expect(s.plants).toHaveLength(10);
    expect(l.plants).toHaveLength(100);
    expect(
      l.plants.every((p) => p.waterings.length === 5 && p.growth.length === 5 && p.species.commonName === 'Monstera'),
    ).toBe(true);
    expect(l.plants[0]!.growth.map((g) => g.note)).toEqual(['entry 4', 'entry 3', 'entry 2', 'entry 1', 'entry 0']);
    expect(l.statements).toBe(s.statements);
    expect(l.statements).toBeLessThanOrEqual(4);
  }, 300_000);

  it('lets only ADMINs create and edit species, validated with the catalog rules', async () => {
    const u = await signUp('species');
    const create = parse(
      'mutation($input: PlantSpeciesInput!) { createPlantSpecies(input: $input) { id commonName wateringIntervalDays } }',
    );
    const update = parse(
      'mutation($id: ID!, $input: UpdatePlantSpeciesInput!) { updatePlantSpecies(id: $id, input: $input) { id wateringIntervalDays } }',
    );
    const tag =
      Math.random()
        .toString(36)
        .replace(/[^a-z]/g, '')
        .slice(0, 6) || 'abc';
    const input = {
      commonName: `Test fern ${tag}`,
      scientificName: `Testfernia ${tag}ensis`,
      family: 'Polypodiaceae',
      wateringIntervalDays: 6,
      light: 'MEDIUM',
      humidity: 'HIGH',
      minTempC: 12,
      maxTempC: 26,
      toxicToPets: false,
      careNotes: 'Keep the soil evenly moist.',
    };
    expect(codes(await gql(create, { input }, { token: u.token }))).toEqual(['FORBIDDEN']);
    const bad = await gql(create, { input: { ...input, scientificName: 'not a binomial' } }, { token: adminToken });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors![0]!.extensions!.field).toBe('input.scientificName');
    const made = await gql<{ createPlantSpecies: { id: string } }, object>(create, { input }, { token: adminToken });
    const speciesId = made.data!.createPlantSpecies.id;
    expect(
      codes(
        await gql(
          create,
          {
            input: {
              ...input,
              commonName: `Other ${tag}`,
              scientificName: input.scientificName.toUpperCase().slice(0, 1) + input.scientificName.slice(1),
            },
          },
          { token: adminToken },
        ),
      ),
    ).toEqual(['CONFLICT']);
    const plant = (await ok(AddPlantDocument, { input: { speciesId, nickname: 'Fernando' } }, { token: u.token }))
      .addPlant;
    const badUpdate = await gql(update, { id: speciesId, input: { wateringIntervalDays: 0 } }, { token: adminToken });
    expect(badUpdate.errors![0]!.extensions!.field).toBe('input.wateringIntervalDays');
    expect(codes(await gql(update, { id: speciesId, input: { wateringIntervalDays: 9 } }, { token: u.token }))).toEqual(
      ['FORBIDDEN'],
    );
    await gql(update, { id: speciesId, input: { wateringIntervalDays: 9 } }, { token: adminToken });
    const after = (await ok(MyPlantsDocument, {}, { token: u.token })).me!.plants![0]!;
    expect(new Date(after.nextWateringAt).getTime() - new Date(plant.nextWateringAt).getTime()).toBe(3 * DAY_MS);
    expect(after.species.wateringIntervalDays).toBe(9);
  });

  it('plants the demo garden of a demo account once it becomes known through a users event', async () => {
    const ana = (await ok(LogInDocument, { input: { email: 'ana@example.com', password: 'demo-password-1' } })).logIn
      .accessToken;
    await ok(UpdateProfileDocument, { input: { displayName: 'Ana Souza' } }, { token: ana });
    const deadline = Date.now() + 10_000;
    let plants = (await ok(MyPlantsDocument, {}, { token: ana })).me!.plants!;
    while (plants.length < 3 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      plants = (await ok(MyPlantsDocument, {}, { token: ana })).me!.plants!;
    }
    expect(plants.map((p) => p.nickname).sort()).toEqual(['Lily', 'Monty', 'Sansa']);
    expect(plants.every((p) => p.waterings.length === 5 && p.growth.length >= 2 && p.lastWateredAt)).toBe(true);
    expect(plants.some((p) => p.isOverdue)).toBe(true);
    await ok(UpdateProfileDocument, { input: { displayName: 'Ana Souza' } }, { token: ana });
    expect((await ok(MyPlantsDocument, {}, { token: ana })).me!.plants).toHaveLength(3);
  });
});

describe('the plants subgraph directly', () => {
  const url = () => inject('subgraphUrls').plants!;
  const entities = async (typename: string, ids: string[], fields: string, identity: object) => {
    const query = parse(`query($r: [_Any!]!) { _entities(representations: $r) { ... on ${typename} { ${fields} } } }`);
    const headers = { [IDENTITY_HEADER]: await signIdentity(identity, 'entities-test', inject('signingSecret')) };
    const before = await settledStatements();
    const r = await gql<{ _entities: ({ id: string } | null)[] }, object>(
      query,
      { r: ids.map((id) => ({ __typename: typename, id })) },
      { url: url(), headers },
    );
    return { r, statements: (await sqlStatements('plants')) - before };
  };
  const padded = (known: string[]) =>
    Array.from({ length: 100 }, (_, i) => known[i] ?? `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);

  it('resolves 100 PlantSpecies entities with one SQL statement, in key order', async () => {
    const known = (await ok(PlantSpeciesDocument, sp({ first: 10 }))).plantSpecies.edges.map((e) => e.node.id);
    const { r, statements } = await entities('PlantSpecies', padded(known), 'id commonName', {});
    expect(r.errors).toBeUndefined();
    expect(statements).toBe(1);
    expect(r.data!._entities.slice(0, 10).map((s) => s!.id)).toEqual(known);
    expect(r.data!._entities.slice(10).every((s) => s === null)).toBe(true);
  });

  it("resolves 100 Plant entities with one SQL statement, hiding other users' plants", async () => {
    const owner = await signUp('entities');
    const { addPlant } = await ok(PlantSpeciesDocument, sp({ search: 'pothos', first: 1 })).then((s) =>
      ok(
        AddPlantDocument,
        { input: { speciesId: s.plantSpecies.edges[0]!.node.id, nickname: 'Entity' } },
        { token: owner.token },
      ),
    );
    const ids = padded([addPlant.id]);
    const mine = await entities('Plant', ids, 'id nickname', { userId: owner.id, role: 'USER' });
    expect(mine.r.errors).toBeUndefined();
    expect(mine.statements).toBe(1);
    expect(mine.r.data!._entities[0]).toEqual({ id: addPlant.id, nickname: 'Entity' });
    expect(mine.r.data!._entities.slice(1).every((p) => p === null)).toBe(true);
    const stranger = await entities('Plant', ids, 'id', { userId: NOBODY, role: 'USER' });
    expect(stranger.r.data!._entities.every((p) => p === null)).toBe(true);
  });
});
