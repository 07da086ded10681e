import { definePlugin } from '@polis/plugin-api';
import { VehicleDelayed } from '../contracts.js';

/**
 * Announces delays at the stops. It runs on both nodes: two replicas of one plugin are one
 * consumer group, so each delay is announced once, by one of them.
 */
export const passengerInfo = definePlugin({
  name: 'passenger-info',
  version: '1.0.0',
  kernel: '^1',
  consumes: [VehicleDelayed],
  setup(ctx) {
    ctx.on(VehicleDelayed, (event) => {
      ctx.logger.info('delay announced', { vehicle: event.data.vehicle, line: event.data.line, delayEventId: event.id });
    });
  },
});
