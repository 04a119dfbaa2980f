import type { Writable } from 'node:stream';
import type { JsonLine } from './json-line.js';
import type { Level } from './level.js';

/** Bytes of a chunk the lines of several turns are encoded into; a longer line gets a chunk of its own size. */
export const CHUNK_BYTES = 64 * 1024;
/** Lines not yet rendered and encoded are, past this many characters or slots, rendered and encoded at once. */
const PENDING_CHARS = CHUNK_BYTES;
const PENDING_SLOTS = 4096;
// Numbers the chunks of every batch, so a prepared line can tell the chunk it last wrote into.
let chunks = 0;

/**
 * The lines of one turn of the event loop, encoded as UTF-8 straight into a chunk of bytes as they
 * are written, and handed to the stream as one Buffer when the turn ends (setImmediate) or the
 * process exits. Each line is encoded on its own, so a line V8 holds in two bytes a character (a
 * non-Latin-1 value) is the only one to take the slow path, where joining the turn's lines into one
 * string made every line of the turn two-byte and flattened them all again when written.
 *
 * A chunk is only ever written forwards: the bytes of a turn handed to the stream are never touched
 * again (a pipe or a TTY may still hold them after `write` returns), the next turn starts after them,
 * and a full chunk is left to whoever still holds its bytes while the batch moves to a new one. A
 * turn that fills a chunk is written in more than one piece.
 *
 * A prepared record's line is rendered when the turn's lines are encoded, not when it is written:
 * the record's values (primitives, valuers read when written) wait in the batch, and the turn's lines
 * are rendered and encoded one after the other. On a server that is the same code run for every
 * request of the turn back to back, where rendering each line between one request's parsing and
 * the next request's costed several times more (the access log's socket premium, docs/performance.md
 * "The sixth round"). Lines of every kind go through one queue, so they keep the order they were
 * written in; what waits is bounded (a chunk's worth of characters or a few thousand values).
 */
export class LineBatch {
  readonly #stream: Writable;
  // Allocated by the first line, so that a logger that never writes holds no chunk.
  #chunk = Buffer.alloc(0);
  #chunkId = ++chunks;
  /** Where the current turn's bytes start and end in the chunk. */
  #start = 0;
  #end = 0;
  #scheduled = false;
  /** The turn's lines not yet encoded, in order: a string, or a prepared shape, its level and its values. */
  #pending: unknown[] = [];
  /** The other queue: lines written while the pending ones are encoded (a stream's handler logging) wait here. */
  #next: unknown[] = [];
  #slots = 0;
  #chars = 0;
  #encoding = false;
  readonly #flush = (): void => {
    this.#scheduled = false;
    this.#encode();
    this.#write();
    // A chunk made for one long line is not kept at its size once that line is written.
    if (this.#chunk.length > CHUNK_BYTES) this.#fresh(0);
  };

  constructor(stream: Writable) {
    this.#stream = stream;
    process.once('exit', this.#flush);
  }

  /** Adds one line (its newline included) to the turn's; the first of a turn schedules the write. */
  add(line: string): void {
    this.#schedule();
    this.#pending[this.#slots++] = line;
    this.#chars += line.length;
    if ((this.#chars > PENDING_CHARS || this.#slots > PENDING_SLOTS) && !this.#encoding) this.#encode();
  }

  /** Adds the line of a prepared shape, rendered when the turn's lines are encoded, from values `shape.read` took. */
  addRecord(shape: JsonLine, level: Level, values: readonly unknown[]): void {
    this.#schedule();
    const pending = this.#pending;
    let at = this.#slots;
    pending[at++] = shape;
    pending[at++] = level;
    let chars = this.#chars + 64;
    for (let i = 0; i < shape.size; i++) {
      const v = values[i];
      pending[at++] = v;
      if (typeof v === 'string') chars += v.length;
    }
    this.#slots = at;
    this.#chars = chars;
    if ((chars > PENDING_CHARS || at > PENDING_SLOTS) && !this.#encoding) this.#encode();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(this.#flush);
  }

  /**
   * Renders and encodes the pending lines, in order, and lets go of their values. A line written
   * meanwhile (by a handler of the stream's write) goes into the other queue, after these.
   */
  #encode(): void {
    if (this.#encoding) return;
    this.#encoding = true;
    const pending = this.#pending;
    const slots = this.#slots;
    this.#pending = this.#next;
    this.#next = pending;
    this.#slots = 0;
    this.#chars = 0;
    try {
      this.#encodeAll(pending, slots);
    } catch (err) {
      // A stream whose write throws (mid-turn, when a chunk fills) loses the rest of this turn's
      // lines; the queue must not keep their values, nor hand them to a later turn's encode.
      pending.fill(undefined, 0, slots);
      throw err;
    } finally {
      this.#encoding = false;
    }
  }

  #encodeAll(pending: unknown[], slots: number): void {
    for (let i = 0; i < slots; ) {
      const item = pending[i];
      pending[i] = undefined;
      if (typeof item === 'string') {
        this.#put(item);
        i++;
        continue;
      }
      const shape = item as JsonLine;
      const level = pending[i + 1] as Level;
      if (shape.encode !== undefined) this.#putRecord(shape, level, pending, i + 2);
      else this.#put(shape.render(level, pending, i + 2));
      const end = i + 2 + shape.size;
      for (let j = i + 1; j < end; j++) pending[j] = undefined;
      i = end;
    }
  }

  /** Encodes a prepared line's bytes into the chunk straight from its values: no string is made. */
  #putRecord(shape: JsonLine, level: Level, values: readonly unknown[], at: number): void {
    const most = (shape.bound as NonNullable<JsonLine['bound']>)(values, at);
    if (most > this.#chunk.length - this.#end) this.#grow(most);
    this.#end = (shape.encode as NonNullable<JsonLine['encode']>)(level, values, at, this.#chunk, this.#end, this.#chunkId);
  }

  /** Encodes one line into the chunk. */
  #put(line: string): void {
    // A UTF-16 code unit is at most 3 bytes of UTF-8 (a surrogate pair, two units, is 4; a lone one 3).
    if (line.length * 3 > this.#chunk.length - this.#end) this.#grow(line.length * 3);
    this.#end += this.#chunk.write(line, this.#end);
  }

  /** Hands the bytes since the last write to the stream; they are not touched again. */
  #write(): void {
    if (this.#end === this.#start) return;
    const bytes = this.#chunk.subarray(this.#start, this.#end);
    this.#start = this.#end;
    this.#stream.write(bytes);
  }

  /**
   * Makes room for `more` bytes: what the turn holds so far is written first (every line of this
   * destination goes through the batch, so the order is kept), then a new chunk is taken, of its
   * usual size or of the line's. Memory stays within a chunk or three times the longest line, and
   * no byte is copied twice.
   */
  #grow(more: number): void {
    this.#write();
    this.#fresh(more);
  }

  #fresh(more: number): void {
    this.#chunk = more === 0 ? Buffer.alloc(0) : Buffer.allocUnsafeSlow(Math.max(CHUNK_BYTES, more));
    this.#chunkId = ++chunks;
    this.#start = 0;
    this.#end = 0;
  }
}
