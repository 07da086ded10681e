import { describe, expect, it } from 'vitest';
import { NatsTransport } from './nats-transport.js';

describe('NatsTransport.repeatsDeliveries', () => {
  it('is true with JetStream: a stored event whose ack was lost comes again', () => {
    expect(new NatsTransport().repeatsDeliveries).toBe(true);
    expect(new NatsTransport({ jetstream: {} }).repeatsDeliveries).toBe(true);
  });

  it('is false on core NATS: a queue group gets each publish once, and only failed calls are retried', () => {
    expect(new NatsTransport({ jetstream: false }).repeatsDeliveries).toBe(false);
  });
});
