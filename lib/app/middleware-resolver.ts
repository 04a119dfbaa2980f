import type { AppContainer, Class } from '../container/index.js';
import { FrameworkError } from '../errors/index.js';
import { compileMatchers, selective, type Middleware } from '../middleware/index.js';
import { readMiddlewareOptions, type MiddlewareClass, type MiddlewareEntry } from '../annotations/index.js';

/**
 * Turns middleware entries into functions, once per app: `@Middleware` classes come from the
 * container (so test overrides apply) and are wrapped in their `match` selector.
 */
export class MiddlewareResolver {
  readonly #container: AppContainer;
  readonly #cache = new Map<MiddlewareEntry, Middleware>();

  constructor(container: AppContainer) {
    this.#container = container;
  }

  resolve(entry: MiddlewareEntry, where: string): Middleware {
    let m = this.#cache.get(entry);
    if (m === undefined) {
      m = this.#build(entry, where);
      this.#cache.set(entry, m);
    }
    return m;
  }

  resolveAll(entries: readonly MiddlewareEntry[], where: string): Middleware[] {
    return entries.map((e) => this.resolve(e, where));
  }

  #build(entry: MiddlewareEntry, where: string): Middleware {
    if (typeof entry !== 'function') throw invalid(entry, where);
    const options = readMiddlewareOptions(entry);
    if (options === undefined) {
      // A plain function: `(next) => handler`. Classes without @Middleware land here too and are rejected.
      if (/^class\b/.test(Function.prototype.toString.call(entry))) throw invalid(entry, where);
      return entry as Middleware;
    }
    const instance = this.#container.get<MiddlewareClass>(entry as Class<MiddlewareClass>);
    if (typeof instance?.handle !== 'function') throw invalid(entry, where);
    const m: Middleware = (next) => instance.handle(next);
    if (options.match === undefined) return m;
    return selective(m, compileMatchers(Array.isArray(options.match) ? options.match : [options.match]));
  }
}

function invalid(entry: unknown, where: string): FrameworkError {
  const name = typeof entry === 'function' ? entry.name || '<anonymous>' : String(entry);
  return new FrameworkError('KRATOS_ERR_MIDDLEWARE_INVALID', `middleware ${name} used by ${where} is not usable`);
}
