import { NatsTransport } from '@polis/bus-nats';
import { ErrorCodes, Type, defineEvent, definePlugin } from '@polis/plugin-api';
import type { PluginContext } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import { describe, expect, it } from 'vitest';
import { removeNatsState, testTransport, uniquePrefix } from '../support/nats-env.js';

const Tick = defineEvent({ type: 'rate.tick.made', version: 1, schema: Type.Object({ n: Type.Number() }) });

describe('per-plugin publish rate limits on NATS', () => {
  it('refuses what a plugin publishes past its token bucket, with a code and a count, and leaves other plugins alone', async () => {
    const contexts = new Map<string, PluginContext>();
    const publisher = (name: string) =>
      definePlugin({ name, version: '1.0.0', kernel: '^1', publishes: [Tick], setup: (ctx) => void contexts.set(name, ctx) });
    const prefix = uniquePrefix('rate');
    const transport = testTransport({ prefix, publishRate: (plugin) => (plugin === 'chatty' ? { perSecond: 1, burst: 5 } : undefined) });
    const kit = await startTestKernel({ plugins: [publisher('chatty'), publisher('calm')], transport });
    try {
      const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, n) => contexts.get('chatty')!.publish(Tick, { n })));
      const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled').length).toBeGreaterThanOrEqual(5);
      expect(refused.length).toBeGreaterThanOrEqual(14);
      for (const outcome of refused) expect((outcome as PromiseRejectedResult).reason).toMatchObject({ code: ErrorCodes.PUBLISH_RATE_EXCEEDED, plugin: 'chatty' });
      expect((transport as NatsTransport).rateLimited('chatty')).toBe(refused.length);
      await Promise.all(Array.from({ length: 20 }, (_, n) => contexts.get('calm')!.publish(Tick, { n })));
      expect(transport.rateLimited('calm')).toBe(0);
    } finally {
      await kit.stop();
      await removeNatsState(prefix);
    }
  });
});
