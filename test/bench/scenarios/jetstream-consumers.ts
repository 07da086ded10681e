import { randomBytes } from 'node:crypto';
import { NatsTransport } from '@polis/bus-nats';
import { counterPlugin, gatewayPlugin } from '../bench-plugins.js';
import { startKernel } from '../bench-kernel.js';
import { alternate } from '../measure.js';
import type { RunningContender } from '../measure.js';
import { scaleTable } from '../report.js';
import type { BenchKey, Result } from '../result.js';
import type { Scenario } from '../scenario.js';
import { sized } from '../settings.js';
import { Tally } from '../tally.js';
import { windowedThroughput } from '../throughput.js';

const SIZES: ReadonlyArray<{ consumers: number; key: BenchKey }> = [
  { consumers: 1, key: 'jetstream_eps_consumers1' },
  { consumers: 4, key: 'jetstream_eps_consumers4' },
  { consumers: 16, key: 'jetstream_eps_consumers16' },
];
/** As in the jetstream scenario: publishes awaiting their stream ack at once. */
const PUBLISH_WINDOW = 256;

/** A kernel on JetStream with a gateway and `consumers` plugins, each a durable subscription of its own that every event reaches. */
async function durableFleet(url: string, consumers: number, events: number): Promise<RunningContender> {
  const tally = new Tally();
  const gateway = gatewayPlugin();
  // A stream of its own per kernel, so one fleet's backlog never reaches another's consumers.
  const transport = new NatsTransport({ servers: url, prefix: `bench-${randomBytes(4).toString('hex')}`, publishRate: () => false, jetstream: {} });
  const plugins = Array.from({ length: consumers }, (_, i) => counterPlugin(`consumer-${i + 1}`, tally));
  const kernel = await startKernel([gateway.plugin, ...plugins], transport);
  const label = `${consumers} durable consumer${consumers === 1 ? '' : 's'}`;
  return {
    label,
    unit: 'events/s',
    measure: () => windowedThroughput(label, events, PUBLISH_WINDOW, gateway.publish, tally, consumers),
    stop: () => kernel.stop(),
  };
}

/** JetStream throughput (events published per second, each handled by every durable consumer) with 1, 4 and 16 consumer plugins. */
export const jetstreamConsumersScenario: Scenario = {
  name: 'jetstream consumers',
  keys: SIZES.map((size) => size.key),
  async run({ settings, nats }) {
    const events = sized(settings, 20_000, 500);
    const fleets: RunningContender[] = [];
    try {
      for (const { consumers } of SIZES) fleets.push(await durableFleet(nats.url, consumers, events));
      // Alternated like any comparison, so the three sizes see the same machine state.
      const figures = await alternate(fleets, settings);
      const results: Result[] = SIZES.map(({ consumers, key }, i) => ({
        key,
        title: `JetStream, one process: publish (awaiting the stream ack) -> ${consumers} durable consumer plugin${consumers === 1 ? '' : 's'} -> handler -> ack (events published/s, each handled by every consumer)`,
        figures: [figures[i]!],
        perRound: figures[i]!.perRound,
        target: undefined,
        notes: [`${events.toLocaleString('en-US')} events a round, ${PUBLISH_WINDOW} publishes in flight, file storage, Polis' default consumer settings`, nats.description],
      }));
      console.log(scaleTable('JetStream throughput', 'consumers', SIZES.map(({ consumers }, i) => [consumers, results[i]!])));
      return results;
    } finally {
      for (const fleet of fleets) await fleet.stop();
    }
  },
};
