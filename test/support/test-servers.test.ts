import { describe, expect, it } from 'vitest';
import { freePort } from './nats-server.js';
import { MOSQUITTO, MissingBinary, NATS_SERVER, SUMO, answers, ensureServer, ensureTool } from './test-servers.js';

describe('the servers pnpm test needs', () => {
  it('stops with one message naming what to install when the binary is missing', async () => {
    const closed = `127.0.0.1:${await freePort()}`;
    const spec = { ...NATS_SERVER, defaultAddress: closed, binary: '/nonexistent/nats-server' };
    const failure = await ensureServer(spec, {}).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MissingBinary);
    const message = (failure as Error).message;
    expect(message).toContain(`POLIS_NATS_URL is unset and nothing answers on ${closed}`);
    expect(message).toContain("'/nonexistent/nats-server' is not installed");
    expect(message).toContain('apt-get install nats-server');
    expect(message).toContain('brew install nats-server');
    expect(message).toContain('POLIS_NATS_URL=host:port pnpm test');
    // No stack trace into the setup: the message is all that is printed.
    expect((failure as Error).stack).toBe(message);
  });

  it('starts a private server when nothing answers, and stops it by PID', async () => {
    const closed = `127.0.0.1:${await freePort()}`;
    const server = await ensureServer({ ...NATS_SERVER, defaultAddress: closed }, {});
    try {
      expect(server.started).toBeDefined();
      expect(server.address).not.toBe(closed);
      expect(await answers(server.address)).toBe(true);
    } finally {
      await server.started?.stop();
    }
    expect(await answers(server.address)).toBe(false);
  });

  it('starts a private mosquitto the same way, and reads the broker the variable names without its scheme', async () => {
    const closed = `127.0.0.1:${await freePort()}`;
    const broker = await ensureServer({ ...MOSQUITTO, defaultAddress: closed }, {});
    try {
      expect(await answers(broker.address)).toBe(true);
    } finally {
      await broker.started?.stop();
    }
    expect(await ensureServer(MOSQUITTO, { POLIS_MQTT_URL: 'mqtt://10.0.0.5:1883' })).toEqual({ address: '10.0.0.5:1883' });
  });

  it('uses the shared server when it answers, and the one the variable names above all', async () => {
    const shared = await ensureServer({ ...NATS_SERVER, defaultAddress: process.env.POLIS_NATS_URL! }, {});
    expect(shared).toEqual({ address: process.env.POLIS_NATS_URL });
    expect(await ensureServer(NATS_SERVER, { POLIS_NATS_URL: '10.0.0.5:4222' })).toEqual({ address: '10.0.0.5:4222' });
  });

  it('names the SUMO binaries that are missing and how to install them', () => {
    expect(() => ensureTool(SUMO)).not.toThrow();
    const failure = (() => {
      try {
        ensureTool({ ...SUMO, binaries: ['/nonexistent/sumo', 'netconvert'] });
      } catch (error) {
        return error as Error;
      }
      return undefined;
    })();
    expect(failure).toBeInstanceOf(MissingBinary);
    expect(failure?.message).toContain("'/nonexistent/sumo' is not installed");
    expect(failure?.message).toContain('apt-get install sumo sumo-tools');
  });
});
