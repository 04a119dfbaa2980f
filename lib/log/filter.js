import { levelRank } from './level.js';
import { Logger } from './logger.js';
const MASK = '***';
/** Level, masking and custom filters in front of another logger (Kratos `NewFilter`). */
export class FilterLogger extends Logger {
    #inner;
    #min;
    #keys;
    #values;
    #func;
    #options;
    constructor(inner, options = {}) {
        super();
        this.#inner = inner;
        this.#options = options;
        this.#min = levelRank(options.level ?? 'debug');
        this.#keys = new Set((options.keys ?? []).map((k) => k.toLowerCase()));
        this.#values = new Set(options.values ?? []);
        this.#func = options.func;
    }
    /** Changes the minimum level at run time (config hot reload of `log.level`). */
    setLevel(level) {
        this.#min = levelRank(level);
    }
    enabled(level) {
        return levelRank(level) >= this.#min && this.#inner.enabled(level);
    }
    log(level, ...keyvals) {
        if (!this.enabled(level))
            return;
        if (this.#func?.(level, keyvals) === true)
            return;
        if (this.#keys.size === 0 && this.#values.size === 0)
            return this.#inner.log(level, ...keyvals);
        const out = keyvals.slice();
        for (let i = 0; i + 1 < out.length; i += 2) {
            if (this.#keys.has(String(out[i]).toLowerCase()) || this.#values.has(out[i + 1]))
                out[i + 1] = MASK;
        }
        this.#inner.log(level, ...out);
    }
    named(name) {
        const level = this.#options.modules?.[name];
        const base = level === undefined ? this : new FilterLogger(this.#inner, { ...this.#options, level });
        return base.with('module', name);
    }
}
