import type { LogFields, Logger } from '@polis/plugin-api';

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

/** A small structured logger: readable lines for people, JSON lines for machines. */
export function createLogger(options: LoggerOptions = {}, bound: LogFields = {}): Logger {
  const threshold = RANK[options.level ?? 'info'];
  const format = options.format ?? 'pretty';
  const write =
    options.write ??
    ((line: string, record: LogRecord) => (record.level === 'warn' || record.level === 'error' ? process.stderr : process.stdout).write(`${line}\n`));

  const log = (level: Exclude<LogLevel, 'silent'>, message: string, fields?: LogFields): void => {
    if (RANK[level] < threshold) return;
    const record: LogRecord = { time: Date.now(), level, message, fields: fields ? { ...bound, ...fields } : bound };
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
  return JSON.stringify({ time: new Date(record.time).toISOString(), level: record.level, msg: record.message, ...record.fields });
}

/** `12:04:05.123 INFO  [traffic] message key=value` */
function toPrettyLine(record: LogRecord): string {
  const { plugin, ...rest } = record.fields as { plugin?: unknown } & Record<string, unknown>;
  const time = new Date(record.time).toISOString().slice(11, 23);
  const scope = plugin === undefined ? '' : ` [${String(plugin)}]`;
  const extras = Object.entries(rest)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  return `${time} ${record.level.toUpperCase().padEnd(5)}${scope} ${record.message}${extras ? ` ${extras}` : ''}`;
}
