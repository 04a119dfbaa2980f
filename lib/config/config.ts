import { FrameworkError } from '../errors/index.js';
import { isStandardSchema, type StandardIssue, type StandardSchemaV1 } from '../internal/index.js';
import { changedKeys, type ConfigChange } from './changes.js';
import { resolvePlaceholders } from './placeholders.js';
import type { ConfigLayer, ConfigSource } from './source.js';
import { lookup, mergeLayers, originOf, sameValue } from './tree.js';
import { ConfigValue } from './value.js';

/** Called with the new value of a watched key (undefined when it was removed). */
export type ConfigObserver = (value: unknown, key: string) => void;

/** Options of {@link Config}. */
export interface ConfigOptions {
  /** Sources in merge order: later ones win. */
  sources?: ConfigSource[];
  /** Told about a reload that failed (the previous configuration stays in force). */
  onError?: (err: unknown, source: string) => void;
  /** Environment for `${KEY:default}` placeholders. Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** Told about every reload that changed something: the changed leaf keys and the source that changed. */
  onReload?: (changes: ConfigChange[], source: string) => void;
}

interface Snapshot {
  tree: Record<string, unknown>;
  origins: Map<string, string>;
}

/**
 * The app's configuration (docs/config-and-logging.md#configuration): sources merged in order, `${KEY:default}` placeholders resolved,
 * typed reads by dotted key, validation with any Standard Schema, and hot reload. A reload swaps
 * the whole tree at once, so a reader never sees half of a change; keys removed from a source
 * disappear; each observer fires once per changed key. It is also the injection token.
 */
export class Config {
  readonly #sources: ConfigSource[];
  readonly #layers: ConfigLayer[][];
  readonly #observers = new Map<string, Set<ConfigObserver>>();
  readonly #stops: (() => void)[] = [];
  readonly #onError: (err: unknown, source: string) => void;
  readonly #env: NodeJS.ProcessEnv | undefined;
  readonly #onReload: ((changes: ConfigChange[], source: string) => void) | undefined;
  #snapshot: Snapshot = { tree: {}, origins: new Map() };
  #loaded = false;

  constructor(options: ConfigOptions = {}) {
    this.#sources = options.sources ?? [];
    this.#layers = this.#sources.map(() => []);
    this.#onError = options.onError ?? (() => undefined);
    this.#env = options.env;
    this.#onReload = options.onReload;
  }

  /** A configuration of one in-memory tree, already loaded (tests, defaults). */
  static fromObject(tree: Record<string, unknown>): Config {
    const c = new Config();
    c.#swap([{ tree, origin: 'memory' }]);
    c.#loaded = true;
    return c;
  }

  /** Reads every source and starts watching those that can change. Errors name the file or key. */
  async load(): Promise<void> {
    for (let i = 0; i < this.#sources.length; i++) this.#layers[i] = await (this.#sources[i] as ConfigSource).load();
    this.#swap(this.#layers.flat());
    this.#loaded = true;
    for (let i = 0; i < this.#sources.length; i++) {
      const src = this.#sources[i] as ConfigSource;
      if (src.watch !== undefined) this.#stops.push(await src.watch(() => void this.#reload(i)));
    }
  }

  /** The value at `key` (dotted), or undefined. */
  get<T = unknown>(key: string): T | undefined {
    return lookup(this.#snapshot.tree, key) as T | undefined;
  }

  /** The value at `key` with typed accessors: `config.value('server.http.timeout').duration(1000)`. */
  value(key: string): ConfigValue {
    return new ConfigValue(key, lookup(this.#snapshot.tree, key));
  }

  /** Where the value at `key` came from (a file path, `env`, `etcd:<key>`, ...). */
  originOf(key: string): string | undefined {
    return originOf(this.#snapshot.origins, key);
  }

  /**
   * The tree (or the section at `key`) checked against a Standard Schema (zod, valibot, ...); every
   * bad key is reported with its source file. Returns the schema's output.
   */
  async scan<T>(schema?: StandardSchemaV1<unknown, T>, key = ''): Promise<T> {
    const snap = this.#snapshot;
    const value = lookup(snap.tree, key);
    if (schema === undefined) return value as T;
    return validateSection(schema, value, key, (p) => originOf(snap.origins, p));
  }

  /** Calls `observer` whenever the value at `key` changes; returns a function that stops it. */
  watch(key: string, observer: ConfigObserver): () => void {
    let set = this.#observers.get(key);
    if (set === undefined) this.#observers.set(key, (set = new Set()));
    set.add(observer);
    return () => void set.delete(observer);
  }

  /** Stops watching the sources. */
  async close(): Promise<void> {
    for (const stop of this.#stops.splice(0)) stop();
  }

  get loaded(): boolean {
    return this.#loaded;
  }

  async #reload(i: number): Promise<void> {
    const src = this.#sources[i] as ConfigSource;
    try {
      const layers = await src.load();
      const all = this.#layers.map((l, j) => (j === i ? layers : l)).flat();
      this.#layers[i] = layers;
      const before = this.#snapshot.tree;
      this.#swap(all);
      const changes = changedKeys(before, this.#snapshot.tree);
      if (changes.length > 0) this.#onReload?.(changes, src.name);
    } catch (err) {
      this.#onError(err, src.name);
    }
  }

  #swap(layers: ConfigLayer[]): void {
    const merged = mergeLayers(layers);
    const next: Snapshot = { tree: resolvePlaceholders(merged.tree, this.#env ?? process.env), origins: merged.origins };
    const prev = this.#snapshot;
    this.#snapshot = next;
    for (const [key, observers] of this.#observers) {
      const before = lookup(prev.tree, key);
      const after = lookup(next.tree, key);
      if (sameValue(before, after)) continue;
      for (const o of observers) {
        try {
          o(after, key);
        } catch (err) {
          this.#onError(err, `observer of ${key}`);
        }
      }
    }
  }
}

/** Validates `value` (found at `key`) with `schema`, naming every bad key and where it came from. */
export async function validateSection<T>(schema: StandardSchemaV1<unknown, T>, value: unknown, key: string, origin: (path: string) => string | undefined): Promise<T> {
  if (!isStandardSchema(schema)) throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', 'scan: the schema does not implement Standard Schema v1');
  const r = await schema['~standard'].validate(value);
  if (r.issues === undefined) return r.value;
  throw issuesError(r.issues, key, origin);
}

/** The boot error for a schema's issues: every bad key with the source it came from. */
export function issuesError(issues: readonly StandardIssue[], key: string, origin: (path: string) => string | undefined): FrameworkError {
  const lines = issues.map((i) => {
    const rel = (i.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p)).join('.');
    const path = [key, rel].filter((p) => p !== '').join('.');
    const from = origin(path);
    return `${path || '(root)'}: ${i.message}${from === undefined ? '' : ` (from ${from})`}`;
  });
  return new FrameworkError('KRATOS_ERR_CONFIG_INVALID', `invalid configuration:\n  ${lines.join('\n  ')}`);
}
