import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsCluster } from '../support/nats-cluster.js';
import type { NatsCluster } from '../support/nats-cluster.js';

const launcher = fileURLToPath(new URL('../../examples/multi-node/src/launch.ts', import.meta.url));

describe('examples/multi-node on a three-node NATS cluster (R3) losing a server', () => {
  let cluster: NatsCluster;
  beforeAll(async () => {
    cluster = await startNatsCluster(3);
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  // The reports go out one per 100 ms, so the server dies while the city is busy. A delivery the
  // killed server had in flight to a kernel is lost with it and handed out again after the ack
  // wait: 30 s by default, as long as the launcher waits, which is how this test once failed.
  // Kernels that must fail over fast set a short ack wait (held events are kept alive meanwhile).
  it('hands every event to its plugins once while one server is killed with kill -9, and both kernels keep running', async () => {
    const child = spawn(process.execPath, ['--conditions=@polis/source', '--import', 'tsx', launcher], {
      env: { ...process.env, NATS_URL: cluster.urls.join(','), POLIS_PREFIX: 'cluster-demo', POLIS_REPLICAS: '3', FLEET_REPORT_EVERY_MS: '100', POLIS_ACK_WAIT_MS: '5000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Kill the first server (every connection's first choice) once both nodes are up and working.
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if ((stderr.match(/node ready/g) ?? []).length >= 2) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    await cluster.servers[0]!.kill9();
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));

    const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null') as Record<string, unknown>;
    expect(summary, stderr).toMatchObject({ ok: true, reports: 40, duplicates: 0, failures: [] });
    expect(summary.announcements).toBe(summary.expectedDelays);
    expect(summary.delaysPublished).toBe(summary.expectedDelays);
    expect(code).toBe(0);
  }, 60_000);
});
