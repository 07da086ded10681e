import { MemoryTransport } from '@polis/kernel';
import type { Transport } from '@polis/kernel/transport';
import { describe, expect, it } from 'vitest';
import { ForwardingTransport } from './forwarding-transport.js';

describe('ForwardingTransport', () => {
  it("answers repeatsDeliveries as the transport it wraps does (the kernel's record of handled events follows it)", () => {
    expect(new ForwardingTransport(new MemoryTransport()).repeatsDeliveries).toBe(false);
    const repeating = Object.assign(new MemoryTransport(), { repeatsDeliveries: true }) as Transport;
    expect(new ForwardingTransport(repeating).repeatsDeliveries).toBe(true);
    const silent = Object.assign(new MemoryTransport(), { repeatsDeliveries: undefined }) as Transport;
    expect(new ForwardingTransport(silent).repeatsDeliveries).toBeUndefined();
  });
});
