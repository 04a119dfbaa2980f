import { FrameworkError } from '../errors/index.js';
import { parseDuration } from './duration.js';

/** A config value with typed accessors (docs/config-and-logging.md#configuration `Value`); each fails with a message naming the key. */
export class ConfigValue {
  readonly key: string;
  readonly raw: unknown;

  constructor(key: string, raw: unknown) {
    this.key = key;
    this.raw = raw;
  }

  get exists(): boolean {
    return this.raw !== undefined;
  }

  string(fallback?: string): string {
    if (this.raw === undefined && fallback !== undefined) return fallback;
    if (typeof this.raw === 'string' || typeof this.raw === 'number' || typeof this.raw === 'boolean') return String(this.raw);
    throw this.#wrong('a string');
  }

  number(fallback?: number): number {
    if (this.raw === undefined && fallback !== undefined) return fallback;
    const n = typeof this.raw === 'string' && this.raw.trim() !== '' ? Number(this.raw) : this.raw;
    if (typeof n === 'number' && Number.isFinite(n)) return n;
    throw this.#wrong('a number');
  }

  bool(fallback?: boolean): boolean {
    if (this.raw === undefined && fallback !== undefined) return fallback;
    if (typeof this.raw === 'boolean') return this.raw;
    if (this.raw === 'true' || this.raw === 'false') return this.raw === 'true';
    throw this.#wrong('a boolean');
  }

  /** Milliseconds, from a number or a duration string (`1s`, `500ms`). */
  duration(fallback?: number): number {
    if (this.raw === undefined && fallback !== undefined) return fallback;
    return parseDuration(this.raw, this.key);
  }

  list(): unknown[] {
    if (Array.isArray(this.raw)) return this.raw;
    throw this.#wrong('a list');
  }

  map(): Record<string, unknown> {
    if (typeof this.raw === 'object' && this.raw !== null && !Array.isArray(this.raw)) return this.raw as Record<string, unknown>;
    throw this.#wrong('a mapping');
  }

  #wrong(expected: string): FrameworkError {
    const got = this.raw === undefined ? 'nothing' : JSON.stringify(this.raw);
    return new FrameworkError('KRATOS_ERR_CONFIG_INVALID', `config key ${this.key}: expected ${expected}, got ${got}`);
  }
}
