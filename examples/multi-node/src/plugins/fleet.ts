import { definePlugin } from '@polis/plugin-api';
import { DelayStats, VehicleReported } from '../contracts.js';
import { DEMO_REPORTS } from '../demo-data.js';

/**
 * Reports the position and delay of every bus once the node has started, then asks the monitor
 * for its statistics. With `FLEET_REPORT_EVERY_MS` the reports go out one per interval, so the
 * city is busy for a while after the node is ready (the cluster test kills a server meanwhile).
 */
export const fleet = definePlugin({
  name: 'fleet',
  version: '1.0.0',
  kernel: '^1',
  publishes: [VehicleReported],
  requests: [DelayStats],
  setup(ctx) {
    const everyMs = Number(process.env.FLEET_REPORT_EVERY_MS ?? 0);
    const report = (i: number) => ctx.publish(VehicleReported, DEMO_REPORTS[i]!, { subject: DEMO_REPORTS[i]!.vehicle });
    const finish = async () => {
      ctx.logger.info('vehicle reports published', { count: DEMO_REPORTS.length });
      // The monitor runs on the other node: this is a NATS request across processes.
      const stats = await ctx.request(DelayStats, {});
      ctx.logger.info('delay statistics', stats);
    };
    ctx.onStart(async () => {
      if (!(everyMs > 0)) {
        for (let i = 0; i < DEMO_REPORTS.length; i++) await report(i);
        await finish();
        return;
      }
      let next = 0;
      const fail = (error: unknown) => ctx.logger.error('could not report', { error: String(error) });
      const schedule = () => ctx.clock.setTimeout(() => void tick().catch(fail), everyMs);
      const tick = async () => {
        await report(next++);
        if (next < DEMO_REPORTS.length) schedule();
        else await finish();
      };
      schedule();
    });
  },
});
