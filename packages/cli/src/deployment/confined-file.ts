import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { deploymentProblem } from './deployment-problem.js';
import type { SourcePosition } from './deployment-problem.js';

/** What a deployment may read: each file, and all its files together. */
export const READ_LIMITS = {
  /** Largest single file (the deployment file or one `$include`). */
  maxFileBytes: 16 * 1024 * 1024,
  /** Largest sum of every file one deployment reads. */
  maxTotalBytes: 64 * 1024 * 1024,
} as const;

/** Bytes still allowed for one deployment's reads, shared by its includes. */
export interface ReadBudget {
  remainingBytes: number;
}

export function newReadBudget(): ReadBudget {
  return { remainingBytes: READ_LIMITS.maxTotalBytes };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads `requested` (relative to `fromDir`) only if, after every symlink is resolved, it is a
 * regular file inside `root` and within the size limits. Devices, FIFOs, sockets, /proc files
 * and anything outside the folder are refused before a byte is read; a FIFO is opened
 * non-blocking, so it cannot hang the reader either.
 */
export async function readConfinedFile(root: string, fromDir: string, requested: string, at: SourcePosition, budget: ReadBudget): Promise<{ path: string; text: string }> {
  if (isAbsolute(requested)) {
    throw deploymentProblem(`$include path must be relative to the deployment's folder; absolute paths are refused`, at, { rule: 'include-absolute' });
  }
  let real: string;
  try {
    real = await realpath(resolve(fromDir, requested));
  } catch (cause) {
    throw deploymentProblem(`cannot include '${requested}': ${describeFsError(cause)}`, at, { rule: 'include-unreadable' });
  }
  const inside = relative(root, real);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    throw deploymentProblem(`cannot include '${requested}': it resolves outside the deployment's folder (${root}); includes must stay inside it`, at, { rule: 'include-outside' });
  }
  return { path: real, text: await readRegularFile(real, at, budget, `cannot include '${requested}'`) };
}

/** Reads a regular file (the deployment file itself, or a confined include) within the limits. */
export async function readRegularFile(path: string, at: SourcePosition, budget: ReadBudget, what = `cannot read ${path}`): Promise<string> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (cause) {
    throw deploymentProblem(`${what}: ${describeFsError(cause)}`, at, { rule: 'file-unreadable' });
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw deploymentProblem(`${what}: it is not a regular file (devices, FIFOs and sockets are refused)`, at, { rule: 'file-not-regular' });
    const limit = Math.min(READ_LIMITS.maxFileBytes, budget.remainingBytes);
    if (stats.size > limit) throw tooLarge(what, stats.size, limit, at);
    // Read one byte past the limit: a file that grows after stat is caught too.
    const buffer = Buffer.alloc(limit + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > limit) throw tooLarge(what, length, limit, at);
    }
    budget.remainingBytes -= length;
    try {
      return utf8.decode(buffer.subarray(0, length)).replace(/^\uFEFF/, '');
    } catch {
      throw deploymentProblem(`${what}: it is not UTF-8 text`, at, { rule: 'file-not-text' });
    }
  } finally {
    await handle.close();
  }
}

function tooLarge(what: string, size: number, limit: number, at: SourcePosition) {
  return deploymentProblem(`${what}: ${size} bytes is over the limit of ${limit} bytes`, at, { rule: 'file-too-large', size, limit });
}

/** The errno, in words, without the path or anything read (Node's messages repeat the path). */
function describeFsError(cause: unknown): string {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'too many symbolic links (or a symbolic link where none may be)';
    case 'EISDIR':
      return 'it is a folder';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    default:
      return code ?? 'unreadable';
  }
}
