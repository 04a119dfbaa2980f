import { FilterLogger } from './filter.js';
import { StdLogger } from './std-logger.js';
import { WinstonLogger } from './winston-logger.js';
/** A logger with the given format, level, masking and fields; its level can change later (setLevel). */
export function createLogger(options = {}) {
    const stream = options.stream ?? process.stdout;
    const writer = options.format === 'text' ? new StdLogger({ stream, level: 'debug' }) : new WinstonLogger({ stream });
    const base = options.fields === undefined || options.fields.length === 0 ? writer : writer.with(...options.fields);
    return new FilterLogger(base, {
        level: options.level ?? 'info',
        keys: options.mask ?? ['password'],
        ...(options.modules === undefined ? {} : { modules: options.modules }),
    });
}
