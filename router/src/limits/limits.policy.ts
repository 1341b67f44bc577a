import type { ApolloServerPlugin } from '@apollo/server';
import type { DocumentNode, ValidationRule } from 'graphql';
import type { RouterConfig } from '../config';
import { operationCostPlugin } from './limits.plugin';
import { enforceCost, measureOperation, operationShapeRule } from './operation.limits';
import { assertSafelisted, loadSafelist, safelistPlugin } from './safelist';

/** The operation limits of the router, one policy for HTTP (Apollo Server) and graphql-ws alike. */
export interface LimitsPolicy {
  /** The parser's token limit (a longer document does not parse). */
  maxTokens: number;
  /** Depth, aliases and directives, checked while validating. */
  validationRules: ValidationRule[];
  /** The cost limit (with variables) and, with PERSISTED_OPERATIONS=safelist, the safelist. */
  plugins: ApolloServerPlugin[];
  /** What `plugins` check, for an operation that does not go through Apollo Server (a subscription). */
  checkOperation(operation: {
    document: DocumentNode;
    operationName?: string | null;
    variables: Record<string, unknown>;
  }): void;
}

/** The router's limits from its configuration (MAX_DEPTH, MAX_COST, ..., PERSISTED_OPERATIONS). */
export function limitsPolicy(config: RouterConfig): LimitsPolicy {
  const safelist = config.safelistDir ? loadSafelist(config.safelistDir) : undefined;
  return {
    maxTokens: config.limits.maxTokens,
    validationRules: [operationShapeRule(config.limits)],
    plugins: [operationCostPlugin(config.limits), ...(safelist ? [safelistPlugin(safelist)] : [])],
    checkOperation({ document, operationName, variables }) {
      enforceCost(measureOperation(document, operationName, variables), config.limits);
      if (safelist) assertSafelisted(safelist, document, operationName);
    },
  };
}
