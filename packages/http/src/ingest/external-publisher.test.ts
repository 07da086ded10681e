import { Kernel, MemoryTransport, createLogger } from '@polis/kernel';
import { Type, defineEvent, definePlugin } from '@polis/plugin-api';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../auth/principals.js';
import type { IncomingEvent } from './cloudevent-attributes.js';
import { ExternalPublisher } from './external-publisher.js';

const SensorRead = defineEvent({ type: 'test.sensor.read', version: 1, schema: Type.Object({ sensor: Type.String(), value: Type.Number() }) });
const sensor: Principal = { kind: 'source', name: 'field-sensors', publishes: [SensorRead.type], consumes: [], requests: [] };
const reading = (id: string): IncomingEvent => ({ id, type: SensorRead.type, dataschema: undefined, subject: undefined, priority: undefined, data: { sensor: 's1', value: 1 } });

describe('ExternalPublisher de-duplication window', () => {
  it('answers a resent id inside the window with the first id, and forgets the oldest beyond it', async () => {
    let handled = 0;
    const consumer = definePlugin({ name: 'consumer', version: '1.0.0', kernel: '^1', consumes: [SensorRead], setup: (ctx) => ctx.on(SensorRead, () => void handled++) });
    const kernel = new Kernel({ transport: new MemoryTransport(), logger: createLogger({ level: 'error' }) });
    await kernel.start([consumer]);
    const publisher = new ExternalPublisher(kernel, 2);
    const send = (id: string) => publisher.publish(sensor, reading(id), publisher.prepare(sensor, reading(id)));
    const a = await send('a');
    await send('b');
    expect(await send('b')).toMatchObject({ duplicate: true });
    expect(await send('a')).toMatchObject({ id: a.id, duplicate: true });
    await send('c');
    // The window holds b and c now: a is published again, under a new id.
    const again = await send('a');
    expect(again.duplicate).toBe(false);
    expect(again.id).not.toBe(a.id);
    expect(await send('c')).toMatchObject({ duplicate: true });
    await (kernel.bus.transport as MemoryTransport).settled();
    expect(handled).toBe(4);
    await kernel.stop();
  });
});
