import { traffic } from '@polis/contracts';
import { ServiceBroker } from 'moleculer';
import type { Context } from 'moleculer';
import type { RunningContender } from '../measure.js';
import { freshReading } from '../payload.js';
import type { DetectorReading } from '../payload.js';
import { Tally } from '../tally.js';
import { publishThroughput } from '../throughput.js';

/**
 * Moleculer's local event path: one broker, no transporter, one service whose event handler
 * records the reading; `broker.emit` is its publish. Moleculer as an application would run it
 * (no logger output, no metrics or tracing, its defaults otherwise); it does not validate events
 * without `params`, so this side does no validation.
 */
export async function moleculer(options: { durationMs: number }): Promise<RunningContender> {
  const tally = new Tally();
  const broker = new ServiceBroker({ nodeID: 'bench', logger: false });
  broker.createService({
    name: 'consumer',
    events: {
      [traffic.DetectorReported.type](ctx: Context<DetectorReading>) {
        tally.record(ctx.params);
      },
    },
  });
  await broker.start();
  const label = `moleculer ${ServiceBroker.MOLECULER_VERSION}`;
  return {
    label,
    unit: 'events/s',
    measure: () => publishThroughput(label, options.durationMs, 1, () => broker.emit(traffic.DetectorReported.type, freshReading()), tally),
    stop: () => broker.stop(),
  };
}
