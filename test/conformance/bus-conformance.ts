import { ErrorCodes, EventDeadLettered, definePlugin, schemaUrn } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';
import type { PromMetricsService } from '@polis/kernel';
import { startTestKernel } from '@polis/testkit';
import type { TestKernel, TestKernelOptions } from '@polis/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { AlarmRaised, Echo, MeterReadV1, MeterReadV2, SensorFailed, SensorRead } from '../support/test-contracts.js';
import type { TransportFixture } from './transport-fixture.js';
import { recordingPlugin } from '../support/recording-plugin.js';
import { relayPlugin, throwingPlugin } from '../support/test-plugins.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The bus semantics every transport must share. Each test's title names the transport, so a
 * failure says which one broke which promise.
 */
export function describeBusConformance(fixture: TransportFixture): void {
  describe(`bus conformance on ${fixture.name}`, () => {
    const kits: TestKernel[] = [];
    afterEach(async () => {
      await Promise.all(kits.splice(0).map((kit) => kit.stop()));
    });

    /** A counter of the kernel's metrics summed by plugin, as `/admin/plugins` reads it. */
    const counted = (kit: TestKernel, name: string, plugin: string) => (kit.kernel.metrics as PromMetricsService).totalsBy(name, 'plugin').get(plugin) ?? 0;

    const boot = async (plugins: TestKernelOptions['plugins'], options: Partial<TestKernelOptions> = {}) => {
      const [transport] = await fixture.createTransports(1);
      const kit = await startTestKernel({ plugins, transport, ...options });
      kits.push(kit);
      return kit;
    };

    it(`[${fixture.name}] delivers a CloudEvents 1.0 envelope with the validated data`, async () => {
      const seen: CloudEvent[] = [];
      const kit = await boot([recordingPlugin('watcher', [SensorRead], seen)]);
      const sent = await kit.publish(SensorRead, { sensor: 's1', value: 3.5 }, { subject: 'junction-7' });
      await waitFor(() => seen.length === 1);
      const got = seen[0]!;
      expect(got).toMatchObject({
        specversion: '1.0',
        id: sent.id,
        source: 'testkit',
        type: 'test.sensor.read',
        datacontenttype: 'application/json',
        dataschema: 'urn:polis:schema:test.sensor.read:1',
        subject: 'junction-7',
        data: { sensor: 's1', value: 3.5 },
        correlationid: sent.id,
      });
      expect(Date.parse(got.time)).toBe(kit.clock.now());
      expect(got.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    });

    it(`[${fixture.name}] routes by wildcard: * is one token, > is the rest`, async () => {
      const star: CloudEvent[] = [];
      const tail: CloudEvent[] = [];
      const kit = await boot([recordingPlugin('star', ['test.sensor.*'], star), recordingPlugin('tail', ['test.>'], tail)]);
      await kit.publish(SensorRead, { sensor: 'a', value: 1 });
      await kit.publish(SensorFailed, { sensor: 'a' });
      await kit.publish(AlarmRaised, { level: 2 });
      await waitFor(() => tail.length === 3 && star.length === 2);
      expect(star.map((e) => e.type).sort()).toEqual(['test.sensor.failed', 'test.sensor.read']);
    });

    it(`[${fixture.name}] delivers each event once per plugin however many replicas run`, async () => {
      const transports = await fixture.createTransports(3);
      const handled: Array<[node: number, id: string]> = [];
      const other: string[] = [];
      const replica = (node: number) =>
        definePlugin({
          name: 'counter',
          version: '1.0.0',
          kernel: '^1',
          consumes: [SensorRead],
          setup(ctx) {
            ctx.on(SensorRead, (event) => void handled.push([node, event.id]));
          },
        });
      const a = await startTestKernel({ plugins: [replica(0)], transport: transports[0] });
      const b = await startTestKernel({ plugins: [replica(1)], transport: transports[1] });
      const c = await startTestKernel({ plugins: [recordingPlugin('auditor', [SensorRead], other as never)], transport: transports[2] });
      kits.push(a, b, c);
      const ids: string[] = [];
      for (let i = 0; i < 40; i++) ids.push((await c.publish(SensorRead, { sensor: 'q', value: i })).id);
      await waitFor(() => handled.length === 40 && other.length === 40);
      await new Promise((r) => setTimeout(r, 50));
      expect(handled).toHaveLength(40);
      expect(new Set(handled.map(([, id]) => id))).toEqual(new Set(ids));
      expect(handled.some(([node]) => node === 0) && handled.some(([node]) => node === 1)).toBe(true);
    });

    it(`[${fixture.name}] answers requests, and reports timeouts, missing responders and failures as errors`, async () => {
      let slow = false;
      const responder = definePlugin({
        name: 'echo',
        version: '1.0.0',
        kernel: '^1',
        answers: [Echo],
        setup(ctx) {
          ctx.answer(Echo, async ({ text }) => {
            if (text === 'fail') throw new Error('cannot echo that');
            if (slow) await new Promise((r) => setTimeout(r, 300));
            return { text: text.toUpperCase(), by: ctx.name };
          });
        },
      });
      const kit = await boot([responder]);
      await expect(kit.request(Echo, { text: 'hi' })).resolves.toEqual({ text: 'HI', by: 'echo' });
      await expect(kit.request(Echo, { text: 'fail' })).rejects.toMatchObject({ code: ErrorCodes.REQUEST_FAILED, message: expect.stringContaining('cannot echo that') });
      slow = true;
      await expect(kit.request(Echo, { text: 'x' }, { timeoutMs: 50 })).rejects.toMatchObject({ code: ErrorCodes.REQUEST_TIMEOUT });
      await kit.kernel.unload('echo');
      await expect(kit.request(Echo, { text: 'x' }, { timeoutMs: 500 })).rejects.toMatchObject({ code: ErrorCodes.NO_RESPONDER });
    });

    it(`[${fixture.name}] retries a failing handler with backoff and succeeds without a dead letter`, async () => {
      const attempts: number[] = [];
      const flaky = definePlugin({
        name: 'flaky',
        version: '1.0.0',
        kernel: '^1',
        consumes: [SensorRead],
        setup(ctx) {
          ctx.on(SensorRead, () => {
            attempts.push(Date.now());
            if (attempts.length < 3) throw new Error('not yet');
          });
        },
      });
      const kit = await boot([flaky], { retry: { maxAttempts: 3, initialDelayMs: 20, backoffFactor: 3 } });
      await kit.publish(SensorRead, { sensor: 'r', value: 1 });
      await waitFor(() => attempts.length === 3);
      // Backoff: 20 ms before the second attempt, 60 ms before the third (timers fire late, never early).
      expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(18);
      expect(attempts[2]! - attempts[1]!).toBeGreaterThanOrEqual(55);
      await kit.expectNoEvent(EventDeadLettered, { within: 100 });
      expect(counted(kit, 'polis_events_retried_total', 'flaky')).toBe(2);
      expect(counted(kit, 'polis_events_handled_total', 'flaky')).toBe(1);
      expect(counted(kit, 'polis_events_dead_lettered_total', 'flaky')).toBe(0);
    });

    it(`[${fixture.name}] dead-letters an event with its error after the last attempt`, async () => {
      const calls = { count: 0 };
      const kit = await boot([throwingPlugin('broken', () => new Error('sensor table missing'), calls)]);
      const sent = await kit.publish(SensorRead, { sensor: 'd', value: 9 });
      const letter = await kit.expectEvent(EventDeadLettered, { within: 3000 });
      expect(calls.count).toBe(3);
      expect(letter.data).toMatchObject({ plugin: 'broken', subscription: 'test.sensor.read', attempts: 3, reason: 'sensor table missing' });
      expect((letter.data.event as CloudEvent).id).toBe(sent.id);
      expect(letter.causationid).toBe(sent.id);
      expect(counted(kit, 'polis_events_retried_total', 'broken')).toBe(2);
      expect(counted(kit, 'polis_events_dead_lettered_total', 'broken')).toBe(1);
    });

    it(`[${fixture.name}] gives up a handler past its timeout, aborts its signal, retries, then dead-letters with POLIS_HANDLER_TIMEOUT`, async () => {
      const signals: AbortSignal[] = [];
      const hanging = definePlugin({
        name: 'hanging',
        version: '1.0.0',
        kernel: '^1',
        consumes: [SensorRead],
        setup(ctx) {
          ctx.on(
            SensorRead,
            (_event, scope) => {
              signals.push(scope.signal);
              return new Promise<never>(() => {});
            },
            { timeoutMs: 100 },
          );
        },
      });
      const kit = await boot([hanging]);
      const sent = await kit.publish(SensorRead, { sensor: 't', value: 1 });
      const letter = await kit.expectEvent(EventDeadLettered, { within: 5000 });
      expect(letter.data).toMatchObject({ plugin: 'hanging', attempts: 3, code: ErrorCodes.HANDLER_TIMEOUT });
      expect((letter.data.event as CloudEvent).id).toBe(sent.id);
      expect(signals).toHaveLength(3);
      expect(signals.every((signal) => signal.aborted)).toBe(true);
    });

    it(`[${fixture.name}] dead-letters at once a handler that publishes what its manifest does not declare`, async () => {
      const calls = { count: 0 };
      const sloppy = definePlugin({
        name: 'sloppy',
        version: '1.0.0',
        kernel: '^1',
        consumes: [SensorRead],
        setup(ctx) {
          ctx.on(SensorRead, async (_event, scope) => {
            calls.count++;
            await scope.publish(SensorFailed as never, { sensor: 'x' } as never);
          });
        },
      });
      const kit = await boot([sloppy]);
      await kit.publish(SensorRead, { sensor: 'u', value: 1 });
      const letter = await kit.expectEvent(EventDeadLettered, { within: 3000 });
      expect(letter.data).toMatchObject({ plugin: 'sloppy', attempts: 1, code: ErrorCodes.PUBLISH_NOT_DECLARED });
      await kit.expectNoEvent(EventDeadLettered, { within: 100, where: (event) => event.id !== letter.id });
      expect(calls.count).toBe(1);
    });

    it(`[${fixture.name}] links events published in a handler to their cause`, async () => {
      const kit = await boot([relayPlugin()]);
      const cause = await kit.publish(SensorRead, { sensor: 'c', value: 1 });
      const effect = await kit.expectEvent(SensorFailed, { within: 2000 });
      expect(effect.source).toBe('relay');
      expect(effect.causationid).toBe(cause.id);
      expect(effect.correlationid).toBe(cause.correlationid);
      expect(effect.traceparent!.slice(3, 35)).toBe(cause.traceparent!.slice(3, 35));
    });

    it(`[${fixture.name}] refuses undeclared publishing and subscribing at run time`, async () => {
      let publishError: unknown;
      let subscribeError: unknown;
      const sneaky = definePlugin({
        name: 'sneaky',
        version: '1.0.0',
        kernel: '^1',
        publishes: [SensorRead],
        consumes: ['test.sensor.*'],
        async setup(ctx) {
          const untyped = ctx as unknown as { publish: (e: unknown, d: unknown) => Promise<unknown>; on: (e: unknown, h: unknown) => void };
          publishError = await untyped.publish(AlarmRaised, { level: 1 }).catch((e: unknown) => e);
          try {
            untyped.on('test.>', () => {});
          } catch (error) {
            subscribeError = error;
          }
        },
      });
      const kit = await boot([sneaky]);
      expect(publishError).toMatchObject({ code: ErrorCodes.PUBLISH_NOT_DECLARED, plugin: 'sneaky' });
      expect(subscribeError).toMatchObject({ code: ErrorCodes.SUBSCRIBE_NOT_DECLARED, plugin: 'sneaky' });
      expect(kit.eventsOf(AlarmRaised)).toHaveLength(0);
    });

    it(`[${fixture.name}] hands each consumer the version it declared: unknown fields dropped, defaults applied`, async () => {
      const v1: CloudEvent[] = [];
      const v2: CloudEvent[] = [];
      const kit = await boot([recordingPlugin('reads-v1', [MeterReadV1], v1), recordingPlugin('reads-v2', [MeterReadV2], v2)]);
      await kit.publish(MeterReadV1, { kwh: 1, site: 'depot' });
      await kit.publish(MeterReadV2, { kwh: 2 });
      await waitFor(() => v1.length === 2 && v2.length === 2);
      const byKwh = (events: CloudEvent[]) => [...events].sort((a, b) => (a.data as { kwh: number }).kwh - (b.data as { kwh: number }).kwh);
      expect(byKwh(v1).map((event) => [event.dataschema, event.data])).toEqual([
        [schemaUrn(MeterReadV1.type, 1), { kwh: 1, site: 'depot' }],
        [schemaUrn(MeterReadV1.type, 1), { kwh: 2, site: 'unknown' }],
      ]);
      expect(byKwh(v2).map((event) => [event.dataschema, event.data])).toEqual([
        [schemaUrn(MeterReadV2.type, 2), { kwh: 1 }],
        [schemaUrn(MeterReadV2.type, 2), { kwh: 2 }],
      ]);
      // Converted data is read-only as published data is (the test kit freezes both).
      expect(Object.isFrozen(byKwh(v1)[1]!.data)).toBe(true);
      // A consumer of a pattern is bound to no version: it gets what was published.
      expect(kit.eventsOf(MeterReadV2.type).map((event) => event.data)).toEqual([{ kwh: 1, site: 'depot' }, { kwh: 2 }]);
    });

    describe('envelopes from another sender', () => {
      // A transport of its own on the same message system, attached to no bus, sends what a
      // non-Polis client might: events whose attributes were never built by a Polis bus.
      const received = async () => {
        const [receiving, sending] = await fixture.createTransports(2);
        const effects: CloudEvent[] = [];
        const handled: CloudEvent[] = [];
        const kit = await startTestKernel({ plugins: [relayPlugin(effects), recordingPlugin('listener', [SensorRead], handled)], transport: receiving });
        kits.push(kit);
        await sending!.connect();
        const run = `${fixture.name}-${Math.random().toString(36).slice(2, 8)}`;
        const send = async (id: string, overrides: Record<string, unknown>) => {
          const event: Record<string, unknown> = {
            specversion: '1.0',
            id: `${run}-${id}`,
            source: 'urn:city:field-gateway',
            type: SensorRead.type,
            time: '2026-01-01T08:00:00Z',
            datacontenttype: 'application/json',
            dataschema: schemaUrn(SensorRead.type, 1),
            data: { sensor: id, value: 1 },
          };
          for (const [attribute, value] of Object.entries(overrides)) {
            if (value === undefined) delete event[attribute];
            else event[attribute] = value;
          }
          await sending!.publish(event as unknown as CloudEvent);
          return `${run}-${id}`;
        };
        return { kit, send, handled, effects, close: () => sending!.close() };
      };

      it(`[${fixture.name}] dead-letters an event with a bad attribute, naming it, before any handler`, async () => {
        const { kit, send, handled, close } = await received();
        const cases: Array<[string, Record<string, unknown>, string]> = [
          ['time-number', { time: 12345 }, 'time'],
          ['time-text', { time: 'yesterday' }, 'time'],
          ['correlation-object', { correlationid: { chain: 1 } }, 'correlationid'],
          ['causation-array', { causationid: ['x'] }, 'causationid'],
          ['subject-number', { subject: 42 }, 'subject'],
          ['priority-number', { priority: 797 }, 'priority'],
          ['priority-unknown', { priority: 'urgent' }, 'priority'],
          ['traceparent-text', { traceparent: 'not-a-trace' }, 'traceparent'],
          ['traceparent-zero', { traceparent: `00-${'0'.repeat(32)}-00f067aa0ba902b7-01` }, 'traceparent'],
          ['tracestate-number', { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', tracestate: 7 }, 'tracestate'],
          ['dataschema-number', { dataschema: 7 }, 'dataschema'],
          ['source-missing', { source: undefined }, 'source'],
        ];
        const ids = new Map<string, string>();
        for (const [label, overrides] of cases) ids.set(await send(label, overrides), label);
        await waitFor(() => kit.deadLetters.filter((letter) => letter.data.plugin === 'listener').length === cases.length, 5000);
        const letters = kit.deadLetters.filter((letter) => letter.data.plugin === 'listener');
        for (const [label, , attribute] of cases) {
          const letter = letters.find((l) => ids.get((l.data.event as { id?: string } | undefined)?.id ?? '') === label);
          expect(letter?.data, label).toMatchObject({ code: ErrorCodes.EVENT_UNDECODABLE, reason: expect.stringContaining(`attribute '${attribute}'`) });
        }
        expect(handled).toEqual([]);
        await close();
      });

      it(`[${fixture.name}] reads an unset (null) attribute as absent, and an event without dataschema as the latest version`, async () => {
        const { send, handled, effects, close } = await received();
        const nullTrace = await send('null-trace', { traceparent: null, subject: null });
        const noSchema = await send('no-schema', { dataschema: undefined, time: undefined });
        await waitFor(() => handled.length === 2 && effects.length === 2, 5000);
        const byId = new Map(handled.map((event) => [event.id, event]));
        expect(byId.get(nullTrace)).not.toHaveProperty('traceparent');
        expect(byId.get(nullTrace)).not.toHaveProperty('subject');
        expect(byId.get(noSchema)?.dataschema).toBe(schemaUrn(SensorRead.type, 1));
        expect(Number.isNaN(Date.parse(byId.get(noSchema)!.time))).toBe(false);
        // The handler's publish works on both, starting a trace of its own where none came in.
        expect(effects.map((effect) => effect.causationid).sort()).toEqual([nullTrace, noSchema].sort());
        for (const effect of effects) expect(effect.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
        await close();
      });

      it(`[${fixture.name}] carries traceparent and tracestate along the causal chain`, async () => {
        const { send, effects, close } = await received();
        const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
        const tracestate = 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7';
        await send('traced', { traceparent, tracestate });
        await waitFor(() => effects.length === 1, 5000);
        expect(effects[0]!.traceparent!.slice(0, 36)).toBe(traceparent.slice(0, 36));
        expect(effects[0]!.tracestate).toBe(tracestate);
        await close();
      });
    });

    it(`[${fixture.name}] hands an emergency event to a busy handler before every routine event waiting for it`, async () => {
      // Independent of how fast publishing is: the handler is held until every event has
      // arrived, so all routine events are waiting when the alarm does.
      const order: string[] = [];
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const held = definePlugin({
        name: 'held',
        version: '1.0.0',
        kernel: '^1',
        consumes: ['test.>'],
        setup(ctx) {
          ctx.on('test.>', async (event) => {
            order.push(event.type);
            await gate;
          });
        },
      });
      const kit = await boot([held]);
      for (let i = 0; i < 10; i++) await kit.publish(SensorRead, { sensor: 'h', value: i });
      await kit.publish(AlarmRaised, { level: 5 });
      await waitFor(() => kit.events.filter((event) => event.type.startsWith('test.')).length === 11);
      await new Promise((resolve) => setTimeout(resolve, 50));
      release();
      await waitFor(() => order.length === 11);
      // At most the one routine event the handler took before the others arrived goes first.
      expect(order.indexOf('test.alarm.raised')).toBeLessThanOrEqual(1);
    });
  });
}
