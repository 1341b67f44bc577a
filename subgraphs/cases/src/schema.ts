import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema, isAdmin, type Emit, type RequestContext } from '@supergraph/kit';
import type { CaseRules } from './domain/case.service';
import { triagesCase } from './domain/sighting.service';
import type { Case } from './entities/case.entity';
import { SightingStatus } from './entities/case.enums';
import type { Sighting } from './entities/sighting.entity';
import type { Geocoder } from './geocoding';
import type { CasesLoaders } from './loaders/case.loader';
import type { PhotoStorage } from './media';
import { CaseResolver, CaseStatusChangeResolver } from './resolvers/case.resolver';
import { GeocodeResolver } from './resolvers/geocode.resolver';
import { SightingResolver } from './resolvers/sighting.resolver';
import { UserRefResolver } from './resolvers/user-ref.resolver';

/** What the resolvers use to serve requests (composition builds the schema without them). */
export interface CasesServices {
  rules: CaseRules;
  geocoder: Geocoder;
  photos: PhotoStorage;
  emit: Emit;
}

type Ctx = RequestContext<CasesLoaders>;

/** The cases subgraph schema: Case and Sighting (owned), User (stub, gains `reportedCases`). */
export function buildSchema(services?: CasesServices): Promise<GraphQLSchema> {
  const instances = new Map<Function, unknown>([
    [CaseResolver, new CaseResolver(services?.rules as CaseRules, services?.photos as PhotoStorage)],
    [CaseStatusChangeResolver, new CaseStatusChangeResolver()],
    [
      SightingResolver,
      new SightingResolver({ geocoder: services?.geocoder as Geocoder, emit: services?.emit as Emit }),
    ],
    [UserRefResolver, new UserRefResolver()],
    [GeocodeResolver, new GeocodeResolver(services?.geocoder as Geocoder)],
  ]);
  return buildFederatedSchema(
    {
      resolvers: [CaseResolver, CaseStatusChangeResolver, SightingResolver, UserRefResolver, GeocodeResolver],
      container: { get: (cls) => instances.get(cls) },
    },
    {
      Case: {
        __resolveReference: (ref: { id: string }, ctx: Ctx): Promise<Case | null> => ctx.loaders.caseById.load(ref.id),
      },
      Sighting: {
        __resolveReference: (ref: { id: string }, ctx: Ctx): Promise<Sighting | null> => visibleSighting(ref.id, ctx),
      },
      // Cases knows users by id only; the router asks users for everything else.
      User: { __resolveReference: (ref: { id: string }) => ({ id: ref.id }) },
    },
  );
}

/** A sighting by id; a DISMISSED one only for the case's reporter and ADMINs (null for others). */
async function visibleSighting(id: string, ctx: Ctx): Promise<Sighting | null> {
  const s = await ctx.loaders.sightingById.load(id);
  if (!s || s.status !== SightingStatus.DISMISSED || isAdmin(ctx)) return s;
  const c = await ctx.loaders.caseById.load(s.caseId);
  return c && triagesCase(ctx, c) ? s : null;
}
