import type { Writable } from 'node:stream';
import { FilterLogger } from './filter.js';
import type { Level } from './level.js';
import type { Logger } from './logger.js';
import { StdLogger } from './std-logger.js';
import { WinstonLogger } from './winston-logger.js';

/** Options of {@link createLogger}; in an app they come from the `log` config section. */
export interface LoggerOptions {
  /** `json` (winston, one object per line) or `text` (`LEVEL k=v`, for development). Default json. */
  format?: 'json' | 'text';
  /** Minimum level. Default info. */
  level?: Level;
  /** Keys whose values are written as `***`. Default `['password']`. */
  mask?: string[];
  /** Minimum level per module (Logger.named). */
  modules?: Record<string, Level>;
  /** Key-values (valuers allowed) written first on every record. */
  fields?: unknown[];
  /** Where lines go. Default process.stdout. */
  stream?: Writable;
}

/** A logger with the given format, level, masking and fields; its level can change later (setLevel). */
export function createLogger(options: LoggerOptions = {}): FilterLogger {
  const stream = options.stream ?? process.stdout;
  const writer: Logger = options.format === 'text' ? new StdLogger({ stream, level: 'debug' }) : new WinstonLogger({ stream });
  const base = options.fields === undefined || options.fields.length === 0 ? writer : writer.with(...options.fields);
  return new FilterLogger(base, {
    level: options.level ?? 'info',
    keys: options.mask ?? ['password'],
    ...(options.modules === undefined ? {} : { modules: options.modules }),
  });
}
