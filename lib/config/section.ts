import { mergeParamInject, defineClassRecord, KEYS } from '../metadata/index.js';
import type { StandardSchemaV1 } from '../internal/index.js';
import { Config, validateSection } from './config.js';

/** Options of {@link configSection}. */
export interface ConfigSectionOptions {
  /** Follow hot reload (default true): `value` is always the latest valid section. */
  reload?: boolean;
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
export function configSection<T = unknown>(key: string, schema?: StandardSchemaV1<unknown, T>, options: ConfigSectionOptions = {}): ConfigSectionClass<T> {
  const Section = class extends SectionImpl<T> {
    constructor(config: Config) {
      super(config, key, schema, options.reload !== false);
    }
  };
  Object.defineProperty(Section, 'name', { value: `ConfigSection(${key})` });
  defineClassRecord(Section, KEYS.injectable, { scope: 'singleton' });
  mergeParamInject(Section, 0, { token: Config });
  return Section;
}

/** What {@link configSection} returns: a provider class, and the type of what it injects. */
export type ConfigSectionClass<T> = new (config: Config) => ConfigSection<T>;

class SectionImpl<T> extends ConfigSection<T> {
  readonly key: string;
  #value!: T;
  readonly #listeners = new Set<(value: T) => void>();
  readonly #config: Config;
  readonly #schema: StandardSchemaV1<unknown, T> | undefined;
  readonly #reload: boolean;

  constructor(config: Config, key: string, schema: StandardSchemaV1<unknown, T> | undefined, reload: boolean) {
    super();
    this.#config = config;
    this.key = key;
    this.#schema = schema;
    this.#reload = reload;
  }

  get value(): T {
    return this.#value;
  }

  /** Validates at boot (a container lifecycle hook), then follows reloads if asked to. */
  async onInit(): Promise<void> {
    this.#value = await this.#read(this.#config.get(this.key));
    if (!this.#reload) return;
    this.#config.watch(this.key, (v) => {
      this.#read(v).then(
        (valid) => {
          this.#value = valid;
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

  async #read(raw: unknown): Promise<T> {
    if (this.#schema === undefined) return raw as T;
    return validateSection(this.#schema, raw, this.key, (p) => this.#config.originOf(p));
  }
}
