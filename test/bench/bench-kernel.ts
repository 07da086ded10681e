import { Kernel, MemoryTransport, createLogger } from '@polis/kernel';
import type { PluginInput } from '@polis/kernel';
import type { Transport } from '@polis/kernel/transport';

/**
 * Starts a kernel the way the bench needs it: warnings and errors still reach stderr (a slow
 * consumer or a dead letter explains a strange figure), and a plugin that fails to start fails
 * the scenario instead of quietly measuring less.
 */
export async function startKernel(plugins: readonly PluginInput[], transport: Transport = new MemoryTransport()): Promise<Kernel> {
  const kernel = new Kernel({ transport, logger: createLogger({ level: 'warn' }) });
  const report = await kernel.start(plugins);
  if (report.failed.length > 0) {
    await kernel.stop();
    throw new Error(`plugins failed to start: ${report.failed.map((error) => `${error.plugin ?? '?'}: ${error.message}`).join('; ')}`);
  }
  return kernel;
}
