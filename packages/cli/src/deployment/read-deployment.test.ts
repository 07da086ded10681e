import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { flattenErrors } from './diagnostics.js';
import { readDeployment } from './read-deployment.js';

// A deployment file is input from whoever can write to the deployment's folder: these are the
// attacks of issue #9 on it. Each must be refused with a message that names the file, line and
// rule, and never shows what a file contains.
const SECRET = 'polis-secret-7f3a9c';

describe('reading a deployment file', () => {
  const root = mkdtempSync(join(tmpdir(), 'polis-read-'));
  const city = join(root, 'city');
  mkdirSync(city);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const write = (name: string, text: string) => {
    const file = join(city, name);
    writeFileSync(file, text);
    return file;
  };
  const withConfig = (name: string, config: string, extra = '') => write(`${name}.yaml`, `name: attack\n${extra}plugins:\n  - package: ./plugin.mjs\n    config: ${config}\n`);
  /** The messages of every problem reading `file` reports; none may contain a secret or the environment. */
  const problems = async (file: string): Promise<string[]> => {
    const error = await readDeployment(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error, 'the deployment should be refused').toBeDefined();
    const messages = flattenErrors(error).map((e) => e.message);
    for (const message of messages) {
      expect(message).not.toContain(SECRET);
      expect(message).not.toContain(process.env.PATH);
      expect(message).not.toMatch(/root:x?:0/);
    }
    return messages;
  };

  it('resolves includes inside a plugin config, with the line of every value', async () => {
    write('network.json', '{\n  "nodes": [\n    { "id": "n1", "lat": 1.5 }\n  ]\n}\n');
    const file = withConfig('good', '{ network: { $include: ./network.json } }');
    const deployment = await readDeployment(file);
    expect(deployment.spec.plugins[0]!.config).toEqual({ network: { nodes: [{ id: 'n1', lat: 1.5 }] } });
    expect(deployment.locate(['plugins', 0, 'config', 'network', 'nodes', 0, 'lat'])).toEqual({ file: join(city, 'network.json'), line: 3, column: 19 });
    expect(deployment.locate(['plugins', 0, 'package'])).toEqual({ file, line: 3, column: 5 });
  });

  it('refuses an include that climbs out of the folder', async () => {
    expect(await problems(withConfig('climb', '{ data: { $include: ../../../../../../etc/passwd } }'))).toEqual([
      expect.stringMatching(/climb\.yaml:4:\d+: cannot include '(\.\.\/)+etc\/passwd': it resolves outside the deployment's folder \(.*\); includes must stay inside it$/),
    ]);
  });

  it('refuses absolute include paths: /etc/passwd, /dev/zero, /proc/self/environ', async () => {
    for (const target of ['/etc/passwd', '/dev/zero', '/proc/self/environ']) {
      expect(await problems(withConfig('absolute', `{ data: { $include: ${target} } }`))).toEqual([
        expect.stringMatching(/absolute\.yaml:4:\d+: \$include path must be relative to the deployment's folder; absolute paths are refused$/),
      ]);
    }
  });

  it('resolves symlinks first: links to /dev/zero, /proc/self/environ and a file outside are refused', async () => {
    const outside = join(root, 'outside.json');
    writeFileSync(outside, JSON.stringify({ token: SECRET }));
    symlinkSync('/dev/zero', join(city, 'zero.json'));
    symlinkSync('/proc/self/environ', join(city, 'environ.json'));
    symlinkSync(outside, join(city, 'linked.json'));
    for (const link of ['zero.json', 'environ.json', 'linked.json']) {
      expect(await problems(withConfig('symlink', `{ data: { $include: ./${link} } }`))).toEqual([
        expect.stringContaining(`cannot include './${link}': it resolves outside the deployment's folder`),
      ]);
    }
  });

  it('refuses a FIFO inside the folder without blocking on it', async () => {
    execFileSync('mkfifo', [join(city, 'pipe.json')]);
    expect(await problems(withConfig('fifo', '{ data: { $include: ./pipe.json } }'))).toEqual([
      expect.stringContaining("cannot include './pipe.json': it is not a regular file (devices, FIFOs and sockets are refused)"),
    ]);
  });

  it('refuses an include over the size limit', async () => {
    const big = write('big.json', '');
    truncateSync(big, 16 * 1024 * 1024 + 1);
    expect(await problems(withConfig('big', '{ data: { $include: ./big.json } }'))).toEqual([
      expect.stringContaining("cannot include './big.json': 16777217 bytes is over the limit of 16777216 bytes"),
    ]);
  });

  it('refuses $include outside plugin configs, so no setting ever comes from another file', async () => {
    write('words.txt', `${SECRET}\nsecond line\n`);
    expect(await problems(write('package-include.yaml', 'name: attack\nplugins:\n  - package: { $include: ./words.txt }\n'))).toEqual([
      expect.stringMatching(/package-include\.yaml:3:5: \$include is only allowed inside a plugin's config/),
    ]);
  });

  it('never quotes a file in its errors: broken JSON and YAML are named by line and rule only', async () => {
    write('broken.json', `{\n  "a": 1,\n  "token": ${SECRET}\n}\n`);
    write('broken.yaml', `a: 1\nb: [${SECRET}\n`);
    expect(await problems(withConfig('json', '{ data: { $include: ./broken.json } }'))).toEqual([
      expect.stringMatching(/broken\.json:3:12: syntax error: a value does not fit its tag or type/),
    ]);
    const yaml = await problems(withConfig('yaml', '{ data: { $include: ./broken.yaml } }'));
    expect(yaml.length).toBeGreaterThan(0);
    for (const message of yaml) expect(message).toMatch(/broken\.yaml:\d+:\d+: syntax error: /);
  });

  it('refuses a YAML alias bomb with a clear error, not a crash', async () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [i, name] of ['b', 'c', 'd', 'e', 'f', 'g', 'h'].entries()) levels.push(`${name}: &${name} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`);
    const file = write('bomb.yaml', `${levels.join('\n')}\nname: bomb\nplugins:\n  - package: ./plugin.mjs\n`);
    expect(await problems(file)).toEqual([expect.stringContaining('bomb.yaml: its aliases expand too far (more than 100 alias expansions)')]);
  });

  it('refuses infinite, NaN and out-of-range numbers', async () => {
    expect(await problems(withConfig('inf', '{}', 'clock: { speed: .inf }\n'))).toEqual([expect.stringMatching(/inf\.yaml:2:17: numbers must be finite/)]);
    expect(await problems(withConfig('nan', '{ data: .nan }'))).toEqual([expect.stringMatching(/nan\.yaml:4:21: numbers must be finite/)]);
    expect(await problems(withConfig('huge', '{}', 'clock: { speed: 1e9 }\nlimits: { setupTimeoutMs: 99999999999 }\n'))).toEqual([
      expect.stringMatching(/huge\.yaml:2:10: \/clock\/speed must be <= 100000 \(maximum\)/),
      expect.stringMatching(/huge\.yaml:3:11: \/limits\/setupTimeoutMs must be <= 2147483647 \(maximum\)/),
    ]);
  });

  it('refuses transport limits that are not finite, in range and known', async () => {
    const nats = (lines: string) => `transport:\n  kind: nats\n${lines}`;
    const messages = await problems(
      withConfig('limits', '{}', nats('  publishRate: { perSecond: 0, burst: 1.5, plugins: { meter: { perSecond: 1 } } }\n  jetstream: { maxBytes: -1, deadLetters: { maxMsgs: .inf, stream: x } }\n  outageBuffer: 1e12\n')),
    );
    expect(messages.join('\n')).toMatch(/numbers must be finite/);
    const ranges = await problems(withConfig('ranges', '{}', nats('  publishRate: { perSecond: 0, burst: 1.5 }\n  jetstream: { maxBytes: -1, deadLetters: { stream: x } }\n  outageBuffer: 1e12\n')));
    for (const expected of [/\/transport\/publishRate\/perSecond must be > 0/, /\/transport\/publishRate\/burst must be integer/, /\/transport\/jetstream\/maxBytes must be >= 1/, /\/transport\/jetstream\/deadLetters\/stream is not allowed/, /\/transport\/outageBuffer must be <= 10000000/]) {
      expect(ranges.join('\n')).toMatch(expected);
    }
  });

  it('refuses a tracing section without an http(s) collector, with a ratio out of range, or with unknown keys', async () => {
    const messages = await problems(withConfig('tracing', '{}', "tracing: { otlpUrl: 'file:///etc/passwd', sampleRatio: 1.5, exporter: zipkin }\n"));
    for (const expected of [/tracing\.yaml:2:\d+: \/tracing\/otlpUrl must match pattern/, /\/tracing\/sampleRatio must be <= 1/, /\/tracing\/exporter is not allowed/]) expect(messages.join('\n')).toMatch(expected);
  });

  it('reads a tracing section, sampling 1 % of new traces unless it says otherwise', async () => {
    const deployment = await readDeployment(withConfig('traced', '{}', 'tracing: { otlpUrl: http://127.0.0.1:4318/v1/traces }\n'));
    expect(deployment.spec.tracing).toEqual({ otlpUrl: 'http://127.0.0.1:4318/v1/traces', sampleRatio: 0.01 });
  });

  it('reads the transport limits a deployment sets', async () => {
    const file = withConfig('set', '{}', 'transport:\n  kind: nats\n  jetstream: { maxBytes: 1024, deadLetters: { maxMsgs: 5 } }\n  publishRate: { perSecond: 10, burst: 20, plugins: { meter: false } }\n  sourceCheck: true\n  outageBuffer: 0\n  outageBufferBytes: 65536\n  outageMaxMs: 1000\n');
    const { spec } = await readDeployment(file);
    expect(spec.transport).toMatchObject({ jetstream: { maxBytes: 1024, deadLetters: { maxMsgs: 5 } }, publishRate: { perSecond: 10, burst: 20, plugins: { meter: false } }, sourceCheck: true, outageBuffer: 0, outageBufferBytes: 65536, outageMaxMs: 1000 });
  });

  it('refuses __proto__, constructor and prototype keys (__proto__: { enabled: false } used to disable a plugin silently)', async () => {
    const file = write('proto.yaml', 'name: proto\nplugins:\n  - package: ./plugin.mjs\n    __proto__: { enabled: false }\n    config: { constructor: { prototype: 1 } }\n');
    expect(await problems(file)).toEqual([
      expect.stringMatching(/proto\.yaml:4:5: the key '__proto__' is refused/),
      expect.stringMatching(/proto\.yaml:5:15: the key 'constructor' is refused/),
      expect.stringMatching(/proto\.yaml:5:30: the key 'prototype' is refused/),
    ]);
  });

  it('refuses an anchor that refers to itself (a cycle would exhaust memory)', async () => {
    expect(await problems(withConfig('cycle', '&a [x, *a]'))).toEqual([expect.stringContaining('cycle.yaml: its aliases nest the data more than 64 levels deep')]);
  });

  it('refuses nesting deeper than 64 levels', async () => {
    expect(await problems(withConfig('deep', `{ data: ${'['.repeat(200)}${']'.repeat(200)} }`))).toEqual([expect.stringContaining('nested more than 64 levels deep')]);
  });

  it('refuses a deployment file that is not a regular file', async () => {
    expect(await problems('/dev/zero')).toEqual([expect.stringContaining('cannot read the deployment file: it is not a regular file')]);
  });
});
