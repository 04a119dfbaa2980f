import type { Level } from './level.js';
import { SLOT } from './prepared.js';
import { oneByte } from '../internal/index.js';
import { isValuer, valuerHints, type Valuer } from './valuer.js';
import { boundOf, putBytes, putPlain, putValue } from './json-bytes.js';

/**
 * One JSON line of a prepared shape, in two steps: `read` takes a write's values (its SLOTs, and its
 * valuers called now), `render` turns values read earlier into the line, its newline included. So a
 * line can be rendered later than it was written (LineBatch renders a turn's lines together when the
 * turn ends) and still hold what was true when it was written: every value read is a primitive.
 */
export interface JsonLine {
  /** How many values a line reads: its SLOTs and valuers. */
  readonly size: number;
  /**
   * Reads a write's values into `into` (from index 0); when one needs the full serialiser, returns
   * the record's key-values instead (valuers already read, so none is read twice), else undefined.
   */
  read(values: readonly unknown[], into: unknown[]): unknown[] | undefined;
  /** The line of values `read` left in `from`, starting at `at`. */
  render(level: Level, from: readonly unknown[], at: number): string;
  /** The most bytes `encode` writes for the line of values at `at`. */
  bound?(from: readonly unknown[], at: number): number;
  /**
   * Writes the UTF-8 of the line `render` gives straight into `into` at `pos` (room for `bound`
   * bytes), without making it a string; returns where it ends. `chunk` names `into` (a number no
   * other buffer was given with), whose bytes before `pos` must not have changed since the last line
   * encoded with that number: a repeated value is copied from them. A shape without it is rendered.
   */
  encode?(level: Level, from: readonly unknown[], at: number, into: Buffer, pos: number, chunk: number): number;
}

const HEADS: Readonly<Record<Level, string>> = {
  debug: '{"level":"debug"',
  info: '{"level":"info"',
  warn: '{"level":"warn"',
  error: '{"level":"error"',
  fatal: '{"level":"fatal"',
};
// The two levels of access lines compared first, before a keyed lookup.
const head = (level: Level): string => (level === 'info' ? HEADS.info : level === 'error' ? HEADS.error : HEADS[level]);
const HEAD_BYTES = Object.fromEntries(Object.entries(HEADS).map(([k, v]) => [k, Buffer.from(v)])) as Readonly<Record<Level, Buffer>>;
const INFO_HEAD = HEAD_BYTES.info;
const ERROR_HEAD = HEAD_BYTES.error;
const headBytes = (level: Level): Buffer => (level === 'info' ? INFO_HEAD : level === 'error' ? ERROR_HEAD : HEAD_BYTES[level]);

/** `,"key":value`, or '' for a value JSON leaves out of an object (undefined, functions, symbols). */
function member(name: string, value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? '' : `${name}${text}`;
}

// Values a member can be rendered from on its own: JSON.stringify of an object member passes its
// key to toJSON and may meet cycles, so objects (and bigints, Errors) take the full path.
function simple(v: unknown): boolean {
  const t = typeof v;
  return t === 'string' || t === 'number' || t === 'boolean' || t === 'undefined' || v === null;
}

/**
 * Compiles the JSON line WinstonLogger writes for records of this shape, byte for byte: `level`,
 * then each key in order, as `JSON.stringify` writes the record object. The constant members are
 * rendered now; each write renders only its SLOTs and valuers. Returns undefined for shapes whose
 * object would not keep that order (a repeated key, `level` or `message`, an unpaired key), which
 * keep the full path.
 */
