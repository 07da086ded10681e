import { ErrorCodes, PolisError, isPolisError, schemaUrn } from '@polis/plugin-api';
import type { CompatibilityMode, JsonSchema } from '@polis/plugin-api';
import type { ValidateFunction } from 'ajv';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { describeValue, invalidArgument, isOptions } from '../runtime/invalid-argument.js';
import { createAjv } from './ajv-factory.js';
import { canonicalJson } from './canonical-json.js';
import { checkCompatibility } from './compatibility.js';
import type { SchemaDifference } from './compatibility.js';
import { MemorySchemaStore } from './schema-store.js';
import type { SchemaRecord, SchemaStore } from './schema-store.js';
import { formatValidationProblems, toValidationProblems } from './validation-problems.js';
import type { ValidationProblem } from './validation-problems.js';
import { compileConversion, conversionProblems } from './version-conversion.js';
import type { Conversion } from './version-conversion.js';

export const DEFAULT_COMPATIBILITY: CompatibilityMode = 'BACKWARD';

interface Entry {
  readonly record: SchemaRecord;
  readonly canonical: string;
  readonly validate: ValidateFunction;
  /** The `dataschema` URN events of this version carry. */
  readonly urn: string;
}

/** What the publish path needs of one schema version. */
export interface SchemaHandle {
  readonly validate: ValidateFunction;
  readonly urn: string;
}

/** A schema one plugin brings for registration: an event of its manifest, or a side of a query. */
export interface SchemaClaim {
  readonly plugin?: string | undefined;
  readonly type: string;
  readonly version: number;
  readonly schema: JsonSchema;
  readonly compatibility?: CompatibilityMode | undefined;
}

/** How data of one version becomes data of another, compiled once per (type, from, to). */
interface VersionConversion {
  /** Why the conversion is unsound (empty: it is sound). */
  readonly problems: readonly SchemaDifference[];
  readonly convert: Conversion;
  readonly validate: ValidateFunction;
}

/**
 * Claims in the order they can register: by version, so a deployment that lists the producer of
 * v2 before the consumer of v1 registers v1 first, in the dry run and for real alike.
 */
function inVersionOrder(claims: readonly SchemaClaim[]): SchemaClaim[] {
  return [...claims].sort((a, b) => a.version - b.version);
}

/**
 * The contracts of every event type, by integer version. Validators are compiled once, at
 * registration; a new version must satisfy its type's compatibility mode against the versions
 * already registered (Confluent's JSON Schema rules, see compatibility.ts).
 */
export class SchemaRegistry {
  private readonly ajv: Ajv2020;
  private readonly entries = new Map<string, Map<number, Entry>>();
  /** Compiled conversions by (type, from, to); a registered version never changes, so they never go stale. */
  private readonly conversions = new Map<string, VersionConversion>();
  private readonly store: SchemaStore;
  private stopWatching: (() => void) | undefined;

  /**
   * Validators by canonical schema text: the same schema (a copy under another type, another
   * version, or a dry run's scratch registry) compiles once. ajv compilation is most of a
   * deployment's start-up time.
   */
  private readonly compiled: Map<string, ValidateFunction>;

  /** Told about a shared record this node cannot compile (default: ignored). */
  private readonly onUnreadable: (record: SchemaRecord, error: unknown) => void;

  /** Told when a record this node's plugins rely on was taken back and cannot be stored again (default: ignored). */
  private readonly onLost: (record: SchemaRecord, error: unknown) => void;

  /**
   * Versions a registration on this node made or relied on (keys of {@link versionKey}). When the
   * store reports one removed (another node's rollback of an identical record), this node stores
   * it again instead of forgetting it: its plugins are loaded against it.
   */
  private readonly relied = new Set<string>();

  constructor(
    options: {
      store?: SchemaStore;
      onUnreadable?: (record: SchemaRecord, error: unknown) => void;
      onLost?: (record: SchemaRecord, error: unknown) => void;
    } = {},
    ajv: Ajv2020 = createAjv(),
    compiled = new Map<string, ValidateFunction>(),
  ) {
    this.store = options.store ?? new MemorySchemaStore();
    this.onUnreadable = options.onUnreadable ?? (() => undefined);
    this.onLost = options.onLost ?? (() => undefined);
    this.ajv = ajv;
    this.compiled = compiled;
  }

