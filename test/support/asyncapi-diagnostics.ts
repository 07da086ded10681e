import { execFile } from 'node:child_process';
import { join } from 'node:path';

export interface Diagnostic {
  /** 0 error, 1 warning, 2 information, 3 hint (Spectral's severities). */
  readonly severity: number;
  readonly code: string | number;
  readonly message: string;
  readonly path: readonly (string | number)[];
}

/** What @asyncapi/parser says about a document, from a child process (see asyncapi-diagnostics.mjs). */
export function asyncApiDiagnostics(document: unknown): Promise<Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [join(import.meta.dirname, 'asyncapi-diagnostics.mjs')], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`the AsyncAPI parser failed: ${stderr || error.message}`));
      else resolve(JSON.parse(stdout) as Diagnostic[]);
    });
    child.stdin!.end(JSON.stringify(document));
  });
}
