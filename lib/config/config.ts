/**
 * Read access to the app's configuration tree by dotted key (`server.http.addr`). It is also the
 * injection token: `constructor(private config: Config)` gets the app's configuration.
 */
export abstract class Config {
  /** The value at `key`, or undefined when any part of the path is missing. */
  abstract get<T = unknown>(key: string): T | undefined;
}

/** Looks up a dotted path in a plain object tree. */
export function lookup(tree: unknown, key: string): unknown {
  let cur: unknown = tree;
  for (const part of key.split('.')) {
    if (typeof cur !== 'object' || cur === null || !Object.hasOwn(cur, part)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** A configuration fixed at creation: an in-memory tree. */
export class StaticConfig extends Config {
  readonly #tree: Record<string, unknown>;

  constructor(tree: Record<string, unknown> = {}) {
    super();
    this.#tree = tree;
  }

  get<T = unknown>(key: string): T | undefined {
    return lookup(this.#tree, key) as T | undefined;
  }
}