  /**
   * A scratch copy for dry runs: it shares this registry's compiled validators and referenced
   * schemas, and whatever is claimed in it stays in it.
   */
  snapshot(): SchemaRegistry {
    const copy = new SchemaRegistry({}, this.ajv, this.compiled);
    for (const [type, versions] of this.entries) copy.entries.set(type, new Map(versions));
    return copy;
  }

  /** Claims each schema in version order ({@link claim}), returning every refusal: the dry run of {@link registerAll}. */
  claimAll(claims: readonly SchemaClaim[]): PolisError[] {
    const problems: PolisError[] = [];
    for (const claim of inVersionOrder(claims)) {
      const problem = this.claim(claim.type, claim.version, claim.schema, claim.compatibility, claim.plugin);
      if (problem) problems.push(problem);
    }
    return problems;
  }

  /**
   * Registers every claim, in version order. All or nothing: if one is refused (or the store
   * fails), the records this call stored are taken back before the error is thrown.
   */
  async registerAll(claims: readonly SchemaClaim[]): Promise<void> {
    const added: SchemaRecord[] = [];
    const reliedBefore = new Set(this.relied);
    try {
      for (const claim of inVersionOrder(claims)) {
        const stored = await this.registerRecord(claim, claim.plugin);
        if (stored) added.push(stored);
      }
    } catch (error) {
      for (const key of this.relied) if (!reliedBefore.has(key)) this.relied.delete(key);
      for (const record of added.reverse()) {
        this.forget(record.type, record.version);
        await this.store.remove(record).catch(() => undefined);
      }
      throw error;
    }
  }

  /** Registers in this registry only, synchronously, returning what refused it: for dry runs on a snapshot. */
  claim(type: string, version: number, schema: JsonSchema, compatibility?: CompatibilityMode, plugin?: string): PolisError | undefined {
    const record: SchemaRecord = { type, version, schema, compatibility: compatibility ?? this.modeOf(type) ?? DEFAULT_COMPATIBILITY };
    try {
      const validate = this.assertRegistrable(record, plugin);
      if (validate) this.adopt(record, validate);
      return undefined;
    } catch (error) {
      if (isPolisError(error)) return error;
      throw error;
    }
  }

  /** Loads what the store already holds and follows what other nodes register. */
  async open(): Promise<void> {
    for (const record of await this.store.list()) {
      try {
        this.adopt(record);
      } catch (error) {
        // One record this node cannot compile must not keep the node from starting; events of
        // that version are refused with EVENT_UNKNOWN_TYPE instead.
        this.onUnreadable(record, error);
      }
    }
    this.stopWatching = await this.store.watch(
      (record) => {
        try {
          this.adopt(record);
        } catch (error) {
          this.onUnreadable(record, error);
        }
      },
      (type, version) => this.removedFromStore(type, version),
    );
  }

  /**
   * Another node took a record back. A version only adopted from the store is forgotten, so it
   * no longer refuses (or admits) new versions; one this node's plugins rely on is stored again.
   */
  private removedFromStore(type: string, version: number): void {
    const entry = this.entries.get(type)?.get(version);
    if (!entry) return;
    if (!this.relied.has(versionKey(type, version))) {
      this.forget(type, version);
      return;
    }
    this.store.putIfAbsent(toPlainRecord(entry.record)).then(
      (stored) => {
        if (canonicalJson(stored.schema) !== entry.canonical) this.onLost(entry.record, conflict(entry.record));
      },
      (error: unknown) => this.onLost(entry.record, error),
    );
  }

  /** Drops a version and every conversion compiled from or to it. */
  private forget(type: string, version: number): void {
    for (const key of this.conversions.keys()) {
      const [keyType, from, to] = key.split('\u0000');
      if (keyType === type && (Number(from) === version || Number(to) === version)) this.conversions.delete(key);
    }
    this.entries.get(type)?.delete(version);
    if (this.entries.get(type)?.size === 0) this.entries.delete(type);
  }

  close(): void {
    this.stopWatching?.();
  }

