import type { Kernel } from '@polis/kernel';
import type { CloudEvent } from '@polis/plugin-api';

/** Longest data shown per tailed event; the rest is cut with an ellipsis. */
const MAX_DATA_CHARS = 300;

/** `TAIL 08:01:05.120 traffic.incident.detected v1 traffic -> {"linkId":"n21-n22",...}` */
export function formatTailLine(event: CloudEvent): string {
  const version = /:(\d+)$/.exec(event.dataschema ?? '')?.[1];
  const data = JSON.stringify(event.data) ?? '';
  const shown = data.length > MAX_DATA_CHARS ? `${data.slice(0, MAX_DATA_CHARS)}...` : data;
  const subject = event.subject ? ` [${event.subject}]` : '';
  return `TAIL ${event.time.slice(11, 23)} ${event.type}${version ? ` v${version}` : ''} ${event.source}${subject} ${shown}`;
}

/**
 * Prints every event matching `pattern` (NATS wildcards: `environment.>`) as it passes through
 * the kernel's bus, in a consumer group of its own (so it takes no event from any plugin) and
 * not durable (a tail that stops leaves nothing behind on the broker).
 */
export async function tailEvents(kernel: Kernel, pattern: string, write: (line: string) => void): Promise<{ close(): Promise<void> }> {
  return kernel.bus.subscribe({
    owner: 'polis-tail',
    pattern,
    group: `polis-tail-${process.pid}-${Date.now().toString(36)}`,
    concurrency: 1,
    durable: false,
    handler: (event) => write(formatTailLine(event)),
  });
}
