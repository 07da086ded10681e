import { EventDeadLettered } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import { describe, expect, it } from 'vitest';
import { throwingPlugin } from '../support/test-plugins.js';
import { SensorRead } from '../support/test-contracts.js';

describe('log lines of failed handler calls', () => {
  it('writes each failed attempt and the dead letter with the event id, the correlation id and the trace id of the event', async () => {
    const kit = await startTestKernel({ plugins: [throwingPlugin('failing', () => new Error('the sensor table is missing'))], retry: { maxAttempts: 3, initialDelayMs: 5, backoffFactor: 1 } });
    const sent = await kit.publish(SensorRead, { sensor: 's', value: 1 });
    await kit.expectEvent(EventDeadLettered, { within: 2000 });
    const ids = { eventId: sent.id, correlationId: sent.correlationid, traceId: sent.traceparent!.slice(3, 35) };
    const attempts = kit.logs.filter((record) => record.level === 'warn' && record.message.startsWith('handler for test.sensor.read failed'));
    expect(attempts).toHaveLength(3);
    for (const line of attempts) expect(line.fields).toMatchObject({ plugin: 'failing', error: 'the sensor table is missing', ...ids });
    const letter = kit.logs.find((record) => record.level === 'error' && record.message === 'dead-lettered test.sensor.read for failing');
    expect(letter?.fields).toMatchObject({ attempts: 3, ...ids });
    await kit.stop();
  });
});
