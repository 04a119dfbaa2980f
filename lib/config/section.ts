import { mergeParamInject, defineClassRecord, KEYS } from '../annotations/index.js';
import type { StandardSchemaV1 } from '../internal/index.js';
import { FrameworkError } from '../errors/index.js';
import { isStandardSchema } from '../internal/index.js';
import { Config, issuesError } from './config.js';

/** Options of {@link configSection}. */
export interface ConfigSectionOptions {
  /** Follow hot reload (default true): `value` is always the latest valid section. */
  reload?: boolean;
  /** A missing section is fine (`value` is then undefined, and the schema is not asked). Default false. */
  optional?: boolean;
}

/** A typed, validated section of the configuration, injectable by its class. */
export abstract class ConfigSection<T> {
  /** The section's dotted key. */
  abstract readonly key: string;
  /** The current validated value. */
  abstract readonly value: T;
  /** Calls `fn` with each new valid value; returns a function that stops it. */
  abstract watch(fn: (value: T) => void): () => void;
}

/**
 * A provider class for the section at `key`, validated at boot with `schema` (zod, valibot, ...):
 *
 *   export const DbConfig = configSection('data.database', z.object({ source: z.string() }));
 *   export type DbConfig = InstanceType<typeof DbConfig>;
 *   @Module({ providers: [DbConfig] })  ...  constructor(private readonly db: DbConfig) {}  // db.value.source
 *
 * A reload that makes the section invalid is refused (the last valid value stays).
 */
export function configSection<T = unknown>(key: string, schema: StandardSchemaV1<unknown, T> | undefined, options: ConfigSectionOptions & { optional: true }): ConfigSectionClass<T | undefined>;
export function configSection<T = unknown>(key: string, schema?: StandardSchemaV1<unknown, T>, options?: ConfigSectionOptions): ConfigSectionClass<T>;
export function configSection<T = unknown>(key: string, schema?: StandardSchemaV1<unknown, T>, options: ConfigSectionOptions = {}): ConfigSectionClass<T> {
  const Section = class extends SectionImpl<T> {
    constructor(config: Config) {
      super(config, key, schema, options.reload !== false, options.optional === true);
    }
  };
  Object.defineProperty(Section, 'name', { value: `ConfigSection(${key})` });
  defineClassRecord(Section, KEYS.injectable, { scope: 'singleton' });
  mergeParamInject(Section, 0, { token: Config });
  return Section;
}

/** What {@link configSection} returns: a provider class, and the type of what it injects. */
export type ConfigSectionClass<T> = new (config: Config) => ConfigSection<T>;

function missingSection(key: string): FrameworkError {
  return new FrameworkError('KRATOS_ERR_CONFIG_INVALID', `config section '${key}' is missing`, {
    hint: `Add '${key}' to configs/ (or the app's config option), or declare it configSection('${key}', schema, { optional: true }).`,
  });
}

// A section is read when it is built, so a constructor that reads `value` sees the validated section;
// only a schema that validates asynchronously waits for onInit (reading `value` earlier then fails clearly).
class SectionImpl<T> extends ConfigSection<T> {
  readonly key: string;
  #value: { v: T } | undefined;
  readonly #listeners = new Set<(value: T) => void>();
  readonly #config: Config;
  readonly #schema: StandardSchemaV1<unknown, T> | undefined;
  readonly #reload: boolean;
  readonly #optional: boolean;

  constructor(config: Config, key: string, schema: StandardSchemaV1<unknown, T> | undefined, reload: boolean, optional: boolean) {
    super();
    this.#config = config;
    this.key = key;
    this.#schema = schema;
    this.#reload = reload;
    this.#optional = optional;
    const now = this.#read(config.get(key));
    if (!(now instanceof Promise)) this.#value = { v: now };
  }

  get value(): T {
    if (this.#value === undefined) {
      throw new FrameworkError('KRATOS_ERR_CONFIG_INVALID', `config section '${this.key}' was read before its asynchronous schema finished validating it`, {
        hint: 'Read the section in onInit() or later, or use a schema that validates synchronously.',
      });
    }
    return this.#value.v;
  }

  /** Validates at boot (a container lifecycle hook), then follows reloads if asked to. */
  async onInit(): Promise<void> {
    if (this.#value === undefined) this.#value = { v: await this.#read(this.#config.get(this.key)) };
    if (!this.#reload) return;
    this.#config.watch(this.key, (v) => {
      Promise.resolve()
        .then(() => this.#read(v))
        .then(
          (valid) => {
            this.#value = { v: valid };
            for (const l of this.#listeners) l(valid);
          },
          () => undefined,
        );
    });
  }

  watch(fn: (value: T) => void): () => void {
    this.#listeners.add(fn);
    return () => void this.#listeners.delete(fn);
  }

  // The section checked against the schema: synchronously when the schema answers at once.
  #read(raw: unknown): T | Promise<T> {
    if (raw === undefined && this.#optional) return undefined as T;
    if (this.#schema === undefined) {
      if (raw === undefined) throw missingSection(this.key);
      return raw as T;
    }
    if (!isStandardSchema(this.#schema)) throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `configSection('${this.key}'): the schema does not implement Standard Schema v1`);
    const origin = (p: string): string | undefined => this.#config.originOf(p);
    const r = this.#schema['~standard'].validate(raw);
    if (r instanceof Promise) return r.then((res) => (res.issues === undefined ? res.value : Promise.reject(issuesError(res.issues, this.key, origin))));
    if (r.issues === undefined) return r.value;
    throw issuesError(r.issues, this.key, origin);
  }
}
