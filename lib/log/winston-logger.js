import winston from 'winston';
import TransportStream from 'winston-transport';
import { Logger } from './logger.js';
// Our five levels, most severe first, as winston wants them.
const LEVELS = { fatal: 0, error: 1, warn: 2, info: 3, debug: 4 };
const MESSAGE = Symbol.for('message');
function plain(v) {
    if (v instanceof Error)
        return { name: v.name, message: v.message, stack: v.stack };
    if (typeof v === 'bigint')
        return v.toString();
    return v;
}
// winston's json format runs every value through a replacer (safe-stable-stringify); records are
// nearly always plain, so try the native stringify first and keep winston's for cycles and the like.
const safeJson = winston.format.json();
const fastJson = winston.format((info) => {
    try {
        info[MESSAGE] = JSON.stringify(info);
        return info;
    }
    catch {
        return safeJson.transform(info, {});
    }
});
/**
 * Writes each formatted line to a stream, synchronously: winston's own Stream transport defers an
 * event per record to the next turn, which costs more than the write itself. On process.stdout and
 * stderr the lines of one turn of the event loop are joined and written once (one syscall for many
 * requests), and what is pending is written before the process exits.
 */
class LineTransport extends TransportStream {
    #stream;
    #batched;
    #pending = '';
    #flush = () => {
        const text = this.#pending;
        this.#pending = '';
        if (text !== '')
            this.#stream.write(text);
    };
    constructor(stream) {
        super();
        this.#stream = stream;
        this.#batched = stream === process.stdout || stream === process.stderr;
        if (this.#batched)
            process.once('exit', this.#flush);
    }
    log(info, done) {
        const line = `${info[MESSAGE]}\n`;
        if (!this.#batched)
            this.#stream.write(line);
        else if (this.#pending === '') {
            this.#pending = line;
            setImmediate(this.#flush);
        }
        else
            this.#pending += line;
        done();
    }
}
/**
 * The default logger: one JSON object per line on stdout (`{"level":"info","msg":...,"k":v}`), the
 * shape Fluentd and Fluent Bit parse with their json parser. Level filtering is done by the
 * FilterLogger in front of it, so everything that reaches it is written.
 */
export class WinstonLogger extends Logger {
    #w;
    constructor(options = {}) {
        super();
        this.#w =
            options.winston ??
                winston.createLogger({
                    levels: LEVELS,
                    level: 'debug',
                    format: fastJson(),
                    transports: [new LineTransport(options.stream ?? process.stdout)],
                });
    }
    log(level, ...keyvals) {
        // winston takes the message from `message`; keep Kratos' `msg` key as written.
        const record = { level, message: undefined };
        for (let i = 0; i < keyvals.length; i += 2) {
            if (i + 1 >= keyvals.length)
                record['KEYVALS UNPAIRED'] = plain(keyvals[i]);
            else
                record[String(keyvals[i])] = plain(keyvals[i + 1]);
        }
        this.#w.log(record);
    }
}
