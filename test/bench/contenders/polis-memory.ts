import type { PluginInput } from '@polis/kernel';
import { counterPlugin, gatewayPlugin } from '../bench-plugins.js';
import { startKernel } from '../bench-kernel.js';
import type { RunningContender } from '../measure.js';
import { Tally } from '../tally.js';
import { publishThroughput } from '../throughput.js';

/**
 * Polis in one process: a kernel on the memory transport, a gateway plugin publishing detector
 * readings and `consumers` plugins handling each of them (plus `others`, plugins that only
 * subscribe). Each measurement publishes readings for `durationMs` and counts events/s.
 */
export async function polisMemory(options: { label?: string; durationMs: number; consumers: number; others?: readonly PluginInput[] }): Promise<RunningContender> {
  const tally = new Tally();
  const gateway = gatewayPlugin();
  const consumers = Array.from({ length: options.consumers }, (_, i) => counterPlugin(`consumer-${i + 1}`, tally));
  const kernel = await startKernel([gateway.plugin, ...consumers, ...(options.others ?? [])]);
  const label = options.label ?? 'polis';
  return {
    label,
    unit: 'events/s',
    measure: () => publishThroughput(label, options.durationMs, options.consumers, gateway.publish, tally),
    stop: () => kernel.stop(),
  };
}
