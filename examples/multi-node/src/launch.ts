// The demo: starts two kernel processes on one NATS server and watches them work together.
//   node-b runs delay-monitor and passenger-info; node-a runs fleet and passenger-info.
// fleet (a) reports 40 buses -> delay-monitor (b) publishes a delay for each late one ->
// passenger-info, one replica per node, announces each delay exactly once. fleet then asks the
// monitor for its statistics across the processes. Prints what happened, then a JSON summary as
// the last line; exits 0 if every delay was announced once.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DEMO_REPORTS, EXPECTED_DELAYS } from './demo-data.js';

interface LogLine {
  readonly node: string;
  readonly msg: string;
  readonly [field: string]: unknown;
}

const TIMEOUT_MS = Number(process.env.DEMO_TIMEOUT_MS ?? 30_000);
const announcements: LogLine[] = [];
const delays: LogLine[] = [];
let statistics: LogLine | undefined;
const failures: string[] = [];
let progress: () => void = () => {};

function startNode(name: string, plugins: string[]): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(
    process.execPath,
    ['--conditions=@polis/source', '--import', 'tsx', fileURLToPath(new URL('./node.ts', import.meta.url)), name, plugins.join(',')],
    { stdio: ['ignore', 'pipe', 'inherit'], env: process.env },
  );
  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready`)));
    createInterface({ input: child.stdout! }).on('line', (text) => {
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        process.stderr.write(`[${name}] ${text}\n`);
        return;
      }
      const { time: _time, level, node, msg, ...fields } = line as LogLine & { time: string; level: string };
      process.stderr.write(`[${node}] ${String(level).toUpperCase().padEnd(5)} ${msg} ${JSON.stringify(fields)}\n`);
      if (msg === 'node ready') resolve();
      else if (msg === 'delay announced') announcements.push(line);
      else if (msg === 'vehicle delayed') delays.push(line);
      else if (msg === 'delay statistics') statistics = line;
      else if (level === 'error') failures.push(`${node}: ${msg}`);
      progress();
    });
  });
  return { child, ready };
}

const done = () => announcements.length >= EXPECTED_DELAYS && statistics !== undefined;
const nodes: ChildProcess[] = [];
let ok = false;
try {
  const b = startNode('node-b', ['delay-monitor', 'passenger-info']);
  nodes.push(b.child);
  await b.ready;
  const a = startNode('node-a', ['fleet', 'passenger-info']);
  nodes.push(a.child);
  await a.ready;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    progress = () => {
      if (!done()) return;
      clearTimeout(timer);
      resolve();
    };
    progress();
  });
  // A little longer, so an announcement made twice would be seen.
  await new Promise((resolve) => setTimeout(resolve, 300));
  ok = true;
} catch (error) {
  failures.push((error as Error).message);
} finally {
  for (const child of nodes.reverse()) {
    if (child.exitCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

const ids = announcements.map((line) => String(line.delayEventId));
const duplicates = ids.length - new Set(ids).size;
const byNode: Record<string, number> = {};
for (const line of announcements) byNode[line.node] = (byNode[line.node] ?? 0) + 1;
const summary = {
  ok: ok && duplicates === 0 && ids.length === EXPECTED_DELAYS && delays.length === EXPECTED_DELAYS && failures.length === 0,
  reports: DEMO_REPORTS.length,
  expectedDelays: EXPECTED_DELAYS,
  delaysPublished: delays.length,
  announcements: ids.length,
  announcementsByNode: byNode,
  duplicates,
  statistics: statistics ? { reports: statistics.reports, delayed: statistics.delayed, askedOn: statistics.node } : null,
  failures,
};
process.stdout.write(`${JSON.stringify(summary)}\n`);
process.exit(summary.ok ? 0 : 1);
