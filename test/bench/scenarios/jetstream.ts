import { randomBytes } from 'node:crypto';
import { NatsTransport } from '@polis/bus-nats';
import { AckPolicy, DeliverPolicy, RetentionPolicy, StorageType, jetstream, jetstreamManager, nanos } from '@polis/bus-nats/nats';
import type { NatsConnection } from '@polis/bus-nats/nats';
import { counterPlugin, gatewayPlugin } from '../bench-plugins.js';
import { startKernel } from '../bench-kernel.js';
import { connectRaw } from '../raw-connection.js';
import { alternate } from '../measure.js';
import type { RunningContender } from '../measure.js';
import { detectorReadingCloudEvent } from '../payload.js';
import type { DetectorReading } from '../payload.js';
import { ratioResult } from '../result.js';
import type { Scenario } from '../scenario.js';
import { sized } from '../settings.js';
import { Tally } from '../tally.js';
import { windowedThroughput } from '../throughput.js';

/** Publishes awaiting their stream acknowledgement at once, on both sides. */
const PUBLISH_WINDOW = 256;
/** Unacknowledged messages a consumer is handed at once (Polis' default, set explicitly so both sides surely match). */
const MAX_ACK_PENDING = 1024;
/** The stream settings Polis uses by default, given to the raw stream too. */
const MAX_AGE_MS = 24 * 60 * 60 * 1000;
const DUPLICATE_WINDOW_MS = 2 * 60 * 1000;

/** Polis on JetStream: a gateway plugin and a consumer plugin (a durable subscription, acked after its handler) in one kernel. */
async function polisJetStream(url: string, events: number): Promise<RunningContender> {
  const tally = new Tally();
  const gateway = gatewayPlugin();
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  const transport = new NatsTransport({ servers: url, prefix, publishRate: () => false, jetstream: { maxAckPending: MAX_ACK_PENDING, maxAgeMs: MAX_AGE_MS, duplicateWindowMs: DUPLICATE_WINDOW_MS } });
  const kernel = await startKernel([gateway.plugin, counterPlugin('consumer', tally)], transport);
  return {
    label: 'polis',
    unit: 'events/s',
    measure: () => windowedThroughput('polis', events, PUBLISH_WINDOW, gateway.publish, tally),
    stop: () => kernel.stop(),
  };
}

/**
 * nats.js on JetStream as an application sending CloudEvents would use it without Polis: a file
 * stream like Polis' (same limits), `js.publish` of the same CloudEvent JSON with its id as
 * `Nats-Msg-Id`, and a durable pull consumer read with `consume()`, explicit ack after the
 * handler, the same max ack pending.
 */
async function rawJetStream(url: string, events: number): Promise<RunningContender> {
  const tally = new Tally();
  const name = `RAW_${randomBytes(4).toString('hex').toUpperCase()}`;
  const subject = `${name.toLowerCase()}.detector.reported`;
  const nc: NatsConnection = await connectRaw(url, 'raw-jetstream');
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({
    name,
    subjects: [subject],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    max_age: nanos(MAX_AGE_MS),
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    num_replicas: 1,
  });
  await jsm.consumers.add(name, {
    durable_name: 'consumer',
    filter_subject: subject,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.New,
    max_ack_pending: MAX_ACK_PENDING,
  });
  const js = jetstream(nc);
  const consumer = await js.consumers.get(name, 'consumer');
  const messages = await consumer.consume({
    max_messages: MAX_ACK_PENDING,
    callback: (msg) => {
      tally.record(msg.json<{ data: DetectorReading }>().data);
      msg.ack();
    },
  });
  return {
    label: 'raw nats.js',
    unit: 'events/s',
    measure: () =>
      windowedThroughput('raw nats.js', events, PUBLISH_WINDOW, () => {
        const event = detectorReadingCloudEvent();
        return js.publish(subject, Buffer.from(event.json), { msgID: event.id });
      }, tally),
    stop: async () => {
      await messages.close();
      await nc.drain();
    },
  };
}

/** Durable delivery: publish acknowledged by the stream -> handler -> ack, Polis against raw JetStream. */
export const jetstreamScenario: Scenario = {
  name: 'jetstream',
  keys: ['jetstream_vs_raw'],
  async run({ settings, nats }) {
    const events = sized(settings, 40_000, 1_000);
    const stops: Array<() => Promise<void>> = [];
    try {
      const polis = await polisJetStream(nats.url, events);
      stops.push(polis.stop);
      const raw = await rawJetStream(nats.url, events);
      stops.push(raw.stop);
      const [p, r] = await alternate([polis, raw], settings);
      return [
        ratioResult({
          key: 'jetstream_vs_raw',
          title: 'JetStream, one process: publish (awaiting the stream ack) -> durable consumer -> handler -> ack, Polis vs nats.js',
          numerator: p!,
          denominator: r!,
          target: { op: '>=', bound: 0.9, intervalBound: 0.8 },
          notes: [
            `${events.toLocaleString('en-US')} events a round, ${PUBLISH_WINDOW} publishes in flight, max ack pending ${MAX_ACK_PENDING}, file storage`,
            'both sides send the same CloudEvent JSON with Nats-Msg-Id = the event id',
            nats.description,
          ],
        }),
      ];
    } finally {
      for (const stop of stops.reverse()) await stop();
    }
  },
};
