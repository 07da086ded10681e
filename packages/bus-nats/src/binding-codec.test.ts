import { MsgHdrsImpl } from '@nats-io/transport-node';
import { ErrorCodes } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';
import { describe, expect, it } from 'vitest';
import { decodeCloudEvent } from './binding-decoder.js';
import { BinaryModeEncoder } from './binding-encoder.js';
import { decodeMessage } from './inbound.js';

const event: CloudEvent = {
  specversion: '1.0',
  id: 'a1b2-7',
  source: '@acme/parking',
  type: 'mobility.lot.filled',
  time: '2026-01-01T08:00:00.000Z',
  datacontenttype: 'application/json',
  dataschema: 'urn:polis:schema:mobility.lot.filled:1',
  subject: 'Lot "Nord" – Ebene 2',
  data: { free: 0 },
  traceparent: '00-0123456789abcdef0123456789abcdef-0123456789abcdef-01',
  tracestate: 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7',
  correlationid: 'a1b2-1',
  causationid: 'a1b2-6',
  priority: 'emergency',
};
const payload = Buffer.from(JSON.stringify(event.data));
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

describe('the CloudEvents NATS binding codec', () => {
  const encoder = new BinaryModeEncoder();

  it('decodes what the binary-mode encoder wrote into the same event', () => {
    const block = text(encoder.headers(event, false).encode());
    expect(decodeCloudEvent(block, payload)).toEqual(event);
  });

  it('writes printable ASCII only, and Nats-Msg-Id = source and id when asked', () => {
    const block = text(encoder.headers(event, true).encode());
    expect(block).toMatch(/^NATS\/1\.0\r\n[\x20-\x7e\r\n]*\r\n\r\n$/);
    expect(block).toContain('ce-subject: Lot%20%22Nord%22%20%E2%80%93%20Ebene%202\r\n');
    expect(block).toContain('Nats-Msg-Id: @acme/parking a1b2-7\r\n');
    expect(text(encoder.headers(event, false).encode())).not.toContain('Nats-Msg-Id');
  });

  it('reads header names case-insensitively and keeps extension attributes', () => {
    const block = 'NATS/1.0\r\nCE-SpecVersion: 1.0\r\nCe-Id: x1\r\nce-source: s\r\nce-type: a.b.c\r\nContent-Type: application/json; charset=utf-8\r\nce-region: north\r\n\r\n';
    expect(decodeCloudEvent(block, Buffer.from('{"n":1}'))).toEqual({
      specversion: '1.0',
      id: 'x1',
      source: 's',
      type: 'a.b.c',
      region: 'north',
      datacontenttype: 'application/json; charset=utf-8',
      data: { n: 1 },
    });
  });

  it('decodes structured mode, data_base64 included, and a message without headers as structured', () => {
    const structured = { specversion: '1.0', id: 's1', source: 's', type: 'a.b.c', data_base64: Buffer.from('{"n":2}').toString('base64') };
    const block = 'NATS/1.0\r\ncontent-type: application/cloudevents+json\r\n\r\n';
    expect(decodeCloudEvent(block, Buffer.from(JSON.stringify(structured)))).toMatchObject({ id: 's1', data: { n: 2 }, datacontenttype: 'application/json' });
    expect(decodeCloudEvent(undefined, Buffer.from(JSON.stringify({ ...structured, id: 's2' })))).toMatchObject({ id: 's2', data: { n: 2 } });
  });

  it.each([
    ['a header block that is not NATS/1.0', 'HTTP/1.1\r\nce-id: 1\r\n\r\n', '{}', /does not start with 'NATS\/1\.0'/],
    ['a header line without a colon', 'NATS/1.0\r\nce-specversion: 1.0\r\nnonsense\r\n\r\n', '{}', /malformed header line 'nonsense'/],
    ['no ce-specversion', 'NATS/1.0\r\nce-id: 1\r\n\r\n', '{}', /no ce-specversion header/],
    ['another specversion', 'NATS/1.0\r\nce-specversion: 0.3\r\n\r\n', '{}', /unsupported specversion '0\.3'/],
    ['data that is not JSON', 'NATS/1.0\r\nce-specversion: 1.0\r\nce-type: a.b.c\r\n\r\n', '{"n":', /the data is not valid JSON/],
    ['a media type that is not JSON', 'NATS/1.0\r\nce-specversion: 1.0\r\ncontent-type: text/plain\r\n\r\n', 'hi', /unsupported datacontenttype 'text\/plain'/],
    ['an event format that is not JSON', 'NATS/1.0\r\ncontent-type: application/cloudevents+avro\r\n\r\n', '{}', /unsupported event format/],
    ['a structured event that is not an object', 'NATS/1.0\r\ncontent-type: application/cloudevents+json\r\n\r\n', '[1]', /must be a JSON object/],
  ])('refuses %s', (_what, block, body, reason) => {
    expect(() => decodeCloudEvent(block, Buffer.from(body))).toThrow(expect.objectContaining({ code: ErrorCodes.EVENT_UNDECODABLE, message: expect.stringMatching(reason) }));
  });

  it('refuses an event whose type or source is not the one its subject names', () => {
    const headers = MsgHdrsImpl.decode(encoder.headers(event, false).encode());
    const message = { subject: 'city.evt._40acme_2Fparking.safety.incident.opened', data: payload, headers };
    expect(() => decodeMessage(message, 'city.evt.')).toThrow(/type 'mobility\.lot\.filled', source '@acme\/parking'\) is not the publisher and type its subject names \('_40acme_2Fparking\.safety\.incident\.opened'\)/);
    // Another publisher's token: a login allowed `city.evt.rogue.>` cannot send under '@acme/parking'.
    expect(() => decodeMessage({ ...message, subject: 'city.evt.rogue.mobility.lot.filled' }, 'city.evt.')).toThrow(/is not the publisher and type its subject names/);
    expect(() => decodeMessage({ ...message, subject: 'city.evt._40acme_2Fparkingmobility.lot.filled' }, 'city.evt.')).toThrow(/is not the publisher/);
    expect(decodeMessage({ ...message, subject: 'city.evt._40acme_2Fparking.mobility.lot.filled' }, 'city.evt.')).toEqual(event);
  });
});
