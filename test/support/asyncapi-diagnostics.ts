import { Parser } from '@asyncapi/parser';

export interface Diagnostic {
  /** 0 error, 1 warning, 2 information, 3 hint (Spectral's severities). */
  readonly severity: number;
  readonly code: string | number;
  readonly message: string;
  readonly path: readonly (string | number)[];
}

/** What @asyncapi/parser (with its default AsyncAPI rulesets) says about a document. */
export async function asyncApiDiagnostics(document: unknown): Promise<Diagnostic[]> {
  const { diagnostics } = await new Parser().parse(JSON.stringify(document));
  return diagnostics.map((d) => ({ severity: d.severity, code: d.code, message: d.message, path: d.path }));
}
