// The `polis` executable (bin/polis.js runs the built copy of this file).
import { createProgram } from './program.js';

// `pnpm start -- --duration 10` forwards the `--`; no polis argument is ever a bare `--`.
process.exitCode = await createProgram().run(process.argv.slice(2).filter((arg) => arg !== '--'));
