// The consumer side of nats_core_vs_raw, in a process of its own (forked by nats-core.ts, so
// publisher and consumer share no event loop, as on two nodes): a Polis kernel on core NATS
// with one consumer plugin, and a raw nats.js subscription. Each times the events it receives,
// from the first to the last, and reports the rate to the bench process.
import { NatsTransport } from '@polis/bus-nats';
import type { NatsConnection } from '@polis/bus-nats/nats';
import type { Kernel } from '@polis/kernel';
import { counterPlugin } from '../bench-plugins.js';
import { startKernel } from '../bench-kernel.js';
import { connectRaw } from '../raw-connection.js';
import type { DetectorReading } from '../payload.js';
import { Tally } from '../tally.js';
import { STALL_MS } from '../throughput.js';
import type { CoreContenderName, FromConsumer, ToConsumer } from './nats-core-protocol.js';

const tallies: Record<CoreContenderName, Tally> = { polis: new Tally(), raw: new Tally(), bare: new Tally() };
let kernel: Kernel | undefined;
let raw: NatsConnection | undefined;

function send(message: FromConsumer): void {
  process.send!(message);
}

async function start(url: string, prefix: string, rawSubject: string, bareSubject: string): Promise<void> {
  kernel = await startKernel([counterPlugin('consumer', tallies.polis)], new NatsTransport({ servers: url, prefix, jetstream: false }));
  raw = await connectRaw(url, 'raw-consumer');
  raw.subscribe(rawSubject, {
    callback: (error, msg) => {
      if (error) throw error;
      tallies.raw.record(msg.json<{ data: DetectorReading }>().data);
    },
  });
  raw.subscribe(bareSubject, {
    callback: (error, msg) => {
      if (error) throw error;
      tallies.bare.record(msg.json<DetectorReading>());
    },
  });
  await raw.flush();
}

/**
 * Times from the first event to the last by awaiting the tally: no clock read per event, so
 * neither side pays for the measurement. Both marks land after the socket read that delivered the
 * event (one read is a few hundred events), the same offset at both ends.
 */
async function time(contender: CoreContenderName, events: number): Promise<number> {
  const tally = tallies[contender];
  const before = tally.count;
  await tally.reach(before + 1, contender, STALL_MS);
  const first = performance.now();
  await tally.reach(before + events, contender, STALL_MS);
  const seconds = (performance.now() - first) / 1000;
  if (tally.count !== before + events) throw new Error(`${contender}: ${tally.count - before - events} more events than were published`);
  tally.assertIntact(contender);
  return (events - 1) / seconds;
}

async function handle(message: ToConsumer): Promise<void> {
  switch (message.kind) {
    case 'start':
      await start(message.url, message.prefix, message.rawSubject, message.bareSubject);
      send({ kind: 'ready' });
      return;
    case 'expect': {
      // Like the bench process, start each measurement with a clean heap.
      gc!();
      const timing = time(message.contender, message.events);
      send({ kind: 'armed' });
      send({ kind: 'received', eventsPerSecond: await timing });
      return;
    }
    case 'stop':
      await kernel?.stop();
      await raw?.close();
      process.exit(0);
  }
}

process.on('message', (message: ToConsumer) => {
  handle(message).catch((error: unknown) => {
    send({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
  });
});
