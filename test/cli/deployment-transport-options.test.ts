import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SubjectScheme, nkeyPublicKey } from '@polis/bus-nats';
import { connect, jetstreamManager } from '@polis/bus-nats/nats';
import { runDeployment } from '@polis/cli';
import { ErrorCodes, EventDeadLettered, schemaUrn } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer } from '../support/nats-server.js';
import type { NatsServer } from '../support/nats-server.js';

const Reading = { kind: 'event', type: 'meter.reading.taken', version: 1, schema: { type: 'object', properties: { kwh: { type: 'number' } }, required: ['kwh'] } };
const plugin = (manifest: Record<string, unknown>, setup = 'setup() {}') => `export default { ...${JSON.stringify(manifest)}, ${setup} };\n`;

describe('the transport limits of a deployment file, through polis start', () => {
  const folder = mkdtempSync(join(tmpdir(), 'polis-limits-'));
  let server: NatsServer;
  beforeAll(async () => {
    server = await startNatsServer();
  });
  afterAll(async () => {
    rmSync(folder, { recursive: true, force: true });
    await server.stop();
  });

  it('gives the streams, the publish rate and the size limit what city.yaml says, and checks sources by default', async () => {
    const prefix = 'limits-city';
    writeFileSync(join(folder, 'meter.mjs'), plugin({ name: 'meter', version: '1.0.0', kernel: '^1', publishes: [Reading] }));
    writeFileSync(join(folder, 'reader.mjs'), plugin({ name: 'reader', version: '1.0.0', kernel: '^1', consumes: [Reading] }, 'setup(ctx) { ctx.on(this.consumes[0], () => undefined); }'));
    const file = join(folder, 'city.yaml');
    writeFileSync(
      file,
      [
        'name: limits',
        'transport:',
        '  kind: nats',
        `  servers: ['nats://${server.url}']`,
        `  prefix: ${prefix}`,
        '  jetstream:',
        '    maxBytes: 8388608',
        '    maxAgeMs: 3600000',
        '    maxMsgsPerSubject: 1000',
        '    deadLetters: { maxBytes: 1048576, maxMsgs: 50, maxAgeMs: 7200000 }',
        '  publishRate: { perSecond: 0.001, burst: 2, plugins: { reader: false } }',
        '  outageBuffer: 10',
        'limits: { maxEventBytes: 2048 }',
        'log: { level: silent }',
        'plugins:',
        '  - package: ./meter.mjs',
        '  - package: ./reader.mjs',
        '',
      ].join('\n'),
    );
    const raw = await connect({ servers: server.url });
    const seen: { events?: unknown; letters?: unknown; refused?: unknown; letter?: CloudEvent } = {};
    try {
      await runDeployment(file, {
        durationS: 0.01,
        control: false,
        onStarted: async (kernel) => {
          const jsm = await jetstreamManager(raw);
          const scheme = new SubjectScheme(prefix);
          seen.events = (await jsm.streams.info(scheme.defaultStream)).config;
          seen.letters = (await jsm.streams.info(scheme.deadLetters().defaultStream)).config;
          const letters: CloudEvent[] = [];
          await kernel.bus.subscribe({ owner: 'probe', pattern: EventDeadLettered.type, durable: false, handler: (event) => void letters.push(event) });
          // Two within the burst, the third refused.
          await kernel.bus.publish('meter', Reading.type, 1, { kwh: 1 });
          await kernel.bus.publish('meter', Reading.type, 1, { kwh: 2 });
          seen.refused = await kernel.bus.publish('meter', Reading.type, 1, { kwh: 3 }).catch((error: unknown) => error);
          // The source check, on by default: an event of meter's type claiming another source is refused by the reader's subscription.
          const forged = { specversion: '1.0', id: 'forged-1', source: 'urn:somebody', type: Reading.type, time: new Date().toISOString(), datacontenttype: 'application/json', dataschema: schemaUrn(Reading.type, 1), data: { kwh: 9 } };
          raw.publish(scheme.published('urn:somebody', Reading.type), JSON.stringify(forged));
          await expect.poll(() => letters.find((letter) => (letter.data as { event?: { id?: string } }).event?.id === 'forged-1'), { timeout: 10_000 }).toBeDefined();
          seen.letter = letters.find((letter) => (letter.data as { event?: { id?: string } }).event?.id === 'forged-1');
        },
      });
    } finally {
      await raw.close();
    }
    expect(seen.events).toMatchObject({ max_bytes: 8388608, max_age: 3600000 * 1e6, max_msgs_per_subject: 1000, max_msg_size: 2048 + 64 * 1024 });
    expect(seen.letters).toMatchObject({ max_bytes: 1048576, max_msgs: 50, max_age: 7200000 * 1e6, max_msg_size: 2048 + 128 * 1024 });
    expect(seen.refused).toMatchObject({ code: ErrorCodes.PUBLISH_RATE_EXCEEDED });
    expect(seen.letter?.data).toMatchObject({ plugin: 'reader', code: ErrorCodes.EVENT_SOURCE_UNDECLARED });
  });
});

