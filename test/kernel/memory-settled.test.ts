import { MemoryTransport } from '@polis/kernel';
import { definePlugin } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import { describe, expect, it } from 'vitest';
import { AlarmRaised, SensorRead } from '../support/test-contracts.js';

describe('MemoryTransport.settled', () => {
  it('waits for a cascade to end: a slow async handler, the event it publishes and that event\'s handler', async () => {
    const log: string[] = [];
    const relay = definePlugin({
      name: 'relay',
      version: '1.0.0',
      kernel: '^1',
      consumes: [SensorRead],
      publishes: [AlarmRaised],
      setup(ctx) {
        ctx.on(SensorRead, async (_event, scope) => {
          await new Promise((resolve) => setTimeout(resolve, 30));
          await scope.publish(AlarmRaised, { level: 2 });
          log.push('relayed');
        });
      },
    });
    const siren = definePlugin({
      name: 'siren',
      version: '1.0.0',
      kernel: '^1',
      consumes: [AlarmRaised],
      setup(ctx) {
        ctx.on(AlarmRaised, () => void log.push('sounded'));
      },
    });
    const transport = new MemoryTransport();
    const kit = await startTestKernel({ plugins: [relay, siren], transport });
    await kit.publish(SensorRead, { sensor: 's1', value: 1 });
    await transport.settled();
    expect(log).toEqual(['relayed', 'sounded']);
    await kit.stop();
  });

  it('resolves at once when nothing is on the bus', async () => {
    const transport = new MemoryTransport();
    const kit = await startTestKernel({ plugins: [], transport });
    await transport.settled();
    await kit.stop();
  });
});
