import { SubjectScheme } from '@polis/bus-nats';
import { connect } from '@polis/bus-nats/nats';
import type { NatsConnection } from '@polis/bus-nats/nats';
import { definePlugin } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import type { TestKernel } from '@polis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NATS_URL, removeNatsState, testTransport, uniquePrefix } from '../support/nats-env.js';
import { SensorRead } from '../support/test-contracts.js';

const FLOOD = 2_500;

describe.each([{ jetstream: true }, { jetstream: false }])('a flood of bad input (jetstream: $jetstream)', ({ jetstream }) => {
  const prefix = uniquePrefix(jetstream ? 'flood-js' : 'flood-core');
  let kit: TestKernel;
  let raw: NatsConnection;

  beforeAll(async () => {
    const listener = definePlugin({ name: 'listener', version: '1.0.0', kernel: '^1', consumes: [SensorRead], setup: (ctx) => void ctx.on(SensorRead, () => undefined) });
    kit = await startTestKernel({ plugins: [listener], transport: testTransport({ prefix, jetstream }) });
    raw = await connect({ servers: NATS_URL });
  });

  afterAll(async () => {
    await raw.close();
    await kit.stop();
    await removeNatsState(prefix);
  });

  it('is dead-lettered message by message but logged one line per thousand or per 10 s, with the count', async () => {
    const subject = new SubjectScheme(prefix).published('urn:city:broken-gateway', SensorRead.type);
    const started = Date.now();
    for (let i = 0; i < FLOOD; i++) raw.publish(subject, `{"not json ${i}`);
    await raw.flush();
    const letters = () => kit.deadLetters.filter((letter) => letter.data.plugin === 'listener').length;
    await expect.poll(letters, { timeout: 60_000, interval: 50 }).toBe(FLOOD);
    const lines = () => kit.logs.filter((record) => record.level === 'error' && record.fields.plugin === 'listener');
    const told = () => lines().reduce((sum, line) => sum + (typeof line.fields.repeated === 'number' ? line.fields.repeated : 1), 0);
    // What is held back is said when its interval ends: every letter is counted in some line.
    await expect.poll(told, { timeout: 15_000, interval: 50 }).toBe(FLOOD);
    const windows = Math.ceil((Date.now() - started) / 10_000);
    // Per 10 s window: its first line in full, one per 1,000 held back, one for the rest at its end.
    expect(lines().length).toBeLessThanOrEqual(windows * 2 + Math.floor(FLOOD / 1_000));
    expect(lines()[0]?.message).toMatch(/^dead-lettered .* for listener$/);
    expect(lines()[0]?.fields.code).toBe('POLIS_EVENT_UNDECODABLE');
  });
});
