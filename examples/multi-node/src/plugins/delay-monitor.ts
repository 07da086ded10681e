import { Type, definePlugin } from '@polis/plugin-api';
import { DelayStats, VehicleDelayed, VehicleReported } from '../contracts.js';
import { DELAY_THRESHOLD_S } from '../demo-data.js';

/** Turns reports of late buses into delays, and answers how many it has seen. */
export const delayMonitor = definePlugin({
  name: 'delay-monitor',
  version: '1.0.0',
  kernel: '^1',
  config: Type.Object({ thresholdS: Type.Integer({ minimum: 0, default: DELAY_THRESHOLD_S }) }),
  consumes: [VehicleReported],
  publishes: [VehicleDelayed],
  answers: [DelayStats],
  setup(ctx) {
    let reports = 0;
    let delayed = 0;
    ctx.on(VehicleReported, async (event, scope) => {
      reports++;
      if (event.data.delayS <= ctx.config.thresholdS) return;
      delayed++;
      const delay = await scope.publish(VehicleDelayed, event.data, { subject: event.data.vehicle });
      ctx.logger.info('vehicle delayed', { vehicle: event.data.vehicle, delayS: event.data.delayS, eventId: delay.id });
    });
    ctx.answer(DelayStats, () => ({ reports, delayed }));
  },
});
