import { natsKvStateStores } from '@polis/bus-nats';
import { Kernel, createLogger } from '@polis/kernel';
import { definePlugin } from '@polis/plugin-api';
import type { StateStore } from '@polis/plugin-api';
import { afterAll, describe, expect, it } from 'vitest';
import { removeNatsState, testTransport, uniquePrefix } from '../support/nats-env.js';

describe('plugin state in NATS KV', () => {
  const prefix = uniquePrefix('state');
  const bucket = `polis_state_${prefix.replace(/-/g, '_')}`;
  const transport = testTransport({ prefix });
  const stores = natsKvStateStores({ connection: () => transport.kernelConnection(), bucket });

  afterAll(async () => {
    await transport.close();
    await removeNatsState(prefix, [bucket]);
  });

  it('keeps each plugin its own keys, any characters allowed, and survives the store being opened again', async () => {
    const parking = stores('@acme/parking');
    await parking.set('lot A/level 2', { free: 17 });
    await parking.set('Straße.7=ok', 'yes');
    await parking.set('lot B', { free: 3 });
    await stores('traffic').set('lot A/other', 1);

    const again: StateStore = natsKvStateStores({ connection: () => transport.kernelConnection(), bucket })('@acme/parking');
    expect(await again.get('lot A/level 2')).toEqual({ free: 17 });
    expect(await again.get('Straße.7=ok')).toBe('yes');
    expect(await again.keys()).toEqual(['Straße.7=ok', 'lot A/level 2', 'lot B']);
    expect(await again.keys('lot ')).toEqual(['lot A/level 2', 'lot B']);
    await again.delete('lot B');
    expect(await parking.get('lot B')).toBeUndefined();
    expect(await stores('traffic').keys()).toEqual(['lot A/other']);
  });

  it('gives a plugin the state it wrote before a restart, on another node', async () => {
    let read: unknown;
    const counter = (write: boolean) =>
      definePlugin({
        name: 'counter',
        version: '1.0.0',
        kernel: '^1',
        async setup(ctx) {
          if (write) await ctx.state.set('count', 41);
          else read = await ctx.state.get('count');
        },
      });
    const node = () => {
      const nodeTransport = testTransport({ prefix });
      return new Kernel({
        transport: nodeTransport,
        stateStore: natsKvStateStores({ connection: () => nodeTransport.kernelConnection(), bucket }),
        logger: createLogger({ level: 'silent' }),
      });
    };
    const writer = node();
    await writer.start([counter(true)]);
    await writer.stop();
    const reader = node();
    await reader.start([counter(false)]);
    await reader.stop();
    expect(read).toBe(41);
  });
});
