import { Logger, type Level } from '../../lib/log/index.js';

/** Keeps what is logged (the access log's records among it) as objects, key-values unfolded. */
export class CaptureLogger extends Logger {
  readonly records: Record<string, unknown>[] = [];
  log(level: Level, ...kv: unknown[]): void {
    const r: Record<string, unknown> = { level };
    for (let i = 0; i < kv.length; i += 2) r[String(kv[i])] = kv[i + 1];
    this.records.push(r);
  }
}
