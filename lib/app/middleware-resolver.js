import { FrameworkError } from '../errors/index.js';
import { compileMatchers, selective } from '../middleware/index.js';
import { readMiddlewareOptions } from '../metadata/index.js';
/**
 * Turns middleware entries into functions, once per app: `@Middleware` classes come from the
 * container (so test overrides apply) and are wrapped in their `match` selector.
 */
export class MiddlewareResolver {
    #container;
    #cache = new Map();
    constructor(container) {
        this.#container = container;
    }
    resolve(entry, where) {
        let m = this.#cache.get(entry);
        if (m === undefined) {
            m = this.#build(entry, where);
            this.#cache.set(entry, m);
        }
        return m;
    }
    resolveAll(entries, where) {
        return entries.map((e) => this.resolve(e, where));
    }
    #build(entry, where) {
        if (typeof entry !== 'function')
            throw invalid(entry, where);
        const options = readMiddlewareOptions(entry);
        if (options === undefined) {
            // A plain function: `(next) => handler`. Classes without @Middleware land here too and are rejected.
            if (/^class\b/.test(Function.prototype.toString.call(entry)))
                throw invalid(entry, where);
            return entry;
        }
        const instance = this.#container.get(entry);
        if (typeof instance?.handle !== 'function')
            throw invalid(entry, where);
        const m = (next) => instance.handle(next);
        if (options.match === undefined)
            return m;
        return selective(m, compileMatchers(Array.isArray(options.match) ? options.match : [options.match]));
    }
}
function invalid(entry, where) {
    const name = typeof entry === 'function' ? entry.name || '<anonymous>' : String(entry);
    return new FrameworkError('KRATOS_ERR_MIDDLEWARE_INVALID', `middleware ${name} used by ${where} is not usable`);
}
