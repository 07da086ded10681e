import { pino } from 'pino';
import type { DestinationStream, Logger as PinoLogger } from 'pino';
import type { LogFields, Logger } from '@polis/plugin-api';
import { invalidArgument, isOptions } from './invalid-argument.js';
import { scrubSecrets, scrubText } from './log-redaction.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFormat = 'pretty' | 'json';

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];
/** pino's numeric levels, as they appear in JSON lines. */
const LEVEL_NAMES: Readonly<Record<number, Exclude<LogLevel, 'silent'>>> = { 20: 'debug', 30: 'info', 40: 'warn', 50: 'error' };
/** What pino puts on every line and a record does not repeat as a field. */
const LINE_KEYS = new Set(['level', 'time', 'pid', 'hostname', 'msg']);

export interface LogRecord {
  readonly time: number;
  readonly level: Exclude<LogLevel, 'silent'>;
  readonly message: string;
  /** The line's fields as written (secrets already redacted), without pino's level, time, pid and hostname. */
  readonly fields: LogFields;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** `pretty`: one readable line per record; `json`: pino's JSON line (numeric level, pid, hostname), for log shippers. */
  format?: LogFormat;
  /** Where lines go (default: stderr for warn/error, stdout otherwise). */
  write?: (line: string, record: LogRecord) => void;
}

/**
 * The kernel's structured logger, backed by pino: JSON lines with pino's numeric levels, pid and
 * hostname, secrets redacted (log-redaction.ts) before anything is written, in either format.
 *
 * `pretty` is a small formatter of pino's own lines, not pino-pretty: it is one line per record
 * (`12:04:05.123 INFO  [traffic] message key=value`), needs no worker thread or the dozen packages
 * pino-pretty brings into every plugin's install, and people who want pino-pretty's colours can
 * pipe the `json` format into it. Logging never throws: pino writes a BigInt as a number and a
 * cycle as `[Circular]`.
 */
export function createLogger(options: LoggerOptions = {}, bound: LogFields = {}): Logger {
  if (!isOptions(options)) throw invalidArgument('logger options', 'an object', options);
  if (options.level !== undefined && (typeof options.level !== 'string' || !LEVELS.includes(options.level))) throw invalidArgument('log level', `one of ${LEVELS.join(', ')}`, options.level);
  if (options.format !== undefined && options.format !== 'pretty' && options.format !== 'json') throw invalidArgument('log format', "'pretty' or 'json'", options.format);
  const root = pino(
    {
      level: options.level ?? 'info',
      // pino's child bindings skip `formatters.log`: child() scrubs its fields itself.
      formatters: { log: (object) => scrubSecrets(object) },
    },
    destination(options.format ?? 'pretty', options.write),
  );
  return wrap(Object.keys(bound).length === 0 ? root : root.child(scrubSecrets(bound)));
}

function wrap(target: PinoLogger): Logger {
  const log = (level: Exclude<LogLevel, 'silent'>, message: unknown, fields: unknown): void => {
    if (!target.isLevelEnabled(level)) return;
    target[level](fields !== null && typeof fields === 'object' ? fields : {}, scrubText(toText(message)));
  };
  return {
    debug: (message, fields) => log('debug', message, fields),
    info: (message, fields) => log('info', message, fields),
    warn: (message, fields) => log('warn', message, fields),
    error: (message, fields) => log('error', message, fields),
    child: (fields) => wrap(target.child(fields !== null && typeof fields === 'object' ? scrubSecrets(fields) : {})),
  };
}

/**
 * Where pino's lines go. JSON to the standard streams is written as pino made it; a `write`
 * callback and the pretty format get the line back as a record (a test reads `record.fields`).
 */
function destination(format: LogFormat, write: LoggerOptions['write']): DestinationStream {
  if (write === undefined && format === 'json') {
    return pino.multistream(
      [
        { level: 'debug', stream: process.stdout },
        { level: 'warn', stream: process.stderr },
      ],
      { dedupe: true },
    );
  }
  const out =
    write ?? ((line: string, record: LogRecord) => (record.level === 'warn' || record.level === 'error' ? process.stderr : process.stdout).write(`${line}\n`));
  return {
    write(line: string) {
      const record = toRecord(JSON.parse(line) as Record<string, unknown>);
      out(format === 'json' ? line.trimEnd() : toPrettyLine(record), record);
    },
  };
}

function toRecord(line: Record<string, unknown>): LogRecord {
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(line)) if (!LINE_KEYS.has(key)) fields[key] = line[key];
  return { time: line.time as number, level: LEVEL_NAMES[line.level as number] ?? 'info', message: typeof line.msg === 'string' ? line.msg : '', fields };
}

/** A value as text, for a line that must be written whatever the value is. */
function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** `12:04:05.123 INFO  [traffic] message key=value` */
function toPrettyLine(record: LogRecord): string {
  const { plugin, ...rest } = record.fields as { plugin?: unknown } & Record<string, unknown>;
  const time = new Date(record.time).toISOString().slice(11, 23);
  const scope = plugin === undefined ? '' : ` [${String(plugin)}]`;
  const extras = Object.entries(rest)
    .map(([key, value]) => `${key}=${toText(value)}`)
    .join(' ');
  return `${time} ${record.level.toUpperCase().padEnd(5)}${scope} ${record.message}${extras ? ` ${extras}` : ''}`;
}
