import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { context, trace } from '@opentelemetry/api';
import { createLogger, withLogScope } from '../../src/logging/logger';
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
