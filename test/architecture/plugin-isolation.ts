import { readFileSync, readdirSync, statSync } from 'node:fs';
import { sourceFiles } from './source-files.js';
import { join, relative, resolve, sep } from 'node:path';

/** Packages a plugin may never depend on at run time: other plugins and kernel internals. */
const FORBIDDEN_PACKAGES = [/^@polis\/plugin-(?!api$)/, /^@polis\/kernel$/, /^@polis\/bus-/, /^@polis\/cli$/, /^@polis\/http$/];
const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm;

export interface IsolationViolation {
  readonly plugin: string;
  readonly file: string;
  readonly reason: string;
}

/**
 * Checks that no plugin under `pluginsDir` imports another plugin (by package name or by a
 * relative path out of its own folder) or the kernel, in code or in package.json dependencies.
 * Plugins talk through events and contracts only: that is what lets one be unplugged.
 */
export function isolationViolations(pluginsDir: string): IsolationViolation[] {
  const violations: IsolationViolation[] = [];
  for (const plugin of readdirSync(pluginsDir)) {
    const root = join(pluginsDir, plugin);
    if (!statSync(root).isDirectory()) continue;
    const manifestPath = join(root, 'package.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { name?: string; dependencies?: Record<string, string>; peerDependencies?: Record<string, string> };
    for (const dependency of Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })) {
      if (FORBIDDEN_PACKAGES.some((pattern) => pattern.test(dependency)) && dependency !== manifest.name) {
        violations.push({ plugin, file: relative(pluginsDir, manifestPath), reason: `depends on ${dependency}` });
      }
    }
    for (const file of sourceFiles(join(root, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(IMPORT)) {
        const specifier = match[1] ?? match[2] ?? match[3] ?? '';
        const escapes = specifier.startsWith('.') && !resolve(file, '..', specifier).startsWith(root + sep);
        const forbidden = FORBIDDEN_PACKAGES.some((pattern) => pattern.test(specifier)) && specifier !== manifest.name;
        if (escapes || forbidden) {
          violations.push({ plugin, file: relative(pluginsDir, file), reason: `imports '${specifier}'` });
        }
      }
    }
  }
  return violations;
}
