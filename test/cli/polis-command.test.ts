import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_CHAIN, polis, repoRoot as root } from '../support/polis-command.js';

const demo = join(root, 'examples/city-demo/city.yaml');

describe('the polis command', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'polis-cli-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('checks the demo city without running it', async () => {
    const result = await polis('check', demo);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/city\.yaml: OK \(traffic@1\.0\.0, public-safety@1\.0\.0, healthcare@1\.0\.0, simulator@1\.0\.0, city-log@1\.0\.0\)/);
  });

  it('lists every problem of a broken deployment, each saying where and why', async () => {
    const file = join(scratch, 'broken.yaml');
    writeFileSync(
      file,
      [
        'name: broken',
        'plugins:',
        "  - package: '@polis/plugin-traffic'",
        '    config: { network: { nodes: [], links: [], intersections: [], detectors: [] }, routing: { maxSnapDistanceM: -5 } }',
        `  - package: '${join(root, 'plugins/healthcare/src/index.ts')}'`,
        '    config: { ambulances: [{ id: a1 }], hospitals: [] }',
        "  - package: '@acme/no-such-plugin'",
      ].join('\n'),
    );
    const result = await polis('check', file);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("cannot load '@acme/no-such-plugin'");
    const fixed = file.replace('broken', 'fixed');
    writeFileSync(fixed, readBrokenWithout('@acme/no-such-plugin', file));
    const second = await polis('check', fixed);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/POLIS_CONFIG_INVALID\] \(traffic\): configuration \/routing\/maxSnapDistanceM must be/);
    expect(second.stderr).toMatch(/POLIS_CONFIG_INVALID\] \(healthcare\): configuration \/ambulances\/0\/position is required/);
  });

  it('refuses a consumer of one version next to a producer of another it cannot read, naming both plugins, the type and both versions', async () => {
    const file = join(scratch, 'versions.yaml');
    const fixture = (name: string) => join(root, 'test/cli/fixtures', name);
    writeFileSync(file, ['name: versions', 'plugins:', `  - package: '${fixture('meter-v2.ts')}'`, `  - package: '${fixture('billing-v1.ts')}'`].join('\n'));
    const result = await polis('check', file);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/POLIS_EVENT_VERSION_INCOMPATIBLE\] \(billing\): 'billing' consumes test\.billing\.read v1, but 'meter-v2' publishes v2, whose events cannot be read as v1: .*meterId/);
  });

  it('points at the line of a YAML syntax error', async () => {
    const file = join(scratch, 'syntax.yaml');
    writeFileSync(file, 'name: x\nplugins:\n  - package: [unclosed\n');
    const result = await polis('check', file);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/syntax\.yaml:\d+: /);
  });

  it('runs the demo city for a set duration, narrates the emergency chain and exits 0 after a summary', async () => {
    const result = await polis('start', demo, '--', '--duration', '8');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    for (const line of DEMO_CHAIN) expect(result.stdout).toMatch(line);
  }, 60_000);
});

function readBrokenWithout(pkg: string, file: string): string {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => !line.includes(pkg))
    .join('\n');
}
