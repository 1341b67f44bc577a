import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, parse, print, type DocumentNode, type OperationDefinitionNode } from 'graphql';

/** The operations the project's own clients send (operations/*.graphql), normalised by `print`. */
export function loadSafelist(dir: string): Set<string> {
  const allowed = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.graphql'))) {
    for (const def of parse(readFileSync(join(dir, file), 'utf8')).definitions) {
      if (def.kind === Kind.OPERATION_DEFINITION) allowed.add(print(def));
    }
  }
  return allowed;
}

function selected(document: DocumentNode, operationName?: string | null): OperationDefinitionNode | undefined {
  return document.definitions.find(
    (d): d is OperationDefinitionNode =>
      d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
  );
}

/** Throws OPERATION_NOT_ALLOWED (HTTP 403) unless the selected operation is on the safelist. */
export function assertSafelisted(allowed: Set<string>, document: DocumentNode, operationName?: string | null): void {
  const op = selected(document, operationName);
  if (op && allowed.has(print(op))) return;
  throw new GraphQLError("Only the operations of this API's own clients are allowed here.", {
    extensions: { code: 'OPERATION_NOT_ALLOWED', http: { status: 403 } },
  });
}

/**
 * Apollo plugin that only runs operations on the safelist (their printed form, so whitespace and
 * comments do not matter); anything else is refused with 403 OPERATION_NOT_ALLOWED. For deployments
 * where only the project's own clients may call the API.
 */
export function safelistPlugin(allowed: Set<string>): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operationName }) {
          assertSafelisted(allowed, document, operationName);
        },
      };
    },
  };
}
