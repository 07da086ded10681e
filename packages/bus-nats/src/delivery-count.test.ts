import type { JsMsg } from '@nats-io/jetstream';
import { describe, expect, it } from 'vitest';
import { isRedelivered } from './delivery-count.js';

/** A message with only what isRedelivered reads; `redelivered` is what nats.js would answer, for the fallback. */
const message = (reply: string, redelivered = false): JsMsg => ({ reply, redelivered }) as unknown as JsMsg;

describe('isRedelivered', () => {
  it.each([
    ['the 9-token form, first delivery', '$JS.ACK.POLIS_EVENTS.plugin_traffic.1.2.3.1733220000000000000.0', false],
    ['the 9-token form, third delivery', '$JS.ACK.POLIS_EVENTS.plugin_traffic.3.2.3.1733220000000000000.0', true],
    ['the 9-token form, delivery 10', '$JS.ACK.POLIS_EVENTS.plugin_traffic.10.2.3.1733220000000000000.0', true],
    ['the 12-token form (domain, account hash, random token), first delivery', '$JS.ACK._.Axyz.POLIS_EVENTS.plugin_traffic.1.8.8.1733220000000000000.0.r4nd', false],
    ['the 12-token form, second delivery', '$JS.ACK.hub.Axyz.POLIS_EVENTS.plugin_traffic.2.8.8.1733220000000000000.0.r4nd', true],
    ['the 11-token form, delivery 11', '$JS.ACK.hub.Axyz.POLIS_EVENTS.plugin_traffic.11.8.8.1733220000000000000.0', true],
    ['a count of 1 followed by digits of the next token is still read as its own token', '$JS.ACK.S.C.1.1.1.1.1', false],
  ])('%s: %s', (_what, reply, redelivered) => {
    expect(isRedelivered(message(reply, !redelivered))).toBe(redelivered);
  });

  it("leaves subjects of another shape to nats.js's own parse", () => {
    expect(isRedelivered(message('$JS.ACK.too.short', true))).toBe(true);
    expect(isRedelivered(message('_INBOX.a.b.c.d.e.f.g.h', false))).toBe(false);
    expect(isRedelivered({ redelivered: true } as unknown as JsMsg)).toBe(true);
  });
});
