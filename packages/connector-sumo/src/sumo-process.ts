import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { SumoConnectorError, SumoErrorCodes } from './traci/errors.js';
import { TraciClient } from './traci/traci-client.js';

export interface SumoLaunchOptions {
  /** The `sumo` binary; default `$SUMO_BINARY` or `sumo` on the PATH. */
  readonly binary?: string;
  /** The configuration or network and route files, as sumo's own arguments (`-n net.xml -r routes.xml ...`). */
  readonly args: readonly string[];
  /** Working directory for relative paths in `args`. */
  readonly cwd?: string;
  /** Give up if SUMO does not accept a TraCI connection within this long. Default 20 s. */
  readonly startTimeoutMs?: number;
}

/** A running SUMO with a TraCI connection to it. */
export interface SumoSession {
  readonly client: TraciClient;
  readonly port: number;
  readonly pid: number;
  /** What SUMO printed (warnings, errors), for diagnosis. */
  readonly output: () => string;
  /**
   * Closes the connection (SUMO then writes its outputs and exits) and waits for the process;
   * kills it by PID if it has not exited within a few seconds.
   */
  stop(): Promise<void>;
}

/**
 * Starts `sumo` with `--remote-port` on a free loopback port and connects to it. SUMO runs only
 * as far as the client steps it.
 *
 * @throws {SumoConnectorError} `SUMO_START_FAILED` when the binary is missing, SUMO refuses its
 * arguments, or no connection is made in time; SUMO's output is in the message.
 */
export async function startSumo(options: SumoLaunchOptions): Promise<SumoSession> {
  const port = await freeLoopbackPort();
  const binary = options.binary ?? process.env.SUMO_BINARY ?? 'sumo';
  const child = spawn(binary, [...options.args, '--remote-port', String(port), '--no-step-log', 'true'], {
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { SUMO_HOME: '/usr/share/sumo', ...process.env },
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    // Keep the tail only: a long run's warnings would otherwise grow without bound.
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));

  const timeoutMs = options.startTimeoutMs ?? 20_000;
  const failed = (reason: string, cause?: unknown) =>
    new SumoConnectorError(SumoErrorCodes.START_FAILED, `${binary} ${reason}${output ? `:\n${output.trim()}` : ''}`, { cause });
  let client: TraciClient;
  try {
    client = await Promise.race([
      TraciClient.connect(port, { timeoutMs }),
      exited.then((code) => Promise.reject(failed(`exited with code ${code} before accepting a connection`))),
      spawnError.then((error) => Promise.reject(failed(`could not be started (${error.message}); install it with apt-get install sumo`, error))),
    ]);
  } catch (error) {
    stopProcess(child);
    throw error instanceof SumoConnectorError ? error : failed('did not accept a TraCI connection', error);
  }

  return {
    client,
    port,
    pid: child.pid!,
    output: () => output,
    async stop() {
      try {
        if (!client.closed) await client.close();
      } catch {
        // The process is stopped below whatever the connection did.
      }
      const gone = await Promise.race([exited.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), 5000).unref())]);
      if (!gone) {
        stopProcess(child);
        await exited;
      }
    },
  };
}

/** Kills the process by its PID, if it still runs. */
function stopProcess(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
}

/** A TCP port on 127.0.0.1 nobody listens on right now. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}
