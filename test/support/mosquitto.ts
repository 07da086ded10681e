import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './nats-server.js';
import { answers } from './tcp-probe.js';

/** The shared broker the MQTT tests use unless they start their own (use a unique topic prefix). */
export const MQTT_URL = process.env.POLIS_MQTT_URL ?? 'mqtt://127.0.0.1:1883';

/** Debian installs it in /usr/sbin, which is not on every user's PATH. */
export const MOSQUITTO_BINARY = process.env.MOSQUITTO_BIN ?? (existsSync('/usr/sbin/mosquitto') ? '/usr/sbin/mosquitto' : 'mosquitto');

/** A mosquitto of a test's own, on a free loopback port, with its sessions persisted in a temp dir. */
export interface Mosquitto {
  readonly url: string;
  readonly pid: number;
  /** Stops it (SIGTERM, by PID: it saves its sessions) and waits until it is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port and store. */
  restart(): Promise<void>;
  /** Stops it and deletes its store. */
  stop(): Promise<void>;
}

export async function startMosquitto(): Promise<Mosquitto> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'polis-mosquitto-'));
  const config = join(dir, 'mosquitto.conf');
  await writeFile(config, [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'persistence true', `persistence_location ${dir}/`, 'log_dest stdout', 'log_type error', 'log_type warning', 'log_type notice'].join('\n') + '\n');
  let child = await launch(config, port);
  const exited = (process: ChildProcess) => new Promise<void>((resolve) => (process.exitCode !== null || process.signalCode !== null ? resolve() : process.once('exit', () => resolve())));
  return {
    url: `mqtt://127.0.0.1:${port}`,
    get pid() {
      return child.pid!;
    },
    async kill() {
      process.kill(child.pid!, 'SIGTERM');
      await exited(child);
    },
    async restart() {
      child = await launch(config, port);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(child.pid!, 'SIGTERM');
        await exited(child);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function launch(config: string, port: number): Promise<ChildProcess> {
  const child = spawn(MOSQUITTO_BINARY, ['-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 10_000;
  // Ready once the port takes connections.
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mosquitto exited with ${child.exitCode}:\n${output}`);
    if (await answers(`127.0.0.1:${port}`)) return child;
    if (Date.now() > deadline) throw new Error(`mosquitto did not listen on ${port} within 10 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
