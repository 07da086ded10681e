import { Kernel, PromMetricsService, bindService, createLogger } from '@polis/kernel';
import { ErrorCodes, coreServices, definePlugin, serviceRef } from '@polis/plugin-api';
import type { Clock, Logger, MetricsService, StateStore } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import { describe, expect, it } from 'vitest';

// The core services are service refs bound in inversify containers: the kernel's root (logger,
// clock, a deployment's overrides) and each plugin's child (its state, config and logger).
describe('core services as service refs', () => {
  it('lets a plugin need the core services, each plugin getting its own state, config and logger', async () => {
    const seen: Record<string, { logger: Logger; clock: Clock; state: StateStore; config: unknown; ctxState: StateStore; ctxConfig: unknown }> = {};
    const reader = (name: string) =>
      definePlugin({
        name,
        version: '1.0.0',
        kernel: '^1',
        needs: { logger: coreServices.logger, clock: coreServices.clock, state: coreServices.state, config: coreServices.config },
        setup(ctx) {
          seen[name] = { ...ctx.deps, ctxState: ctx.state, ctxConfig: ctx.config };
          ctx.deps.logger.info(`hello from ${name}`);
        },
      });
    const kit = await startTestKernel({ plugins: [reader('north'), reader('south')], config: { north: { n: 1 }, south: { n: 2 } } });
    await seen.north!.state.set('k', 'north');
    expect(await seen.north!.ctxState.get('k')).toBe('north');
    expect(await seen.south!.state.get('k')).toBeUndefined();
    expect(seen.north!.config).toBe(seen.north!.ctxConfig);
    expect(seen.south!.config).toEqual({ n: 2 });
    expect(seen.north!.clock.now()).toBe(kit.clock.now());
    expect(kit.logs).toContainEqual(expect.objectContaining({ message: 'hello from north', fields: { plugin: 'north' } }));
    await kit.stop();
  });

  it('uses a deployment’s replacement of a core service, for the kernel and the plugins alike', async () => {
    const clock: Clock = { ...createFixedClock(Date.UTC(2030, 0, 1)) };
    let needed: Clock | undefined;
    const plugin = definePlugin({ name: 'timed', version: '1.0.0', kernel: '^1', needs: { clock: coreServices.clock }, setup: (ctx) => void (needed = ctx.deps.clock) });
    const kernel = new Kernel({ logger: createLogger({ level: 'silent' }), services: [bindService(coreServices.clock, clock)] });
    await kernel.start([plugin]);
    expect(kernel.clock).toBe(clock);
    expect(needed).toBe(clock);
    await kernel.stop();
  });

  it('gives plugins the kernel’s metrics service, where the bus counts too, and records bus metrics in a replacement', async () => {
    let needed: MetricsService | undefined;
    const plugin = definePlugin({ name: 'metered', version: '1.0.0', kernel: '^1', needs: { metrics: coreServices.metrics }, setup: (ctx) => void (needed = ctx.deps.metrics) });
    const kernel = new Kernel({ logger: createLogger({ level: 'silent' }) });
    await kernel.start([plugin]);
    expect(needed).toBe(kernel.metrics);
    needed!.counter({ name: 'metered_widgets_total', help: 'Widgets' }).labels({}).inc(4);
    const { text } = await (kernel.metrics as PromMetricsService).exposition();
    expect(text).toContain('metered_widgets_total 4');
    expect(text).toContain('# TYPE polis_events_published_total counter');
    await kernel.stop();

    const replacement = new PromMetricsService({ processMetrics: false });
    const replaced = new Kernel({ logger: createLogger({ level: 'silent' }), services: [bindService(coreServices.metrics, replacement)] });
    await replaced.start([]);
    expect(replaced.metrics).toBe(replacement);
    await replaced.bus.publish('outside', 'kernel.event.deadlettered', 1, { plugin: 'p', subscription: 's', attempts: 1, reason: 'r', code: 'POLIS_HANDLER_FAILED' });
    expect(replacement.totalsBy('polis_events_published_total', 'plugin').get('outside')).toBe(1);
    await replaced.stop();
  });

  it('binds a test’s mock of a service no plugin in the test provides', async () => {
    const Geocoder = serviceRef<{ locate(address: string): [number, number] }>()('test.geocoder');
    const located: [number, number][] = [];
    const plugin = definePlugin({
      name: 'dispatcher',
      version: '1.0.0',
      kernel: '^1',
      needs: { geocoder: Geocoder },
      setup: (ctx) => void located.push(ctx.deps.geocoder.locate('Main St 1')),
    });
    const kit = await startTestKernel({ plugins: [plugin], services: [bindService(Geocoder, { locate: () => [52.1, 5.1] })] });
    expect(located).toEqual([[52.1, 5.1]]);
    await kit.stop();
  });

  it('refuses a plugin providing a service the kernel binds', async () => {
    const impostor = definePlugin({
      name: 'impostor',
      version: '1.0.0',
      kernel: '^1',
      provides: [coreServices.logger],
      setup: (ctx) => ctx.provide(coreServices.logger, createLogger({ level: 'silent' })),
    });
    const kernel = new Kernel({ logger: createLogger({ level: 'silent' }) });
    await expect(kernel.start([impostor])).rejects.toMatchObject({
      errors: [expect.objectContaining({ code: ErrorCodes.SERVICE_DUPLICATE, details: { service: 'core.logger', providers: ['kernel', 'impostor'] } })],
    });
    await kernel.stop();
  });

  it('refuses a root binding of a plugin-scoped core service, and a malformed binding', () => {
    expect(() => new Kernel({ services: [bindService(coreServices.state, {} as StateStore)] })).toThrow(expect.objectContaining({ code: ErrorCodes.ARGUMENT_INVALID }));
    expect(() => new Kernel({ services: [{ implementation: 1 } as never] })).toThrow(expect.objectContaining({ code: ErrorCodes.ARGUMENT_INVALID }));
  });

  it('keeps its container to itself', () => {
    const kernel = new Kernel({ logger: createLogger({ level: 'silent' }) });
    // @ts-expect-error the root container is private: plugins reach services by `needs`
    void kernel.container;
  });
});

function createFixedClock(now: number): Clock {
  return {
    now: () => now,
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    setInterval: (callback, ms) => setInterval(callback, ms),
    clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}
