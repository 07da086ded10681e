import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDeployment, runDeployment } from '@polis/cli';
import type { Kernel } from '@polis/kernel';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/nats-server.js';
import { repoRoot } from '../support/polis-command.js';
import { SseReader } from '../support/sse-reader.js';
import { waitFor } from '../support/wait-for.js';

const demoDir = join(repoRoot, 'examples/city-demo');
const token = (name: string) => readFileSync(join(demoDir, 'tokens', `${name}.token`), 'utf8').trim();

/** The demo city with traffic only, and its gateway on a free port: beside city.yaml, so packages, includes and tokens resolve alike. */
function trafficOnlyCity(port: number): string {
  const demo = readFileSync(join(demoDir, 'city.yaml'), 'utf8');
  const http = demo.slice(demo.indexOf('\nhttp:\n') + 1).replace('port: 8080', `port: ${port}`);
  const file = join(demoDir, `.city-test-${randomBytes(4).toString('hex')}.yaml`);
  writeFileSync(
    file,
    [
      'name: growing-city',
      'transport: { kind: memory }',
      'clock: { speed: 60 }',
      'log: { level: warn }',
      'plugins:',
      "  - package: '@polis/plugin-traffic'",
      '    config:',
      '      network: { $include: ./road-network.json }',
      http,
    ].join('\n'),
  );
  return file;
}

describe('growing a running city over the admin API', () => {
  const files: string[] = [];
  afterAll(() => files.forEach((file) => rmSync(file, { force: true })));

  it('starts with traffic only, plugs in public safety and healthcare over HTTP, and then runs the emergency chain with no restart', async () => {
    const port = await freePort();
    const file = trafficOnlyCity(port);
    files.push(file);
    const base = `http://127.0.0.1:${port}`;
    const admin = { authorization: `Bearer ${token('admin')}`, 'content-type': 'application/json' };
    const demo = await loadDeployment(join(demoDir, 'city.yaml'));
    const configOf = (name: string) => demo.plugins.find((entry) => entry.plugin.name === name)!.config;

    const stop = new AbortController();
    let kernel: Kernel | undefined;
    const running = runDeployment(file, { signal: stop.signal, onStarted: (started) => {
      kernel = started;
    } });
    await waitFor(() => kernel !== undefined, 15_000);
    let stream: SseReader | undefined;
    try {
      const before = (await (await fetch(`${base}/admin/plugins`, { headers: admin })).json()) as { plugins: Array<{ name: string }> };
      expect(before.plugins.map((p) => p.name)).toEqual(['traffic']);

      stream = new SseReader(await fetch(`${base}/events/stream?types=safety.>,health.>,traffic.corridor.>,traffic.signal.preempted,traffic.signal.restored`, { headers: { authorization: `Bearer ${token('dashboard')}` } }));
      for (const [pkg, name] of [['@polis/plugin-public-safety', 'public-safety'], ['@polis/plugin-healthcare', 'healthcare']] as const) {
        const loaded = await fetch(`${base}/admin/plugins`, { method: 'POST', headers: admin, body: JSON.stringify({ package: pkg, config: configOf(name) }) });
        expect(loaded.status, await loaded.clone().text()).toBe(201);
        expect(((await loaded.json()) as { started: string[] }).started).toEqual([name]);
      }
      const after = (await (await fetch(`${base}/admin/plugins`, { headers: admin })).json()) as { plugins: Array<{ name: string; state: string; version: string }> };
      expect(after.plugins.map((p) => [p.name, p.state])).toEqual([['traffic', 'running'], ['public-safety', 'running'], ['healthcare', 'running']]);

      const call = await fetch(`${base}/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token('call-center')}`, 'content-type': 'application/cloudevents+json' },
        body: JSON.stringify({
          specversion: '1.0',
          id: 'call-0001',
          source: 'urn:city:110',
          type: 'safety.report.received',
          data: { reportId: 'call-0001', kind: 'collision', position: { lat: 22.5366, lon: 114.0489 }, reportedAt: new Date().toISOString(), casualties: 2, description: 'two cars, driver trapped', channel: 'call' },
        }),
      });
      expect(call.status).toBe(202);
      const types = () => stream!.messages<{ type: string; source: string }>().map((event) => event.type);
      await waitFor(() => ['safety.incident.opened', 'health.ambulance.dispatched', 'traffic.corridor.planned', 'traffic.signal.preempted'].every((type) => types().includes(type)), 15_000);
      const first = stream.messages<{ type: string; source: string; correlationid: string }>()[0]!;
      expect(first).toMatchObject({ type: 'safety.report.received', source: 'emergency-call-center' });
      expect(new Set(stream.messages<{ correlationid: string }>().map((event) => event.correlationid))).toEqual(new Set([first.correlationid]));

      const asyncapi = (await (await fetch(`${base}/asyncapi.json`)).json()) as { operations: Record<string, unknown> };
      expect(Object.keys(asyncapi.operations)).toEqual(expect.arrayContaining(['healthcare.send.health.ambulance.dispatched', 'public-safety.receive.safety.report.received']));

      const unloaded = await fetch(`${base}/admin/plugins/healthcare`, { method: 'DELETE', headers: admin });
      expect(await unloaded.json()).toEqual({ unloaded: ['healthcare'] });
    } finally {
      await stream?.close();
      stop.abort();
      await running;
    }
  }, 60_000);

  it.each([
    ['an environment variable that is not set', "{ env: POLIS_TEST_TOKEN_NOT_SET }", /POLIS_TEST_TOKEN_NOT_SET is not set/],
    ['a token file that does not exist', "{ file: ./tokens/missing.token }", /cannot read the token file .*missing\.token: ENOENT/],
    ['a token too short to guard anything', "{ file: ./tokens/README.md }", /contains whitespace|at least 16/],
  ])('refuses to start a city whose source token is %s, before any plugin runs', async (_what, secret, message) => {
    const file = join(demoDir, `.city-test-${randomBytes(4).toString('hex')}.yaml`);
    files.push(file);
    writeFileSync(file, `name: tokenless\nlog: { level: silent }\nplugins:\n  - package: '@polis/plugin-traffic'\n    config: { network: { $include: ./road-network.json } }\nhttp:\n  port: 0\n  sources:\n    - { name: sensors, token: ${secret}, publishes: [traffic.detector.reported] }\n`);
    let started = false;
    await expect(runDeployment(file, { durationS: 1, onStarted: () => {
          started = true;
        },
      })).rejects.toMatchObject({ code: 'POLIS_DEPLOYMENT_INVALID', message: expect.stringMatching(message) });
    expect(started).toBe(false);
  });
});
