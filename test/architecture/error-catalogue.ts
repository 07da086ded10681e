import { readFileSync } from 'node:fs';
import { sourceFiles } from './source-files.js';
import { join, relative } from 'node:path';

/** Where source files that may raise an error code live, relative to the repository root. */
const SOURCE_ROOTS = ['packages', 'plugins', 'examples'];
/** `ErrorCodes.NAME` (or `HttpErrorCodes.NAME`, ...): how source raises a code of `constant`. */
const codeUse = (constant: string): RegExp => new RegExp(`\\b${constant}\\.([A-Z][A-Z0-9_]*)\\b`, 'g');
/** `### POLIS_NAME`: a code's section in the catalogue. */
const SECTION = /^#{2,4}\s+(POLIS_[A-Z0-9_]+)\s*$/;
/** What every section must say. */
const PARTS = ['**Means:**', '**Raised by:**', '**What to do:**'];

export interface CatalogueInput {
  /** The repository root. */
  readonly root: string;
  /** `ErrorCodes` as declared: name -> code. */
  readonly codes: Readonly<Record<string, string>>;
  /** Path of the catalogue, relative to the root. */
  readonly catalogue: string;
  /** Path of the file declaring `ErrorCodes`, relative to the root (its comments do not count as raising). */
  readonly declaration: string;
  /** The name the codes are declared under (default `ErrorCodes`; `HttpErrorCodes`, `MqttErrorCodes`). */
  readonly constant?: string;
  /** Codes of other packages documented in the same catalogue, checked as these are. */
  readonly others?: readonly Omit<CatalogueInput, 'root' | 'catalogue' | 'others'>[];
}

/**
 * Every way the catalogue and the source disagree, each as one sentence saying which code is
 * missing where and what to do: a code raised in the source but not documented, documented but
 * never raised, declared but never raised, or documented without saying what it means, who
 * raises it and what to do.
 */
export function catalogueProblems(input: CatalogueInput): string[] {
  const { root, catalogue } = input;
  const sets = [input, ...(input.others ?? [])].map((set) => ({ codes: set.codes, declaration: set.declaration, constant: set.constant ?? 'ErrorCodes' }));
  const problems: string[] = [];
  /** Each code's name, as written in source (`HttpErrorCodes.FORBIDDEN`), and the file declaring it. */
  const nameOf = new Map(sets.flatMap((set) => Object.entries(set.codes).map(([name, code]) => [code, `${set.constant}.${name}`] as const)));
  const declarationOf = new Map(sets.flatMap((set) => Object.values(set.codes).map((code) => [code, set.declaration] as const)));
  const declarations = [...new Set(sets.map((set) => set.declaration))].join(', ');

  const raisedAt = new Map<string, string>();
  for (const base of SOURCE_ROOTS) {
    for (const file of sourceFiles(join(root, base)).filter((path) => !/\.test\.[cm]?[jt]sx?$/.test(path))) {
      const path = relative(root, file);
      const text = readFileSync(file, 'utf8').split('\n');
      for (const set of sets) {
        text.forEach((line, index) => {
          // The declaring file's comments name codes without raising them; its code may raise them (the gateway's problem handler does).
          if (path === set.declaration && /^\s*(\/\/|\/?\*)/.test(line)) return;
          for (const match of line.matchAll(codeUse(set.constant))) {
            const code = set.codes[match[1]!];
            if (code !== undefined && !raisedAt.has(code)) raisedAt.set(code, `${path}:${index + 1}`);
          }
        });
      }
    }
  }

  const documentedAt = new Map<string, number>();
  const lines = readFileSync(join(root, catalogue), 'utf8').split('\n');
  lines.forEach((line, index) => {
    const code = SECTION.exec(line)?.[1];
    if (code === undefined) return;
    if (documentedAt.has(code)) problems.push(`${catalogue}:${index + 1} documents ${code} a second time (first at line ${documentedAt.get(code)}): keep one section.`);
    else documentedAt.set(code, index + 1);
    const end = lines.findIndex((next, at) => at > index && /^#{1,4}\s/.test(next));
    const body = lines.slice(index + 1, end < 0 ? undefined : end).join('\n');
    const missing = PARTS.filter((part) => !body.includes(part));
    if (missing.length > 0) problems.push(`${catalogue}:${index + 1}: the section of ${code} lacks ${missing.join(', ')}: say what it means, who raises it and what to do.`);
  });

  for (const [code, where] of raisedAt) {
    if (!documentedAt.has(code)) {
      problems.push(`${code} (${nameOf.get(code)}) is raised at ${where} but ${catalogue} has no '### ${code}' section: add one saying what it means, who raises it and what to do.`);
    }
  }
  for (const [code, line] of documentedAt) {
    if (!nameOf.has(code)) problems.push(`${catalogue}:${line} documents ${code}, which ${declarations} does not declare: fix the name or remove the section.`);
    else if (!raisedAt.has(code)) problems.push(`${catalogue}:${line} documents ${code}, but no source file raises it (${nameOf.get(code)} appears nowhere but ${declarationOf.get(code)}): remove the code, or raise it where it applies.`);
  }
  for (const [code, name] of nameOf) {
    if (!raisedAt.has(code) && !documentedAt.has(code)) problems.push(`${code} (${name}) is declared in ${declarationOf.get(code)} but never raised nor documented: remove it.`);
  }
  return problems;
}
