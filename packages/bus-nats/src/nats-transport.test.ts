import { describe, expect, it } from 'vitest';
import { NatsTransport } from './nats-transport.js';

describe('NatsTransport.repeatsDeliveries', () => {
  it('is false on core NATS and on JetStream: the kernel keeps no second record of handled events in process', () => {
    // Core NATS: a queue group gets each publish once. JetStream: the durable subscription drops
    // repeats of what it holds or handled itself (test/nats/durable-delivery.test.ts).
    expect(new NatsTransport({ jetstream: false }).repeatsDeliveries).toBe(false);
    expect(new NatsTransport().repeatsDeliveries).toBe(false);
  });
});
