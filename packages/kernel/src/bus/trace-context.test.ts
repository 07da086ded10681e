import { describe, expect, it } from 'vitest';
import { isTraceparent } from './envelope-validation.js';
import { childTrace, sampledFlag, traceIdOf } from './trace-context.js';

const PARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7';

describe('W3C trace context of envelopes made without a recording tracer', () => {
  it.each(['00', '01', '03'])('keeps the incoming flags %s, the trace id and the tracestate, with a new span id', (flags) => {
    const child = childTrace({ traceparent: `${PARENT}-${flags}`, tracestate: 'congo=t61rcWkgMzE' });
    expect(child.traceparent).toMatch(new RegExp(`^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-${flags}$`));
    expect(child.traceparent.slice(36, 52)).not.toBe('00f067aa0ba902b7');
    expect(child.tracestate).toBe('congo=t61rcWkgMzE');
    expect(isTraceparent(child.traceparent)).toBe(true);
  });

  it('starts a new sampled trace without a parent, with random trace and span ids', () => {
    const children = Array.from({ length: 1000 }, () => childTrace(undefined).traceparent);
    for (const traceparent of children) expect(isTraceparent(traceparent) && traceparent.endsWith('-01')).toBe(true);
    expect(new Set(children.map(traceIdOf)).size).toBe(1000);
    expect(new Set(children.map((traceparent) => traceparent.slice(36, 52))).size).toBe(1000);
    // Not a counter: consecutive span ids are not one apart.
    const [a, b] = children.map((traceparent) => BigInt(`0x${traceparent.slice(36, 52)}`));
    expect(b! - a!).not.toBe(1n);
  });
});

describe('the sampled flag of a traceparent', () => {
  it('is the low bit of the flags, for every last hex digit in either case', () => {
    for (let flags = 0; flags < 256; flags++) {
      const hex = flags.toString(16).padStart(2, '0');
      expect(sampledFlag(`${PARENT}-${hex}`)).toBe((flags & 1) === 1);
      expect(sampledFlag(`${PARENT}-${hex.toUpperCase()}`)).toBe((flags & 1) === 1);
    }
  });
});
