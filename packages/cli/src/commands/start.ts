import { Kernel, systemClock } from '@polis/kernel';
import type { LoadReport } from '@polis/kernel';
import type { Transport } from '@polis/kernel/transport';
import { ErrorCodes, PolisAggregateError, PolisError } from '@polis/plugin-api';
import type { Clock, PolisError as PolisErrorType, TimerHandle } from '@polis/plugin-api';
import { kernelOptionsFor } from '../deployment/create-runtime.js';
import { prepareEdgeServices } from '../deployment/edge-services.js';
import type { PreparedEdgeServices } from '../deployment/edge-services.js';
import { flattenErrors, formatDiagnostic, kernelDiagnostics } from '../deployment/diagnostics.js';
import type { Diagnostic } from '../deployment/diagnostics.js';
import { loadDeployment } from '../deployment/load-deployment.js';
import { startTraceExport } from '../deployment/trace-export.js';
import type { Deployment, LoadedEntry } from '../deployment/load-deployment.js';
import { openControlSocket } from '../runtime/control-socket.js';
import { tailEvents } from '../runtime/event-tail.js';

export interface RunOptions {
  /** Stop after this many seconds of wall time; otherwise run until `signal` aborts. */
  durationS?: number;
  signal?: AbortSignal;
  /** Called once every plugin that starts with the city has started. */
  onStarted?: (kernel: Kernel, report: LoadReport, deployment: Deployment) => void | Promise<void>;
  /** Print every event whose type matches this pattern (`environment.>`) through `write`. */
  tail?: string;
  /** Where tailed events go (default: stdout). */
  write?: (line: string) => void;
  /** Listen for `polis publish` on the deployment's control socket (default true). */
  control?: boolean;
  /** Wraps the deployment's transport before the kernel uses it (`polis record` listens there). */
  wrapTransport?: (transport: Transport, context: { clock: Clock }) => Transport;
  /** Called when the run ends, before any plugin stops. */
  onStopping?: (kernel: Kernel) => void | Promise<void>;
}

/**
 * Runs a deployment: load and validate the file and every plugin (those that start later
 * included, so a bad one is refused now, not minutes into the run), start the kernel, hot-plug
 * each `startAfter` plugin when its time comes on the city's clock, wait for the duration or
 * the abort signal, then stop cleanly (plugins in reverse order). A refused deployment throws a
 * PolisAggregateError whose errors each carry a located `diagnostic` in their details.
 */
export async function runDeployment(file: string, options: RunOptions = {}): Promise<LoadReport> {
  const deployment = await loadDeployment(file);
  const prepared = await prepareEdgeServices(deployment);
  const kernelOptions = await kernelOptionsFor(deployment, deployment.plugins.map((entry) => entry.plugin));
  if (options.wrapTransport && kernelOptions.transport) kernelOptions.transport = options.wrapTransport(kernelOptions.transport, { clock: kernelOptions.clock ?? systemClock });
  const traces = startTraceExport(deployment.spec);
  if (traces !== undefined) {
    kernelOptions.tracerProvider = traces.provider;
    kernelOptions.traceSampleRatio = traces.sampleRatio;
  }
  try {
    return await run(deployment, prepared, new Kernel(kernelOptions), options);
  } finally {
    // After the kernel stopped: the spans of its last events are sent too.
    await traces?.shutdown();
  }
}

async function run(deployment: Deployment, prepared: PreparedEdgeServices, kernel: Kernel, options: RunOptions): Promise<LoadReport> {
  const refuse = (problems: readonly PolisErrorType[], plugins: readonly LoadedEntry[]) =>
    refused(deployment.file, kernelDiagnostics(problems, plugins, deployment.locate, deployment.file));

  const problems = await kernel.check(deployment.plugins);
  if (problems.length > 0) throw refuse(problems, deployment.plugins);
  const now = deployment.plugins.filter((p) => p.startAfterMs === undefined);
  const later = deployment.plugins.filter((p) => p.startAfterMs !== undefined);

  let report: LoadReport;
  let control: { close(): Promise<void> } | undefined;
  let tail: { close(): Promise<void> } | undefined;
  try {
    await kernel.start([]);
    if (options.tail) tail = await tailEvents(kernel, options.tail, options.write ?? ((line) => process.stdout.write(`${line}\n`)));
    report = await kernel.load(now);
    if (options.control ?? true) control = await openControlSocket(kernel, deployment.file);
  } catch (error) {
    await tail?.close();
    await kernel.stop();
    if (error instanceof PolisAggregateError) throw refuse(flattenErrors(error), now);
    throw error;
  }
  // The front door opens once the city's first plugins run, and closes first.
  let edges: Awaited<ReturnType<typeof prepared.start>>;
  try {
    edges = await prepared.start(kernel);
  } catch (error) {
    await control?.close();
    await tail?.close();
    await kernel.stop();
    throw error;
  }

  const started = [...report.started];
  const failed = [...report.failed];
  const timers: TimerHandle[] = [];
  const loading: Promise<void>[] = [];
  // Plugins with the same startAfter are plugged in as one batch, as the first ones are: every
  // one is set up (subscribed) before any starts, so a data source plugged in with its consumer
  // never publishes into the void.
  const batches = new Map<number, LoadedEntry[]>();
  for (const entry of later) batches.set(entry.startAfterMs!, [...(batches.get(entry.startAfterMs!) ?? []), entry]);
  for (const [startAfterMs, batch] of batches) {
    const hotPlug = async () => {
      const labels = batch.map((entry) => `${entry.plugin.name}@${entry.plugin.version}`);
      try {
        const loaded = await kernel.load(batch);
        started.push(...loaded.started);
        failed.push(...loaded.failed);
        for (const entry of batch) {
          if (loaded.started.includes(entry.plugin.name)) {
            kernel.logger.info(`hot-plugged ${entry.plugin.name}@${entry.plugin.version} into the running city (startAfter ${String(entry.entry.spec.startAfter)}, city time)`, { plugin: entry.plugin.name });
          }
        }
      } catch (error) {
        const errors = error instanceof PolisError ? flattenErrors(error) : [new PolisError(ErrorCodes.PLUGIN_SETUP_FAILED, String(error), { plugin: batch[0]!.plugin.name })];
        failed.push(...errors);
        for (const d of kernelDiagnostics(errors, batch, deployment.locate, deployment.file)) kernel.logger.error(`could not hot-plug ${labels.join(', ')}: ${formatDiagnostic(d)}`);
      }
    };
    timers.push(kernel.clock.setTimeout(() => loading.push(hotPlug()), startAfterMs));
  }

  await options.onStarted?.(kernel, report, deployment);
  await new Promise<void>((resolve) => {
    const timer = options.durationS === undefined ? undefined : setTimeout(resolve, options.durationS * 1000);
    options.signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
    if (options.signal?.aborted) resolve();
  });
  await edges.stop();
  for (const timer of timers) kernel.clock.clearTimer(timer);
  await Promise.all(loading);
  await options.onStopping?.(kernel);
  await control?.close();
  await tail?.close();
  await kernel.stop();
  return { started, failed };
}

/** A deployment `start` refuses: every problem, located, in one error. */
function refused(file: string, diagnostics: readonly Diagnostic[]): PolisAggregateError {
  return new PolisAggregateError(
    ErrorCodes.STARTUP_FAILED,
    `${file}: ${diagnostics.length} problem(s) found; nothing was started`,
    diagnostics.map((d) => new PolisError(d.code as PolisErrorType['code'], formatDiagnostic(d), { details: { diagnostic: d } })),
  );
}
