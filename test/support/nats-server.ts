import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A nats-server of a test's own, on a free port with a temporary JetStream store. */
export interface NatsServer {
  readonly port: number;
  readonly url: string;
  readonly storeDir: string;
  readonly pid: number;
  /** Kills the process with SIGKILL (no shutdown, no flush) and waits until it is gone. */
  kill9(): Promise<void>;
  /** Starts the server again on the same port and store. */
  restart(): Promise<void>;
  /** Stops the server (SIGTERM) and deletes its store. */
  stop(): Promise<void>;
}

export interface NatsServerOptions {
  /**
   * Extra configuration (nats-server config syntax), e.g. an `authorization { ... }` block.
   * Port, JetStream and store directory are set by the helper.
   */
  config?: string;
}

const BINARY = process.env.NATS_SERVER_BIN ?? 'nats-server';
const READY = /Server is ready/;

/** Starts a private nats-server with JetStream; stop it by calling `stop()` (it is stopped by PID). */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServer> {
  const port = await freePort();
  const storeDir = await mkdtemp(join(tmpdir(), 'polis-nats-'));
  const configFile = join(storeDir, 'server.conf');
  await writeFile(
    configFile,
    [`listen: 127.0.0.1:${port}`, `jetstream { store_dir: ${JSON.stringify(join(storeDir, 'js'))} }`, options.config ?? ''].join('\n'),
  );
  let child = await launch(configFile);

  const exit = (process: ChildProcess) =>
    new Promise<void>((resolve) => (process.exitCode !== null || process.signalCode !== null ? resolve() : process.once('exit', () => resolve())));

  return {
    port,
    url: `127.0.0.1:${port}`,
    storeDir,
    get pid() {
      return child.pid!;
    },
    async kill9() {
      process.kill(child.pid!, 'SIGKILL');
      await exit(child);
    },
    async restart() {
      child = await launch(configFile);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(child.pid!, 'SIGTERM');
        await exit(child);
      }
      await rm(storeDir, { recursive: true, force: true });
    },
  };
}

async function launch(configFile: string): Promise<ChildProcess> {
  const child = spawn(BINARY, ['-c', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nats-server did not start within 10 s:\n${output}`)), 10_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (READY.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`nats-server exited with ${code} before it was ready:\n${output}`));
    });
    child.once('error', reject);
  });
  // Keep draining its output so the server never blocks on a full pipe.
  child.stdout!.resume();
  child.stderr!.resume();
  return child;
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
