import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AIR_QUALITY_CHAIN, CITIZEN_CHAIN, DEMO_CHAIN, DEMO_RUN_SECONDS, POLIS_FROM_SOURCE, demoCityCopy, polis, repoRoot as root } from '../support/polis-command.js';
import { waitFor } from '../support/wait-for.js';

const demo = join(root, 'examples/city-demo/city.yaml');

const Tick = { kind: 'event', type: 'test.tick.sent', version: 1, schema: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } } };
const Seen = { kind: 'event', type: 'test.tick.seen', version: 1, schema: { type: 'object', properties: { n: { type: 'integer' } } } };
// Plain JavaScript plugins (no imports): a ticker every 10 s of city time, and a listener.
const TICKER = `const Tick = ${JSON.stringify(Tick)};
export default { name: 'ticker', version: '1.0.0', kernel: '^1', publishes: [Tick], setup(ctx) {
  let n = 0;
  ctx.onStart(() => { ctx.clock.setInterval(() => ctx.publish(Tick, { n: n++ }), 10_000); });
} };
`;
const LISTENER = `const Tick = ${JSON.stringify(Tick)}; const Seen = ${JSON.stringify(Seen)};
export default { name: 'listener', version: '1.0.0', kernel: '^1', consumes: [Tick], publishes: [Seen], setup(ctx) {
  ctx.on(Tick, (event, scope) => scope.publish(Seen, { n: event.data.n }));
} };
`;

describe('the polis command', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'polis-cli-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('prints help for every command, with the exit codes, and exits 2 on a usage error', async () => {
    const help = await polis('--help');
    expect(help.code).toBe(0);
    for (const command of ['check', 'asyncapi', 'start', 'publish', 'plugins', 'new', 'manifest', 'record', 'replay']) expect(help.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(help.stdout).toContain('2  usage error');
    const startHelp = await polis('start', '--help');
    expect(startHelp.stdout).toContain('--tail <pattern>');
    const unknown = await polis('chekc', 'city.yaml');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'chekc'");
    const badDuration = await polis('start', demo, '--duration', 'soon');
    expect(badDuration.code).toBe(2);
    expect(badDuration.stderr).toContain('must be a positive number of seconds');
  });

  it('checks the demo city without running it', async () => {
    const result = await polis('check', demo);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/city\.yaml: OK \(traffic@1\.0\.0, public-safety@1\.0\.0, healthcare@1\.0\.0, environment@1\.0\.0, mobility-energy@1\.0\.0, simulator@1\.0\.0, air-quality-simulator@1\.0\.0, waste@1\.0\.0, waste-simulator@1\.0\.0, energy-simulator@1\.0\.0, citizen-services@1\.2\.0, citizen-simulator@1\.0\.0, city-log@1\.0\.0\)/);
  }, 60_000);

  it('refuses a consumer of one version next to a producer of another it cannot read, naming both plugins, the type and both versions', async () => {
    const file = join(scratch, 'versions.yaml');
    const fixture = (name: string) => join(root, 'test/cli/fixtures', name);
    writeFileSync(file, ['name: versions', 'plugins:', `  - package: '${fixture('meter-v2.ts')}'`, `  - package: '${fixture('billing-v1.ts')}'`].join('\n'));
    const result = await polis('check', file);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/versions\.yaml:4:5: error POLIS_EVENT_VERSION_INCOMPATIBLE in plugins\[1\] '\S+billing-v1\.ts' \(billing\): 'billing' consumes test\.billing\.read v1, but 'meter-v2' publishes v2, whose events cannot be read as v1: .*meterId/);
  });

  it('points at the line of a YAML syntax error', async () => {
    const file = join(scratch, 'syntax.yaml');
    writeFileSync(file, 'name: x\nplugins:\n  - package: [unclosed\n');
    const result = await polis('check', file);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/syntax\.yaml:\d+:\d+: error POLIS_DEPLOYMENT_INVALID: syntax error: /);
  });

  it('refuses to start a deployment with the same located problems check reports (clock.speed: .inf used to crash start)', async () => {
    writeFileSync(join(scratch, 'ticker.mjs'), TICKER);
    const file = join(scratch, 'infinite.yaml');
    writeFileSync(file, 'name: infinite\nclock: { speed: .inf }\nplugins:\n  - package: ./ticker.mjs\n');
    const result = await polis('start', file, '--duration', '1');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/infinite\.yaml:2:17: error POLIS_DEPLOYMENT_INVALID: numbers must be finite/);
    expect(result.stderr).not.toMatch(/RangeError|\n\s+at /);
  });

  it('hot-plugs a startAfter plugin into the running city, tails the events, takes events from polis publish and stops on Ctrl-C', async () => {
    writeFileSync(join(scratch, 'ticker.mjs'), TICKER);
    writeFileSync(join(scratch, 'listener.mjs'), LISTENER);
    const city = join(scratch, 'hot-plug.yaml');
    writeFileSync(city, ['name: hot-plug', 'clock: { speed: 60 }', 'plugins:', '  - package: ./ticker.mjs', '  - package: ./listener.mjs', "    startAfter: '2m'", ''].join('\n'));
    const [node, ...prefix] = POLIS_FROM_SOURCE;
    const child = spawn(node, [...prefix, 'start', city, '--tail', 'test.>'], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
    await waitFor(() => /hot-plugged listener@1\.0\.0 into the running city \(startAfter 2m, city time\)/.test(stdout), 20_000);
    const published = await polis('publish', city, 'test.tick.sent', '{"n": 999}');
    expect(published.stderr).toBe('');
    expect(published.stdout).toMatch(/^published test\.tick\.sent v1 \(id \S+\)/);
    const refused = await polis('publish', city, 'test.tick.sent', '{"n": "many"}');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/refused: \[POLIS_EVENT_INVALID\] test\.tick\.sent v1: \/n must be integer/);
    await waitFor(() => /test\.tick\.seen v1 listener \{"n":999\}/.test(stdout), 10_000);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
    const lines = stdout.split('\n');
    const plugged = lines.findIndex((line) => line.includes('hot-plugged listener'));
    const firstSeen = lines.findIndex((line) => / test\.tick\.seen v1 listener /.test(line));
    expect(lines.findIndex((line) => / test\.tick\.sent v1 ticker /.test(line))).toBeLessThan(plugged);
    expect(firstSeen).toBeGreaterThan(plugged);
    expect(stdout).toMatch(/TAIL \S+ test\.tick\.sent v1 polis-publish \{"n":999\}/);
    expect(stdout).toMatch(/TAIL \S+ test\.tick\.seen v1 listener \{"n":999\}/);
  }, 60_000);

  it('runs the demo city for a set duration, narrates the emergency chain and the air-quality episode, and exits 0 after a summary', async () => {
    const city = demoCityCopy('start');
    const result = await polis('start', city.file, '--', '--duration', DEMO_RUN_SECONDS).finally(() => city.remove());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    for (const line of [...DEMO_CHAIN, ...AIR_QUALITY_CHAIN, ...CITIZEN_CHAIN]) expect(result.stdout).toMatch(line);
    expect(result.stdout).toMatch(/gateway listening on http:\/\/127\.0\.0\.1:\d+/);
  }, 60_000);
});
