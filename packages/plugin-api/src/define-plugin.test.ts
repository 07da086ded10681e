import { describe, expect, expectTypeOf, it } from 'vitest';
import { Type, defineEvent, definePlugin, defineQuery, serviceRef } from './index.js';
import type { CloudEvent } from './index.js';

// These tests are checked by the compiler (`pnpm typecheck`, part of `pnpm test`): every
// `@ts-expect-error` line must be an error, or the typecheck fails.

const Opened = defineEvent({
  type: 'safety.incident.opened',
  version: 1,
  schema: Type.Object({ incidentId: Type.String(), severity: Type.Integer() }),
});
const Dispatched = defineEvent({ type: 'health.ambulance.dispatched', version: 1, schema: Type.Object({ ambulanceId: Type.String() }) });
const Undeclared = defineEvent({ type: 'traffic.signal.changed', version: 1, schema: Type.Object({ phase: Type.String() }) });
const Route = defineQuery({
  type: 'traffic.route.find',
  version: 1,
  request: Type.Object({ from: Type.String(), to: Type.String() }),
  response: Type.Object({ etaS: Type.Number() }),
});
const RouterRef = serviceRef<{ eta(a: string, b: string): number }>()('traffic.router');

describe('definePlugin typing', () => {
  it('types ctx from the manifest and rejects undeclared use at compile time', () => {
    const plugin = definePlugin({
      name: 'healthcare',
      version: '1.0.0',
      kernel: '^1',
      config: Type.Object({ fleet: Type.Integer({ default: 3 }) }),
      publishes: [Dispatched],
      consumes: [Opened, 'traffic.>'],
      requests: [Route],
      needs: { router: RouterRef },
      setup(ctx) {
        expectTypeOf(ctx.config.fleet).toEqualTypeOf<number>();
        expectTypeOf(ctx.deps.router.eta).toBeFunction();
        ctx.on(Opened, async (event, scope) => {
          expectTypeOf(event.data).toEqualTypeOf<{ incidentId: string; severity: number }>();
          await scope.publish(Dispatched, { ambulanceId: event.data.incidentId });
          const route = await scope.request(Route, { from: 'a', to: 'b' });
          expectTypeOf(route.etaS).toEqualTypeOf<number>();
        });
        ctx.on('traffic.>', (event) => {
          expectTypeOf(event).toEqualTypeOf<CloudEvent<unknown>>();
        });
        // @ts-expect-error: traffic.signal.changed is not in `publishes`
        void ctx.publish(Undeclared, { phase: 'A' });
        // @ts-expect-error: the data does not match the schema
        void ctx.publish(Dispatched, { ambulanceId: 7 });
        // @ts-expect-error: health.ambulance.dispatched is not in `consumes`
        ctx.on(Dispatched, () => {});
        // @ts-expect-error: the pattern is not declared in `consumes`
        ctx.on('safety.>', () => {});
        // @ts-expect-error: Route is requested, not answered
        ctx.answer(Route, () => ({ etaS: 1 }));
        // @ts-expect-error: nothing is declared in `provides`
        ctx.provide(RouterRef, { eta: () => 1 });
      },
    });
    expect(Object.isFrozen(plugin)).toBe(true);
    expect(plugin.publishes?.[0]?.type).toBe('health.ambulance.dispatched');
  });

  it('tells versions of one event and ids of one service type apart at compile time', () => {
    // Same type, same data type: only the version tells them apart.
    const ReadV1 = defineEvent({ type: 'test.meter.read', version: 1, schema: Type.Object({ kwh: Type.Number() }) });
    const ReadV2 = defineEvent({ type: 'test.meter.read', version: 2, schema: Type.Object({ kwh: Type.Number() }) });
    const RouteV2 = defineQuery({ type: 'traffic.route.find', version: 2, request: Route.request, response: Route.response });
    // Same service type: only the id tells them apart.
    const Fast = serviceRef<() => number>()('test.fast');
    const Slow = serviceRef<() => number>()('test.slow');
    expectTypeOf(ReadV2.version).toEqualTypeOf<2>();
    expectTypeOf(ReadV2.type).toEqualTypeOf<'test.meter.read'>();
    expectTypeOf(Fast.id).toEqualTypeOf<'test.fast'>();
    definePlugin({
      name: 'meters',
      version: '1.0.0',
      kernel: '^1',
      publishes: [ReadV2],
      consumes: [ReadV2],
      requests: [RouteV2],
      provides: [Fast],
      setup(ctx) {
        void ctx.publish(ReadV2, { kwh: 1 });
        // @ts-expect-error: only v2 of test.meter.read is in `publishes`
        void ctx.publish(ReadV1, { kwh: 1 });
        // @ts-expect-error: only v2 of test.meter.read is in `consumes`
        ctx.on(ReadV1, () => {});
        // @ts-expect-error: only v2 of traffic.route.find is in `requests`
        void ctx.request(Route, { from: 'a', to: 'b' });
        ctx.provide(Fast, () => 1);
        // @ts-expect-error: test.slow is not in `provides`, though its service type is the same
        ctx.provide(Slow, () => 1);
      },
    });
  });

  it('infers event data types from TypeBox schemas', () => {
    type Data = NonNullable<(typeof Opened)['__data']>;
    expectTypeOf<Data>().toEqualTypeOf<{ incidentId: string; severity: number }>();
    expect(Opened).toMatchObject({ kind: 'event', type: 'safety.incident.opened', version: 1 });
  });
});
