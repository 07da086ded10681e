import { Kernel, createLogger } from '@polis/kernel';
import { ErrorCodes, PolisAggregateError, definePlugin, serviceRef } from '@polis/plugin-api';
import type { AnyPlugin, ServiceRef } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import { describe, expect, it } from 'vitest';
import { SensorRead } from '../support/test-contracts.js';

const quiet = () => createLogger({ level: 'silent' });

interface Greeter {
  greet(name: string): string;
}
const GreeterRef = serviceRef<Greeter>()('test.greeter');
const ShoutRef = serviceRef<(s: string) => string>()('test.shout');

function tracing(log: string[]) {
  const greeter = definePlugin({
    name: 'greeter',
    version: '1.0.0',
    kernel: '^1',
    provides: [GreeterRef],
    setup(ctx) {
      log.push('setup greeter');
      ctx.provide(GreeterRef, { greet: (name) => `hello ${name}` });
      ctx.onStart(() => void log.push('start greeter'));
      ctx.onStop(() => void log.push('stop greeter'));
    },
  });
  const shouter = definePlugin({
    name: 'shouter',
    version: '1.0.0',
    kernel: '^1',
    needs: { greeter: GreeterRef },
    provides: [ShoutRef],
    setup(ctx) {
      log.push(`setup shouter: ${ctx.deps.greeter.greet('city')}`);
      ctx.provide(ShoutRef, (s) => ctx.deps.greeter.greet(s).toUpperCase());
      ctx.onStop(() => void log.push('stop shouter'));
    },
  });
  const announcer = definePlugin({
    name: 'announcer',
    version: '1.0.0',
    kernel: '^1',
    needs: { shout: ShoutRef },
    setup(ctx) {
      log.push(`setup announcer: ${ctx.deps.shout('bus')}`);
      ctx.onStop(() => void log.push('stop announcer'));
    },
  });
  return { greeter, shouter, announcer };
}

