import type { Writable } from 'node:stream';
import winston from 'winston';
import TransportStream from 'winston-transport';
import type { Level } from './level.js';
import { compileJsonLine, type JsonLine } from './json-line.js';
import { LineBatch } from './line-batch.js';
import { Logger } from './logger.js';
import type { RecordWriter } from './prepared.js';

/** Options of {@link WinstonLogger}. */
export interface WinstonLoggerOptions {
  /** Where JSON lines go. Default: process.stdout. */
  stream?: Writable;
  /** Use this winston logger instead of one writing JSON lines (its transports, its format). */
  winston?: winston.Logger;
}

// Our five levels, most severe first, as winston wants them.
const LEVELS = { fatal: 0, error: 1, warn: 2, info: 3, debug: 4 };
const MESSAGE = Symbol.for('message');

function plain(v: unknown): unknown {
  if (v instanceof Error) return { name: v.name, message: v.message, stack: v.stack };
  if (typeof v === 'bigint') return v.toString();
  return v;
}

// winston's json format runs every value through a replacer (safe-stable-stringify); records are
// nearly always plain, so try the native stringify first and keep winston's for cycles and the like.
const safeJson = winston.format.json();
const fastJson = winston.format((info) => {
  try {
    (info as Record<symbol, unknown>)[MESSAGE] = JSON.stringify(info);
    return info;
  } catch {
    return safeJson.transform(info, {});
  }
});

// One batch per standard stream, whatever the number of loggers writing to it: lines of two loggers
// keep the order they were logged in, and the process holds one chunk and one exit listener per stream.
const batches = new Map<Writable, LineBatch>();
function batchOf(stream: Writable): LineBatch {
  let batch = batches.get(stream);
  if (batch === undefined) batches.set(stream, (batch = new LineBatch(stream)));
  return batch;
}

// A loop, not Array.prototype.fill: a handful of slots, cleared without a call into the runtime.
function clear(values: unknown[]): unknown[] {
  for (let i = 0; i < values.length; i++) values[i] = undefined;
  return values;
}

/**
 * Writes each formatted line to a stream, synchronously: winston's own Stream transport defers an
 * event per record to the next turn, which costs more than the write itself. On process.stdout and
 * stderr the lines of one turn of the event loop are encoded into one Buffer and written once (one
 * syscall for many requests, {@link LineBatch}), and what is pending is written before the process exits.
 */
class LineTransport extends TransportStream {
  readonly #stream: Writable;
  readonly #batch: LineBatch | undefined;

  constructor(stream: Writable) {
    super();
    this.#stream = stream;
    this.#batch = stream === process.stdout || stream === process.stderr ? batchOf(stream) : undefined;
  }

  override log(info: Record<symbol, unknown>, done: () => void): void {
    this.writeLine(info[MESSAGE] as string);
    done();
  }

  /** Writes one formatted line (without its newline), as winston's records are. */
  writeLine(text: string): void {
    this.writeText(`${text}\n`);
  }

  /** Writes text ending in a newline. */
  writeText(line: string): void {
    if (this.#batch === undefined) this.#stream.write(line);
    else this.#batch.add(line);
  }

  /** Writes a prepared record's line from the values `shape.read` took: rendered now, or by the batch when the turn ends. */
  writeRecord(shape: JsonLine, level: Level, values: readonly unknown[]): void {
    if (this.#batch === undefined) this.#stream.write(shape.render(level, values, 0));
    else this.#batch.addRecord(shape, level, values);
  }
}

/**
 * The default logger: one JSON object per line on stdout (`{"level":"info","msg":...,"k":v}`), the
 * shape Fluentd and Fluent Bit parse with their json parser. Level filtering is done by the
 * FilterLogger in front of it, so everything that reaches it is written.
 */
export class WinstonLogger extends Logger {
  readonly #w: winston.Logger;
  /** Our own transport, when the winston logger is ours: prepared records are written to it directly. */
  readonly #lines: LineTransport | undefined;

  constructor(options: WinstonLoggerOptions = {}) {
    super();
    if (options.winston !== undefined) {
      this.#w = options.winston;
      return;
    }
    this.#lines = new LineTransport(options.stream ?? process.stdout);
    this.#w = winston.createLogger({ levels: LEVELS, level: 'debug', format: fastJson(), transports: [this.#lines] });
  }

  /**
   * With our own transport, records of a prepared shape skip winston's per-record pipeline (the
   * record object, the format chain, the stream hop) and go to the same transport as the same line:
   * {@link compileJsonLine} renders exactly what the json format would. Values that need the full
   * serialiser (objects, bigints, Errors) take winston's path for that record.
   */
  override prepare(template: readonly unknown[]): RecordWriter {
    const lines = this.#lines;
    const shape = lines === undefined ? undefined : compileJsonLine(template);
    if (lines === undefined || shape === undefined) return super.prepare(template);
    // The values read, reused from write to write (cleared after each, so no caller's args are held);
    // a valuer that writes this very shape while it is read gets an array of its own.
    let spare: unknown[] | undefined = new Array<unknown>(shape.size);
    return (level, values) => {
      const got = spare ?? new Array<unknown>(shape.size);
      spare = undefined;
      const kv = shape.read(values, got);
      if (kv === undefined) lines.writeRecord(shape, level, got);
      spare = clear(got);
      if (kv !== undefined) this.log(level, ...kv);
    };
  }

  log(level: Level, ...keyvals: unknown[]): void {
    // winston takes the message from `message`; keep Kratos' `msg` key as written.
    const record: Record<string, unknown> = { level, message: undefined };
    for (let i = 0; i < keyvals.length; i += 2) {
      if (i + 1 >= keyvals.length) record['KEYVALS UNPAIRED'] = plain(keyvals[i]);
      else record[String(keyvals[i])] = plain(keyvals[i + 1]);
    }
    this.#w.log(record as unknown as winston.LogEntry);
  }
}
