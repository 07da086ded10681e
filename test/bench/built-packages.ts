import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FOLDERS = ['packages', 'plugins', 'examples'];

/** The newest modification time of the files under `dir` that `keep` accepts (0 when there are none). */
function newest(dir: string, keep: (name: string) => boolean): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path, keep));
    else if (keep(entry.name)) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

/** Throws, naming them, when a workspace package's `dist` is missing or older than its sources (see {@link unbuiltPackages}). */
export function assertPackagesBuilt(): void {
  const unbuilt = unbuiltPackages();
  if (unbuilt.length > 0) throw new Error(`the bench measures the built packages, and these are older than their sources or not built: ${unbuilt.join(', ')}; run pnpm build first`);
}

/**
 * The workspace packages whose `dist` is missing or older than their sources. The bench measures
 * the built packages, what a city installs: run from source, under tsx, the same kernel measured
 * 20 % slower (`memory_vs_moleculer` 0.72 to 0.76 against 0.89 to 0.95 built, 11 rounds, this
 * machine, 2026-12-02), since tsx keeps function names by wrapping every closure it creates.
 */
function unbuiltPackages(): string[] {
  const stale: string[] = [];
  for (const folder of FOLDERS) {
    for (const name of readdirSync(join(ROOT, folder))) {
      const dir = join(ROOT, folder, name);
      let sources: number;
      try {
        sources = newest(join(dir, 'src'), (file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));
      } catch {
        continue; // no src: nothing to build
      }
      let built = 0;
      try {
        built = newest(join(dir, 'dist'), () => true);
      } catch {
        // no dist: never built
      }
      if (built < sources) stale.push(`${folder}/${name}`);
    }
  }
  return stale;
}
