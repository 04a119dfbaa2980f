import { levelRank, type Level } from './level.js';
import { Logger } from './logger.js';
import { SLOT, type RecordWriter } from './prepared.js';

/** Options of {@link FilterLogger}. */
export interface FilterOptions {
  /** Records below this level are dropped. Default: debug (nothing dropped). */
  level?: Level;
  /** Values of these keys are written as `***` (case-insensitive): `['password', 'token']`. */
  keys?: string[];
  /** These values are written as `***` wherever they appear. */
  values?: unknown[];
  /** Drops a record when it returns true. */
  func?: (level: Level, keyvals: readonly unknown[]) => boolean;
  /** Minimum level per module name (see Logger.named): `{ greeter: 'debug' }`. */
  modules?: Record<string, Level>;
}

const MASK = '***';

/** Level, masking and custom filters in front of another logger (Kratos `NewFilter`). */
export class FilterLogger extends Logger {
  readonly #inner: Logger;
  #min: number;
  readonly #keys: Set<string>;
  readonly #values: Set<unknown>;
  readonly #func: FilterOptions['func'];
  readonly #options: FilterOptions;

  constructor(inner: Logger, options: FilterOptions = {}) {
    super();
    this.#inner = inner;
    this.#options = options;
    this.#min = levelRank(options.level ?? 'debug');
    this.#keys = new Set((options.keys ?? []).map((k) => k.toLowerCase()));
    this.#values = new Set(options.values ?? []);
    this.#func = options.func;
  }

  /** Changes the minimum level at run time (config hot reload of `log.level`). */
  setLevel(level: Level): void {
    this.#min = levelRank(level);
  }

  override enabled(level: Level): boolean {
    return levelRank(level) >= this.#min && this.#inner.enabled(level);
  }

  log(level: Level, ...keyvals: unknown[]): void {
    if (!this.enabled(level)) return;
    if (this.#func?.(level, keyvals) === true) return;
    if (this.#keys.size === 0 && this.#values.size === 0) return this.#inner.log(level, ...keyvals);
    const out = keyvals.slice();
    for (let i = 0; i + 1 < out.length; i += 2) {
      if (this.#keys.has(String(out[i]).toLowerCase()) || this.#values.has(out[i + 1])) out[i + 1] = MASK;
    }
    this.#inner.log(level, ...out);
  }

  /**
   * Masks by key once per shape: a constant under a masked key is masked now, a SLOT under one is
   * written masked whatever it holds; only masked values are still checked per write. Level and
   * `func` stay per write (the level can change at run time).
   */
  override prepare(template: readonly unknown[]): RecordWriter {
    if (this.#func !== undefined) return super.prepare(template);
    const shape = template.slice();
    const slotMasked: boolean[] = [];
    for (let i = 0; i + 1 < shape.length; i += 2) {
      const byKey = this.#keys.has(String(shape[i]).toLowerCase());
      if (shape[i + 1] === SLOT) slotMasked.push(byKey);
      else if (byKey || this.#values.has(shape[i + 1])) shape[i + 1] = MASK;
    }
    const masked = slotMasked.includes(true) || this.#values.size > 0;
    const inner = this.#inner.prepare(shape);
    if (!masked) return (level, values) => (this.enabled(level) ? inner(level, values) : undefined);
    const values = this.#values;
    return (level, given) => {
      if (!this.enabled(level)) return;
      const out = given.slice();
      for (let i = 0; i < out.length; i++) if (slotMasked[i] === true || values.has(out[i])) out[i] = MASK;
      inner(level, out);
    };
  }

  override named(name: string): Logger {
    const level = this.#options.modules?.[name];
    const base = level === undefined ? this : new FilterLogger(this.#inner, { ...this.#options, level });
    return base.with('module', name);
  }
}
