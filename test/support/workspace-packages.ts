import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from './polis-command.js';

export interface WorkspacePackage {
  readonly folder: string;
  readonly json: {
    name: string;
    version: string;
    private?: boolean;
    keywords?: string[];
    exports?: Record<string, unknown>;
    publishConfig?: { exports?: Record<string, unknown> };
    files?: string[];
    scripts?: Record<string, string>;
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
    polis?: unknown;
  };
}

/** Every package of the workspace, found from pnpm-workspace.yaml (so new packages are included). */
export function workspacePackages(): WorkspacePackage[] {
  const globs = (parse(readFileSync(join(repoRoot, 'pnpm-workspace.yaml'), 'utf8')) as { packages: string[] }).packages;
  const folders = globs.flatMap((glob) => {
    if (!glob.endsWith('/*')) return [join(repoRoot, glob)];
    const parent = join(repoRoot, glob.slice(0, -2));
    return existsSync(parent) ? readdirSync(parent).map((name) => join(parent, name)) : [];
  });
  return folders
    .filter((folder) => existsSync(join(folder, 'package.json')))
    .map((folder) => ({ folder, json: JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as WorkspacePackage['json'] }));
}

/** The packages a vendor or an integrator installs: every one not marked private. */
export function publicPackages(): WorkspacePackage[] {
  return workspacePackages().filter((pkg) => !pkg.json.private);
}

/** Plugin packages: the `polis-plugin` keyword. */
export function pluginPackages(): WorkspacePackage[] {
  return publicPackages().filter((pkg) => pkg.json.keywords?.includes('polis-plugin'));
}
