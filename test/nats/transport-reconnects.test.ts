import { PromMetricsService, createKernel, createLogger } from '@polis/kernel';
import { afterAll, describe, expect, it } from 'vitest';
import { testTransport, uniquePrefix } from '../support/nats-env.js';
import { startNatsServer } from '../support/nats-server.js';
import type { NatsServer } from '../support/nats-server.js';

describe('polis_transport_reconnects_total', () => {
  let server: NatsServer | undefined;
  afterAll(async () => {
    await server?.stop();
  });

  it('counts the NATS connection coming back after the broker was killed and restarted', async () => {
    server = await startNatsServer();
    const kernel = createKernel({ transport: testTransport({ servers: server.url, prefix: uniquePrefix('reconnects') }), logger: createLogger({ level: 'silent' }) });
    await kernel.start([]);
    const reconnects = async () => {
      const { text } = await (kernel.metrics as PromMetricsService).exposition();
      return Number(/^polis_transport_reconnects_total (\S+)$/m.exec(text)?.[1]);
    };
    try {
      expect(await reconnects()).toBe(0);
      await server.kill9();
      await server.restart();
      await expect.poll(reconnects, { timeout: 20_000, interval: 50 }).toBeGreaterThanOrEqual(1);
    } finally {
      await kernel.stop();
    }
  }, 40_000);
});
