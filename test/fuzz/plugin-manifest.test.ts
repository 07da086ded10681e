import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDeployment } from '@polis/cli';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';

// Property tests of plugin manifests as `polis check` reads them (issue #9): a package's
// static manifest is data from whoever published the package. Whatever it holds, check
// returns diagnostics (each with a stable code and a position) and never throws, hangs or runs
// the package's code.
const RUNS = Number(process.env.POLIS_FUZZ_RUNS ?? 150);
const MODULE = "export default { name: 'from-code', version: '9.9.9', kernel: '^1', setup() {} };\n";

describe('checking a deployment whose plugin ships any manifest', () => {
  const root = mkdtempSync(join(tmpdir(), 'polis-fuzz-manifest-'));
  const pkg = join(root, 'node_modules/fuzzed-plugin');
  mkdirSync(join(pkg, 'dist'), { recursive: true });
  writeFileSync(join(pkg, 'dist/index.js'), MODULE);
  const sha256 = createHash('sha256').update(MODULE).digest('hex');
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'fuzzed-plugin', version: '1.0.0', type: 'module', exports: { '.': './dist/index.js' }, polis: { manifest: './dist/polis-manifest.json' } }));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const json: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 4 });
  const typeName = fc.oneof(fc.constantFrom('air.reading.observed', 'air.alert.raised', 'a.b', 'Air.Reading.X', 'air.>', '*', '', 'air.reading.observed.reply'), fc.string({ maxLength: 12 }));
  const schema = fc.oneof(
    fc.constantFrom({ type: 'object' }, { type: 'object', properties: { v: { type: 'number' } }, required: ['v'] }, { type: 'nope' }, { $ref: '#/nowhere' }, { pattern: '(' }, { type: 'object', additionalProperties: false }),
    json,
  );
  const event = fc.record({ kind: fc.oneof(fc.constant('event'), json), type: typeName, version: fc.oneof(fc.integer({ min: -1, max: 3 }), json), schema, compatibility: fc.oneof(fc.constantFrom('BACKWARD', 'NONE', 'SIDEWAYS'), json) }, { requiredKeys: ['kind', 'type', 'version', 'schema'] });
  const query = fc.record({ kind: fc.oneof(fc.constant('query'), json), type: typeName, version: fc.integer({ min: 0, max: 2 }), request: schema, response: schema });
  const service = fc.record({ kind: fc.oneof(fc.constant('service'), json), id: fc.oneof(fc.constantFrom('air.router', ''), fc.string({ maxLength: 8 })) });
  const manifest = fc.record(
    {
      name: fc.oneof(fc.constantFrom('air', 'air-quality', '@acme/air', 'Bad Name', ''), json),
      version: fc.oneof(fc.constantFrom('1.0.0', '1.x', 'one'), json),
      kernel: fc.oneof(fc.constantFrom('^1', '^7', '>=1 <2', 'not a range'), json),
      config: fc.oneof(schema, fc.constant({ type: 'object', properties: { threshold: { type: 'number', default: 3 } } })),
      publishes: fc.oneof(fc.array(event, { maxLength: 3 }), json),
      consumes: fc.oneof(fc.array(fc.oneof(event, typeName), { maxLength: 3 }), json),
      requests: fc.oneof(fc.array(query, { maxLength: 2 }), json),
      answers: fc.oneof(fc.array(query, { maxLength: 2 }), json),
      provides: fc.oneof(fc.array(service, { maxLength: 2 }), json),
      needs: fc.oneof(fc.dictionary(fc.string({ maxLength: 5 }), service, { maxKeys: 2 }), json),
    },
    { requiredKeys: [] },
  );
  const file = fc.oneof(
    { weight: 9, arbitrary: manifest.map((plugin) => ({ polisManifest: 1, entry: 'dist/index.js', sha256, plugin })) },
    { weight: 1, arbitrary: json },
  );

  it('always returns located diagnostics with stable codes, and never imports the package', async () => {
    const city = join(root, 'city.yaml');
    writeFileSync(city, 'name: fuzz\nplugins:\n  - package: fuzzed-plugin\n    config: { threshold: 1 }\n');
    await fc.assert(
      fc.asyncProperty(file, async (contents) => {
        writeFileSync(join(pkg, 'dist/polis-manifest.json'), JSON.stringify(contents));
        const result = await checkDeployment(city);
        for (const d of result.diagnostics) {
          expect(d.code).toMatch(/^POLIS_[A-Z_]+$/);
          expect(d.at.file).toMatch(/\.(yaml|json)$/);
        }
        expect(result.ok).toBe(!result.diagnostics.some((d) => d.severity === 'error'));
        // The manifest is read as data, or refused: the module (whose manifest says from-code)
        // is never imported instead, not even in the sandbox.
        expect(result.diagnostics.some((d) => d.code === 'POLIS_WARN_NO_STATIC_MANIFEST')).toBe(false);
        expect(result.plugins).not.toContain('from-code@9.9.9');
      }),
      { numRuns: RUNS },
    );
  });
}, Math.max(120_000, RUNS * 300));
