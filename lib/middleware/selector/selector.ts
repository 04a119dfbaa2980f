import { chain } from '../chain.js';
import { compileMatchers, selective, type OperationMatcher, type SelectiveMiddleware } from '../operations.js';
import type { Middleware } from '../types.js';

/** Fluent builder of {@link selector}. */
export class SelectorBuilder {
  readonly #middleware: Middleware[];
  readonly #matchers: OperationMatcher[] = [];

  constructor(middleware: Middleware[]) {
    this.#middleware = middleware;
  }

  /** Exact operations (a trailing `*` makes a prefix). */
  path(...operations: string[]): this {
    this.#matchers.push(...operations);
    return this;
  }

  /** Operation prefixes, written with or without the trailing `*`. */
  prefix(...prefixes: string[]): this {
    this.#matchers.push(...prefixes.map((p) => (p.endsWith('*') ? p : `${p}*`)));
    return this;
  }

  /** Regular expressions that must match the whole operation. */
  regex(...patterns: (RegExp | string)[]): this {
    this.#matchers.push(...patterns.map((p) => (typeof p === 'string' ? new RegExp(p) : p)));
    return this;
  }

  /** A predicate over the operation. */
  match(fn: (operation: string) => boolean): this {
    this.#matchers.push(fn);
    return this;
  }

  build(): SelectiveMiddleware {
    return selective(chain(...this.#middleware), compileMatchers(this.#matchers));
  }
}

/**
 * Applies `middleware` only to the operations named by the builder (Kratos `selector`):
 * `selector(jwt).prefix('/api.Admin/').build()`.
 */
export function selector(...middleware: Middleware[]): SelectorBuilder {
  return new SelectorBuilder(middleware);
}
