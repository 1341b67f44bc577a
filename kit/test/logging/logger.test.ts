import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { context, trace } from '@opentelemetry/api';
import { createLogger, logFormat, withLogScope } from '../../src/logging/logger';
import { loadSubgraphConfig } from '../../src/service/subgraph.config';
import { startTracing } from '../../src/telemetry/tracing';

/** A collector that accepts and drops whatever it is sent. */
async function sink(): Promise<Server> {
  const server = createServer((req, res) => req.resume().on('end', () => res.end('{}')));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe('log lines', () => {
  it('carry the correlation id and user of their scope, and the trace id of their span when tracing is on', async () => {
    const collector = await sink();
    const tracing = startTracing('kit-test', `http://127.0.0.1:${(collector.address() as AddressInfo).port}`);
    const lines: Array<Record<string, unknown>> = [];
    const log = createLogger('svc', 'info', { write: (line: string) => void lines.push(JSON.parse(line)) });
    const span = trace.getTracer('kit-test').startSpan('work');
    try {
      withLogScope({ correlationId: 'c-1', userId: 'u-1' }, () =>
        context.with(trace.setSpan(context.active(), span), () => log.info('inside')),
      );
      log.info('outside');
    } finally {
      span.end();
      await tracing.shutdown();
      collector.close();
    }
    expect(lines[0]).toMatchObject({
      service: 'svc',
      msg: 'inside',
      correlationId: 'c-1',
      userId: 'u-1',
      traceId: span.spanContext().traceId,
    });
    expect(lines[1]).toMatchObject({ msg: 'outside' });
    expect(lines[1]).not.toHaveProperty('traceId');
    expect(lines[1]).not.toHaveProperty('correlationId');
  });
});

describe('log format', () => {
  it('is pretty on a terminal and JSON when the output is not one, outside production', () => {
    expect(logFormat({ NODE_ENV: 'development' }, true)).toBe('pretty');
    expect(logFormat({ NODE_ENV: 'development' }, false)).toBe('json');
    expect(logFormat({}, true)).toBe('pretty');
  });

  it('follows LOG_FORMAT when set, whatever the output is', () => {
    expect(logFormat({ LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(logFormat({ LOG_FORMAT: 'pretty' }, false)).toBe('pretty');
  });

  it('is always JSON in production, and a production configuration refuses LOG_FORMAT=pretty', () => {
    expect(logFormat({ NODE_ENV: 'production' }, true)).toBe('json');
    expect(logFormat({ NODE_ENV: 'production', LOG_FORMAT: 'pretty' }, true)).toBe('json');
    const production = { NODE_ENV: 'production', ROUTER_SIGNING_SECRET: 'x'.repeat(32) };
    expect(() => loadSubgraphConfig('svc', 0, { ...production, LOG_FORMAT: 'pretty' })).toThrow(/LOG_FORMAT/);
    expect(() => loadSubgraphConfig('svc', 0, { ...production, LOG_FORMAT: 'json' })).not.toThrow();
    expect(() => loadSubgraphConfig('svc', 0, { LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
  });

  it('pretty writes one line per entry: time, level, [service], message, then the other fields', () => {
    const lines: string[] = [];
    const log = createLogger('svc', 'info', { write: (line: string) => void lines.push(line) }, 'pretty');
    withLogScope({ correlationId: 'c-1' }, () => log.info({ deliveries: 2 }, 'sent'));
    log.debug('hidden below the level');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: \[svc\] sent \{.*"deliveries":2.*\}\n$/);
    expect(lines[0]).toContain('"correlationId":"c-1"');
    expect(lines[0]!.split('\n')).toHaveLength(2);
  });

  it('json writes one parseable object per entry', () => {
    const lines: string[] = [];
    createLogger('svc', 'info', { write: (line: string) => void lines.push(line) }, 'json').warn('careful');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'warn', service: 'svc', msg: 'careful' });
  });
});
