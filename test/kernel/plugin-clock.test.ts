import { definePlugin } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import { describe, expect, it } from 'vitest';

describe("a plugin's clock", () => {
  it('cancels the timers of a plugin when it is unloaded', async () => {
    const fired: string[] = [];
    const ticker = definePlugin({
      name: 'ticker',
      version: '1.0.0',
      kernel: '^1',
      setup(ctx) {
        ctx.onStart(() => {
          ctx.clock.setTimeout(() => fired.push('timeout'), 60_000);
          ctx.clock.setInterval(() => fired.push('tick'), 10_000);
        });
      },
    });
    const kit = await startTestKernel({ plugins: [ticker] });
    await kit.clock.advance(25_000);
    expect(fired).toEqual(['tick', 'tick']);
    await kit.kernel.unload('ticker');
    await kit.clock.advance(120_000);
    expect(fired).toEqual(['tick', 'tick']);
    expect(kit.clock.pendingTimers).toBe(0);
    await kit.stop();
  });

  it('logs a timer callback that throws or rejects under the plugin name, and keeps running', async () => {
    const ran: string[] = [];
    const clumsy = definePlugin({
      name: 'clumsy',
      version: '1.0.0',
      kernel: '^1',
      setup(ctx) {
        ctx.onStart(() => {
          ctx.clock.setTimeout(() => {
            throw new Error('sync boom');
          }, 1000);
          ctx.clock.setTimeout(async () => {
            await Promise.resolve();
            throw new Error('async boom');
          }, 2000);
          ctx.clock.setTimeout(() => ran.push('after'), 3000);
        });
      },
    });
    const kit = await startTestKernel({ plugins: [clumsy] });
    await kit.clock.advance(3000);
    const errors = kit.logs.filter((record) => record.level === 'error').map((record) => [record.fields.plugin, record.fields.error]);
    expect(errors).toEqual([
      ['clumsy', 'sync boom'],
      ['clumsy', 'async boom'],
    ]);
    expect(ran).toEqual(['after']);
    await kit.stop();
  });
});
