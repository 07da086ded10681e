import { describe, expect, it } from 'vitest';
import { publicPackages } from '../support/workspace-packages.js';

// What `pnpm pack` publishes must work outside this repository: the published exports have no
// development condition (it points into src/, which tarballs leave out), every export target
// is a file the tarball includes, and @polis/plugin-api, whose classes and brands must be one
// copy in any install, is a peer dependency of every package that uses it.
describe('packaging fields of every public package', () => {
  for (const pkg of publicPackages()) {
    const { json } = pkg;
    it(`${json.name} publishes exports without the source condition, into files it ships`, () => {
      const published = json.publishConfig?.exports;
      expect(published, 'publishConfig.exports').toBeDefined();
      expect(Object.keys(published!)).toEqual(Object.keys(json.exports ?? {}));
      for (const [subpath, conditions] of Object.entries(published!)) {
        const targets = typeof conditions === 'string' ? [conditions] : Object.values(conditions as Record<string, string>);
        expect(JSON.stringify(conditions), subpath).not.toContain('@polis/source');
        for (const target of targets) expect(json.files?.some((f) => target.replace(/^\.\//, '').startsWith(`${f}/`)), `${subpath} -> ${target} is not in "files"`).toBe(true);
      }
    });

    it(`${json.name} takes @polis/plugin-api as a peer dependency and no exact workspace ranges`, () => {
      if (json.name !== '@polis/plugin-api') {
        expect(json.dependencies?.['@polis/plugin-api'], 'plugin-api must not be a regular dependency').toBeUndefined();
        if (json.devDependencies?.['@polis/plugin-api'] || json.peerDependencies?.['@polis/plugin-api']) expect(json.peerDependencies?.['@polis/plugin-api']).toBeDefined();
      }
      for (const section of [json.dependencies, json.peerDependencies]) {
        for (const [name, range] of Object.entries(section ?? {})) expect(range, name).not.toBe('workspace:*');
      }
    });
  }
});
