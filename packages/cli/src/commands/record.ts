import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { CloudEvent } from '@polis/plugin-api';
import type { Output } from '../program.js';
import type { Kernel } from '@polis/kernel';
import type { RecordedDelivery, RecordingFooter, RecordingHeader } from '../replay/recording-format.js';
import { RecordingTransport } from '../runtime/recording-transport.js';
import { runDeployment } from './start.js';

/**
 * `polis record`: runs the deployment like `start` and writes a recording: a header line (the
 * deployment, its clock, each plugin with its config), then every event this node sends, one
 * CloudEvent per line with its causation (queries and their replies included), then a footer
 * with the end time and the schemas. `polis replay` reads it.
 */
export async function recordDeployment(file: string, options: { out: string; durationS?: number; signal?: AbortSignal }, io: Output): Promise<number> {
  const stream = createWriteStream(options.out, { encoding: 'utf8' });
  let count = 0;
  let startedAt: number | undefined;
  const pending: Array<CloudEvent | RecordedDelivery> = [];
  let header: RecordingHeader | undefined;
  const write = (line: unknown) => {
    if (!stream.write(`${JSON.stringify(line)}\n`)) stream.once('drain', () => undefined);
  };
  const record = (event: CloudEvent | RecordedDelivery) => {
    if (!('polisDelivered' in event)) count++;
    if (header) write(event);
    else pending.push(event);
  };
  let stopped: Kernel | undefined;
  let failed = 0;
  try {
    const report = await runDeployment(file, {
      durationS: options.durationS,
      signal: options.signal,
      control: true,
      wrapTransport: (transport, { clock }) => {
        startedAt = clock.now();
        return new RecordingTransport(transport, clock, record, (delivery) => record({ polisDelivered: delivery }));
      },
      onStarted: (kernel, _report, deployment) => {
        header = {
          polisRecording: 1,
          deployment: deployment.spec.name,
          startedAt: startedAt ?? kernel.clock.now(),
          clockSpeed: deployment.spec.clock.speed,
          plugins: deployment.plugins.map((p) => ({ name: p.plugin.name, version: p.plugin.version, package: p.entry.spec.package, ...(p.config === undefined ? {} : { config: p.config }) })),
        };
        write(header);
        for (const event of pending.splice(0)) write(event);
      },
      onStopping: (kernel) => {
        stopped = kernel;
      },
    });
    // After the stop: what plugins publish while they stop is recorded before the footer.
    if (stopped) write(footerOf(stopped, count));
    failed = report.failed.length;
  } finally {
    stream.end();
    await once(stream, 'close');
  }
  io.out(`recorded ${count} events to ${options.out}`);
  return failed > 0 ? 1 : 0;
}

/** The last line: when recording ended, how many events it holds and the schemas they were validated against. */
function footerOf(kernel: Kernel, events: number): RecordingFooter {
  const schemas = kernel.registry.types().flatMap((type) =>
    kernel.registry.versions(type).map((version) => {
      const record = kernel.registry.get(type, version)!;
      return { type, version, schema: record.schema, ...(record.compatibility ? { compatibility: record.compatibility } : {}) };
    }),
  );
  return { polisRecordingEnd: { endedAt: kernel.clock.now(), events, schemas } };
}
