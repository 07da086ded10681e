import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kernelOptionsFor } from './create-runtime.js';
import { readDeployment } from './read-deployment.js';

describe('kernel options from a deployment file', () => {
  const root = mkdtempSync(join(tmpdir(), 'polis-runtime-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const deployment = (extra: string) => {
    const file = join(root, `city-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, `name: timeouts\n${extra}plugins:\n  - package: ./plugin.mjs\n`);
    return readDeployment(file);
  };

  it('passes limits.handlerTimeoutMs to the kernel as the default handler timeout, and leaves it unset otherwise', async () => {
    expect(await kernelOptionsFor(await deployment('limits: { handlerTimeoutMs: 1234 }\n'))).toMatchObject({ handlerTimeoutMs: 1234 });
    expect(await kernelOptionsFor(await deployment(''))).not.toHaveProperty('handlerTimeoutMs');
  });
});