describe('plugin lifecycle', () => {
  it('starts plugins in dependency order whatever the listed order, and stops them in reverse', async () => {
    const log: string[] = [];
    const { greeter, shouter, announcer } = tracing(log);
    const kernel = new Kernel({ logger: quiet() });
    const report = await kernel.start([announcer, shouter, greeter]);
    expect(report.started).toEqual(['greeter', 'shouter', 'announcer']);
    expect(log).toEqual(['setup greeter', 'setup shouter: hello city', 'setup announcer: HELLO BUS', 'start greeter']);
    expect(kernel.plugins().map((p) => [p.name, p.state])).toEqual([
      ['greeter', 'running'],
      ['shouter', 'running'],
      ['announcer', 'running'],
    ]);
    await kernel.stop();
    expect(log.slice(4)).toEqual(['stop announcer', 'stop shouter', 'stop greeter']);
  });

  it('binds a provided service while its provider runs, and takes it back when the provider is unloaded', async () => {
    const { greeter } = tracing([]);
    const greeted: string[] = [];
    const client = (name: string) =>
      definePlugin({ name, version: '1.0.0', kernel: '^1', needs: { greeter: GreeterRef }, setup: (ctx) => void greeted.push(ctx.deps.greeter.greet(name)) });
    const kernel = new Kernel({ logger: quiet() });
    await kernel.start([greeter]);
    await kernel.load([client('first')]);
    expect(greeted).toEqual(['hello first']);
    await kernel.unload('first');
    await kernel.unload('greeter');
    await expect(kernel.load([client('second')])).rejects.toMatchObject({ errors: [expect.objectContaining({ code: ErrorCodes.DEPENDENCY_MISSING })] });
    expect(greeted).toEqual(['hello first']);
    await kernel.stop();
  });

  it('reports a missing provider and a cycle before any plugin code runs, naming the plugins', async () => {
    const ran: string[] = [];
    const A = serviceRef<number>()('test.a');
    const B = serviceRef<number>()('test.b');
    const make = (name: string, provides: ServiceRef[], needs: Record<string, ServiceRef>) =>
      definePlugin({ name, version: '1.0.0', kernel: '^1', provides, needs, setup: () => void ran.push(name) }) as AnyPlugin;
    const kernel = new Kernel({ logger: quiet() });
    const error = await kernel
      .start([make('alpha', [A], { b: B }), make('beta', [B], { a: A }), make('gamma', [], { missing: serviceRef()('test.nobody') })])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolisAggregateError);
    const problems = (error as PolisAggregateError).errors.map((e) => [e.code, e.plugin]);
    expect(problems).toContainEqual([ErrorCodes.DEPENDENCY_MISSING, 'gamma']);
    expect(problems.some(([code]) => code === ErrorCodes.DEPENDENCY_CYCLE)).toBe(true);
    expect((error as Error).message).toMatch(/alpha -> beta -> alpha|beta -> alpha -> beta/);
    expect(ran).toEqual([]);
    await kernel.stop();
  });

  it('marks a plugin whose setup throws as failed, fails the plugins that need it, and starts the rest', async () => {
    const log: string[] = [];
    const { shouter, announcer } = tracing(log);
    const brokenGreeter = definePlugin({
      name: 'greeter',
      version: '1.0.0',
      kernel: '^1',
      provides: [GreeterRef],
      setup() {
        throw new Error('database unreachable');
      },
    });
    const bystander = definePlugin({ name: 'bystander', version: '1.0.0', kernel: '^1', setup: () => void log.push('bystander') });
    const kit = await startTestKernel({ plugins: [brokenGreeter, shouter, announcer, bystander], allowFailures: true });
    expect(kit.report.started).toEqual(['bystander']);
    expect(kit.report.failed.map((e) => [e.plugin, e.code])).toEqual([
      ['greeter', ErrorCodes.PLUGIN_SETUP_FAILED],
      ['shouter', ErrorCodes.DEPENDENCY_FAILED],
      ['announcer', ErrorCodes.DEPENDENCY_FAILED],
    ]);
    expect(kit.report.failed[0]!.message).toContain('database unreachable');
    expect(kit.kernel.plugin('greeter')?.state).toBe('failed');
    expect(log).toEqual(['bystander']);
    await kit.stop();
  });

  it('names the plugin whose setup hangs and releases what it subscribed', async () => {
    const hanging = definePlugin({
      name: 'hanging',
      version: '1.0.0',
      kernel: '^1',
      consumes: [SensorRead],
      async setup(ctx) {
        ctx.on(SensorRead, () => {});
        await new Promise(() => {});
      },
    });
    const kit = await startTestKernel({ plugins: [hanging], allowFailures: true, timeouts: { setupMs: 50 } });
    expect(kit.report.failed[0]).toMatchObject({ code: ErrorCodes.PLUGIN_TIMEOUT, plugin: 'hanging', message: expect.stringContaining('setup did not finish within 50 ms') });
    await kit.publish(SensorRead, { sensor: 'x', value: 1 });
    await kit.expectNoEvent('kernel.event.deadlettered', { within: 50 });
    await kit.stop();
  });

  it('names the plugin whose start hook hangs', async () => {
    const slow = definePlugin({ name: 'slow-starter', version: '1.0.0', kernel: '^1', setup: (ctx) => ctx.onStart(() => new Promise(() => {})) });
    const kit = await startTestKernel({ plugins: [slow], allowFailures: true, timeouts: { startMs: 30 } });
    expect(kit.report.failed[0]).toMatchObject({ code: ErrorCodes.PLUGIN_TIMEOUT, plugin: 'slow-starter', details: { phase: 'start' } });
    await kit.stop();
  });

  it('refuses a plugin that declares a service it never provides', async () => {
    const liar = definePlugin({ name: 'liar', version: '1.0.0', kernel: '^1', provides: [GreeterRef], setup() {} });
    const kit = await startTestKernel({ plugins: [liar], allowFailures: true });
    expect(kit.report.failed[0]).toMatchObject({ code: ErrorCodes.PLUGIN_SETUP_FAILED, plugin: 'liar', message: expect.stringContaining("'test.greeter'") });
    await kit.stop();
  });

  it('refuses the bus to a stopped plugin', async () => {
    let saved: { publish: (e: typeof SensorRead, d: { sensor: string; value: number }) => Promise<unknown> } | undefined;
    const keeper = definePlugin({
      name: 'keeper',
      version: '1.0.0',
      kernel: '^1',
      publishes: [SensorRead],
      setup(ctx) {
        saved = ctx;
      },
    });
    const kit = await startTestKernel({ plugins: [keeper] });
    await kit.kernel.unload('keeper');
    await expect(saved!.publish(SensorRead, { sensor: 'late', value: 1 })).rejects.toMatchObject({ code: ErrorCodes.INVALID_STATE, plugin: 'keeper' });
    await kit.stop();
  });
});
