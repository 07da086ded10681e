import { ErrorCodes, definePlugin } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import { describe, expect, it, vi } from 'vitest';
import { SensorRead } from '../support/test-contracts.js';

// The healthcare plugin's mission timeline (scene, hospital, handover) runs on plugin-clock
// timers; one that came due while the kernel stopped published from a stopping plugin and was
// logged as POLIS_INVALID_STATE at every shutdown of the demo.
describe("a plugin's timers when it stops", () => {
  it('are cancelled as the stop begins: a timer due during the onStop hooks never fires', async () => {
    let fired = 0;
    let entered: () => void = () => undefined;
    const inHook = new Promise<void>((resolve) => (entered = resolve));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const timeline = definePlugin({
      name: 'timeline',
      version: '1.0.0',
      kernel: '^1',
      publishes: [SensorRead],
      setup(ctx) {
        ctx.clock.setTimeout(async () => {
          fired++;
          await ctx.publish(SensorRead, { sensor: 'late', value: 1 });
        }, 1_000);
        ctx.onStop(async () => {
          entered();
          await gate;
        });
      },
    });
    const kit = await startTestKernel({ plugins: [timeline] });
    const stopped = kit.stop();
    await inHook;
    await kit.clock.advance(2_000);
    release();
    await stopped;
    expect(fired).toBe(0);
    expect(kit.logs.filter((record) => record.fields.code === ErrorCodes.INVALID_STATE || record.level === 'error')).toEqual([]);
  });

  it('still let a handler being drained on stop sleep and finish', async () => {
    const finished: number[] = [];
    let started: () => void = () => undefined;
    const handling = new Promise<void>((resolve) => (started = resolve));
    const sleeper = definePlugin({
      name: 'sleeper',
      version: '1.0.0',
      kernel: '^1',
      consumes: [SensorRead],
      setup(ctx) {
        ctx.on(SensorRead, async (event) => {
          started();
          await ctx.clock.sleep(500);
          finished.push(event.data.value);
        });
      },
    });
    const kit = await startTestKernel({ plugins: [sleeper] });
    await kit.publish(SensorRead, { sensor: 's', value: 7 });
    await handling;
    const stopped = kit.stop();
    await kit.clock.advance(1_000);
    await stopped;
    expect(finished).toEqual([7]);
  });

  // The demo's waste simulator on NATS: a report timer fired, awaited, and published after its
  // plugin had stopped (POLIS_INVALID_STATE at shutdown). A callback already running is drained.
  it('let a timer callback that fired before the stop finish and publish while the plugin drains', async () => {
    let fired: () => void = () => undefined;
    const running = new Promise<void>((resolve) => (fired = resolve));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const reporter = definePlugin({
      name: 'reporter',
      version: '1.0.0',
      kernel: '^1',
      publishes: [SensorRead],
      setup(ctx) {
        ctx.clock.setTimeout(async () => {
          fired();
          await gate;
          await ctx.publish(SensorRead, { sensor: 'report', value: 2 });
        }, 1_000);
      },
    });
    const kit = await startTestKernel({ plugins: [reporter] });
    await kit.clock.advance(1_000);
    await running;
    const stopped = kit.stop();
    // What the callback awaits (a reply, say) arrives once the stop is under way.
    await vi.waitFor(() => expect(kit.kernel.plugin('reporter')?.state).not.toBe('running'));
    release();
    await stopped;
    expect(kit.events.filter((event) => event.type === SensorRead.type).map((event) => event.data)).toEqual([{ sensor: 'report', value: 2 }]);
    expect(kit.logs.filter((record) => record.level === 'error')).toEqual([]);
  });
});
