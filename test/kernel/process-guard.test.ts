import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ErrorCodes } from '@polis/plugin-api';
import { createKernel } from '@polis/kernel';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs a fixture as `pnpm polis` runs the CLI: node with tsx and the source condition. */
async function run(fixture: string): Promise<{ code: number | null; lines: Array<Record<string, unknown>> }> {
  const child = spawn(process.execPath, ['--conditions=@polis/source', '--import', 'tsx', fileURLToPath(new URL(`./fixtures/${fixture}`, import.meta.url))], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const lines = out
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { code, lines };
}

describe('the process guard', () => {
  it('keeps the kernel process running through a plugin stray rejection and a throw in a plain timer, logging each against the plugin', async () => {
    const { code, lines } = await run('stray-failures.ts');
    expect(lines).toContainEqual({ alive: true, faults: 2 });
    expect(code).toBe(0);
    const faults = lines.filter((line) => (line.fields as { code?: string } | undefined)?.code === ErrorCodes.PROCESS_FAULT);
    expect(faults.map((line) => line.fields)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ plugin: 'careless', origin: 'uncaughtException', error: 'thrown inside a plain setTimeout' }),
        expect.objectContaining({ plugin: 'careless', origin: 'unhandledRejection', error: 'a promise nobody awaited' }),
      ]),
    );
    // Counted per plugin, whichever way the fault surfaced.
    expect(faults.map((line) => (line.fields as { count: number }).count)).toEqual([1, 2]);
    expect(faults.every((line) => line.level === 'error')).toBe(true);
    expect(lines).toContainEqual({ metrics: ['polis_process_faults_total{plugin="careless"} 2'] });
  }, 30_000);

  it('is installed while a kernel runs and removed when the last one stops', async () => {
    const before = process.listenerCount('uncaughtException');
    const one = createKernel();
    const two = createKernel();
    await one.start([]);
    await two.start([]);
    expect(process.listenerCount('uncaughtException')).toBe(before + 1);
    expect(process.listenerCount('unhandledRejection')).toBeGreaterThan(0);
    await one.stop();
    expect(process.listenerCount('uncaughtException')).toBe(before + 1);
    await two.stop();
    expect(process.listenerCount('uncaughtException')).toBe(before);
    const off = createKernel({ processGuard: false });
    await off.start([]);
    expect(process.listenerCount('uncaughtException')).toBe(before);
    await off.stop();
  });
});
