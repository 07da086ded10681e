import { describe, expect, it, vi } from 'vitest';
import { createLogger } from './logger.js';
import type { LogRecord } from './logger.js';
import { LogThrottle } from './log-throttle.js';

function recording(): { records: LogRecord[]; throttle: (options: ConstructorParameters<typeof LogThrottle>[1]) => LogThrottle } {
  const records: LogRecord[] = [];
  const logger = createLogger({ level: 'debug', write: (_line, record) => void records.push(record) });
  return { records, throttle: (options) => new LogThrottle(logger, options) };
}

describe('error lines about repeated bad input', () => {
  it('writes the first in full, then one line per N with the count, per key', () => {
    const { records, throttle } = recording();
    const log = throttle({ intervalMs: 60_000, every: 100 });
    for (let i = 0; i < 250; i++) log.log('reader POLIS_EVENT_UNDECODABLE', 'dead-lettered message for reader', { n: i });
    log.log('other POLIS_EVENT_TOO_LARGE', 'dead-lettered big for other', {});
    expect(records.map((record) => [record.message, record.fields.repeated])).toEqual([
      ['dead-lettered message for reader', undefined],
      [expect.stringMatching(/^100 more like 'reader POLIS_EVENT_UNDECODABLE'/), 100],
      [expect.stringMatching(/^100 more like/), 100],
      ['dead-lettered big for other', undefined],
    ]);
    // The last line carries the latest fields held back.
    expect(records[2]?.fields.n).toBe(200);
  });

  it('says how many it held back when the interval ends, then writes the next in full', async () => {
    const { records, throttle } = recording();
    const log = throttle({ intervalMs: 50, every: 1_000 });
    for (let i = 0; i < 7; i++) log.log('k', 'bad input', {});
    expect(records).toHaveLength(1);
    await vi.waitFor(() => expect(records).toHaveLength(2), { timeout: 2_000 });
    expect(records[1]?.fields.repeated).toBe(6);
    log.log('k', 'bad input', {});
    expect(records.map((record) => record.message)).toEqual(['bad input', expect.stringMatching(/^6 more like 'k'/), 'bad input']);
  });
});
