import { dirname, resolve } from 'node:path';
import { Kernel, createLogger, matchesPattern } from '@polis/kernel';
import type { LogRecord } from '@polis/kernel';
import { isPolisError } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';
import { FakeClock } from '@polis/testkit';
import { newReadBudget, readConfinedFile } from '../deployment/confined-file.js';
import { parseSource } from '../deployment/parsed-source.js';
import { importPlugin } from '../deployment/load-deployment.js';
import type { Output } from '../program.js';
import { diffOutputs } from '../replay/output-diff.js';
import type { Difference } from '../replay/output-diff.js';
import { readRecording } from '../replay/read-recording.js';
import type { RecordedEvent } from '../replay/recording-format.js';
import { ReplayTransport } from '../replay/replay-transport.js';

/** How long one input may keep the plugin busy (each turn lets the event loop run a few times). */
const MAX_SETTLE_TURNS = 1000;

export interface ReplayOptions {
  readonly plugin: string;
  readonly config?: string;
  readonly ignore?: readonly string[];
  /**
   * Timestamps in data (RFC 3339) this close are equal, in ms of city time. Default: a quarter
   * of a real second at the recording's clock speed, the scheduling noise of the recorded run.
   */
  readonly timeToleranceMs?: number;
  readonly json?: boolean;
}

export interface ReplayResult {
  readonly plugin: string;
  /** Recorded events and queries given to the plugin. */
  readonly inputs: number;
  /** Inputs the kernel refused (a type or schema the new version does not accept). */
  readonly refused: readonly { readonly line: number; readonly code: string; readonly message: string }[];
  readonly recordedOutputs: number;
  readonly replayedOutputs: number;
  readonly differences: readonly Difference[];
  /** Queries the plugin made that the recording has no reply for. */
  readonly unanswered: readonly CloudEvent[];
}

/**
 * The shadow test: runs a new version of one plugin of a recorded deployment against the
 * recorded input, on the recorded clock (a FakeClock set to each event's time before it is
 * delivered, so the plugin's timers fire as they did), answers its queries with the recorded
 * replies, and compares what it sends with what the recorded version sent.
 */
