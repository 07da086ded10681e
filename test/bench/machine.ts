import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

/** The machine a run measured on: ratios travel between machines far better than absolute figures do. */
export function describeMachine(): string {
  const model = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const memoryGb = (totalmem() / 2 ** 30).toFixed(1);
  // The load when the bench starts says how much a neighbour may have moved the figures.
  const load = loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
  return `${availableParallelism()} cores (${model}), ${memoryGb} GB, ${process.platform} ${process.arch}, Node ${process.version}, load average ${load}`;
}

/** `nats-server`'s version line, e.g. `v2.10.18`. */
export function natsServerVersion(binary: string): string {
  return execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim().replace(/^nats-server:\s*/, '');
}
