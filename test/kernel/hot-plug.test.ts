import { ErrorCodes, definePlugin, serviceRef } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import { describe, expect, it } from 'vitest';
import { SensorFailed, SensorRead } from '../support/test-contracts.js';
import { recordingPlugin } from '../support/recording-plugin.js';
import { waitFor } from '../support/wait-for.js';

/** Turns every reading into a failure event, so a test can see the plugin work. */
const relay = (version: string, tag: string) =>
  definePlugin({
    name: 'relay',
    version,
    kernel: '^1',
    consumes: [SensorRead],
    publishes: [SensorFailed],
    setup(ctx) {
      ctx.on(SensorRead, async (event, scope) => {
        await scope.publish(SensorFailed, { sensor: `${tag}:${event.data.sensor}` });
      });
    },
  });

const counter = (seen: CloudEvent[]) => recordingPlugin('counter', [SensorRead], seen);

describe('hot plug', () => {
  it('loads and unloads a plugin while events between the others keep flowing, losing none', async () => {
    const seen: CloudEvent[] = [];
    const kit = await startTestKernel({ plugins: [counter(seen)] });
    let sent = 0;
    let publishing = true;
    const traffic = (async () => {
      while (publishing) {
        await kit.publish(SensorRead, { sensor: `s${sent}`, value: sent });
        sent++;
        if (sent % 10 === 0) await new Promise((r) => setImmediate(r));
      }
    })();

    await kit.kernel.load(relay('1.0.0', 'v1'));
    await waitFor(() => kit.eventsOf(SensorFailed).length > 5);
    const removed = await kit.kernel.unload('relay');
    expect(removed).toEqual([]);
    const relayedAtUnload = kit.eventsOf(SensorFailed).length;
    const sentAtUnload = sent;
    await waitFor(() => sent > sentAtUnload + 50);
    publishing = false;
    await traffic;

    await waitFor(() => seen.length === sent);
    expect(new Set(seen.map((e) => e.data)).size).toBe(sent);
    // Nothing relays after the unload: the relay's subscription went with it.
    await new Promise((r) => setTimeout(r, 20));
    expect(kit.eventsOf(SensorFailed).length).toBeLessThanOrEqual(relayedAtUnload + 1);
    expect(kit.kernel.plugin('relay')).toBeUndefined();
    await kit.stop();
  });

  it('upgrades a running plugin to a new version, which handles the next events', async () => {
    const kit = await startTestKernel({ plugins: [relay('1.0.0', 'v1')] });
    await kit.publish(SensorRead, { sensor: 'a', value: 1 });
    await kit.expectEvent(SensorFailed, { where: (e) => e.data.sensor === 'v1:a' });
    const report = await kit.kernel.upgrade(relay('2.0.0', 'v2'));
    expect(report.started).toEqual(['relay']);
    expect(kit.kernel.plugin('relay')?.version).toBe('2.0.0');
    await kit.publish(SensorRead, { sensor: 'b', value: 1 });
    await kit.expectEvent(SensorFailed, { where: (e) => e.data.sensor === 'v2:b' });
    expect(kit.eventsOf(SensorFailed).map((e) => e.data.sensor)).toEqual(['v1:a', 'v2:b']);
    await kit.stop();
  });

  it('keeps the old version running when the new one fails to start', async () => {
    const kit = await startTestKernel({ plugins: [relay('1.0.0', 'v1')] });
    const broken = definePlugin({
      name: 'relay',
      version: '2.0.0',
      kernel: '^1',
      setup() {
        throw new Error('bad migration');
      },
    });
    const report = await kit.kernel.upgrade(broken);
    expect(report.failed[0]).toMatchObject({ plugin: 'relay', code: ErrorCodes.PLUGIN_SETUP_FAILED });
    expect(kit.kernel.plugin('relay')).toMatchObject({ version: '1.0.0', state: 'running' });
    await kit.publish(SensorRead, { sensor: 'c', value: 1 });
    await kit.expectEvent(SensorFailed, { where: (e) => e.data.sensor === 'v1:c' });
    await kit.stop();
  });

  it('refuses an invalid upgrade without touching the running version', async () => {
    const kit = await startTestKernel({ plugins: [relay('1.0.0', 'v1')] });
    const wrongKernel = { ...relay('2.0.0', 'v2'), kernel: '^2' };
    await expect(kit.kernel.upgrade(wrongKernel)).rejects.toMatchObject({ code: ErrorCodes.STARTUP_FAILED, message: expect.stringContaining('POLIS_KERNEL_VERSION_MISMATCH') });
    expect(kit.kernel.plugin('relay')).toMatchObject({ version: '1.0.0', state: 'running' });
    await kit.stop();
  });

  it('will not unload a provider others need unless asked to cascade', async () => {
    const Clock = serviceRef<() => number>()('test.tick');
    const provider = definePlugin({ name: 'ticker', version: '1.0.0', kernel: '^1', provides: [Clock], setup: (ctx) => ctx.provide(Clock, () => 1) });
    const user = definePlugin({ name: 'user', version: '1.0.0', kernel: '^1', needs: { tick: Clock }, setup() {} });
    const kit = await startTestKernel({ plugins: [provider, user] });
    await expect(kit.kernel.unload('ticker')).rejects.toMatchObject({ code: ErrorCodes.PLUGIN_HAS_DEPENDENTS, details: { dependents: ['user'] } });
    expect(await kit.kernel.unload('ticker', { cascade: true })).toEqual(['user']);
    expect(kit.kernel.plugins()).toEqual([]);
    await expect(kit.kernel.unload('ticker')).rejects.toMatchObject({ code: ErrorCodes.PLUGIN_NOT_FOUND });
    await kit.stop();
  });

  it('plugs a failed plugin back in once it is fixed', async () => {
    let healthy = false;
    const fragile = definePlugin({
      name: 'fragile',
      version: '1.0.0',
      kernel: '^1',
      setup() {
        if (!healthy) throw new Error('not yet');
      },
    });
    const kit = await startTestKernel({ plugins: [fragile], allowFailures: true });
    expect(kit.kernel.plugin('fragile')?.state).toBe('failed');
    healthy = true;
    const report = await kit.kernel.load(fragile);
    expect(report.started).toEqual(['fragile']);
    await kit.stop();
  });
});
