import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every JavaScript or TypeScript source file below `dir` (none if it does not exist), skipping installed and built code. */
export function sourceFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    if (entry === 'node_modules' || entry === 'dist') return [];
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(c|m)?[jt]sx?$/.test(entry) ? [path] : [];
  });
}
