import { Kind, parse, type OperationTypeNode } from 'graphql';
import { LruCache } from '../cache/lru.cache';

const kinds = new LruCache<string, Map<string, OperationTypeNode> | null>(2_000);

/**
 * The kind (query, mutation, subscription) of the operation a request would run: the one named
 * `operationName`, or the only one. `undefined` for a document that does not parse or does not
 * say which operation to run (the server then answers the error). Parsed once per document text.
 */
export function operationKind(query: string, operationName?: string): OperationTypeNode | undefined {
  let byName = kinds.get(query);
  if (byName === undefined) {
    byName = parseKinds(query);
    kinds.set(query, byName);
  }
  if (!byName) return undefined;
  if (operationName !== undefined) return byName.get(operationName);
  return byName.size === 1 ? byName.values().next().value : undefined;
}

function parseKinds(query: string): Map<string, OperationTypeNode> | null {
  try {
    const byName = new Map<string, OperationTypeNode>();
    for (const def of parse(query, { noLocation: true, maxTokens: 10_000 }).definitions) {
      if (def.kind === Kind.OPERATION_DEFINITION) byName.set(def.name?.value ?? '', def.operation);
    }
    return byName;
  } catch {
    return null;
  }
}
