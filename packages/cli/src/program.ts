import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { isPolisError } from '@polis/plugin-api';
import { CLI_VERSION } from './cli-version.js';
import { fileDiagnostic, flattenErrors, formatDiagnostic } from './deployment/diagnostics.js';

// Each command's module is imported when it runs, so `polis --help` loads little.
const commands = {
  check: () => import('./commands/check.js'),
  asyncapi: () => import('./commands/asyncapi.js'),
  start: () => import('./commands/start.js'),
  auth: () => import('./commands/broker-auth.js'),
  publish: () => import('./commands/publish.js'),
  plugins: () => import('./commands/list-plugins.js'),
  scaffold: () => import('./commands/new-project.js'),
  manifest: () => import('./commands/write-manifest.js'),
  record: () => import('./commands/record.js'),
  replay: () => import('./commands/replay.js'),
};
import type { Diagnostic } from './deployment/diagnostics.js';

/** Exit codes of every `polis` command. */
export const ExitCodes = {
  /** Done; for check, no errors (warnings allowed); for replay, no differences. */
  OK: 0,
  /** The command ran and found problems: an invalid deployment, failed plugins, differences, a refused event. */
  PROBLEMS: 1,
  /** The command line itself is wrong: unknown command or option, missing argument. */
  USAGE: 2,
} as const;

const EXIT_CODES_HELP = `
Exit codes:
  0  done (check: no errors; replay: no differences)
  1  problems found (invalid deployment, plugins that failed, differences, a refused event)
  2  usage error (unknown command or option, missing or invalid argument)`;

