import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { definePlugin } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import type { TestKernel } from '@polis/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { NATS_URL, removeNatsState, testTransport, uniquePrefix } from '../support/nats-env.js';
import { AlarmRaised, SensorRead } from '../support/test-contracts.js';

const READINGS = 300;

/** A consumer kernel in its own process, as `polis start` runs one; resolves once it is subscribed. */
function relayProcess(prefix: string, durable: 'on' | 'off', bucket: string, onHandled: (n: number) => void, dieAfter?: number): Promise<ChildProcess> {
  const worker = fileURLToPath(new URL('./fixtures/relay-worker.ts', import.meta.url));
  const child = spawn(
    process.execPath,
    ['--conditions=@polis/source', '--import', 'tsx', worker, NATS_URL, prefix, durable, bucket, ...(dieAfter === undefined ? [] : [String(dieAfter)])],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`relay exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const message = JSON.parse(line) as { ready?: boolean; handled?: number };
      if (message.ready) resolve(child);
      if (message.handled !== undefined) onHandled(message.handled);
    });
  });
}

describe('a consumer kernel killed with kill -9 mid-stream', () => {
  const children: ChildProcess[] = [];
  const kits: TestKernel[] = [];
  const prefixes: [string, string][] = [];

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await Promise.all(kits.map((kit) => kit.stop()));
    await Promise.all(prefixes.map(([prefix, bucket]) => removeNatsState(prefix, [bucket])));
  });

  for (const durable of ['off', 'on'] as const) {
    it(`produces no duplicate downstream event once restarted (durable idempotency ${durable})`, async () => {
      const prefix = uniquePrefix(`crash-${durable}`);
      const bucket = `polis_state_${prefix.replace(/-/g, '_')}`;
      prefixes.push([prefix, bucket]);
      const alarms: CloudEvent[] = [];
      const observer = definePlugin({
        name: 'observer',
        version: '1.0.0',
        kernel: '^1',
        consumes: [AlarmRaised],
        setup: (ctx) => ctx.on(AlarmRaised, (event) => void alarms.push(event)),
      });
      const kit = await startTestKernel({ plugins: [observer], transport: testTransport({ prefix }) });
      kits.push(kit);
      // The relay's consumer exists before the readings, so it is given all of them.
      let handled = 0;
      // It kills itself with SIGKILL after a third of the readings, mid-backlog.
      const first = await relayProcess(prefix, durable, bucket, (n) => (handled = n), READINGS / 3);
      children.push(first);
      const killed = new Promise<NodeJS.Signals | null>((resolve) => first.once('exit', (_code, signal) => resolve(signal)));
      // All at once, so the relay is busy with a backlog (handlers and their outbox sends in flight) when it dies.
      const sent = await Promise.all(Array.from({ length: READINGS }, (_, value) => kit.publish(SensorRead, { sensor: 's', value })));
      expect(await killed).toBe('SIGKILL');
      expect(handled).toBe(READINGS / 3);

      const second = await relayProcess(prefix, durable, bucket, () => undefined);
      children.push(second);
      // Every reading raised its alarm (none lost), then: each exactly once.
      await expect.poll(() => new Set(alarms.map((alarm) => alarm.causationid)).size, { timeout: 30_000 }).toBe(READINGS);
      const perReading = new Map<string, number>();
      for (const alarm of alarms) perReading.set(alarm.causationid as string, (perReading.get(alarm.causationid as string) ?? 0) + 1);
      const repeated = [...perReading].filter(([, count]) => count > 1);
      expect({ repeated: repeated.length, alarms: alarms.length }).toEqual({ repeated: 0, alarms: READINGS });
      expect(new Set(perReading.keys())).toEqual(new Set(sent.map((event) => event.id)));
      second.kill('SIGKILL');
    }, 90_000);
  }
});
