import type { Writable } from 'node:stream';

/** Bytes of a chunk the lines of several turns are encoded into; a longer line gets a chunk of its own size. */
export const CHUNK_BYTES = 64 * 1024;

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
 */
export class LineBatch {
  readonly #stream: Writable;
  // Allocated by the first line, so that a logger that never writes holds no chunk.
  #chunk = Buffer.alloc(0);
  /** Where the current turn's bytes start and end in the chunk. */
  #start = 0;
  #end = 0;
  #scheduled = false;
  readonly #flush = (): void => {
    this.#scheduled = false;
    this.#write();
    // A chunk made for one long line is not kept at its size once that line is written.
    if (this.#chunk.length > CHUNK_BYTES) this.#fresh(0);
  };

  constructor(stream: Writable) {
    this.#stream = stream;
    process.once('exit', this.#flush);
  }

  /** Adds one line (its newline included) to the turn's bytes; the first of a turn schedules the write. */
  add(line: string): void {
    // A UTF-16 code unit is at most 3 bytes of UTF-8 (a surrogate pair, two units, is 4; a lone one 3).
    if (line.length * 3 > this.#chunk.length - this.#end) this.#grow(line.length * 3);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#flush);
    }
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
    this.#start = 0;
    this.#end = 0;
  }
}
