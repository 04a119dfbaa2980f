import { Writable } from 'node:stream';
import { Logger } from './logger.js';
import { levelRank, type Level } from './level.js';
import { bindValues } from './valuer.js';

/** Options of {@link StdLogger}. */
export interface StdLoggerOptions {
  /** Where lines go. Default: process.stdout. */
  stream?: Writable;
  /** Records below this level are dropped. Default: `info`. */
  level?: Level;
  /** Key-values written before every record's own. Default: none. */
  prefix?: unknown[];
}

function formatValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Error) return v.stack ?? v.message;
  if (typeof v === 'object' && v !== null) {
    try {
      return JSON.stringify(v);
    } catch {
      return String(v);
    }
  }
  return String(v);
}

/** Plain text lines `LEVEL k1=v1 k2=v2` (Kratos' std logger, docs/config-and-logging.md#logging), for development. */
export class StdLogger extends Logger {
  readonly #stream: Writable;
  readonly #min: number;
  readonly #prefix: unknown[];

  constructor(options: StdLoggerOptions = {}) {
    super();
    this.#stream = options.stream ?? process.stdout;
    this.#min = levelRank(options.level ?? 'info');
    this.#prefix = options.prefix ?? [];
  }

  override enabled(level: Level): boolean {
    return levelRank(level) >= this.#min;
  }

  log(level: Level, ...keyvals: unknown[]): void {
    if (!this.enabled(level)) return;
    const kv = this.#prefix.length === 0 ? keyvals : [...bindValues(this.#prefix), ...keyvals];
    let line = level.toUpperCase();
    for (let i = 0; i < kv.length; i += 2) {
      if (i + 1 >= kv.length) line += ` KEYVALS UNPAIRED=${formatValue(kv[i])}`;
      else line += ` ${formatValue(kv[i])}=${formatValue(kv[i + 1])}`;
    }
    this.#stream.write(line + '\n');
  }
}
