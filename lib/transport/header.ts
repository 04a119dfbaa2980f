import type { Header } from './context.js';

/** A {@link Header} over a plain lower-cased record, used where no transport object backs the headers. */
export class MapHeader implements Header {
  readonly #entries = new Map<string, string[]>();

  constructor(init?: Record<string, string | string[] | undefined>) {
    if (init === undefined) return;
    for (const [key, value] of Object.entries(init)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) this.add(key, v);
    }
  }

  get(key: string): string | undefined {
    return this.#entries.get(key.toLowerCase())?.[0];
  }

  set(key: string, value: string): void {
    this.#entries.set(key.toLowerCase(), [value]);
  }

  add(key: string, value: string): void {
    const k = key.toLowerCase();
    const list = this.#entries.get(k);
    if (list === undefined) this.#entries.set(k, [value]);
    else list.push(value);
  }

  keys(): string[] {
    return [...this.#entries.keys()];
  }

  values(key: string): string[] {
    return [...(this.#entries.get(key.toLowerCase()) ?? [])];
  }
}
