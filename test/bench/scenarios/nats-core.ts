import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { NatsTransport } from '@polis/bus-nats';
import type { NatsConnection } from '@polis/bus-nats/nats';
import type { Kernel } from '@polis/kernel';
import { gatewayPlugin } from '../bench-plugins.js';
import { startKernel } from '../bench-kernel.js';
import { connectRaw } from '../raw-connection.js';
import { alternate } from '../measure.js';
import type { Contender } from '../measure.js';
import { detectorReading, detectorReadingCloudEvent } from '../payload.js';
import { ratioResult, valueOf } from '../result.js';
import { spreadOf } from '../stats.js';
import type { Scenario } from '../scenario.js';
import { sized } from '../settings.js';
import { STALL_MS, publishCount } from '../throughput.js';
import type { CoreContenderName, FromConsumer, ToConsumer } from './nats-core-protocol.js';

const CONSUMER = fileURLToPath(new URL('./nats-core-consumer.ts', import.meta.url));

/** The consumer process: same flags as the bench's own (sources through tsx, a GC to call). */
function forkConsumer(): ChildProcess {
  return fork(CONSUMER, [], { execArgv: ['--expose-gc', '--import', 'tsx'], stdio: 'inherit' });
}

/**
 * Sends `message` and resolves with the consumer's next message of kind `kind`. The consumer
 * reports its own failures (a stalled count included); the timeout only catches a process that
 * hangs or went silent.
 */
function exchange<K extends FromConsumer['kind']>(
  child: ChildProcess,
  message: ToConsumer | undefined,
  kind: K,
  timeoutMs = STALL_MS,
): Promise<Extract<FromConsumer, { kind: K }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`the consumer process sent no '${kind}' within ${timeoutMs / 1000} s`)), timeoutMs);
    const onMessage = (reply: FromConsumer) => {
      if (reply.kind === kind) finish(undefined, reply as Extract<FromConsumer, { kind: K }>);
      else if (reply.kind === 'failed') finish(new Error(`the consumer process failed: ${reply.message}`));
    };
    const onExit = (code: number | null) => finish(new Error(`the consumer process exited (${code}) before '${kind}'`));
    const finish = (error: Error | undefined, reply?: Extract<FromConsumer, { kind: K }>) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(reply!);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    if (message) child.send(message);
  });
}

/** Asks the consumer process to stop; kills it if it has not within a few seconds (it may be the stuck part). */
async function stopConsumer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send({ kind: 'stop' } satisfies ToConsumer);
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** A contender whose events go to the consumer process: the rate is what arrived there. */
function remoteContender(label: string, name: CoreContenderName, child: ChildProcess, events: number, publish: () => unknown): Contender {
  return {
    label,
    unit: 'events/s',
    async measure() {
      // Long enough for a consumer that keeps up at 1,000 events/s; the consumer reports a stall sooner.
      const received = exchange(child, undefined, 'received', STALL_MS + events);
      await exchange(child, { kind: 'expect', contender: name, events }, 'armed');
      await publishCount(events, publish);
      return (await received).eventsPerSecond;
    },
  };
}

/**
 * Core NATS across two processes: a gateway plugin publishing here and a consumer plugin in the
 * consumer process, against nats.js publishing the same JSON here to a plain subscription there.
 */
export const natsCoreScenario: Scenario = {
  name: 'nats core',
  keys: ['nats_core_vs_raw'],
  async run({ settings, nats }) {
    const events = sized(settings, 100_000, 2_000);
    const prefix = `bench-${randomBytes(4).toString('hex')}`;
    const rawSubject = `${prefix}-raw.detector.reported`;
    const bareSubject = `${prefix}-bare.detector.reported`;
    const child = forkConsumer();
    let kernel: Kernel | undefined;
    let raw: NatsConnection | undefined;
    try {
      await exchange(child, { kind: 'start', url: nats.url, prefix, rawSubject, bareSubject }, 'ready');
      const gateway = gatewayPlugin();
      kernel = await startKernel([gateway.plugin], new NatsTransport({ servers: nats.url, prefix, jetstream: false, publishRate: () => false }));
      const publisher = await connectRaw(nats.url, 'raw-publisher');
      raw = publisher;
      // An application sending CloudEvents with nats.js directly: the same JSON document as Polis.
      const publishRaw = () => publisher.publish(rawSubject, Buffer.from(detectorReadingCloudEvent().json));
      // For reference only: the reading with no envelope at all.
      const publishBare = () => publisher.publish(bareSubject, Buffer.from(JSON.stringify(detectorReading)));
      const [p, r, b] = await alternate(
        [
          remoteContender('polis', 'polis', child, events, gateway.publish),
          remoteContender('raw nats.js, same CloudEvent JSON', 'raw', child, events, publishRaw),
          remoteContender('raw nats.js, the reading alone', 'bare', child, events, publishBare),
        ],
        settings,
      );
      const bare = ratioResult({ key: 'nats_core_vs_raw', title: '', numerator: p!, denominator: b! });
      return [
        ratioResult({
          key: 'nats_core_vs_raw',
          title: 'core NATS, publisher and consumer in two processes: gateway plugin -> consumer plugin vs nats.js publish -> plain subscription, rate at the consumer',
          numerator: p!,
          denominator: r!,
          target: { op: '>=', bound: 0.95 },
          notes: [
            `${events.toLocaleString('en-US')} events a round, first to last received`,
            `both sides send the same CloudEvent JSON (${detectorReadingCloudEvent().json.length} bytes); against nats.js sending only the reading (${JSON.stringify(detectorReading).length} bytes, no envelope) the ratio is ${valueOf(bare).toFixed(3)}, ${Math.round(spreadOf(b!.perRound).median).toLocaleString('en-US')} events/s`,
            nats.description,
          ],
        }),
      ];
    } finally {
      await kernel?.stop();
      await raw?.close();
      await stopConsumer(child);
    }
  },
};
