import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

type ErrorsModule = typeof import('../../packages/plugin-api/src/errors.js');

/**
 * A second installed copy of @polis/plugin-api's errors, as a plugin that bundles its own copy
 * brings: the same source, compiled and loaded from another file, so its classes are not the
 * kernel's. The files are removed once loaded.
 */
export async function anotherCopyOfErrors(): Promise<ErrorsModule> {
  const source = readFileSync(join(import.meta.dirname, '../../packages/plugin-api/src/errors.ts'), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  const dir = mkdtempSync(join(tmpdir(), 'polis-errors-copy-'));
  try {
    const file = join(dir, 'errors.mjs');
    writeFileSync(file, outputText);
    return (await import(/* @vite-ignore */ pathToFileURL(file).href)) as ErrorsModule;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
