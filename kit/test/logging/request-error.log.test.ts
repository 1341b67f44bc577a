import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ApolloServer } from '@apollo/server';
import { GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { formatError } from '../../src/errors/errors';
import { createLogger } from '../../src/logging/logger';
import { requestErrorLog } from '../../src/logging/request-error.log';

const UNEXPECTED_ERROR_MESSAGE = 'unexpected error in the test server';
type Context = { correlationId?: string };

/** A logger whose JSON lines are kept in `lines`. */
function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: createLogger('kit-test', 'info', destination), lines };
}

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      broken: {
        type: GraphQLString,
        resolve: () => {
          throw new Error('database password leaked here');
        },
      },
    },
  }),
});

/** `request` answered by an Apollo Server with the kit's formatError and request error log; what it logged. */
async function answered(request: Parameters<ApolloServer<Context>['executeOperation']>[0], context: Context) {
  const { log, lines } = capturedLogger();
  const errors = requestErrorLog<Context>(log, UNEXPECTED_ERROR_MESSAGE);
  const apollo = new ApolloServer<Context>({ schema, formatError: formatError(errors.log), plugins: [errors.plugin] });
  await apollo.start();
  const res = await apollo.executeOperation(request, { contextValue: context });
  await apollo.stop();
  return { res, lines };
}

describe('requestErrorLog: an unexpected error is logged with its request’s correlation id', () => {
  it('without a log scope, from the request’s context; the client sees only the masked error', async () => {
    const { res, lines } = await answered({ query: '{ broken }' }, { correlationId: 'corr-unexpected-1' });

    if (res.body.kind !== 'single') throw new Error('expected a single result');
    expect(res.body.singleResult.errors).toEqual([
      expect.objectContaining({
        message: 'Internal server error. It has been logged.',
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      }),
    ]);
    const logged = lines.filter((l) => l.msg === UNEXPECTED_ERROR_MESSAGE);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 'error', correlationId: 'corr-unexpected-1' });
    expect(JSON.stringify(logged[0]!.err)).toContain('database password leaked here');
  });

  it("passes on Apollo Server's refusals of a request, which have a 4xx status and no code, and logs nothing", async () => {
    const { res, lines } = await answered(
      { query: '{ broken }', extensions: { persistedQuery: { version: 2, sha256Hash: 'ab' } } },
      { correlationId: 'corr-apq-2' },
    );

    expect(res.http.status).toBe(400);
    if (res.body.kind !== 'single') throw new Error('expected a single result');
    expect(res.body.singleResult.errors).toEqual([
      { message: 'Unsupported persisted query version', extensions: { code: 'BAD_REQUEST' } },
    ]);
    expect(lines.filter((l) => l.msg === UNEXPECTED_ERROR_MESSAGE)).toEqual([]);
  });

  it('an error formatted without a request (no context) is still logged, without a correlation id', () => {
    const { log, lines } = capturedLogger();
    const errors = requestErrorLog<Context>(log, UNEXPECTED_ERROR_MESSAGE);
    errors.log(new Error('no request'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: UNEXPECTED_ERROR_MESSAGE });
    expect(lines[0]).not.toHaveProperty('correlationId');
  });
});
