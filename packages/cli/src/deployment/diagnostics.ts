import { ErrorCodes, PolisAggregateError, PolisError } from '@polis/plugin-api';
import type { AnyPlugin } from '@polis/plugin-api';
import type { SourcePosition } from './deployment-problem.js';
import { formatPosition } from './deployment-problem.js';
import type { PluginSpec } from './deployment-schema.js';
import { pointerSegments } from './parsed-source.js';
import type { DocumentPath } from './parsed-source.js';

/** Codes of what `polis check` warns about: nothing is refused, but an integrator wants to know. */
export const WarningCodes = {
  /** A config key the plugin's schema does not know (a typo is otherwise ignored). */
  CONFIG_UNKNOWN_KEY: 'POLIS_WARN_CONFIG_UNKNOWN_KEY',
  /** A plugin consumes events no plugin in the deployment publishes. */
  NOT_PUBLISHED: 'POLIS_WARN_NOT_PUBLISHED',
  /** A plugin requests a query no plugin in the deployment answers. */
  NOT_ANSWERED: 'POLIS_WARN_NOT_ANSWERED',
  /** A plugin ships no usable static manifest; its module was imported in a sandbox to read it. */
  NO_STATIC_MANIFEST: 'POLIS_WARN_NO_STATIC_MANIFEST',
} as const;

/** One entry of the deployment's `plugins` list. */
export interface EntryRef {
  /** Its index in `plugins` (disabled entries count). */
  readonly index: number;
  readonly spec: PluginSpec;
}

/** A problem or warning about a deployment, located in its files and naming its entry. */
export interface Diagnostic {
  readonly severity: 'error' | 'warning' | 'note';
  /** A stable code: an ErrorCodes value for errors, a WarningCodes value for warnings. */
  readonly code: string;
  readonly message: string;
  readonly at: SourcePosition;
  /** The `plugins` entry concerned: its index and `package`. */
  readonly entry?: { readonly index: number; readonly package: string };
  /** The plugin's own name, when known. */
  readonly plugin?: string;
}

/** `city.yaml:12:5: error POLIS_CONFIG_INVALID in plugins[0] '@polis/plugin-traffic' (traffic): ...` */
export function formatDiagnostic(d: Diagnostic): string {
  const entry = d.entry ? ` in plugins[${d.entry.index}] '${d.entry.package}'` : '';
  const plugin = d.plugin && d.plugin !== d.entry?.package ? ` (${d.plugin})` : '';
  return `${formatPosition(d.at)}: ${d.severity} ${d.code}${entry}${plugin}: ${d.message}`;
}

/** Every PolisError inside `error`, aggregates flattened; anything else is rethrown. */
export function flattenErrors(error: unknown): PolisError[] {
  if (error instanceof PolisAggregateError) return error.errors.flatMap(flattenErrors);
  if (error instanceof PolisError) return [error];
  throw error;
}

/** A deployment-file problem (its position is in `details`). */
export function fileDiagnostic(error: PolisError, fallback: SourcePosition, entry?: EntryRef): Diagnostic {
  const details = error.details as { file?: unknown; line?: unknown; column?: unknown };
  const at: SourcePosition =
    typeof details.file === 'string'
      ? { file: details.file, ...(typeof details.line === 'number' ? { line: details.line } : {}), ...(typeof details.column === 'number' ? { column: details.column } : {}) }
      : fallback;
  // The position is shown by the diagnostic; strip the one the message starts with.
  const message = error.message.startsWith(`${formatPosition(at)}: `) ? error.message.slice(formatPosition(at).length + 2) : error.message;
  return { severity: 'error', code: error.code, message, at, ...(entry ? { entry: entryOf(entry) } : {}) };
}

export function entryOf(entry: EntryRef): { index: number; package: string } {
  return { index: entry.index, package: entry.spec.package };
}

