import { createHash } from 'node:crypto';
import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kernel } from '@polis/kernel';
import { ErrorCodes, PolisError, isPolisError } from '@polis/plugin-api';

/** The source of events injected with `polis publish` unless `--source` names a plugin. */
export const PUBLISH_SOURCE = 'polis-publish';

/** Largest request line accepted on the control socket. */
const MAX_REQUEST_BYTES = 2 * 1024 * 1024;

/** What `polis publish` sends: one JSON object on one line. */
export interface PublishRequest {
  readonly type: string;
  /** Default: the latest registered version of the type. */
  readonly version?: number;
  readonly data: unknown;
  readonly subject?: string;
  readonly source?: string;
}

export type PublishReply = { readonly ok: true; readonly id: string; readonly version: number } | { readonly ok: false; readonly code: string; readonly message: string };

/**
 * Where a running deployment listens for `polis publish`: a Unix socket named after the
 * deployment file's real path, readable and writable by its owner only.
 */
export function controlSocketPath(deploymentFile: string): string {
  return join(tmpdir(), `polis-${createHash('sha256').update(deploymentFile).digest('hex').slice(0, 16)}.sock`);
}

/**
 * Lets `polis publish` inject events into the running kernel: each request line is parsed,
 * bounded and published through the bus, which validates it like any publish (known type,
 * data against its schema, size limit). The reply says the event's id, or why it was refused.
 */
export async function openControlSocket(kernel: Kernel, deploymentFile: string): Promise<{ path: string; close(): Promise<void> }> {
  const path = controlSocketPath(deploymentFile);
  // A socket file left by a process that died; a live one means the city already runs.
  if (existsSync(path)) {
    if (await isListening(path)) throw new PolisError(ErrorCodes.INVALID_STATE, `${deploymentFile} is already running (its control socket ${path} answers)`);
    unlinkSync(path);
  }
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.length > MAX_REQUEST_BYTES) {
        socket.end(`${JSON.stringify({ ok: false, code: ErrorCodes.EVENT_TOO_LARGE, message: `a request line is limited to ${MAX_REQUEST_BYTES} bytes` })}\n`);
        return;
      }
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        void handle(kernel, line).then((reply) => socket.write(`${JSON.stringify(reply)}\n`));
      }
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  chmodSync(path, 0o600);
  return {
    path,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function handle(kernel: Kernel, line: string): Promise<PublishReply> {
  let request: PublishRequest;
  try {
    request = JSON.parse(line) as PublishRequest;
  } catch {
    return { ok: false, code: ErrorCodes.EVENT_UNDECODABLE, message: 'the request is not one line of JSON' };
  }
  if (request === null || typeof request !== 'object' || typeof request.type !== 'string') {
    return { ok: false, code: ErrorCodes.EVENT_UNDECODABLE, message: 'the request needs a string "type" and "data"' };
  }
  const versions = kernel.registry.versions(request.type);
  const version = request.version ?? versions.at(-1);
  if (version === undefined || !Number.isInteger(version)) {
    return { ok: false, code: ErrorCodes.EVENT_UNKNOWN_TYPE, message: `no plugin of this deployment declares '${request.type}'` };
  }
  const source = typeof request.source === 'string' ? request.source : PUBLISH_SOURCE;
  try {
    const event = await kernel.bus.publish(source, request.type, version, request.data, typeof request.subject === 'string' ? { subject: request.subject } : {});
    kernel.logger.info(`published ${request.type} v${version} from polis publish (id ${event.id})`);
    return { ok: true, id: event.id, version };
  } catch (error) {
    if (isPolisError(error)) return { ok: false, code: error.code, message: error.message };
    return { ok: false, code: ErrorCodes.TRANSPORT_FAILED, message: error instanceof Error ? error.message : String(error) };
  }
}

/** Sends one publish request to the deployment running from `deploymentFile` and returns its reply. */
export async function sendPublishRequest(deploymentFile: string, request: PublishRequest, timeoutMs = 10_000): Promise<PublishReply> {
  const path = controlSocketPath(deploymentFile);
  return new Promise<PublishReply>((resolve, reject) => {
    const socket = createConnection(path);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new PolisError(ErrorCodes.REQUEST_TIMEOUT, `the running deployment did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const newline = buffer.indexOf('\n');
      if (newline < 0) return;
      clearTimeout(timer);
      socket.end();
      try {
        resolve(JSON.parse(buffer.slice(0, newline)) as PublishReply);
      } catch {
        reject(new PolisError(ErrorCodes.EVENT_UNDECODABLE, 'the running deployment sent an unreadable reply'));
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        error.code === 'ENOENT' || error.code === 'ECONNREFUSED'
          ? new PolisError(ErrorCodes.INVALID_STATE, `${deploymentFile} is not running (start it with polis start ${deploymentFile})`)
          : new PolisError(ErrorCodes.TRANSPORT_FAILED, `cannot reach the running deployment: ${error.code ?? error.message}`),
      );
    });
  });
}

function isListening(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