export async function runReplay(recordingPath: string, options: Omit<ReplayOptions, 'json'>): Promise<ReplayResult> {
  const recording = await readRecording(recordingPath);
  // Resolved like a deployment entry, from the current folder.
  const plugin = await importPlugin(options.plugin, process.cwd());
  const recordedPlugin = recording.header.plugins.find((p) => p.name === plugin.name);
  const config = options.config ? await readConfig(options.config) : recordedPlugin?.config;
  const events = recording.events.map((r) => r.event);
  const clock = new FakeClock(recording.header.startedAt);
  // One advance at a time: a handler waiting for a reply and the main loop both move the clock.
  let advancing: Promise<void> = Promise.resolve();
  const advanceTo = (at: number) => (advancing = advancing.then(() => (at > clock.now() ? clock.advance(at - clock.now()) : undefined)));
  const transport = new ReplayTransport(events, (reply) => advanceTo(Date.parse(reply.time)));
  const logs: LogRecord[] = [];
  const kernel = new Kernel({
    transport,
    clock,
    logger: createLogger({ level: 'warn', write: (_line, record) => logs.push(record) }),
    immutableEvents: true,
  });
  await kernel.start([]);
  for (const schema of recording.footer?.schemas ?? []) {
    // Schemas the recorded deployment ran with, so every recorded event can be admitted; the new
    // version's own schemas must be compatible with them, as on a real upgrade.
    if (!kernel.registry.has(schema.type, schema.version)) await kernel.registry.register(schema.type, schema.version, schema.schema, { compatibility: schema.compatibility });
  }
  const report = await kernel.load({ plugin, config });
  if (report.failed.length > 0) {
    await kernel.stop();
    throw report.failed[0];
  }

  const consumes = (plugin.consumes ?? []).map((c) => (typeof c === 'string' ? c : c.type));
  const answers = new Set((plugin.answers ?? []).map((q) => q.type));
  const isInput = (event: CloudEvent) => event.source !== plugin.name && !event.type.endsWith('.reply') && consumes.some((pattern) => matchesPattern(pattern, event.type));
  const isQuestion = (event: CloudEvent) => event.source !== plugin.name && answers.has(event.type);
  const refused: ReplayResult['refused'][number][] = [];
  const replies: CloudEvent[] = [];
  // The recorded clock as the plugin saw it: an input was handled when its handler was handed
  // it, not when it was sent (under a scaled clock, a few real milliseconds of queueing are
  // seconds of city time). Recordings without delivery lines fall back to the time of the
  // plugin's first reaction.
  const handledAt = new Map<string, number>(recording.deliveries.get(plugin.name));
  for (const { event } of recording.events) {
    if (event.source !== plugin.name || event.causationid === undefined || handledAt.has(event.causationid)) continue;
    handledAt.set(event.causationid, Date.parse(event.time));
  }
  let inputs = 0;
  for (const { line, event } of recording.events) {
    if (!isInput(event) && !isQuestion(event)) continue;
    inputs++;
    const at = Math.max(Date.parse(event.time), handledAt.get(event.id) ?? 0);
    await advanceTo(at);
    try {
      if (isQuestion(event)) replies.push(await transport.ask(event, 5_000));
      else transport.inject(event);
    } catch (error) {
      refused.push({ line, code: isPolisError(error) ? error.code : 'ERROR', message: error instanceof Error ? error.message : String(error) });
    }
    // The input is handled, its queries answered, before time moves on to the next one.
    for (let turn = 0; turn < MAX_SETTLE_TURNS; turn++) {
      await (advancing = advancing.then(() => clock.advance(0)));
      if (transport.inFlight === 0) break;
    }
  }
  await advanceTo(recording.footer?.endedAt ?? clock.now());
  await kernel.stop();

  const sentByPlugin = transport.sent.filter((event) => event.source === plugin.name);
  const recordedOutputs: RecordedEvent[] = recording.events.filter(({ event }) => event.source === plugin.name && !(event.type.endsWith('.reply') && answers.has(event.type.slice(0, -'.reply'.length))));
  const recordedReplies = recording.events.filter(({ event }) => event.type.endsWith('.reply') && answers.has(event.type.slice(0, -'.reply'.length)));
  const compare = { ignore: options.ignore ?? [], timeToleranceMs: options.timeToleranceMs ?? 250 * recording.header.clockSpeed };
  const differences = [
    ...diffOutputs(recordedOutputs, sentByPlugin, compare),
    ...diffOutputs(recordedReplies, replies.map((reply) => ({ ...reply, source: plugin.name })), compare),
  ];
  return {
    plugin: `${plugin.name}@${plugin.version}`,
    inputs,
    refused,
    recordedOutputs: recordedOutputs.length + recordedReplies.length,
    replayedOutputs: sentByPlugin.length + replies.length,
    differences,
    unanswered: transport.unanswered,
  };
}

/** `polis replay`: prints the report; exit 1 when anything differs. */
export async function replayRecording(recording: string, options: ReplayOptions, io: Output): Promise<number> {
  const result = await runReplay(recording, options);
  if (options.json) {
    io.out(JSON.stringify(result, null, 2));
  } else {
    io.out(`replayed ${recording} against ${result.plugin}: ${result.inputs} inputs, ${result.recordedOutputs} outputs recorded, ${result.replayedOutputs} replayed`);
    for (const refusal of result.refused) io.out(`REFUSED  input at line ${refusal.line}: [${refusal.code}] ${refusal.message}`);
    for (const request of result.unanswered) io.out(`UNANSWERED ${request.type}: the recording has no reply to this request`);
    for (const d of result.differences) io.out(describeDifference(d));
  }
  const problems = result.differences.length + result.refused.length + result.unanswered.length;
  if (!options.json) io.out(problems === 0 ? 'no differences' : `${problems} difference(s)`);
  return problems === 0 ? 0 : 1;
}

function describeDifference(d: Difference): string {
  const cause = (event: CloudEvent) => (event.causationid ? ` caused by ${event.causationid}` : '');
  if (d.kind === 'missing') return `MISSING  ${d.recorded.type}${cause(d.recorded)} (recorded at line ${d.line}) was not sent`;
  if (d.kind === 'extra') return `EXTRA    ${d.replayed.type}${cause(d.replayed)} was sent, but not in the recording: ${JSON.stringify(d.replayed.data)}`;
  const fields = d.fields.map((f) => `${f.path}: ${JSON.stringify(f.recorded)} -> ${JSON.stringify(f.replayed)}`).join('; ');
  return `CHANGED  ${d.recorded.type}${cause(d.recorded)} (recorded at line ${d.line}): ${fields}`;
}

async function readConfig(path: string): Promise<unknown> {
  const file = resolve(path);
  const { text, path: real } = await readConfinedFile(dirname(file), dirname(file), file.slice(dirname(file).length + 1), { file }, newReadBudget());
  return parseSource(real, text).value;
}
