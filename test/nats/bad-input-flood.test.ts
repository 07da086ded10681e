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

  it('is dead-lettered message by message but logged one line per thousand, with the count', async () => {
    const subject = new SubjectScheme(prefix).published('urn:city:broken-gateway', SensorRead.type);
    for (let i = 0; i < FLOOD; i++) raw.publish(subject, `{"not json ${i}`);
    await raw.flush();
    const letters = () => kit.deadLetters.filter((letter) => letter.data.plugin === 'listener').length;
    await expect.poll(letters, { timeout: 60_000, interval: 50 }).toBe(FLOOD);
    const lines = kit.logs.filter((record) => record.level === 'error' && record.fields.plugin === 'listener');
    // The first in full, then one line per 1,000 held back; the rest are said when the interval ends.
    expect(lines.length).toBeLessThanOrEqual(3);
    expect(lines[0]?.message).toMatch(/^dead-lettered .* for listener$/);
    expect(lines[0]?.fields.code).toBe('POLIS_EVENT_UNDECODABLE');
    const told = lines.reduce((sum, line) => sum + (typeof line.fields.repeated === 'number' ? line.fields.repeated : 1), 0);
    expect(told).toBe(1 + 1_000 * Math.floor((FLOOD - 1) / 1_000));
  });
});
