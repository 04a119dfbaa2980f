/**
 * The protobuf wire primitives the OTLP span encoder needs, writing into one growing buffer. Numbers
 * are written as the OTel SDK's own writer writes them (so the bytes match it exactly): varints of
 * negative numbers as 64-bit two's complement, integers beyond 32 bits split into two words.
 */
export class ProtoWriter {
  buf: Buffer;
  pos = 0;

  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }

  reset(): void {
    this.pos = 0;
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** A tag or small varint known to fit in one byte. */
  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  varint(value: number): void {
    this.ensure(10);
    const buf = this.buf;
    if (value >= 0 && value <= 0xffffffff) {
      let v = value >>> 0;
      while (v > 0x7f) {
        buf[this.pos++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      buf[this.pos++] = v;
      return;
    }
    const magnitude = Math.abs(value);
    let low = magnitude >>> 0;
    let high = (magnitude / 0x100000000) >>> 0;
    if (value < 0) {
      // Two's complement of the 64-bit magnitude.
      low = ~low >>> 0;
      high = ~high >>> 0;
      low = (low + 1) >>> 0;
      if (low === 0) high = (high + 1) >>> 0;
    }
    while (high > 0 || low > 0x7f) {
      buf[this.pos++] = (low & 0x7f) | 0x80;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high >>>= 7;
    }
    buf[this.pos++] = low & 0x7f;
  }

  fixed32(value: number): void {
    this.ensure(4);
    this.word(value >>> 0);
  }

  // Byte by byte rather than Buffer's writeUInt32LE, whose checks cost more than the write.
  private word(v: number): void {
    const buf = this.buf;
    buf[this.pos++] = v & 0xff;
    buf[this.pos++] = (v >>> 8) & 0xff;
    buf[this.pos++] = (v >>> 16) & 0xff;
    buf[this.pos++] = v >>> 24;
  }

  /** An OTel HrTime [seconds, nanoseconds] as fixed64 nanoseconds, exact beyond 2^53. */
  hrTime(seconds: number, nanos: number): void {
    // seconds * 1e9 + nanos, in two 32-bit words: seconds split at 2^16 keeps each product exact.
    const lowSeconds = seconds & 0xffff;
    const highSeconds = (seconds / 0x10000) >>> 0;
    const a = lowSeconds * 1e9; // < 2^46
    const b = highSeconds * 1e9; // contributes b * 2^16
    const lowSum = (a >>> 0) + (((b & 0xffff) * 0x10000) >>> 0) + nanos;
    const low = lowSum >>> 0;
    const high = (Math.floor(a / 0x100000000) + ((b / 0x10000) >>> 0) + Math.floor(lowSum / 0x100000000)) >>> 0;
    this.ensure(8);
    this.word(low);
    this.word(high);
  }

  double(value: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(value, this.pos);
    this.pos += 8;
  }

  /** Length-prefixed bytes. */
  bytes(value: Uint8Array): void {
    this.varint(value.length);
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
  }

  /** Bytes already encoded, copied as they are. */
  raw(value: Uint8Array): void {
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
  }

  /** A length-prefixed UTF-8 string (lone surrogates become U+FFFD, as TextEncoder writes them). */
  string(value: string): void {
    const n = value.length;
    if (n < 64) {
      let ascii = true;
      for (let i = 0; i < n; i++) if (value.charCodeAt(i) > 0x7f) { ascii = false; break; }
      if (ascii) {
        this.ensure(n + 1);
        const buf = this.buf;
        buf[this.pos++] = n;
        for (let i = 0; i < n; i++) buf[this.pos++] = value.charCodeAt(i);
        return;
      }
    }
    const size = Buffer.byteLength(value, 'utf8');
    this.varint(size);
    this.ensure(size);
    this.pos += this.buf.write(value, this.pos, 'utf8');
  }

  /**
   * An id in hex as length-prefixed bytes, digit by digit as the SDK converts it (a-f, A-F, and any
   * other character as if it were an uppercase letter).
   */
  hexId(hex: string): void {
    const n = hex.length >>> 1;
    // The length as a varint: a link's context is not validated by the SDK, so an id can be long.
    this.varint(n);
    this.ensure(n);
    const buf = this.buf;
    for (let i = 0; i < n; i++) {
      const hi = hex.charCodeAt(2 * i);
      const lo = hex.charCodeAt(2 * i + 1);
      buf[this.pos++] = hi < 128 && lo < 128 ? HIGH[hi]! | LOW[lo]! : (hexDigit(hi) << 4) | hexDigit(lo);
    }
  }

  /** Starts a length-delimited field's body; its length is written by {@link end}. */
  begin(): number {
    this.ensure(1);
    return this.pos++;
  }

  /** Writes the length of the body begun at `mark`, moving the body when the length needs more than one byte. */
  end(mark: number): void {
    const length = this.pos - mark - 1;
    if (length < 0x80) {
      this.buf[mark] = length;
      return;
    }
    const extra = varintSize(length) - 1;
    this.ensure(extra);
    this.buf.copyWithin(mark + 1 + extra, mark + 1, this.pos);
    let v = length;
    let at = mark;
    while (v > 0x7f) {
      this.buf[at++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[at] = v;
    this.pos += extra;
  }

  /** A copy of what was written. */
  finish(): Uint8Array {
    return Uint8Array.prototype.slice.call(this.buf, 0, this.pos);
  }
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  return c - 55;
}

// The low byte of (digit << 4) and of digit for each ASCII character: looking them up costs no
// branch per digit (random hex digits mispredict one in three).
const HIGH = new Uint8Array(128);
const LOW = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  HIGH[c] = (hexDigit(c) << 4) & 0xff;
  LOW[c] = hexDigit(c) & 0xff;
}

function varintSize(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
}
