import { afterAll, describe, expect, it } from 'vitest';
import { NATS_URL, removeNatsState, uniquePrefix } from '../support/nats-env.js';
import { DEMO_CHAIN, DEMO_RUN_SECONDS, demoCityCopy, polis } from '../support/polis-command.js';

describe('the demo city on NATS', () => {
  const prefix = uniquePrefix('city').replaceAll('-', '_');
  const transport = `transport:\n  kind: nats\n  servers: ['nats://${NATS_URL}']\n  prefix: ${prefix}\n`;
  const city = demoCityCopy('nats', (text) => text.replace(/transport:\n  kind: memory[^\n]*\n/, transport));
  afterAll(async () => {
    city.remove();
    await removeNatsState(prefix, [`${prefix}_schemas`, `${prefix}_state`]);
  });

  it('runs the same chain when the deployment file switches the transport to NATS', async () => {
    const result = await polis('start', city.file, '--duration', DEMO_RUN_SECONDS);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('kernel started on the nats transport');
    for (const line of DEMO_CHAIN) expect(result.stdout).toMatch(line);
  }, 60_000);
});
