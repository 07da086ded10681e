import { resolve } from 'node:path';
import { realpath } from 'node:fs/promises';
import type { Output } from '../program.js';
import { sendPublishRequest } from '../runtime/control-socket.js';

/**
 * `polis publish`: hands one event to the deployment running from `file` (through its control
 * socket); the running kernel validates and publishes it. Exit 0 when published, 1 when refused.
 */
export async function publishEvent(file: string, type: string, json: string, options: { version?: number; subject?: string; source?: string }, io: Output): Promise<number> {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    io.err(`the event data is not valid JSON (give it as one argument, quoted: '{"pm25": 35}')`);
    return 2;
  }
  let deployment: string;
  try {
    deployment = await realpath(resolve(file));
  } catch {
    io.err(`${file}: no such deployment file`);
    return 2;
  }
  const reply = await sendPublishRequest(deployment, { type, data, ...options });
  if (!reply.ok) {
    io.err(`refused: [${reply.code}] ${reply.message}`);
    return 1;
  }
  io.out(`published ${type} v${reply.version} (id ${reply.id})`);
  return 0;
}
