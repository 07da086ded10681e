import { dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCodes } from '@polis/plugin-api';
import type { Logger } from '@polis/plugin-api';
import { failureFields } from './failure-fields.js';

/** A plugin as the guard sees it: its name and the source files its setup ran from. */
export interface GuardedPlugin {
  readonly name: string;
  readonly origins: ReadonlySet<string>;
}

interface Watch {
  readonly logger: Logger;
  readonly plugins: () => Iterable<GuardedPlugin>;
  readonly counts: Map<string, number>;
  readonly onFault: ((plugin: string | undefined) => void) | undefined;
}

/** This package's own directory (from src/runtime or from the dist bundle): its frames in a stack are the kernel's, never a plugin's. */
const KERNEL_DIR = `${dirname(fileURLToPath(import.meta.url)).replace(/[\\/](?:src[\\/]runtime|dist)$/, '')}${sep}`;
const watches = new Set<Watch>();

/**
 * Keeps one plugin's stray failure (a promise rejection nobody handles, a throw in a plain
 * setTimeout) from ending the process, which is what Node does by default: every kernel in the
 * process logs it with POLIS_PROCESS_FAULT, attributed to the plugin whose source file the stack
 * names when exactly one does, and counts it (`onFault`: polis_process_faults_total); the process keeps running. One pair of process
 * listeners serves every kernel; the last kernel to stop removes them. Returns the uninstaller.
 */
export function guardProcess(logger: Logger, plugins: () => Iterable<GuardedPlugin>, onFault?: (plugin: string | undefined) => void): () => void {
  const watch: Watch = { logger, plugins, counts: new Map(), onFault };
  if (watches.size === 0) {
    process.on('unhandledRejection', onRejection);
    process.on('uncaughtException', onException);
  }
  watches.add(watch);
  return () => {
    if (!watches.delete(watch) || watches.size > 0) return;
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}

function onRejection(reason: unknown): void {
  report(reason, 'unhandledRejection');
}

function onException(error: unknown): void {
  report(error, 'uncaughtException');
}

function report(error: unknown, origin: 'unhandledRejection' | 'uncaughtException'): void {
  const files = stackFiles(error instanceof Error ? error.stack : undefined).filter((file) => !file.startsWith(KERNEL_DIR));
  const found = [...watches].map((watch) => ({ watch, plugin: attribute(files, watch.plugins()) }));
  // The kernels running the plugin log it; when none is known, every kernel does.
  const owners = found.filter((entry) => entry.plugin !== undefined);
  for (const { watch, plugin } of owners.length > 0 ? owners : found) log(watch, plugin, error, origin);
}

function log(watch: Watch, plugin: string | undefined, error: unknown, origin: string): void {
  const key = plugin ?? '';
  const count = (watch.counts.get(key) ?? 0) + 1;
  watch.counts.set(key, count);
  watch.onFault?.(plugin);
  const whose = plugin === undefined ? 'code the kernel cannot attribute' : `plugin ${plugin}`;
  watch.logger.error(`${origin} in ${whose}; the kernel keeps running`, {
    ...failureFields(error),
    code: ErrorCodes.PROCESS_FAULT,
    ...(plugin === undefined ? {} : { plugin }),
    origin,
    count,
  });
}

/** The plugin whose setup ran from the first non-kernel file of the stack, if exactly one did. */
function attribute(files: readonly string[], plugins: Iterable<GuardedPlugin>): string | undefined {
  const all = [...plugins];
  for (const file of files) {
    const owners = all.filter((plugin) => plugin.origins.has(file));
    if (owners.length === 1) return owners[0]!.name;
    if (owners.length > 1) return undefined;
  }
  return undefined;
}

/** The source files a stack's frames name, first frame first (file paths or file: URLs). */
export function stackFiles(stack: string | undefined): string[] {
  if (stack === undefined) return [];
  const files: string[] = [];
  for (const line of stack.split('\n')) {
    const match = /\(?((?:file:\/\/)?\/[^():]+):\d+:\d+\)?\s*$/.exec(line);
    if (match === null) continue;
    const file = match[1]!.startsWith('file://') ? fileURLToPath(match[1]!) : match[1]!;
    files.push(file);
  }
  return files;
}

/** The file of the plugin code that called into the kernel now (the first frame outside it). */
export function callerFile(): string | undefined {
  return stackFiles(new Error().stack).find((file) => !file.startsWith(KERNEL_DIR) && !file.startsWith('node:'));
}
