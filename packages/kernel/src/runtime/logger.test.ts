import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import type { LogRecord } from './logger.js';

const SEED = 'SUAMLK2ZNL35WSMW37E7UD4VZ7ELPKW7DHC3BWBSD2GCZWNRDHTIOSPGJE';

function capture(format: 'json' | 'pretty', level: 'debug' | 'info' = 'debug') {
  const lines: string[] = [];
  const records: LogRecord[] = [];
  const logger = createLogger({ level, format, write: (line, record) => (lines.push(line), records.push(record)) });
  return { logger, lines, records };
}

describe('the kernel logger (pino)', () => {
  it("writes pino's JSON lines: numeric level, time, pid, hostname, message and the fields, bound ones included", () => {
    const { logger, lines } = capture('json');
    logger.child({ plugin: 'traffic' }).warn('a signal is late', { intersectionId: 'n11', lateMs: 1200 });
    expect(JSON.parse(lines[0]!)).toEqual({ level: 40, time: expect.any(Number), pid: process.pid, hostname: hostname(), plugin: 'traffic', intersectionId: 'n11', lateMs: 1200, msg: 'a signal is late' });
  });

  it('drops lines below the level, and writes none at silent', () => {
    const { logger, lines } = capture('json', 'info');
    logger.debug('hidden');
    logger.info('shown');
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual(['shown']);
    const silent: string[] = [];
    createLogger({ level: 'silent', write: (line) => silent.push(line) }).error('nothing');
    expect(silent).toEqual([]);
  });

  it('redacts secrets in fields, in bound fields, nested, in messages and in URLs, in both formats', () => {
    for (const format of ['json', 'pretty'] as const) {
      const { logger, lines, records } = capture(format);
      const child = logger.child({ adminToken: 'admin-secret-1', plugin: 'gateway' });
      child.info(`connecting with seed ${SEED}`, {
        password: 'hunter2',
        auth: { token: 'nats-token-1', nkeySeed: SEED, user: 'city' },
        server: 'nats://city:pa55word@127.0.0.1:4222',
        header: 'Bearer abc.def.ghi',
        // A number under a secret's name (a simulation's seed) is no secret.
        seed: 42,
      });
      const line = lines[0]!;
      for (const secret of ['admin-secret-1', 'hunter2', 'nats-token-1', SEED, 'pa55word', 'abc.def.ghi']) expect(line, `${format}: ${secret}`).not.toContain(secret);
      expect(records[0]!.fields).toMatchObject({ adminToken: '[redacted]', password: '[redacted]', auth: { token: '[redacted]', nkeySeed: '[redacted]', user: 'city' }, server: 'nats://[redacted]@127.0.0.1:4222', header: 'Bearer [redacted]', seed: 42 });
      expect(records[0]!.message).toBe('connecting with seed [redacted]');
    }
  });

  it('writes one readable line per record in the pretty format', () => {
    const { logger, lines } = capture('pretty');
    logger.child({ plugin: 'traffic' }).error('corridor failed', { corridorId: 'c-1', code: 'POLIS_X' });
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} ERROR \[traffic\] corridor failed corridorId=c-1 code=POLIS_X$/);
  });

  it('never throws on fields without a JSON form', () => {
    const { logger, records } = capture('json');
    const cycle: Record<string, unknown> = { name: 'loop' };
    cycle.self = cycle;
    logger.info('odd fields', { big: 10n, cycle });
    expect(records[0]!.fields.big).toBe(10);
  });
});