  /**
   * Makes a schema available under a URI so `$ref`s to it resolve offline, never fetched at
   * run time (FIWARE schemas reference shared definitions by URL).
   */
  addReferencedSchema(uri: string, schema: JsonSchema): void {
    if (typeof uri !== 'string' || uri.length === 0) throw invalidArgument('a schema URI', 'a non-empty string', uri);
    if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) throw invalidArgument(`the schema referenced as ${uri}`, 'a JSON Schema object', schema);
    if (!this.ajv.getSchema(uri)) this.ajv.addSchema(stripId(schema), uri);
  }

  /**
   * Registers `schema` as `version` of `type`. Registering the identical schema again is a
   * no-op; a different schema under a taken version, or one that breaks the compatibility
   * mode, is refused with a PolisError saying which rule broke.
   */
  async register(
    type: string,
    version: number,
    schema: JsonSchema,
    options: { compatibility?: CompatibilityMode; plugin?: string } = {},
  ): Promise<void> {
    if (!isOptions(options)) throw invalidArgument('register options', 'an object', options);
    await this.registerRecord({ type, version, schema, compatibility: options.compatibility }, options.plugin);
  }

  /** Registers one claim; resolves with the record this call stored, or undefined if it was there already. */
  private async registerRecord(claim: SchemaClaim, plugin: string | undefined): Promise<SchemaRecord | undefined> {
    const record: SchemaRecord = {
      type: claim.type,
      version: claim.version,
      schema: claim.schema,
      compatibility: claim.compatibility ?? this.modeOf(claim.type) ?? DEFAULT_COMPATIBILITY,
    };
    const validate = this.assertRegistrable(record, plugin);
    if (!validate) {
      this.relied.add(versionKey(record.type, record.version));
      return undefined;
    }
    const written = toPlainRecord(record);
    const stored = await this.store.putIfAbsent(written);
    if (canonicalJson(stored.schema) !== canonicalJson(claim.schema)) {
      this.adopt(stored);
      throw conflict(record, plugin);
    }
    this.adopt(stored, validate);
    this.relied.add(versionKey(record.type, record.version));
    // Another node may have stored the same schema first: then it is theirs, not this call's to take back.
    return stored === written ? stored : undefined;
  }

  /**
   * Why events of `from` cannot be converted for a consumer of `to` (empty when they can), by
   * the rules in version-conversion.ts. Throws EVENT_UNKNOWN_TYPE if either is not registered.
   */
  conversionProblems(type: string, from: number, to: number): readonly SchemaDifference[] {
    return this.conversion(type, from, to).problems;
  }

  /**
   * A function taking `data` of `type` v`from` to the shape of v`to`, validated: compiled once per
   * pair. Throws (now, or when called) EVENT_VERSION_INCOMPATIBLE when the pair cannot be converted
   * soundly or a result fails v`to`'s schema; throws EVENT_UNKNOWN_TYPE now when either version is
   * not registered.
   */
  converter(type: string, from: number, to: number, plugin?: string): (data: unknown) => unknown {
    const { problems, convert, validate } = this.conversion(type, from, to);
    if (problems.length > 0) {
      const error = new PolisError(ErrorCodes.EVENT_VERSION_INCOMPATIBLE, `${type} v${from} events cannot be read as v${to}: ${describeDifferences(problems)}`, {
        plugin,
        details: { type, from, to, problems },
      });
      return () => {
        throw error;
      };
    }
    return (data) => {
      const converted = convert(data);
      if (validate(converted)) return converted;
      const invalid = toValidationProblems(validate.errors);
      throw new PolisError(ErrorCodes.EVENT_VERSION_INCOMPATIBLE, `${type} v${from} data converted to v${to} fails v${to}: ${formatValidationProblems(invalid)}`, {
        plugin,
        details: { type, from, to, problems: invalid },
      });
    };
  }

  private conversion(type: string, from: number, to: number): VersionConversion {
    const key = `${type}\u0000${from}\u0000${to}`;
    let conversion = this.conversions.get(key);
    if (conversion === undefined) {
      const writer = this.get(type, from);
      const reader = this.entries.get(type)?.get(to);
      if (!writer) throw unknownType(type, from, this.versions(type));
      if (!reader) throw unknownType(type, to, this.versions(type));
      conversion = {
        problems: conversionProblems(writer.schema, reader.record.schema),
        convert: compileConversion(writer.schema, reader.record.schema),
        validate: reader.validate,
      };
      this.conversions.set(key, conversion);
    }
    return conversion;
  }

  has(type: string, version?: number): boolean {
    const versions = this.entries.get(type);
    return version === undefined ? versions !== undefined : versions?.has(version) === true;
  }

  versions(type: string): number[] {
    return [...(this.entries.get(type)?.keys() ?? [])].sort((a, b) => a - b);
  }

  /** The highest registered version of a type, or undefined if none is. */
  latestVersion(type: string): number | undefined {
    let latest: number | undefined;
    for (const version of this.entries.get(type)?.keys() ?? []) if (latest === undefined || version > latest) latest = version;
    return latest;
  }

  /** The EVENT_UNKNOWN_TYPE error for a type with no registered version. */
  unknown(type: string): PolisError {
    return unknownType(type, 0, this.versions(type));
  }

  types(): string[] {
    return [...this.entries.keys()].sort();
  }

  get(type: string, version: number): SchemaRecord | undefined {
    return this.entries.get(type)?.get(version)?.record;
  }

  /** The compiled validator of a version; throws EVENT_UNKNOWN_TYPE if it is not registered. */
  validator(type: string, version: number): ValidateFunction {
    return this.handle(type, version).validate;
  }

  /** The validator and `dataschema` URN of a version; throws EVENT_UNKNOWN_TYPE if it is not registered. */
  handle(type: string, version: number): SchemaHandle {
    const entry = this.entries.get(type)?.get(version);
    if (!entry) throw unknownType(type, version, this.versions(type));
    return entry;
  }

  /** Validates data; throws EVENT_INVALID naming each failing path and rule. */
  assertValid(type: string, version: number, data: unknown, plugin?: string): void {
    const validate = this.validator(type, version);
    if (!validate(data)) throw invalidData(type, version, toValidationProblems(validate.errors), plugin);
  }

  private modeOf(type: string): CompatibilityMode | undefined {
    const versions = this.entries.get(type);
    if (!versions) return undefined;
    let latest: Entry | undefined;
    for (const entry of versions.values()) if (!latest || entry.record.version > latest.record.version) latest = entry;
    return latest?.record.compatibility;
  }

  /** Throws what makes the record unregistrable; returns its validator, or undefined if it is registered already. */
  private assertRegistrable(record: SchemaRecord, plugin?: string): ValidateFunction | undefined {
    if (typeof record.type !== 'string' || record.type.length === 0) throw invalidArgument('a schema\'s event type', 'a non-empty string', record.type, plugin);
    if (!Number.isInteger(record.version) || record.version < 1) {
      throw new PolisError(ErrorCodes.SCHEMA_INVALID, `${record.type}: version must be an integer >= 1, got ${describeValue(record.version)}`, { plugin });
    }
    if (record.schema === null || typeof record.schema !== 'object' || Array.isArray(record.schema)) {
      throw new PolisError(ErrorCodes.SCHEMA_INVALID, `${record.type} v${record.version}: a schema must be a JSON Schema object, got ${describeValue(record.schema)}`, { plugin });
    }
    // The first registration fixes a type's mode: a plugin cannot loosen it to slip in a breaking version.
    const mode = this.modeOf(record.type);
    if (mode !== undefined && record.compatibility !== mode) {
      throw new PolisError(
        ErrorCodes.SCHEMA_CONFLICT,
        `${record.type} is registered with compatibility ${mode}; v${record.version} declares ${record.compatibility}, and a type's mode cannot be changed by a plugin`,
        { plugin, details: { type: record.type, mode, declared: record.compatibility } },
      );
    }
    const versions = this.entries.get(record.type);
    const existing = versions?.get(record.version);
    if (existing) {
      if (existing.canonical !== canonicalJson(record.schema)) throw conflict(record, plugin);
      return undefined;
    }
    const validate = this.compile(record, plugin);
    const previous = [...(versions?.values() ?? [])]
      .map((entry) => entry.record)
      .filter((r) => r.version < record.version)
      .sort((a, b) => a.version - b.version)
      .map((r) => [r.version, r.schema] as const);
    const later = [...(versions?.values() ?? [])].filter((entry) => entry.record.version > record.version);
    if (later.length > 0) {
      throw new PolisError(
        ErrorCodes.SCHEMA_INCOMPATIBLE,
        `${record.type} v${record.version} is older than the registered v${Math.max(...later.map((e) => e.record.version))}; register versions in order`,
        { plugin, details: { type: record.type, version: record.version } },
      );
    }
    const verdict = checkCompatibility(previous, record.schema, record.compatibility);
    if (!verdict.compatible) {
      const reasons = verdict.problems.map(
        (p) => `${p.direction} vs v${p.againstVersion}: ${p.difference.type} at ${p.difference.path}: ${p.difference.message}`,
      );
      throw new PolisError(
        ErrorCodes.SCHEMA_INCOMPATIBLE,
        `${record.type} v${record.version} is not ${record.compatibility} compatible: ${reasons.join('; ')}`,
        { plugin, details: { type: record.type, version: record.version, mode: record.compatibility, problems: verdict.problems } },
      );
    }
    return validate;
  }

  private compile(record: SchemaRecord, plugin?: string): ValidateFunction {
    const key = canonicalJson(stripId(record.schema));
    const cached = this.compiled.get(key);
    if (cached) return cached;
    try {
      const validate = this.ajv.compile(stripId(record.schema));
      this.compiled.set(key, validate);
      return validate;
    } catch (cause) {
      throw new PolisError(ErrorCodes.SCHEMA_INVALID, `${record.type} v${record.version}: the schema does not compile: ${(cause as Error).message}`, {
        plugin,
        cause,
      });
    }
  }

  private adopt(record: SchemaRecord, validate?: ValidateFunction): void {
    let versions = this.entries.get(record.type);
    if (versions?.has(record.version)) return;
    const entry = { record, canonical: canonicalJson(record.schema), validate: validate ?? this.compile(record), urn: schemaUrn(record.type, record.version) };
    if (!versions) this.entries.set(record.type, (versions = new Map()));
    versions.set(record.version, entry);
  }
}