describe("the kernel's own broker login from the deployment file", () => {
  const folder = mkdtempSync(join(tmpdir(), 'polis-kernel-login-'));
  // A user seed made for this test alone (nkeys.createUser()).
  const SEED = 'SUANP7JO7Y6JPTCVBKNI3FOUVNPL2I6YDSHXXKWW2252D4EIPNTQVY6WTE';
  const PASSWORD = 'kernel-secret-5b1e';
  let server: NatsServer;
  beforeAll(async () => {
    server = await startNatsServer({ config: `authorization { users = [ { user: kernel, password: ${JSON.stringify(PASSWORD)} }, { nkey: ${JSON.stringify(nkeyPublicKey(SEED))} } ] }` });
    writeFileSync(join(folder, 'meter.mjs'), plugin({ name: 'meter', version: '1.0.0', kernel: '^1', publishes: [Reading] }));
    mkdirSync(join(folder, 'secrets'));
    writeFileSync(join(folder, 'secrets', 'kernel.pass'), `${PASSWORD}\n`);
  });
  afterAll(async () => {
    rmSync(folder, { recursive: true, force: true });
    await server.stop();
    delete process.env.POLIS_TEST_KERNEL_PASS;
    delete process.env.POLIS_TEST_KERNEL_SEED;
  });

  const city = (name: string, login: string) => {
    const file = join(folder, `${name}.yaml`);
    writeFileSync(file, `name: ${name}\ntransport:\n  kind: nats\n  servers: ['nats://${server.url}']\n  prefix: login-${name}\n${login}log: { level: silent }\nplugins:\n  - package: ./meter.mjs\n`);
    return file;
  };
  const runs = async (file: string) => {
    const report = await runDeployment(file, { durationS: 0.01, control: false });
    return [...report.started];
  };

  it('reads the password from an environment variable or a file inside the folder, and an nkey seed from the environment', async () => {
    process.env.POLIS_TEST_KERNEL_PASS = PASSWORD;
    process.env.POLIS_TEST_KERNEL_SEED = SEED;
    expect(await runs(city('env', '  user: kernel\n  pass: { env: POLIS_TEST_KERNEL_PASS }\n'))).toEqual(['meter']);
    expect(await runs(city('file', '  user: kernel\n  pass: { file: secrets/kernel.pass }\n'))).toEqual(['meter']);
    expect(await runs(city('nkey', '  nkeySeed: { env: POLIS_TEST_KERNEL_SEED }\n'))).toEqual(['meter']);
  });

  it('names a missing secret by its variable, refuses two logins at once, and prints no secret', async () => {
    delete process.env.POLIS_TEST_KERNEL_PASS;
    const missing = await runs(city('missing', '  user: kernel\n  pass: { env: POLIS_TEST_KERNEL_PASS }\n')).catch((error: unknown) => error as Error);
    expect(String((missing as Error).message)).toContain('environment variable POLIS_TEST_KERNEL_PASS is not set');
    const twice = await runs(city('twice', '  user: kernel\n  pass: { file: secrets/kernel.pass }\n  nkeySeed: { env: POLIS_TEST_KERNEL_SEED }\n')).catch((error: unknown) => error as Error);
    expect(String((twice as Error).message)).toContain("the kernel's login is given twice (user and nkeySeed)");
    for (const error of [missing, twice]) expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toMatch(new RegExp(`${PASSWORD}|${SEED}`));
  });
});