/** A checked or loaded plugin of an entry. */
export interface EntryPlugin {
  readonly entry: EntryRef;
  readonly plugin: AnyPlugin;
}

/**
 * The kernel's problems (from a dry run or a start), each attached to the entry it concerns
 * and to the line it points at: a config problem at the config key, others at the entry.
 * Schema conflicts name every other entry that declares the type; duplicates name both entries.
 */
export function kernelDiagnostics(problems: readonly PolisError[], plugins: readonly EntryPlugin[], locate: (path: DocumentPath) => SourcePosition, file: string): Diagnostic[] {
  const byName = new Map<string, EntryPlugin>();
  for (const candidate of plugins) if (typeof candidate.plugin?.name === 'string' && !byName.has(candidate.plugin.name)) byName.set(candidate.plugin.name, candidate);
  const describe = (p: EntryPlugin) => {
    const name = nameOf(p.plugin);
    return `plugins[${p.entry.index}] '${p.entry.spec.package}'${name !== undefined && name !== p.entry.spec.package ? ` (${name})` : ''}`;
  };
  const result: Diagnostic[] = [];
  for (const problem of problems) {
    const label = /^plugins\[(\d+)\]$/.exec(problem.plugin ?? '');
    let owner = label ? plugins[Number(label[1])] : problem.plugin ? byName.get(problem.plugin) : undefined;
    let message = problem.message;
    const details = problem.details as { entries?: unknown; problems?: unknown; type?: unknown };
    if (problem.code === ErrorCodes.PLUGIN_DUPLICATE && Array.isArray(details.entries)) {
      const [first, second] = details.entries as number[];
      owner = plugins[second!] ?? owner;
      const other = plugins[first!];
      if (other) message = `two plugins are named '${problem.plugin}': this one and ${describe(other)}`;
    }
    if ((problem.code === ErrorCodes.SCHEMA_CONFLICT || problem.code === ErrorCodes.SCHEMA_INCOMPATIBLE) && typeof details.type === 'string') {
      const others = plugins.filter((p) => p !== owner && declaresType(p.plugin, details.type as string));
      if (others.length > 0) message += `; ${details.type} is also declared by ${others.map(describe).join(', ')}`;
    }
    const base: DocumentPath = owner ? ['plugins', owner.entry.index] : [];
    const ownerName = owner && nameOf(owner.plugin);
    const common = { code: problem.code, ...(owner ? { entry: entryOf(owner.entry) } : {}), ...(ownerName !== undefined ? { plugin: ownerName } : {}) };
    if (problem.code === ErrorCodes.CONFIG_INVALID && Array.isArray(details.problems) && owner) {
      for (const item of details.problems as { path: string; message: string; rule: string }[]) {
        result.push({ severity: 'error', ...common, message: `config ${item.path || '(root)'} ${item.message} (${item.rule})`, at: locate([...base, 'config', ...pointerSegments(item.path)]) });
      }
      continue;
    }
    result.push({ severity: 'error', ...common, message, at: owner ? locate(base) : { file } });
  }
  return result;
}

/** A plugin's name if its manifest has a usable one (a manifest read as data may hold anything). */
export function nameOf(plugin: AnyPlugin | undefined): string | undefined {
  const name: unknown = plugin?.name;
  return typeof name === 'string' ? name : undefined;
}

/** Whether a plugin declares an event type (or a query whose request or reply type it is). */
function declaresType(plugin: AnyPlugin, type: string): boolean {
  const list = (value: unknown): { type?: unknown }[] => (Array.isArray(value) ? value.filter((item): item is { type?: unknown } => item !== null && typeof item === 'object') : []);
  const events = [...list(plugin.publishes), ...list(plugin.consumes)];
  const queries = [...list(plugin.requests), ...list(plugin.answers)];
  return events.some((e) => e.type === type) || queries.some((q) => q.type === type || (typeof q.type === 'string' && `${q.type}.reply` === type));
}
