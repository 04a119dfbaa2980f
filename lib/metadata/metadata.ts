/**
 * The one case-insensitive, multi-value string map: call metadata passed along a chain (docs/errors-and-metadata.md#metadata) and the
 * transport-independent request/reply headers (it satisfies `Header`). Keys are lower-cased; empty keys
 * are ignored, and `set` ignores empty values, as in Kratos.
 */
export class Metadata {
  readonly #map = new Map<string, string[]>();

  constructor(init?: Record<string, string | string[] | undefined>) {
    for (const [k, v] of Object.entries(init ?? {})) {
      if (v !== undefined) for (const x of Array.isArray(v) ? v : [v]) this.add(k, x);
    }
  }

  /** The first value of `key`. */
  get(key: string): string | undefined {
    return this.#map.get(key.toLowerCase())?.[0];
  }

  /** Replaces the values of `key`. */
  set(key: string, value: string): void {
    if (key === '' || value === '') return;
    this.#map.set(key.toLowerCase(), [value]);
  }

  /** Adds a value to `key`. */
  add(key: string, value: string): void {
    if (key === '') return;
    const k = key.toLowerCase();
    const list = this.#map.get(k);
    if (list === undefined) this.#map.set(k, [value]);
    else list.push(value);
  }

  values(key: string): string[] {
    return [...(this.#map.get(key.toLowerCase()) ?? [])];
  }

  keys(): string[] {
    return [...this.#map.keys()];
  }

  get size(): number {
    return this.#map.size;
  }

  /** Calls `fn` per key until it returns false. */
  range(fn: (key: string, values: readonly string[]) => boolean | void): void {
    for (const [k, v] of this.#map) if (fn(k, v) === false) return;
  }

  clone(): Metadata {
    const md = new Metadata();
    for (const [k, v] of this.#map) for (const x of v) md.add(k, x);
    return md;
  }

  toJSON(): Record<string, string[]> {
    return Object.fromEntries([...this.#map].map(([k, v]) => [k, [...v]]));
  }
}
