import type { Writable } from 'node:stream';
import winston from 'winston';
import type { Level } from './level.js';
import { Logger } from './logger.js';

/** Options of {@link WinstonLogger}. */
export interface WinstonLoggerOptions {
  /** Where JSON lines go. Default: process.stdout. */
  stream?: Writable;
  /** Use this winston logger instead of one writing JSON lines (its transports, its format). */
  winston?: winston.Logger;
}

// Our five levels, most severe first, as winston wants them.
const LEVELS = { fatal: 0, error: 1, warn: 2, info: 3, debug: 4 };

function plain(v: unknown): unknown {
  if (v instanceof Error) return { name: v.name, message: v.message, stack: v.stack };
  if (typeof v === 'bigint') return v.toString();
  return v;
}

/**
 * The default logger: one JSON object per line on stdout (`{"level":"info","msg":...,"k":v}`), the
 * shape Fluentd and Fluent Bit parse with their json parser. Level filtering is done by the
 * FilterLogger in front of it, so everything that reaches it is written.
 */
export class WinstonLogger extends Logger {
  readonly #w: winston.Logger;

  constructor(options: WinstonLoggerOptions = {}) {
    super();
    this.#w =
      options.winston ??
      winston.createLogger({
        levels: LEVELS,
        level: 'debug',
        format: winston.format.json(),
        transports: [new winston.transports.Stream({ stream: options.stream ?? process.stdout })],
      });
  }

  log(level: Level, ...keyvals: unknown[]): void {
    const record: Record<string, unknown> = {};
    for (let i = 0; i < keyvals.length; i += 2) {
      if (i + 1 >= keyvals.length) record['KEYVALS UNPAIRED'] = plain(keyvals[i]);
      else record[String(keyvals[i])] = plain(keyvals[i + 1]);
    }
    // winston takes the message from `message`; keep Kratos' `msg` key as written.
    this.#w.log({ level, message: undefined as unknown as string, ...record });
  }
}
