import { Kernel } from '@polis/kernel';
import type { LoadReport } from '@polis/kernel';
import { loadDeployment } from '../deployment/load-deployment.js';
import { kernelOptionsFor } from '../deployment/create-runtime.js';
import { prepareEdgeServices } from '../deployment/edge-services.js';

export interface RunOptions {
  /** Stop after this many seconds of wall time; otherwise run until `signal` aborts. */
  durationS?: number;
  signal?: AbortSignal;
  /** Called once every plugin has started. */
  onStarted?: (kernel: Kernel, report: LoadReport) => void;
}

/**
 * Runs a deployment: load and validate the file, start the kernel with every plugin, wait for
 * the duration or the abort signal, then stop cleanly (plugins in reverse order).
 */
export async function runDeployment(file: string, options: RunOptions = {}): Promise<LoadReport> {
  const deployment = await loadDeployment(file);
  const prepared = await prepareEdgeServices(deployment);
  const kernel = new Kernel(await kernelOptionsFor(deployment.spec));
  let report: LoadReport;
  try {
    report = await kernel.start(deployment.plugins);
  } catch (error) {
    await kernel.stop();
    throw error;
  }
  let edges;
  try {
    edges = await prepared.start(kernel);
  } catch (error) {
    await kernel.stop();
    throw error;
  }
  options.onStarted?.(kernel, report);
  await new Promise<void>((resolve) => {
    const timer = options.durationS === undefined ? undefined : setTimeout(resolve, options.durationS * 1000);
    options.signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
    if (options.signal?.aborted) resolve();
  });
  await edges.stop();
  await kernel.stop();
  return report;
}
