import { traffic } from '@polis/contracts';
import type { EventData } from '@polis/plugin-api';

/**
 * What every scenario sends: one lane detector's 30-second aggregate, as a field gateway reports
 * it (`traffic.detector.reported`, about 200 bytes of JSON). Polis validates it against the
 * contract's schema on every publish; the baselines carry the same bytes.
 */
export const detectorReading: EventData<typeof traffic.DetectorReported> = {
  detectorId: 'urn:ngsi-ld:Device:shenzhen-futian:shennan-boulevard-east:det-0421:lane-2',
  observedAt: '2025-06-03T08:15:30.000Z',
  intervalS: 30,
  flowVph: 1260,
  occupancyPct: 18.4,
  speedKph: 42.7,
};

/**
 * A new reading object with the same content, for every publish of every contender: a real
 * publisher builds one per event, and Polis freezes what it publishes (events are read-only),
 * which must cost here what it costs there.
 */
export function freshReading(): DetectorReading {
  return { ...detectorReading };
}

/** The reading's own JSON: what an application sends when it sends no envelope at all. */
export const detectorReadingJson = JSON.stringify(detectorReading);

let sequence = 0;

/**
 * The reading as the CloudEvent document Polis puts on the wire (its default structured mode):
 * the same attributes, a fresh id, time and trace per event, as an application sending
 * CloudEvents with nats.js directly would build them. The raw NATS baselines send this, so they
 * carry the same JSON as Polis and the ratio measures what the kernel adds.
 */
export function detectorReadingCloudEvent(): { id: string; json: string } {
  const id = `raw-${++sequence}`;
  const span = sequence.toString(16).padStart(16, '0');
  const json = JSON.stringify({
    specversion: '1.0',
    id,
    source: 'gateway',
    type: 'traffic.detector.reported',
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    dataschema: 'urn:polis:schema:traffic.detector.reported:1',
    data: detectorReading,
    traceparent: `00-0123456789abcdef${span}-${span}-01`,
    correlationid: id,
  });
  return { id, json };
}

/** A reading as the handlers of every contender see it. */
export type DetectorReading = typeof detectorReading;
