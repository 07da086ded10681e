import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { NATS_URL, removeNatsState, uniquePrefix } from '../support/nats-env.js';

const launcher = fileURLToPath(new URL('../../examples/multi-node/src/launch.ts', import.meta.url));

describe('examples/multi-node: two kernel processes on one NATS', () => {
  const prefix = uniquePrefix('multi-node');
  const bucket = `schemas_${prefix.replace(/-/g, '_')}`;

  afterAll(async () => {
    await removeNatsState(prefix, [bucket]);
  });

  it('exchanges events between plugins on different nodes, and a plugin with a replica on each node handles every event once', async () => {
    const child = spawn(process.execPath, ['--conditions=@polis/source', '--import', 'tsx', launcher], {
      env: { ...process.env, NATS_URL, POLIS_PREFIX: prefix, POLIS_SCHEMA_BUCKET: bucket },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));

    const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null') as Record<string, unknown>;
    expect(summary, stderr).toMatchObject({ ok: true, reports: 40, duplicates: 0, failures: [] });
    expect(summary.announcements).toBe(summary.expectedDelays);
    expect(summary.delaysPublished).toBe(summary.expectedDelays);
    // The replicas shared the work: each node announced some of the delays.
    const byNode = summary.announcementsByNode as Record<string, number>;
    expect(byNode['node-a']).toBeGreaterThan(0);
    expect(byNode['node-b']).toBeGreaterThan(0);
    // fleet on node-a asked delay-monitor on node-b: a query across processes.
    expect(summary.statistics).toMatchObject({ askedOn: 'node-a' });
    expect(code).toBe(0);
  }, 60_000);
});
