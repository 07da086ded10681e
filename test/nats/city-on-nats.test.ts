import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NATS_URL, removeNatsState, uniquePrefix } from '../support/nats-env.js';
import { DEMO_CHAIN, polis, repoRoot } from '../support/polis-command.js';

describe('the demo city on NATS', () => {
  const prefix = uniquePrefix('city').replaceAll('-', '_');
  // Beside the original, so its `$include`s and package names resolve the same way.
  const file = join(repoRoot, `examples/city-demo/.city-on-nats-${prefix}.yaml`);
  afterAll(async () => {
    rmSync(file, { force: true });
    await removeNatsState(prefix, [`${prefix}_schemas`, `${prefix}_state`]);
  });

  it('runs the same chain when the deployment file switches the transport to NATS', async () => {
    const city = readFileSync(join(repoRoot, 'examples/city-demo/city.yaml'), 'utf8');
    const transport = `transport:\n  kind: nats\n  servers: ['nats://${NATS_URL}']\n  prefix: ${prefix}\n`;
    // Any free ports: the memory-transport demo started by the CLI test may be serving 8080
    // (HTTP) and 9220 (OCPP) meanwhile.
    writeFileSync(file, city.replace(/transport:\n  kind: memory[^\n]*\n/, transport).replace('port: 8080', 'port: 0').replace('centralSystem: { port: 9220 }', 'centralSystem: { port: 0 }'));
    const result = await polis('start', file, '--duration', '8');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('kernel started on the nats transport');
    for (const line of DEMO_CHAIN) expect(result.stdout).toMatch(line);
  }, 60_000);
});