export function compileJsonLine(template: readonly unknown[]): JsonLine | undefined {
  if (template.length % 2 !== 0) return undefined;
  const seen = new Set<string>(['level', 'message']);
  // Parts alternate: constant text, then a variable member (its `,"key":` and where its value comes from).
  const fixed: string[] = [''];
  const names: string[] = [];
  const sources: (Valuer | number)[] = [];
  const positions: number[] = [];
  let slot = 0;
  for (let i = 0; i < template.length; i += 2) {
    const key = String(template[i]);
    if (seen.has(key)) return undefined;
    seen.add(key);
    const name = `,${JSON.stringify(key)}:`;
    const v = template[i + 1];
    if (v === SLOT || isValuer(v)) {
      names.push(name);
      positions.push(i + 1);
      sources.push(v === SLOT ? slot++ : (v as Valuer));
      fixed.push('');
    } else {
      if (!simple(v)) return undefined;
      fixed[fixed.length - 1] += member(name, v);
    }
  }
  const n = names.length;
  // Each member's `,"key":` joined to the constant text before it, so a member is one concatenation
  // of its value (fewer string pieces to flatten when the line is written); the constant text alone
  // stands in when the value is one JSON leaves out.
  const joints = names.map((name, i) => oneByte((fixed[i] as string) + name));
  const tail = oneByte(`${fixed[n] as string}}\n`);
  for (let i = 0; i <= n; i++) fixed[i] = oneByte(fixed[i] as string);
  // The last string of each valuer and its JSON: a value repeated from line to line (the timestamp,
  // the same for every line of a millisecond) is escaped once. Only valuers' strings are kept, not args.
  const lastValues = new Array<unknown>(n).fill(undefined);
  const lastTexts = new Array<string>(n).fill('');
  // The same constant parts as bytes, for lines written straight into a buffer.
  const jointBytes = joints.map((j) => Buffer.from(j));
  const fixedBytes = fixed.map((f) => Buffer.from(f as string));
  const tailBytes = Buffer.from(tail);
  // Where each valuer's last string was encoded: which chunk (a number, so no chunk is held) and where.
  const lastEncoded = new Array<unknown>(n).fill(undefined);
  const lastChunks = new Array<number>(n).fill(-1);
  const lastStarts = new Array<number>(n).fill(0);
  const lastEnds = new Array<number>(n).fill(0);
  // Per member, what its valuer promised (ValuerHints): strings written unchecked, and compared with the last or not.
  const plain = sources.map((src) => typeof src !== 'number' && valuerHints(src).plain === true);
  const repeats = sources.map((src) => typeof src !== 'number' && valuerHints(src).repeats !== false);
  const constBytes = jointBytes.reduce((sum, b) => sum + b.length, HEAD_BYTES.debug.length + HEAD_BYTES.error.length + tailBytes.length);
  return {
    size: n,
    read(values, into) {
      for (let i = 0; i < n; i++) {
        const src = sources[i] as Valuer | number;
        const v = (into[i] = typeof src === 'number' ? values[src] : src());
        if (!simple(v)) return slowRecord(template, positions, sources, values, into, i);
      }
      return undefined;
    },
    render(level, from, at) {
      let line = head(level);
      for (let i = 0; i < n; i++) {
        const v = from[at + i];
        let text: string | undefined;
        if (typeof v !== 'string' || typeof sources[i] === 'number') text = JSON.stringify(v);
        else if (v === lastValues[i]) text = lastTexts[i] as string;
        else {
          text = JSON.stringify(v);
          lastValues[i] = v;
          lastTexts[i] = text;
        }
        line += text === undefined ? (fixed[i] as string) : (joints[i] as string) + text;
      }
      return line + tail;
    },
    bound(from, at) {
      let bytes = constBytes;
      for (let i = 0; i < n; i++) bytes += boundOf(from[at + i]);
      return bytes;
    },
    encode(level, from, at, into, pos, chunk) {
      let p = putBytes(into, pos, headBytes(level));
      for (let i = 0; i < n; i++) {
        const v = from[at + i];
        if (v === undefined) {
          p = putBytes(into, p, fixedBytes[i] as Buffer);
          continue;
        }
        p = putBytes(into, p, jointBytes[i] as Buffer);
        // A valuer's string repeated from the line before (the timestamp, the same for a millisecond's
        // lines) is copied from where its bytes were written in this chunk, which is never written over.
        if (typeof v === 'string' && repeats[i] === true) {
          if (v === lastEncoded[i] && chunk === lastChunks[i]) {
            const start = lastStarts[i] as number;
            const end = lastEnds[i] as number;
            into.copyWithin(p, start, end);
            p += end - start;
            continue;
          }
          lastEncoded[i] = v;
          lastChunks[i] = chunk;
          lastStarts[i] = p;
          p = plain[i] === true ? putPlain(into, p, v) : putValue(into, p, v);
          lastEnds[i] = p;
          continue;
        }
        p = typeof v === 'string' && plain[i] === true ? putPlain(into, p, v) : putValue(into, p, v);
      }
      return putBytes(into, p, tailBytes);
    },
  };
}

// The record's key-values once the value at `at` turned out not to be simple: those read so far are
// in `got`, the rest are read now, so no valuer is called twice.
function slowRecord(template: readonly unknown[], positions: number[], sources: (Valuer | number)[], values: readonly unknown[], got: unknown[], at: number): unknown[] {
  const kv = template.slice();
  for (let i = 0; i < positions.length; i++) {
    const src = sources[i] as Valuer | number;
    kv[positions[i] as number] = i <= at ? got[i] : typeof src === 'number' ? values[src] : src();
  }
  return kv;
}
