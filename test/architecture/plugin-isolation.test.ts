import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isolationViolations } from './plugin-isolation.js';

const pluginsDir = join(import.meta.dirname, '../../plugins');

describe('plugin isolation', () => {
  it('no plugin imports another plugin or the kernel', () => {
    expect(isolationViolations(pluginsDir)).toEqual([]);
  });

  it('catches a plugin that imports another by package, by relative path, or depends on the kernel', () => {
    const dir = mkdtempSync(join(tmpdir(), 'polis-isolation-'));
    try {
      const make = (name: string, pkg: object, files: Record<string, string>) => {
        mkdirSync(join(dir, name, 'src', 'deep'), { recursive: true });
        writeFileSync(join(dir, name, 'package.json'), JSON.stringify(pkg));
        for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, name, 'src', file), text);
      };
      make('good', { name: '@polis/plugin-good', dependencies: { '@polis/plugin-api': '1' } }, { 'index.ts': "import { x } from './deep/y.js';\nimport { Type } from '@polis/plugin-api';" });
      make('bad', { name: '@polis/plugin-bad', dependencies: { '@polis/kernel': '1' } }, {
        'index.ts': "import good from '@polis/plugin-good';\nexport { z } from '../../good/src/index.js';",
        'deep/lazy.ts': "const m = await import('@polis/plugin-good');",
      });
      const found = isolationViolations(dir).map((v) => `${v.plugin}: ${v.reason}`);
      expect(found.sort()).toEqual([
        "bad: depends on @polis/kernel",
        "bad: imports '../../good/src/index.js'",
        "bad: imports '@polis/plugin-good'",
        "bad: imports '@polis/plugin-good'",
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
