import type { CloudEvent } from '@polis/plugin-api';
import { describe, expect, it } from 'vitest';
import { EventRecorder } from './event-recorder.js';

const event = (type: string, data: unknown = {}): CloudEvent => ({ type, data, id: type }) as unknown as CloudEvent;

describe('EventRecorder', () => {
  it('resolves an expectation with an event already seen or one still to come', async () => {
    const recorder = new EventRecorder();
    recorder.record(event('traffic.incident.detected'));
    await expect(recorder.expect('traffic.*.detected')).resolves.toMatchObject({ type: 'traffic.incident.detected' });
    const later = recorder.expect<{ n: number }>('safety.>', { where: (e) => e.data.n === 2 });
    recorder.record(event('safety.incident.opened', { n: 1 }));
    recorder.record(event('safety.incident.opened', { n: 2 }));
    await expect(later).resolves.toMatchObject({ data: { n: 2 } });
  });

  it('rejects after the deadline, naming what was seen instead', async () => {
    const recorder = new EventRecorder();
    recorder.record(event('traffic.signal.retimed'));
    await expect(recorder.expect('health.>', { within: 20 })).rejects.toThrow(/expected an event 'health.>' within 20 ms; seen: traffic.signal.retimed/);
  });

  it('fails expectNone when a matching event arrives', async () => {
    const recorder = new EventRecorder();
    const none = recorder.expectNone('safety.>', { within: 50 });
    recorder.record(event('safety.unit.dispatched'));
    await expect(none).rejects.toThrow(/expected no event 'safety.>'/);
    await expect(recorder.expectNone('health.>', { within: 10 })).resolves.toBeUndefined();
  });
});
