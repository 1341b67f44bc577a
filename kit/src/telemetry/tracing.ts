import { context, propagation, trace, SpanKind, SpanStatusCode, type Context } from '@opentelemetry/api';
import type { ApolloServerPlugin } from '@apollo/server';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/** What `startTracing` set up; `shutdown` tries once more to send the spans still buffered (a collector that is down loses them). */
export interface Tracing {
  shutdown(): Promise<void>;
}

let active: { provider: NodeTracerProvider; users: number } | undefined;

/**
 * Sends OpenTelemetry traces over OTLP/HTTP (JSON) to `endpoint` (e.g. a collector at
 * `http://collector:4318`), with W3C trace context propagated between the router and the
 * subgraphs. One tracer provider per process: when several services share a process (the
 * embedded stack), the first names the resource and every span carries its own service name.
 * `@apollo/gateway` reports its spans (request, plan, fetch, post-processing) to it as well.
 */
export function startTracing(service: string, endpoint: string): Tracing {
  if (!active) {
    const exporter = new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` });
    const provider = new NodeTracerProvider({
      resource: resourceFromAttributes({ 'service.name': service }),
      spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 500 })],
    });
    provider.register();
    active = { provider, users: 0 };
  }
  const mine = active;
  mine.users += 1;
  return {
    async shutdown() {
      mine.users -= 1;
      if (mine.users > 0) return void (await mine.provider.forceFlush().catch(() => undefined));
      if (active === mine) active = undefined;
      await mine.provider.shutdown().catch(() => undefined);
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

/** Writes the active trace context (`traceparent`, `tracestate`) into outgoing headers. */
export function injectTraceContext(set: (name: string, value: string) => void): void {
  propagation.inject(context.active(), {}, { set: (_carrier, name, value) => set(name, value) });
}

/** The trace context a caller sent in its headers (the root context when it sent none). */
function extractTraceContext(headers: { get(name: string): string | undefined | null }): Context {
  return propagation.extract(
    context.active(),
    {},
    { get: (_carrier, name) => headers.get(name) ?? undefined, keys: () => ['traceparent', 'tracestate'] },
  );
}

/** Runs `fn` inside the trace context a caller sent in its headers, so spans started there join its trace. */
export function runInTraceContext<T>(headers: { get(name: string): string | undefined | null }, fn: () => T): T {
  // Without a tracer provider there is no context to join: skip the extraction on the hot path.
  if (!active) return fn();
  return context.with(extractTraceContext(headers), fn);
}

/**
 * A runner that calls what it is given in the trace context active now, for work started later
 * on behalf of this caller (a fetch merged for several requests runs in the first one's trace).
 * Without tracing it simply calls.
 */
export function bindTraceContext(): <T>(fn: () => T) => T {
  if (!active) return callNow;
  const captured = context.active();
  return (fn) => context.with(captured, fn);
}

const callNow = <T>(fn: () => T): T => fn();

/**
 * Runs `fn` inside a new client span `name` (child of the active context, with `attributes`), so
 * trace headers injected meanwhile make the callee's spans its children; the span ends when `fn`
 * settles, marked as an error if it rejects. Without tracing, `fn` simply runs.
 */
export async function inClientSpan<T>(
  name: string,
  attributes: Record<string, string>,
  fn: () => Promise<T>,
): Promise<T> {
  if (!active) return fn();
  const span = trace.getTracer('@supergraph/kit').startSpan(name, { kind: SpanKind.CLIENT, attributes });
  try {
    return await context.with(trace.setSpan(context.active(), span), fn);
  } catch (err) {
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw err;
  } finally {
    span.end();
  }
}

/**
 * Apollo plugin giving every GraphQL operation a server span (`graphql <type> <name>`), child of
 * the active trace context, with the service name, operation and error codes as attributes. The
 * HTTP handler runs each request in the caller's context (`runInTraceContext`), so the span joins
 * the caller's trace. Costs nothing measurable when no tracer provider is registered.
 */
export function operationSpanPlugin(service: string): ApolloServerPlugin {
  const tracer = trace.getTracer('@supergraph/kit');
  return {
    async requestDidStart() {
      const span = tracer.startSpan('graphql', {
        kind: SpanKind.SERVER,
        attributes: { 'supergraph.service': service },
      });
      return {
        async didResolveOperation({ operation, operationName }) {
          span.updateName(`graphql ${operation?.operation ?? 'operation'} ${operationName ?? ''}`.trim());
          span.setAttribute('graphql.operation.type', operation?.operation ?? 'unknown');
          if (operationName) span.setAttribute('graphql.operation.name', operationName);
        },
        async willSendResponse({ errors }) {
          if (errors?.length) {
            span.setStatus({ code: SpanStatusCode.ERROR });
            span.setAttribute(
              'graphql.error.codes',
              errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR')),
            );
          }
          span.end();
        },
      };
    },
  };
}
