import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { polis, polisWith } from '../support/polis-command.js';

/** A plugin module with no imports: a manifest as plain data plus setup. */
const plugin = (manifest: Record<string, unknown>, atImport = '') => `${atImport}\nexport default { ...${JSON.stringify(manifest)}, setup() {} };\n`;
const event = (type: string, schema: Record<string, unknown>) => ({ kind: 'event', type, version: 1, schema });
const Reading = event('air.reading.observed', { type: 'object', properties: { pm25: { type: 'number' } } });
const ReadingOther = event('air.reading.observed', { type: 'object', properties: { pm25: { type: 'string' } } });

describe('polis check', () => {
  const root = mkdtempSync(join(tmpdir(), 'polis-check-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const file = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
    return join(root, path);
  };

  it('reports every problem of every entry in one pass, each at its file, line and entry', async () => {
    file('sensors.mjs', plugin({ name: 'sensors', version: '1.0.0', kernel: '^1', publishes: [Reading], config: { type: 'object', properties: { threshold: { type: 'number', minimum: 0 }, unit: { type: 'string' } } } }));
    file('rival.mjs', plugin({ name: 'rival', version: '1.0.0', kernel: '^1', publishes: [ReadingOther] }));
    file('copy.mjs', plugin({ name: 'sensors', version: '2.0.0', kernel: '^1' }));
    file('Bad.mjs', plugin({ name: 'Bad Name', version: '1.0.0', kernel: '^1' }));
    file('pkg/package.json', JSON.stringify({ name: 'folder-plugin', version: '1.0.0', type: 'module', exports: { '.': './main.mjs' } }));
    file('pkg/main.mjs', plugin({ name: 'folder-plugin', version: '1.0.0', kernel: '^1', consumes: [Reading] }));
    const city = file(
      'one-pass.yaml',
      [
        'name: one-pass',
        'plugins:',
        "  - package: '@acme/not-installed'",
        '  - package: ./sensors.mjs',
        '    config:',
        '      threshold: -1',
        '      treshold: 5',
        '  - package: ./rival.mjs',
        '  - package: ./copy.mjs',
        '  - package: ./Bad.mjs',
        '  - package: ./pkg',
        '',
      ].join('\n'),
    );
    const result = await polis('check', city);
    expect(result.code).toBe(1);
    const lines = `${result.stderr}${result.stdout}`.split('\n').filter((line) => line.startsWith(city));
    const at = (line: number, column: number) => `${city}:${line}:${column}:`;
    expect(lines).toEqual(
      expect.arrayContaining([
        `${at(3, 5)} error POLIS_DEPLOYMENT_INVALID in plugins[0] '@acme/not-installed': cannot find the plugin package: it is not installed where the deployment is (npm install @acme/not-installed in ${root})`,
        `${at(6, 7)} error POLIS_CONFIG_INVALID in plugins[1] './sensors.mjs' (sensors): config /threshold must be >= 0 (minimum)`,
        `${at(7, 7)} warning POLIS_WARN_CONFIG_UNKNOWN_KEY in plugins[1] './sensors.mjs' (sensors): config.treshold is not a setting of sensors, so it is ignored; did you mean 'threshold'?`,
        expect.stringMatching(new RegExp(`^${escape(at(8, 5))} error POLIS_SCHEMA_CONFLICT in plugins\\[2\\] '\\./rival\\.mjs' \\(rival\\): air\\.reading\\.observed v1 is already registered with a different schema; publish the change as v2; air\\.reading\\.observed is also declared by plugins\\[1\\] '\\./sensors\\.mjs' \\(sensors\\), plugins\\[5\\] '\\./pkg' \\(folder-plugin\\)$`)),
        `${at(9, 5)} error POLIS_PLUGIN_DUPLICATE in plugins[3] './copy.mjs' (sensors): two plugins are named 'sensors': this one and plugins[1] './sensors.mjs' (sensors)`,
        `${at(10, 5)} error POLIS_MANIFEST_INVALID in plugins[4] './Bad.mjs' (Bad Name): manifest.name must be an npm-style name: lower-case letters, digits and '-', '.', '_' or '~', starting with a letter or digit, optionally scoped as @scope/name`,
      ]),
    );
    // The package folder loaded: no error names it, only its sandboxed manifest read.
    expect(lines.filter((line) => line.includes("error POLIS_") && line.includes("in plugins[5] './pkg'"))).toEqual([]);
    expect(result.stderr).toContain('5 problem(s)');
  });

  it('runs no plugin code: a package with a static manifest is never imported, one without is imported only in a sandbox', async () => {
    const marker = join(root, 'marker');
    const writesMarker = `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'imported');`;
    file('marked/node_modules/marker-plugin/package.json', JSON.stringify({ name: 'marker-plugin', version: '1.0.0', type: 'module', keywords: ['polis-plugin'], exports: { '.': './dist/index.js' } }));
    file('marked/node_modules/marker-plugin/dist/index.js', plugin({ name: 'marker', version: '1.0.0', kernel: '^1', publishes: [Reading] }, writesMarker));
    const city = file('marked/city.yaml', "name: marked\nplugins:\n  - package: marker-plugin\n");

    // Without a manifest, the sandbox refuses the write at import: nothing is written.
    const sandboxed = await polis('check', city);
    expect(sandboxed.code).toBe(1);
    expect(sandboxed.stderr).toContain("cannot read the plugin's manifest: its module does work at import that reading a manifest may not (FileSystemWrite)");
    expect(existsSync(marker)).toBe(false);

    // The vendor's build writes the manifest (this imports the module: the marker appears).
    const manifest = await polis('manifest', join(root, 'marked/node_modules/marker-plugin'));
    expect(manifest.stdout).toContain('marker@1.0.0: wrote dist/polis-manifest.json and the package.json "polis" field');
    expect(existsSync(marker)).toBe(true);
    rmSync(marker);

    const result = await polis('check', city);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`${city}: OK (marker@1.0.0)`);
    expect(result.stdout).not.toContain('POLIS_WARN_NO_STATIC_MANIFEST');
    expect(existsSync(marker)).toBe(false);

    // A rebuilt module with the old manifest is not trusted: it is read in the sandbox again.
    file('marked/node_modules/marker-plugin/dist/index.js', plugin({ name: 'marker', version: '1.0.1', kernel: '^1' }));
    const stale = await polis('check', city);
    expect(stale.stdout).toContain('no static manifest (dist/index.js changed after its manifest was written (rebuild the package))');
  });

  it('lists installed plugin packages with their versions and kernel ranges, from package.json only', async () => {
    const result = await polisWith({ cwd: join(root, 'marked') }, 'plugins');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual(
      expect.arrayContaining([expect.stringMatching(/^package +version +plugin +kernel +runs on kernel API 1\.0\.0$/), expect.stringMatching(/^marker-plugin +1\.0\.0 +marker +\^1 +yes$/)]),
    );
  });
}, 120_000);

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
