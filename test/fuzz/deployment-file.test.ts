import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDeployment } from '@polis/cli';
import { ErrorCodes, PolisError } from '@polis/plugin-api';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';

// Property tests of the deployment file (issue #9): whatever a file holds, reading it either
// yields a valid deployment or PolisErrors that each name the file and say why, never another
// exception, never a changed prototype, and never anything of a file it includes: the secret
// below is only in files a deployment may point at (outside its folder, or broken), so it must
// appear in no message and no deployment.
// A few hundred cases here; `POLIS_FUZZ_RUNS=100000 pnpm vitest run test/fuzz` runs more.
const RUNS = Number(process.env.POLIS_FUZZ_RUNS ?? 150);
const SECRET = 'fuzz-secret-4d1e';

describe('reading any deployment file', () => {
  const root = mkdtempSync(join(tmpdir(), 'polis-fuzz-deploy-'));
  const city = join(root, 'city');
  mkdirSync(city);
  writeFileSync(join(root, 'outside.json'), JSON.stringify({ token: SECRET }));
  writeFileSync(join(city, 'inside.json'), JSON.stringify({ items: [1, 2, 3], label: 'ok' }));
  writeFileSync(join(city, 'broken.json'), `{ "a": ${SECRET} `);
  symlinkSync(join(root, 'outside.json'), join(city, 'escape.json'));
  symlinkSync('/proc/self/environ', join(city, 'environ.json'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  let counter = 0;

  /** Reads `text` as a deployment file and checks the outcome's invariants. */
  const readAndCheck = async (text: string, extension: '.yaml' | '.json' = '.yaml') => {
    const file = join(city, `case-${counter++}${extension}`);
    writeFileSync(file, text);
    let outcome: unknown;
    try {
      const deployment = await readDeployment(file);
      outcome = deployment;
      expect(typeof deployment.spec.name).toBe('string');
      expect(Array.isArray(deployment.spec.plugins)).toBe(true);
      expect(JSON.stringify(deployment.spec)).not.toContain(SECRET);
    } catch (error) {
      outcome = error;
      expect(error).toBeInstanceOf(PolisError);
      const problems = (error as { errors?: PolisError[] }).errors ?? [error as PolisError];
      for (const problem of problems) {
        expect(problem).toBeInstanceOf(PolisError);
        expect(problem.code).toBe(ErrorCodes.DEPLOYMENT_INVALID);
        expect(problem.message).toMatch(/^\/\S+\.(yaml|json)(:\d+:\d+)?: /);
        expect(problem.message).not.toContain(SECRET);
      }
    } finally {
      rmSync(file, { force: true });
    }
    // Nothing in any document reached a prototype.
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(({} as Record<string, unknown>).enabled).toBeUndefined();
    return outcome;
  };

  it('any text: a deployment or located PolisErrors, nothing else', async () => {
    const token = fc.constantFrom('name: x', 'plugins:', '  - package: ./p.mjs', '    config:', '      a: 1', '&a [x, *a]', '*a', '.inf', '.nan', '-.inf', '__proto__:', 'constructor:', '{ $include: ./inside.json }', '{ $include: ./broken.json }', '{ $include: ./escape.json }', '{ $include: ./environ.json }', '{ $include: /etc/passwd }', '[', ']', '{', '}', '"', "'", ':', '- ', '\t', '---', '%YAML 1.2', '!!binary', '1e400', '0x1F');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(token, fc.string({ maxLength: 20 })), { maxLength: 40 }), async (parts) => {
        await readAndCheck(parts.join(Math.random() < 0.5 ? '\n' : ' '));
      }),
      { numRuns: RUNS },
    );
  });

  it('structured deployments with hostile values: includes, prototype keys, huge and non-finite numbers', async () => {
    const includeTarget = fc.constantFrom('./inside.json', './escape.json', './environ.json', './broken.json', '../outside.json', '/etc/passwd', '/dev/zero', './missing.json', '.', './');
    const hostileKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'enabled', 'ok', 'threshold');
    const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.integer(),
        fc.double(),
        fc.constantFrom(Number.MAX_VALUE, 1e300, -0),
        fc.string({ maxLength: 10 }),
        fc.boolean(),
        fc.constant(null),
        fc.record({ $include: includeTarget }),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(fc.oneof(hostileKey, fc.string({ maxLength: 6 })), tie('value'), { maxKeys: 3 }),
      ),
    })).value;
    const plugin = fc.record(
      {
        package: fc.oneof(fc.constant('./p.mjs'), fc.string({ maxLength: 30 }), value),
        config: fc.oneof(value, fc.dictionary(fc.oneof(hostileKey, fc.string({ maxLength: 6 })), value, { maxKeys: 4 })),
        enabled: fc.oneof(fc.boolean(), value),
        startAfter: fc.oneof(fc.integer({ min: -5, max: 1e10 }), fc.constantFrom('10s', '1m30s', 'soon', '-1s', '1e9h'), value),
      },
      { requiredKeys: ['package'] },
    );
    const deployment = fc.record(
      {
        name: fc.oneof(fc.string({ maxLength: 20 }), value),
        clock: fc.oneof(fc.record({ speed: fc.oneof(fc.double(), fc.integer(), value) }), value),
        limits: fc.dictionary(fc.constantFrom('maxEventBytes', 'setupTimeoutMs', 'startTimeoutMs', 'stopTimeoutMs', 'other'), fc.oneof(fc.integer(), fc.double(), value)),
        transport: fc.oneof(fc.constant({ kind: 'memory' }), fc.record({ kind: fc.constantFrom('nats', 'memory', 'other'), servers: fc.array(fc.string(), { maxLength: 2 }) }), value),
        plugins: fc.oneof(fc.array(plugin, { maxLength: 4 }), value),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(deployment, fc.boolean(), async (document, asJson) => {
        // YAML writes non-finite numbers as .inf/.nan; JSON as null (the yaml writer's JSON mode).
        const text = asJson ? JSON.stringify(document) : stringify(document, { aliasDuplicateObjects: false });
        const outcome = await readAndCheck(text, asJson ? '.json' : '.yaml');
        if (!(outcome instanceof Error)) {
          // A deployment read only what is inside its folder.
          expect(JSON.stringify((outcome as { spec: unknown }).spec)).not.toMatch(/root:|PATH=/);
        }
      }),
      { numRuns: RUNS },
    );
  });
}, Math.max(120_000, RUNS * 200));
