import type { LogFields, Logger } from '@polis/plugin-api';
import { invalidArgument, isOptions } from './invalid-argument.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFormat = 'pretty' | 'json';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface LogRecord {
  readonly time: number;
  readonly level: Exclude<LogLevel, 'silent'>;
  readonly message: string;
  readonly fields: LogFields;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** `pretty`: one readable line per record; `json`: one JSON object per line, for log shippers. */
  format?: LogFormat;
  /** Where lines go (default: stderr for warn/error, stdout otherwise). */
  write?: (line: string, record: LogRecord) => void;
}

/**
 * A small structured logger: readable lines for people, JSON lines for machines. Logging never
 * throws: a field with no JSON form (a BigInt, a cycle) is written as text.
 */
export function createLogger(options: LoggerOptions = {}, bound: LogFields = {}): Logger {
  if (!isOptions(options)) throw invalidArgument('logger options', 'an object', options);
  if (options.level !== undefined && (typeof options.level !== 'string' || !Object.hasOwn(RANK, options.level))) throw invalidArgument('log level', `one of ${Object.keys(RANK).join(', ')}`, options.level);
  if (options.format !== undefined && options.format !== 'pretty' && options.format !== 'json') throw invalidArgument('log format', "'pretty' or 'json'", options.format);
  const threshold = RANK[options.level ?? 'info'];
  const format = options.format ?? 'pretty';
  const write =
    options.write ??
    ((line: string, record: LogRecord) => (record.level === 'warn' || record.level === 'error' ? process.stderr : process.stdout).write(`${line}\n`));

  const log = (level: Exclude<LogLevel, 'silent'>, message: string, fields?: LogFields): void => {
    if (RANK[level] < threshold) return;
    const record: LogRecord = { time: Date.now(), level, message: toText(message), fields: fields !== null && typeof fields === 'object' ? { ...bound, ...fields } : bound };
    write(format === 'json' ? toJsonLine(record) : toPrettyLine(record), record);
  };
  return {
    debug: (message, fields) => log('debug', message, fields),
    info: (message, fields) => log('info', message, fields),
    warn: (message, fields) => log('warn', message, fields),
    error: (message, fields) => log('error', message, fields),
    child: (fields) => createLogger(options, { ...bound, ...fields }),
  };
}

function toJsonLine(record: LogRecord): string {
  const line: Record<string, unknown> = { time: new Date(record.time).toISOString(), level: record.level, msg: record.message, ...record.fields };
  try {
    return JSON.stringify(line);
  } catch {
    // Some field has no JSON form: that one is written as text, the others as they are.
    return JSON.stringify(Object.fromEntries(Object.entries(line).map(([key, value]) => [key, hasJson(value) ? value : toText(value)])));
  }
}

function hasJson(value: unknown): boolean {
  try {
    JSON.stringify(value);
    return true;
  } catch {
    return false;
  }
}

/** A field value as text, for a line that must be written whatever the value is. */
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
