import { levelRank, type Level } from './level.js';

/**
 * A key-value logger (§8). Implementations write `log(level, k1, v1, k2, v2, ...)`; the helpers are
 * shared. It is also the injection token: `constructor(private log: Logger)` gets the app's logger.
 */
export abstract class Logger {
  /** Writes one record. Odd key-values are kept, with the last value under `KEYVALS UNPAIRED`. */
  abstract log(level: Level, ...keyvals: unknown[]): void;

  /** Whether a record at `level` would be written; callers use it to skip building costly values. */
  enabled(level: Level): boolean {
    return levelRank(level) >= 0;
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
}

/** Writes nothing; the logger of test apps unless a test asks for one. */
export class NoopLogger extends Logger {
  log(): void {}
  override enabled(_level?: Level): boolean {
    return false;
  }
}
