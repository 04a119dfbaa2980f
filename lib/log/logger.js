import { levelRank } from './level.js';
import { bindValues } from './valuer.js';
/**
 * A key-value logger (§8). Implementations write `log(level, k1, v1, k2, v2, ...)`; the helpers are
 * shared. It is also the injection token: `constructor(private log: Logger)` gets the app's logger.
 */
export class Logger {
    /** Whether a record at `level` would be written; callers use it to skip building costly values. */
    enabled(level) {
        return levelRank(level) >= 0;
    }
    /** A logger that writes `keyvals` (valuers evaluated per record) before each record's own (Kratos `With`). */
    with(...keyvals) {
        return new WithLogger(this, keyvals);
    }
    /** The logger for a named module; a filter configured per module applies its level. */
    named(name) {
        return this.with('module', name);
    }
    debug(message, ...keyvals) {
        if (this.enabled('debug'))
            this.log('debug', 'msg', message, ...keyvals);
    }
    info(message, ...keyvals) {
        if (this.enabled('info'))
            this.log('info', 'msg', message, ...keyvals);
    }
    warn(message, ...keyvals) {
        if (this.enabled('warn'))
            this.log('warn', 'msg', message, ...keyvals);
    }
    error(message, ...keyvals) {
        if (this.enabled('error'))
            this.log('error', 'msg', message, ...keyvals);
    }
    /** Key-values only (Kratos `Debugw`). */
    debugw(...keyvals) {
        if (this.enabled('debug'))
            this.log('debug', ...keyvals);
    }
    infow(...keyvals) {
        if (this.enabled('info'))
            this.log('info', ...keyvals);
    }
    warnw(...keyvals) {
        if (this.enabled('warn'))
            this.log('warn', ...keyvals);
    }
    errorw(...keyvals) {
        if (this.enabled('error'))
            this.log('error', ...keyvals);
    }
}
class WithLogger extends Logger {
    #inner;
    #prefix;
    constructor(inner, prefix) {
        super();
        // Flatten chains so a record is one array copy, however many with() calls built the logger.
        if (inner instanceof WithLogger) {
            this.#inner = inner.#inner;
            this.#prefix = [...inner.#prefix, ...prefix];
        }
        else {
            this.#inner = inner;
            this.#prefix = prefix;
        }
    }
    log(level, ...keyvals) {
        this.#inner.log(level, ...bindValues(this.#prefix), ...keyvals);
    }
    enabled(level) {
        return this.#inner.enabled(level);
    }
    named(name) {
        return new WithLogger(this.#inner.named(name), this.#prefix);
    }
}
/** Writes nothing; the logger of test apps unless a test asks for one. */
export class NoopLogger extends Logger {
    log() { }
    enabled(_level) {
        return false;
    }
    with() {
        return this;
    }
}
