import { levelRank, type Level } from './level.js';
import { fillTemplate, type RecordWriter } from './prepared.js';
import { bindValues } from './valuer.js';

/**
 * A key-value logger (docs/config-and-logging.md#logging). Implementations write `log(level, k1, v1, k2, v2, ...)`; the helpers are
 * shared. It is also the injection token: `constructor(private log: Logger)` gets the app's logger.
 */
export abstract class Logger {
  /** Writes one record. Odd key-values are kept, with the last value under `KEYVALS UNPAIRED`. */
  abstract log(level: Level, ...keyvals: unknown[]): void;

  /** Whether a record at `level` would be written; callers use it to skip building costly values. */
  enabled(level: Level): boolean {
    return levelRank(level) >= 0;
  }

  /**
   * A writer of records shaped like `template` (key-values whose SLOT values each write supplies),
   * for code that writes the same shape on every call. It writes exactly what `log(level, ...filled)`
   * would; loggers override it to do per shape what `log` does per record.
   */
  prepare(template: readonly unknown[]): RecordWriter {
    return (level, values) => this.log(level, ...fillTemplate(template, values));
  }

  /** A logger that writes `keyvals` (valuers evaluated per record) before each record's own (Kratos `With`). */
  with(...keyvals: unknown[]): Logger {
    return new WithLogger(this, keyvals);
  }

  /** The logger for a named module; a filter configured per module applies its level. */
  named(name: string): Logger {
    return this.with('module', name);
  }

  debug(message: string, ...keyvals: unknown[]): void {
    if (this.enabled('debug')) this.log('debug', 'msg', message, ...keyvals);
  }
  info(message: string, ...keyvals: unknown[]): void {
    if (this.enabled('info')) this.log('info', 'msg', message, ...keyvals);
  }
  warn(message: string, ...keyvals: unknown[]): void {
    if (this.enabled('warn')) this.log('warn', 'msg', message, ...keyvals);
  }
  error(message: string, ...keyvals: unknown[]): void {
    if (this.enabled('error')) this.log('error', 'msg', message, ...keyvals);
  }
  /** Key-values only (Kratos `Debugw`). */
  debugw(...keyvals: unknown[]): void {
    if (this.enabled('debug')) this.log('debug', ...keyvals);
  }
  infow(...keyvals: unknown[]): void {
    if (this.enabled('info')) this.log('info', ...keyvals);
  }
  warnw(...keyvals: unknown[]): void {
    if (this.enabled('warn')) this.log('warn', ...keyvals);
  }
  errorw(...keyvals: unknown[]): void {
    if (this.enabled('error')) this.log('error', ...keyvals);
  }
}

class WithLogger extends Logger {
  readonly #inner: Logger;
  readonly #prefix: unknown[];

  constructor(inner: Logger, prefix: unknown[]) {
    super();
    // Flatten chains so a record is one array copy, however many with() calls built the logger.
    if (inner instanceof WithLogger) {
      this.#inner = inner.#inner;
      this.#prefix = [...inner.#prefix, ...prefix];
    } else {
      this.#inner = inner;
      this.#prefix = prefix;
    }
  }

  log(level: Level, ...keyvals: unknown[]): void {
    this.#inner.log(level, ...bindValues(this.#prefix), ...keyvals);
  }

  override enabled(level: Level): boolean {
    return this.#inner.enabled(level);
  }

  // The prefix joins the template, its valuers read per write as log() reads them per record.
  override prepare(template: readonly unknown[]): RecordWriter {
    return this.#inner.prepare([...this.#prefix, ...template]);
  }

  override named(name: string): Logger {
    return new WithLogger(this.#inner.named(name), this.#prefix);
  }
}

/** Writes nothing; the logger of test apps unless a test asks for one. */
export class NoopLogger extends Logger {
  log(): void {}
  override enabled(_level?: Level): boolean {
    return false;
  }
  override with(): Logger {
    return this;
  }
  override prepare(): RecordWriter {
    return () => undefined;
  }
}
