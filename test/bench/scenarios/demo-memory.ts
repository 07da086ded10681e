import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Result } from '../result.js';
import type { Scenario } from '../scenario.js';
import { sized } from '../settings.js';

const CITY = fileURLToPath(new URL('../../../examples/city-demo/city.yaml', import.meta.url));
const CHILD = fileURLToPath(new URL('./demo-city-process.ts', import.meta.url));

/** A port free right now on loopback. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A copy of city.yaml beside it (its relative paths, tokens and data files resolve from there)
 * with the HTTP front door and the OCPP central system on free ports, so a bench run never
 * collides with a demo or test using the fixed ones.
 */
async function cityOnFreePorts(): Promise<string> {
  const text = readFileSync(CITY, 'utf8');
  const patched = text.replace(/^(\s*port:\s*)8080\b/m, `$1${await freePort()}`).replace(/centralSystem: \{ port: 9220 \}/, `centralSystem: { port: ${await freePort()} }`);
  if (patched === text || !/centralSystem: \{ port: (?!9220)/.test(patched)) throw new Error('city.yaml no longer has the ports the bench moves (http port 8080, centralSystem port 9220)');
  const copy = CITY.replace(/city\.yaml$/, `.bench-city-${randomBytes(4).toString('hex')}.yaml`);
  writeFileSync(copy, patched);
  return copy;
}

/**
 * Resident memory of the demo city (every plugin of city.yaml, its simulators, the HTTP front
 * door) in a process of its own after it has run for 60 s (3 s in --quick), sampled once a
 * second, one sample per round.
 */
export const demoMemoryScenario: Scenario = {
  name: 'demo memory',
  keys: ['rss_mb_demo'],
  async run({ settings }) {
    const settleMs = sized(settings, 60_000, 3_000);
    const file = await cityOnFreePorts();
    try {
      const child = fork(CHILD, [file, String(settleMs), String(settings.rounds)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      const rssMb = await new Promise<number[]>((resolve, reject) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`the demo city sent no memory samples within ${(settleMs + 120_000) / 1000} s`));
        }, settleMs + 120_000);
        child.once('message', (message: { rssMb: number[] }) => {
          clearTimeout(timer);
          resolve(message.rssMb);
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`the demo city exited (code ${code}) before sending its memory samples`));
        });
      });
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) resolve();
        else child.once('exit', () => resolve());
      });
      return [
        {
          key: 'rss_mb_demo',
          title: `resident memory of the demo city (examples/city-demo/city.yaml, memory transport, simulators and HTTP front door) after ${settleMs / 1000} s of running, in its own process`,
          figures: [{ label: 'polis demo city', unit: 'MB RSS', perRound: rssMb }],
          perRound: rssMb,
          target: undefined,
          notes: [`one process; each round is one sample, a second apart, from ${settleMs / 1000} s after the city started; the packages built, the child script itself run through tsx, whose loader is part of the figure`],
        } satisfies Result,
      ];
    } finally {
      rmSync(file, { force: true });
    }
  },
};
