import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { ErrorCodes, PolisError } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';
import type { RecordedDelivery, RecordedEvent, Recording, RecordingFooter, RecordingHeader } from './recording-format.js';

/** Longest line a recording may have (an event is at most a few MiB). */
const MAX_LINE_CHARS = 16 * 1024 * 1024;

/**
 * Reads a recording written by `polis record`, line by line, checking that the header comes
 * first and that every other line is a CloudEvent; a problem names the line (never its content).
 */
export async function readRecording(path: string): Promise<Recording> {
  const invalid = (line: number, why: string) => new PolisError(ErrorCodes.EVENT_UNDECODABLE, `${path}:${line}: ${why}`);
  let header: RecordingHeader | undefined;
  let footer: RecordingFooter['polisRecordingEnd'] | undefined;
  const events: RecordedEvent[] = [];
  const deliveries = new Map<string, Map<string, number>>();
  let number = 0;
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  try {
    for await (const text of lines) {
      number++;
      if (text.trim() === '') continue;
      if (text.length > MAX_LINE_CHARS) throw invalid(number, `the line is longer than ${MAX_LINE_CHARS} characters`);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw invalid(number, 'the line is not JSON');
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid(number, 'the line is not a JSON object');
      const record = value as Record<string, unknown>;
      if (!header) {
        if (record.polisRecording !== 1 || typeof record.startedAt !== 'number' || !Array.isArray(record.plugins)) throw invalid(number, 'the first line is not a polis recording header (polis record writes one)');
        header = record as unknown as RecordingHeader;
        continue;
      }
      if ('polisDelivered' in record) {
        const delivery = record.polisDelivered as Partial<RecordedDelivery['polisDelivered']> | null;
        if (typeof delivery?.group !== 'string' || typeof delivery.id !== 'string' || !Number.isFinite(delivery.at)) throw invalid(number, 'the delivery line needs a group, an id and a time');
        let ofGroup = deliveries.get(delivery.group);
        if (ofGroup === undefined) deliveries.set(delivery.group, (ofGroup = new Map()));
        if (!ofGroup.has(delivery.id)) ofGroup.set(delivery.id, delivery.at as number);
        continue;
      }
      if ('polisRecordingEnd' in record) {
        footer = (record as unknown as RecordingFooter).polisRecordingEnd;
        continue;
      }
      if (record.specversion !== '1.0' || typeof record.id !== 'string' || typeof record.type !== 'string' || typeof record.source !== 'string' || typeof record.time !== 'string' || Number.isNaN(Date.parse(record.time))) {
        throw invalid(number, 'the line is not a CloudEvent (specversion 1.0 with id, source, type and time)');
      }
      events.push({ line: number, event: record as unknown as CloudEvent });
    }
  } catch (error) {
    if (error instanceof PolisError) throw error;
    throw new PolisError(ErrorCodes.EVENT_UNDECODABLE, `cannot read the recording ${path}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`, { cause: error });
  }
  if (!header) throw invalid(number, 'the recording is empty');
  return { header, events, deliveries, ...(footer ? { footer } : {}) };
}
