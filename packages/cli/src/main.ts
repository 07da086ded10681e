import { parseArgs } from 'node:util';
import { PolisError } from '@polis/plugin-api';
import { checkDeployment, flatten } from './commands/check.js';
import { runDeployment } from './commands/start.js';
import { asyncApiOf } from './commands/asyncapi.js';

const USAGE = `polis: run a Polis city deployment

  polis start <city.yaml> [--duration <seconds>]   run it (Ctrl-C stops it cleanly)
  polis check <city.yaml>                          validate everything without running anything
  polis asyncapi <city.yaml>                       print the city's AsyncAPI 3.0 document
`;

/** The CLI; returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  let parsed;
  try {
    parsed = parseArgs({
      args: args.filter((a) => a !== '--'),
      allowPositionals: true,
      options: { duration: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [command, file] = parsed.positionals;
  if (parsed.values.help || !command || !file) {
    process.stdout.write(USAGE);
    return parsed.values.help ? 0 : 2;
  }
  const durationS = parsed.values.duration === undefined ? undefined : Number(parsed.values.duration);
  if (durationS !== undefined && !(durationS > 0)) {
    process.stderr.write(`--duration must be a positive number of seconds, got '${parsed.values.duration}'\n`);
    return 2;
  }
  if (command === 'check') return check(file);
  if (command === 'start') return start(file, durationS);
  if (command === 'asyncapi') return asyncapi(file);
  process.stderr.write(`unknown command '${command}'\n\n${USAGE}`);
  return 2;
}

async function check(file: string): Promise<number> {
  const result = await checkDeployment(file);
  for (const warning of result.warnings) process.stdout.write(`warning: ${warning}\n`);
  if (!result.ok) {
    process.stderr.write(`${file}: ${result.problems.length} problem(s)\n`);
    for (const problem of result.problems) process.stderr.write(`  - ${problem.toString()}\n`);
    return 1;
  }
  process.stdout.write(`${file}: OK (${result.plugins.join(', ')})\n`);
  return 0;
}

async function asyncapi(file: string): Promise<number> {
  try {
    process.stdout.write(`${JSON.stringify(await asyncApiOf(file), null, 2)}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof PolisError)) throw error;
    process.stderr.write(`cannot describe ${file}:\n`);
    for (const problem of flatten(error)) process.stderr.write(`  - ${problem.toString()}\n`);
    return 1;
  }
}

async function start(file: string, durationS: number | undefined): Promise<number> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const report = await runDeployment(file, { durationS, signal: controller.signal });
    return report.failed.length > 0 ? 1 : 0;
  } catch (error) {
    if (!(error instanceof PolisError)) throw error;
    process.stderr.write(`cannot start ${file}:\n`);
    for (const problem of flatten(error)) process.stderr.write(`  - ${problem.toString()}\n`);
    return 1;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

process.exitCode = await main(process.argv.slice(2));