/** Where a command writes: stdout for results, stderr for problems. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
}

const processOutput: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

const seconds = (value: string): number => {
  const parsed = Number(value);
  if (!(parsed > 0) || !Number.isFinite(parsed)) throw new InvalidArgumentError('must be a positive number of seconds.');
  return parsed;
};

/** The `polis` command line; `run` returns the process exit code. */
export function createProgram(io: Output = processOutput): { run(argv: readonly string[]): Promise<number> } {
  let code: number = ExitCodes.OK;
  const program = new Command('polis')
    .description('Check, run, record and replay Polis city deployments; scaffold and describe plugins.')
    .version(CLI_VERSION, '-V, --version')
    .showHelpAfterError('(polis --help lists every command)')
    .addHelpText('after', EXIT_CODES_HELP)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) });

  program
    .command('check')
    .description('validate a deployment without running it: file, includes, packages, manifests, configs, dependencies, schema compatibility; runs no plugin code')
    .argument('<city.yaml>', 'the deployment file')
    .option('--json', 'print the diagnostics as one JSON document')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (file: string, options: { json?: boolean }) => {
      const result = await (await commands.check()).checkDeployment(file);
      if (options.json) {
        io.out(JSON.stringify(result, null, 2));
      } else {
        for (const d of result.diagnostics) (d.severity === 'error' ? io.err : io.out)(formatDiagnostic(d));
        const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
        if (errors > 0) io.err(`${file}: ${errors} problem(s)`);
        else io.out(`${file}: OK (${result.plugins.join(', ')})`);
      }
      code = result.ok ? ExitCodes.OK : ExitCodes.PROBLEMS;
    });

  program
    .command('asyncapi')
    .description("print the deployment's AsyncAPI 3.0 document: channels per event type, operations per plugin and source, schemas bundled")
    .argument('<city.yaml>', 'the deployment file')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (file: string) => {
      io.out(JSON.stringify(await (await commands.asyncapi()).asyncApiOf(file), null, 2));
    });

  program
    .command('start')
    .description('run a deployment; Ctrl-C (SIGINT) or SIGTERM stops its plugins in reverse order')
    .argument('<city.yaml>', 'the deployment file')
    .addOption(new Option('--duration <seconds>', 'stop after this many seconds').argParser(seconds))
    .option('--tail <pattern>', "print every event whose type matches the pattern, e.g. 'environment.>' or '>'")
    .option('--no-control', 'do not listen for polis publish')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (file: string, options: { duration?: number; tail?: string; control: boolean }) => {
      const { runDeployment } = await commands.start();
      code = await withSignals((signal) =>
        runDeployment(file, { durationS: options.duration, signal, tail: options.tail, control: options.control, write: io.out }).then((report) =>
          report.failed.length > 0 ? ExitCodes.PROBLEMS : ExitCodes.OK,
        ),
      );
    });

  program
    .command('auth')
    .description("print the nats-server authorization block of a deployment: one user per plugin login in transport.logins, allowed only what its manifest declares, and the kernel's user")
    .argument('<city.yaml>', 'the deployment file')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (file: string) => {
      io.out((await (await commands.auth()).brokerAuthBlock(file)).replace(/\n$/, ''));
    });

  program
    .command('publish')
    .description('inject one event into the running deployment (validated like any publish)')
    .argument('<city.yaml>', 'the deployment file of the running city')
    .argument('<type>', "the event type, e.g. 'environment.air.observed'")
    .argument('<json>', 'the event data, as JSON')
    .addOption(new Option('--version <n>', 'the schema version (default: the latest registered)').argParser((v) => integer(v)))
    .option('--subject <subject>', 'the CloudEvents subject (what the event is about)')
    .option('--source <plugin>', "publish as this source (default 'polis-publish')")
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (file: string, type: string, json: string, options: { version?: number; subject?: string; source?: string }) => {
      code = await (await commands.publish()).publishEvent(file, type, json, options, io);
    });

  program
    .command('plugins')
    .description('list the plugin packages installed in a deployment folder, with versions and kernel ranges')
    .argument('[folder]', 'the deployment folder', '.')
    .option('--json', 'print the list as JSON')
    .action(async (folder: string, options: { json?: boolean }) => {
      code = await (await commands.plugins()).listPlugins(folder, options, io);
    });

  const create = program.command('new').description('scaffold a plugin package or a deployment folder');
  create
    .command('plugin')
    .description('scaffold a plugin package: one typed event, a handler, a test with the test kit (npm install && npm test)')
    .argument('<name>', 'the plugin name, e.g. air-quality')
    .option('--dir <folder>', 'where to create it (default: ./<name>)')
    .action(async (name: string, options: { dir?: string }) => {
      code = await (await commands.scaffold()).newPlugin(name, options, io);
    });
  create
    .command('city')
    .description('scaffold a deployment folder with a city.yaml')
    .argument('<name>', 'the deployment name, e.g. riverside')
    .option('--dir <folder>', 'where to create it (default: ./<name>)')
    .option('--plugin <package...>', 'plugin packages to list in city.yaml')
    .action(async (name: string, options: { dir?: string; plugin?: string[] }) => {
      code = await (await commands.scaffold()).newCity(name, options, io);
    });

  program
    .command('manifest')
    .description("write a built plugin package's manifest (dist/polis-manifest.json) and its package.json \"polis\" field; run it after the build")
    .argument('[folder]', 'the plugin package', '.')
    .option('--check', 'write nothing; exit 1 if the package.json "polis" field is out of date')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (folder: string, options: { check?: boolean }) => {
      code = await (await commands.manifest()).writeManifest(folder, options, io);
    });

  program
    .command('record')
    .description('run a deployment and write every event (CloudEvents, one per line) and every query it makes to a file')
    .argument('<city.yaml>', 'the deployment file')
    .requiredOption('--out <file.ndjson>', 'where to write the recording')
    .addOption(new Option('--duration <seconds>', 'stop after this many seconds').argParser(seconds))
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (file: string, options: { out: string; duration?: number }) => {
      const { recordDeployment } = await commands.record();
      code = await withSignals((signal) => recordDeployment(file, { out: options.out, durationS: options.duration, signal }, io));
    });

  program
    .command('replay')
    .description('run a new version of a plugin against a recording, on the recorded clock, and report where its output differs')
    .argument('<recording.ndjson>', 'a file written by polis record')
    .requiredOption('--plugin <package>', 'the plugin version to try: a package folder, a module file or an installed package name')
    .option('--config <file>', 'its configuration (JSON or YAML); default: the configuration it was recorded with')
    .option('--ignore <path...>', 'data fields to leave out of the comparison, as JSON pointers (/computedAt)')
    .addOption(new Option('--time-tolerance <ms>', 'timestamps in data this close (city time) are equal (default: 250 ms of real time at the recorded clock speed)').argParser((v) => integer(v)))
    .option('--json', 'print the differences as JSON')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (recording: string, options: { plugin: string; config?: string; ignore?: string[]; timeTolerance?: number; json?: boolean }) => {
      code = await (await commands.replay()).replayRecording(recording, { ...options, ...(options.timeTolerance === undefined ? {} : { timeToleranceMs: options.timeTolerance }) }, io);
    });

  return {
    async run(argv) {
      code = ExitCodes.OK;
      try {
        await program.parseAsync([...argv], { from: 'user' });
        return code;
      } catch (error) {
        if (error instanceof CommanderError) {
          return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0 ? ExitCodes.OK : ExitCodes.USAGE;
        }
        if (isPolisError(error)) {
          for (const problem of flattenErrors(error)) {
            const details = problem.details as { diagnostic?: Diagnostic; file?: unknown };
            // Problems of the deployment's files print as check prints them: file:line:column first.
            const diagnostic = details.diagnostic ?? (typeof details.file === 'string' ? fileDiagnostic(problem, { file: details.file }) : undefined);
            io.err(diagnostic ? formatDiagnostic(diagnostic) : problem.toString());
          }
          return ExitCodes.PROBLEMS;
        }
        throw error;
      }
    },
  };
}

function integer(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('must be an integer >= 1.');
  return parsed;
}

/** Runs `work` with an AbortSignal that SIGINT and SIGTERM abort. */
async function withSignals(work: (signal: AbortSignal) => Promise<number>): Promise<number> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

