import { environment } from '@polis/contracts';
import { Type, definePlugin } from '@polis/plugin-api';
import { AirQualitySimulation, startAirQualityStations } from './air-quality-stations.js';
import { seededRandom } from './seeded-random.js';

const AirQualitySimulatorConfig = Type.Object({ seed: Type.Integer({ default: 43 }), ...AirQualitySimulation.properties });

/**
 * The demo's air-quality station loggers, a plugin of their own so that they can be plugged in
 * together with the environment plugin while the city runs (one `startAfter`, one batch: the
 * stations' first upload reaches an environment plugin that already listens).
 */
export default definePlugin({
  name: 'air-quality-simulator',
  version: '1.0.0',
  kernel: '^1',
  description: 'Seeded air-quality station loggers and staged smoke episodes for the demo city.',
  config: AirQualitySimulatorConfig,
  publishes: [environment.ReadingReported],
  setup(ctx) {
    ctx.onStart(() => {
      startAirQualityStations(ctx.config, {
        clock: ctx.clock,
        logger: ctx.logger,
        random: seededRandom(ctx.config.seed),
        publish: (reading) => ctx.publish(environment.ReadingReported, reading),
      });
    });
  },
});
