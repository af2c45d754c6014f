import { Writable } from 'node:stream';
import { addLogFields, withLogContext } from './log-context';
import { NestLogger } from './nest-logger';
import { SECRET_HEADERS } from './redaction';
import { createRootLogger } from './root-logger';

/** A root logger writing JSON into an array of parsed records. */
function capture(level: 'info' | 'debug' = 'debug') {
  const lines: Array<Record<string, any>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createRootLogger({ level, format: 'json' }, sink), lines };
}

describe('the root logger', () => {
  it('redacts every credential header inside any headers object, and secret fields, at any of three levels', () => {
    const { logger, lines } = capture();
    const headers = Object.fromEntries(SECRET_HEADERS.map((name) => [name, `value-of-${name}`]));
    logger.info({ headers, req: { headers }, deep: { request: { headers } }, password: 'p4ss', user: { token: 't0k' }, a: { b: { secret: 's3c' } } }, 'redacted');
    const text = JSON.stringify(lines);
    for (const name of SECRET_HEADERS) expect([name, text.includes(`value-of-${name}`)]).toEqual([name, false]);
    for (const value of ['p4ss', 't0k', 's3c']) expect(text).not.toContain(value);
    expect(lines[0].req.headers.authorization).toBe('[redacted]');
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'redacted', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
  });

  it('adds the fields of the context in force, including fields learnt midway', async () => {
    const { logger, lines } = capture();
    await withLogContext({ messageId: 'm-1', traceId: 't-1' }, async () => {
      logger.info('before');
      addLogFields({ providerId: 'p-1' });
      await Promise.resolve();
      logger.info('after');
    });
    logger.info('outside');
    expect(lines.map(({ msg, messageId, providerId, traceId }) => ({ msg, messageId, providerId, traceId }))).toEqual([
      { msg: 'before', messageId: 'm-1', providerId: undefined, traceId: 't-1' },
      { msg: 'after', messageId: 'm-1', providerId: 'p-1', traceId: 't-1' },
      { msg: 'outside', messageId: undefined, providerId: undefined, traceId: undefined },
    ]);
  });
});

describe('NestLogger', () => {
  it('writes Nest calls with their context, stack and extra fields, and route mapping at debug', () => {
    const { logger, lines } = capture();
    const nest = new NestLogger(logger);
    nest.log('started', 'Queue');
    nest.error('failed', 'Error: failed\n    at x', 'Processor');
    nest.warn('careful', { functionId: 'f-1' }, 'Processor');
    nest.log('Mapped {/api, GET} route', 'RouterExplorer');
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', context: 'Queue', msg: 'started' }),
      expect.objectContaining({ level: 'error', context: 'Processor', stack: 'Error: failed\n    at x', msg: 'failed' }),
      expect.objectContaining({ level: 'warn', context: 'Processor', functionId: 'f-1', msg: 'careful' }),
      expect.objectContaining({ level: 'debug', context: 'RouterExplorer', msg: 'Mapped {/api, GET} route' }),
    ]);
  });

  it('leaves out what the level filters', () => {
    const { logger, lines } = capture('info');
    const nest = new NestLogger(logger);
    nest.debug('hidden', 'Queue');
    nest.log('Mapped {/api, GET} route', 'RouterExplorer');
    nest.warn('shown', 'Queue');
    expect(lines.map((line) => line.msg)).toEqual(['shown']);
  });
});
