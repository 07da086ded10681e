// Parses an AsyncAPI document (read from stdin) with @asyncapi/parser and prints its diagnostics
// as JSON. It runs in a plain Node process: under vitest's module runner one of the parser's
// dependencies (nimma) resolves to an ESM build that Node cannot load.
import { Parser } from '@asyncapi/parser';

let text = '';
for await (const chunk of process.stdin) text += chunk;
const { diagnostics } = await new Parser().parse(text);
process.stdout.write(JSON.stringify(diagnostics.map((d) => ({ severity: d.severity, code: d.code, message: d.message, path: d.path }))));
