import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { manifestOf, polisFieldOf } from '@polis/cli';
import type { AnyPlugin } from '@polis/plugin-api';
import { describe, expect, it } from 'vitest';
import { pluginPackages } from '../support/workspace-packages.js';

// Each plugin package declares itself in package.json (`polis`), written by `polis manifest` in
// its build from the plugin's manifest. Tools read it without running the plugin, so it must
// say what the code says: this imports each plugin's source and compares.
describe('the "polis" field of every plugin package', () => {
  for (const pkg of pluginPackages()) {
    it(`${pkg.json.name} describes its plugin as its source does, and its build writes it`, async () => {
      expect(pkg.json.scripts?.build, 'the build must end with polis manifest').toMatch(/&& polis manifest$/);
      const exported = pkg.json.exports?.['.'] as Record<string, string>;
      const plugin = ((await import(join(pkg.folder, exported['@polis/source']!))) as { default: AnyPlugin }).default;
      const manifestPath = `./${relative(pkg.folder, join(pkg.folder, exported.default!, '..', 'polis-manifest.json'))}`;
      const expected = polisFieldOf(manifestOf(plugin), manifestPath);
      expect(pkg.json.polis, `${pkg.json.name}: the package.json "polis" field is out of date; run pnpm build (its build runs polis manifest)`).toEqual(expected);
      expect(JSON.parse(readFileSync(join(pkg.folder, 'package.json'), 'utf8')).version).toBe(plugin.version);
    });
  }
});
