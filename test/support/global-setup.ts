import { CHROMIUM, MOSQUITTO, MissingBinary, NATS_SERVER, SUMO, ensureServer, ensureTool } from './test-servers.js';
import type { ServerInUse } from './test-servers.js';

/**
 * Vitest global setup: the servers the suite needs, so `pnpm test` passes as written on a
 * machine where they are installed but not running. A running shared server (or the one the
 * variable names) is used as it is; otherwise a private one is started on a free port with a
 * temporary store, the variable set for the test workers, and the server stopped by PID at the end.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const inUse: ServerInUse[] = [];
  try {
    ensureTool(SUMO);
    ensureTool(CHROMIUM);
    for (const spec of [NATS_SERVER, MOSQUITTO]) {
      const server = await ensureServer(spec);
      process.env[spec.envVar] = `${spec.scheme ?? ''}${server.address}`;
      if (server.started) console.log(`${spec.name}: started a private one for this run on ${server.address} (pid ${server.started.pid})`);
      inUse.push(server);
    }
  } catch (error) {
    if (!(error instanceof MissingBinary)) throw error;
    await Promise.all(inUse.map((server) => server.started?.stop()));
    // One message and out: every test would otherwise fail with its own connection error.
    console.error(`\n${error.message}\n`);
    process.exit(1);
  }
  return async () => {
    for (const server of inUse) await server.started?.stop();
  };
}
