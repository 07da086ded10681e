import type { ManifestJson } from './manifest-json.js';

/**
 * The `polis` field of a plugin package's package.json: what the package is, readable by any
 * tool without running it (`polis plugins` lists it; registries can index it). `manifest`
 * points at the whole manifest, schemas included, that `polis check` reads.
 */
export interface PolisField {
  /** The plugin's name in a deployment (not the npm package name). */
  readonly plugin: string;
  readonly version: string;
  /** Semver range of the kernel plugin API. */
  readonly kernel: string;
  /** Path of the manifest file, relative to the package folder. */
  readonly manifest: string;
  /** `type@version` of each event it publishes. */
  readonly publishes?: readonly string[];
  /** `type@version`, or a pattern such as `traffic.>`. */
  readonly consumes?: readonly string[];
  readonly requests?: readonly string[];
  readonly answers?: readonly string[];
  /** Service ids. */
  readonly provides?: readonly string[];
  readonly needs?: readonly string[];
}

/** The file `polis manifest` writes beside the package's entry. */
export interface ManifestFile {
  /** Format version of this file. */
  readonly polisManifest: 1;
  /** The module the manifest was read from, relative to the package folder. */
  readonly entry: string;
  /** SHA-256 of that module's bytes: a rebuilt module with an old manifest is detected. */
  readonly sha256: string;
  readonly plugin: ManifestJson;
}

export const MANIFEST_FILE_NAME = 'polis-manifest.json';

/** The package.json summary of a manifest. */
export function polisFieldOf(manifest: ManifestJson, manifestPath: string): PolisField {
  const versioned = (list: readonly { type: string; version: number }[] | undefined) => list?.map((d) => `${d.type}@${d.version}`);
  const field: Record<string, unknown> = {
    plugin: manifest.name,
    version: manifest.version,
    kernel: manifest.kernel,
    manifest: manifestPath,
    publishes: versioned(manifest.publishes),
    consumes: manifest.consumes?.map((c) => (typeof c === 'string' ? c : `${c.type}@${c.version}`)),
    requests: versioned(manifest.requests),
    answers: versioned(manifest.answers),
    provides: manifest.provides?.map((s) => s.id),
    needs: manifest.needs && Object.values(manifest.needs).map((s) => s.id),
  };
  for (const [key, value] of Object.entries(field)) if (value === undefined || (Array.isArray(value) && value.length === 0)) delete field[key];
  return field as unknown as PolisField;
}
