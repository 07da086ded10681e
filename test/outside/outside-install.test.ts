import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicPackages } from '../support/workspace-packages.js';

// The vendor's path, outside this repository: every public package packed as a registry would
// serve it, installed with plain npm in a temporary folder, a plugin scaffolded with
// `polis new plugin`, its typechecked test run, then a city using it checked and started.
// Needs the packages built (`pnpm build`) and the npm registry for the tools (TypeScript,
// tsup, vitest). Run with `pnpm test:outside`.
const run = promisify(execFile);
const TIMEOUT = 15 * 60_000;

/** Whether `condition` holds within `ms` (polled; the caller asserts, with its own message). */
async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!condition() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 50));
  return condition();
}

/** This environment without colours (output is matched) and without npm's notices. */
function plainEnv(): NodeJS.ProcessEnv {
  const { FORCE_COLOR: _force, ...env } = process.env;
  return { ...env, NO_COLOR: '1', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' };
}

async function sh(cwd: string, command: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  // Progress on stderr: a step that hangs in CI is then named in its log.
  process.stderr.write(`[outside ${new Date().toISOString().slice(11, 19)}] ${cwd}$ ${command} ${args.join(' ')}\n`);
  try {
    return await run(command, args, { cwd, timeout: TIMEOUT, maxBuffer: 64 * 1024 * 1024, env: plainEnv() });
  } catch (error) {
    const failed = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${failed.stdout ?? ''}\n${failed.stderr ?? ''}`, { cause: error });
  }
}

describe('the packages install and work outside this repository', () => {
  const root = mkdtempSync(join(tmpdir(), 'polis-outside-'));
  const tarballs = join(root, 'tarballs');
  const vendor = join(root, 'vendor');
  /** Package name -> its tarball. */
  const packed = new Map<string, string>();
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** Points every @polis dependency of a package.json at its tarball, as a registry would serve it. */
  const useTarballs = (folder: string, extra: Record<string, string> = {}) => {
    const path = join(folder, 'package.json');
    const pkg = JSON.parse(readFileSync(path, 'utf8')) as Record<string, Record<string, string> | undefined>;
    const overrides: Record<string, string> = {};
    for (const [name, tarball] of packed) overrides[name] = `file:${tarball}`;
    for (const section of ['dependencies', 'devDependencies'] as const) {
      for (const name of Object.keys(pkg[section] ?? {})) if (overrides[name]) pkg[section]![name] = overrides[name]!;
    }
    pkg.dependencies = { ...pkg.dependencies, ...extra };
    pkg.overrides = overrides;
    writeFileSync(path, JSON.stringify(pkg, null, 2));
  };

  beforeAll(async () => {
    mkdirSync(tarballs);
    for (const pkg of publicPackages()) {
      expect(existsSync(join(pkg.folder, 'dist')), `${pkg.json.name} is not built (pnpm build)`).toBe(true);
      await sh(pkg.folder, 'pnpm', ['pack', '--pack-destination', tarballs]);
    }
    for (const file of readdirSync(tarballs)) {
      const json = JSON.parse((await sh(tarballs, 'tar', ['-xzOf', file, 'package/package.json'])).stdout) as { name: string };
      packed.set(json.name, join(tarballs, file));
    }
  }, TIMEOUT);

  it('packs every public package with its built dist, types, and no reference to the workspace', async () => {
    expect([...packed.keys()].sort()).toEqual(publicPackages().map((p) => p.json.name).sort());
    for (const [name, tarball] of packed) {
      const files = (await sh(tarballs, 'tar', ['-tzf', tarball])).stdout.split('\n');
      const text = (await sh(tarballs, 'tar', ['-xzOf', tarball, 'package/package.json'])).stdout;
      expect(text, name).not.toContain('workspace:');
      expect(text, name).not.toContain('@polis/source');
      expect(files.some((f) => f.startsWith('package/src/')), `${name} ships src/`).toBe(false);
      const exports = (JSON.parse(text) as { exports: Record<string, Record<string, string>> }).exports;
      for (const conditions of Object.values(exports)) for (const target of Object.values(conditions)) expect(files, `${name}: ${target}`).toContain(`package/${target.replace(/^\.\//, '')}`);
    }
  });

  it('scaffolds a plugin whose typechecked test passes, and runs a city with it', async () => {
    mkdirSync(vendor);
    writeFileSync(join(vendor, 'package.json'), JSON.stringify({ name: 'vendor-tools', version: '1.0.0', private: true, devDependencies: { '@polis/cli': '*' } }));
    useTarballs(vendor);
    await sh(vendor, 'npm', ['install']);
    const scaffold = await sh(vendor, 'npx', ['polis', 'new', 'plugin', 'air-quality']);
    expect(scaffold.stdout).toContain('created the plugin air-quality');
    const plugin = join(vendor, 'air-quality');
    expect(readFileSync(join(plugin, 'src/index.ts'), 'utf8').split('\n').length).toBeLessThan(25);

    useTarballs(plugin);
    await sh(plugin, 'npm', ['install']);
    const test = await sh(plugin, 'npm', ['test']);
    expect(`${test.stdout}${test.stderr}`).toMatch(/Tests +2 passed/);
    await sh(plugin, 'npm', ['run', 'build']);
    expect(existsSync(join(plugin, 'dist/polis-manifest.json'))).toBe(true);
    const pack = await sh(plugin, 'npm', ['pack', '--json', '--ignore-scripts']); // built just above
    const pluginTarball = join(plugin, (JSON.parse(pack.stdout) as { filename: string }[])[0]!.filename);

    await sh(vendor, 'npx', ['polis', 'new', 'city', 'riverside', '--plugin', 'polis-plugin-air-quality']);
    const city = join(vendor, 'riverside');
    useTarballs(city, { 'polis-plugin-air-quality': `file:${pluginTarball}` });
    await sh(city, 'npm', ['install']);

    // One copy of @polis/plugin-api in the whole install: the plugin, the kernel and the test kit share it.
    const copies = (await sh(city, 'find', ['node_modules', '-path', '*/@polis/plugin-api/package.json'])).stdout.trim().split('\n');
    expect(copies).toEqual(['node_modules/@polis/plugin-api/package.json']);

    const check = await sh(city, 'npx', ['polis', 'check', 'city.yaml']);
    expect(check.stdout).toContain('city.yaml: OK (air-quality@0.1.0)');
    expect(check.stdout).not.toContain('POLIS_WARN_NO_STATIC_MANIFEST');
    const listed = await sh(city, 'npx', ['polis', 'plugins']);
    expect(listed.stdout).toMatch(/polis-plugin-air-quality +0\.1\.0 +air-quality +\^1 +yes/);

    const start = await sh(city, 'npx', ['polis', 'start', 'city.yaml', '--duration', '5']);
    expect(start.stdout).toMatch(/started air-quality@0\.1\.0/);

    // Trying the plugin in the running city: an injected reading, the plugin's alert in the tail.
    // The installed bin itself, not npx: npm does not pass Ctrl-C (SIGINT) on to what it runs.
    const child = spawn(join(city, 'node_modules/.bin/polis'), ['start', 'city.yaml', '--tail', 'air-quality.>'], { cwd: city, env: plainEnv() });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
    try {
      expect(await until(() => output.includes('started air-quality@0.1.0'), 60_000), output).toBe(true);
      const published = await sh(city, 'npx', ['polis', 'publish', 'city.yaml', 'air-quality.reading.received', '{"sensorId":"s-9","value":180}']);
      expect(published.stdout).toMatch(/published air-quality\.reading\.received v1/);
      const alert = /air-quality\.threshold\.exceeded v1 air-quality \{"sensorId":"s-9","value":180,"threshold":100\}/;
      expect(await until(() => alert.test(output), 30_000), output).toBe(true);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited, output).toBe(0);
  }, TIMEOUT);
});

