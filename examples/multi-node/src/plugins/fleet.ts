import { definePlugin } from '@polis/plugin-api';
import { DelayStats, VehicleReported } from '../contracts.js';
import { DEMO_REPORTS } from '../demo-data.js';

/** Reports the position and delay of every bus once the node has started, then asks the monitor for its statistics. */
export const fleet = definePlugin({
  name: 'fleet',
  version: '1.0.0',
  kernel: '^1',
  publishes: [VehicleReported],
  requests: [DelayStats],
  setup(ctx) {
    ctx.onStart(async () => {
      for (const report of DEMO_REPORTS) await ctx.publish(VehicleReported, report, { subject: report.vehicle });
      ctx.logger.info('vehicle reports published', { count: DEMO_REPORTS.length });
      // The monitor runs on the other node: this is a NATS request across processes.
      const stats = await ctx.request(DelayStats, {});
      ctx.logger.info('delay statistics', stats);
    });
  },
});