/**
 * `$id` is dropped before compiling: every version of a type often shares one `$id`, and ajv
 * refuses a second schema under an id it holds. Versions are keyed by (type, version) instead.
 */
function stripId(schema: JsonSchema): JsonSchema {
  if (!('$id' in schema)) return schema;
  const { $id: _id, ...rest } = schema;
  return rest;
}

function versionKey(type: string, version: number): string {
  return `${type}\u0000${version}`;
}

/** A JSON-only copy: TypeBox's symbol keys do not travel to other nodes. */
function toPlainRecord(record: SchemaRecord): SchemaRecord {
  return { ...record, schema: JSON.parse(JSON.stringify(record.schema)) as JsonSchema };
}

/** The differences of a verdict in one line: `<type> at <path>: <message>; ...`. */
export function describeDifferences(differences: readonly SchemaDifference[]): string {
  return differences.map((d) => `${d.type} at ${d.path}: ${d.message}`).join('; ');
}

function conflict(record: SchemaRecord, plugin?: string): PolisError {
  return new PolisError(
    ErrorCodes.SCHEMA_CONFLICT,
    `${record.type} v${record.version} is already registered with a different schema; publish the change as v${record.version + 1}`,
    { plugin, details: { type: record.type, version: record.version } },
  );
}

function unknownType(type: string, version: number, known: number[]): PolisError {
  if (typeof type !== 'string') return invalidArgument('an event type', 'a string', type);
  if (typeof version !== 'number') return invalidArgument(`the version of ${type}`, 'an integer >= 1', version);
  const message = known.length
    ? `${type} has no schema version ${version} (registered: ${known.join(', ')})`
    : `unknown event type '${type}': no plugin declares it and no schema is registered`;
  return new PolisError(ErrorCodes.EVENT_UNKNOWN_TYPE, message, { details: { type, version } });
}

export function invalidData(type: string, version: number, problems: ValidationProblem[], plugin?: string): PolisError {
  return new PolisError(ErrorCodes.EVENT_INVALID, `${type} v${version}: ${formatValidationProblems(problems)}`, {
    plugin,
    details: { type, version, problems },
  });
}
