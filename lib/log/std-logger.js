import { Logger } from './logger.js';
import { levelRank } from './level.js';
import { bindValues } from './valuer.js';
function formatValue(v) {
    if (typeof v === 'string')
        return v;
    if (v instanceof Error)
        return v.stack ?? v.message;
    if (typeof v === 'object' && v !== null) {
        try {
            return JSON.stringify(v);
        }
        catch {
            return String(v);
        }
    }
    return String(v);
}
/** Plain text lines `LEVEL k1=v1 k2=v2` (Kratos' std logger, §8), for development. */
export class StdLogger extends Logger {
    #stream;
    #min;
    #prefix;
    constructor(options = {}) {
        super();
        this.#stream = options.stream ?? process.stdout;
        this.#min = levelRank(options.level ?? 'info');
        this.#prefix = options.prefix ?? [];
    }
    enabled(level) {
        return levelRank(level) >= this.#min;
    }
    log(level, ...keyvals) {
        if (!this.enabled(level))
            return;
        const kv = this.#prefix.length === 0 ? keyvals : [...bindValues(this.#prefix), ...keyvals];
        let line = level.toUpperCase();
        for (let i = 0; i < kv.length; i += 2) {
            if (i + 1 >= kv.length)
                line += ` KEYVALS UNPAIRED=${formatValue(kv[i])}`;
            else
                line += ` ${formatValue(kv[i])}=${formatValue(kv[i + 1])}`;
        }
        this.#stream.write(line + '\n');
    }
}
