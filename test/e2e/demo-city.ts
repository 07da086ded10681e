import { join } from 'node:path';
import { loadDeployment } from '@polis/cli';
import type { PluginEntry } from '@polis/kernel';

/** The demo city's emergency-response plugins with their real configuration from city.yaml. */
export async function demoCityPlugins(names: readonly string[] = ['traffic', 'public-safety', 'healthcare']): Promise<PluginEntry[]> {
  const deployment = await loadDeployment(join(import.meta.dirname, '../../examples/city-demo/city.yaml'));
  return names.map((name) => {
    const entry = deployment.plugins.find((candidate) => candidate.plugin.name === name);
    if (!entry) throw new Error(`city.yaml has no plugin '${name}'`);
    return entry;
  });
}

/** Near node n11 of the demo grid: a crash in the north-west of the centre. */
export const CRASH_SITE = { lat: 22.5366, lon: 114.0489 };
