import { spawnSync } from 'node:child_process';
import { MOSQUITTO_BINARY, startMosquitto } from './mosquitto.js';
import { startNatsServer } from './nats-server.js';
import { answers } from './tcp-probe.js';

export { answers };

/** A server the suite talks to: a shared one if it runs, else a private one the suite starts. */
export interface TestServerSpec {
  /** The program, as people know it: `nats-server`. */
  readonly name: string;
  /** The variable that points the suite at a running server (`host:port`, after `scheme`). */
  readonly envVar: string;
  /** What the variable's value starts with, e.g. `mqtt://`. */
  readonly scheme?: string;
  /** Where the shared server listens when nobody says otherwise. */
  readonly defaultAddress: string;
  /** The binary the suite runs when it starts its own. */
  readonly binary: string;
  /** How to install the binary, a line per platform. */
  readonly install: readonly string[];
  /** Starts a private server on a free loopback port with a temporary store. */
  start(): Promise<StartedServer>;
}

export interface StartedServer {
  readonly address: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** What the suite uses: the address, and the private server when it started one. */
export interface ServerInUse {
  readonly address: string;
  readonly started?: StartedServer;
}

/** A program the suite needs is missing: one message that says what to install. */
export class MissingBinary extends Error {
  override readonly name = 'MissingBinary';
  constructor(why: string, install: readonly string[], instead?: string) {
    super([why, 'Install it:', ...install.map((line) => `  ${line}`), ...(instead ? [instead] : [])].join('\n'));
    // The message is the whole story: a stack trace into the setup would only hide it.
    this.stack = this.message;
  }
}

/** Programs the suite runs itself (no server to share), such as SUMO and its netconvert. */
export interface TestToolSpec {
  readonly name: string;
  readonly binaries: readonly string[];
  readonly install: readonly string[];
  /** What the suite does with it, for the message when it is missing. */
  readonly purpose: string;
}

export const SUMO: TestToolSpec = {
  name: 'SUMO',
  binaries: [process.env.SUMO_BIN ?? 'sumo', 'netconvert'],
  purpose: 'the traffic evaluation runs in it',
  install: ['Debian/Ubuntu: apt-get install sumo sumo-tools', 'macOS: brew install sumo', 'elsewhere: https://sumo.dlr.de/docs/Installing/'],
};

/** The browser the dashboard tests drive through playwright-core. */
export const CHROMIUM: TestToolSpec = {
  name: 'Chromium',
  binaries: [process.env.CHROMIUM_BIN ?? 'chromium'],
  purpose: 'the dashboard tests run in it',
  install: ['Debian/Ubuntu: apt-get install chromium', 'macOS: brew install --cask chromium', 'or set CHROMIUM_BIN to a Chromium or Chrome binary'],
};

/** Throws {@link MissingBinary} unless every binary of `spec` runs. */
export function ensureTool(spec: TestToolSpec): void {
  const missing = spec.binaries.filter((binary) => !installed(binary));
  if (missing.length > 0) {
    throw new MissingBinary(`pnpm test needs ${spec.name} (${spec.purpose}), but ${missing.map((b) => `'${b}'`).join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not installed.`, spec.install);
  }
}

export const NATS_SERVER: TestServerSpec = {
  name: 'nats-server',
  envVar: 'POLIS_NATS_URL',
  defaultAddress: '127.0.0.1:4222',
  binary: process.env.NATS_SERVER_BIN ?? 'nats-server',
  install: [
    'Debian/Ubuntu: apt-get install nats-server',
    'macOS: brew install nats-server',
    'elsewhere: a release binary from https://github.com/nats-io/nats-server/releases, then NATS_SERVER_BIN=/path/to/nats-server',
  ],
  async start() {
    const server = await startNatsServer();
    return { address: server.url, pid: server.pid, stop: () => server.stop() };
  },
};

export const MOSQUITTO: TestServerSpec = {
  name: 'mosquitto',
  envVar: 'POLIS_MQTT_URL',
  scheme: 'mqtt://',
  defaultAddress: '127.0.0.1:1883',
  binary: MOSQUITTO_BINARY,
  install: ['Debian/Ubuntu: apt-get install mosquitto', 'macOS: brew install mosquitto', 'elsewhere: https://mosquitto.org/download/, then MOSQUITTO_BIN=/path/to/mosquitto'],
  async start() {
    const broker = await startMosquitto();
    return { address: broker.url.slice('mqtt://'.length), pid: broker.pid, stop: () => broker.stop() };
  },
};

/**
 * The server for `spec`: the one `envVar` names, else the shared one if it answers, else a
 * private one started now (the caller stops it). Throws {@link MissingBinary} when it
 * would have to start one and cannot.
 */
export async function ensureServer(spec: TestServerSpec, env: NodeJS.ProcessEnv = process.env): Promise<ServerInUse> {
  const named = env[spec.envVar];
  if (named) return { address: named.slice(spec.scheme?.length ?? 0) };
  if (await answers(spec.defaultAddress)) return { address: spec.defaultAddress };
  if (!installed(spec.binary)) {
    throw new MissingBinary(
      `pnpm test needs ${spec.name}: ${spec.envVar} is unset and nothing answers on ${spec.defaultAddress}, so the suite would start its own, but '${spec.binary}' is not installed.`,
      spec.install,
      `Or point the suite at a running server: ${spec.envVar}=host:port pnpm test`,
    );
  }
  const started = await spec.start();
  return { address: started.address, started };
}

function installed(binary: string): boolean {
  const probe = spawnSync(binary, ['--version'], { stdio: 'ignore', timeout: 10_000 });
  return probe.error === undefined;
}
