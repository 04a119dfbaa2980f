import type { Level } from './level.js';
import { SLOT } from './prepared.js';
import { oneByte } from '../internal/index.js';
import { isValuer, type Valuer } from './valuer.js';

/**
 * Renders one JSON line of a prepared shape, its newline included; when a value needs the full
 * serialiser, returns the record's key-values instead (valuers already read, so none is read twice).
 */
export type JsonLine = (level: Level, values: readonly unknown[]) => string | unknown[];

const HEADS: Readonly<Record<Level, string>> = {
  debug: '{"level":"debug"',
  info: '{"level":"info"',
  warn: '{"level":"warn"',
  error: '{"level":"error"',
  fatal: '{"level":"fatal"',
};
// The two levels of access lines compared first, before a keyed lookup.
const head = (level: Level): string => (level === 'info' ? HEADS.info : level === 'error' ? HEADS.error : HEADS[level]);

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
  // The values read so far, kept for the full serialiser's path; reused from line to line, and a
  // valuer that writes this very shape while the line is rendered gets an array of its own.
  let spare: unknown[] | undefined = new Array<unknown>(n);
  // The last string of each valuer and its JSON: a value repeated from line to line (the timestamp,
  // the same for every line of a millisecond) is escaped once. Only valuers' strings are kept, not args.
  const lastValues = new Array<unknown>(n).fill(undefined);
  const lastTexts = new Array<string>(n).fill('');
  return (level, values) => {
    const got = spare ?? new Array<unknown>(n);
    spare = undefined;
    let line = head(level);
    for (let i = 0; i < n; i++) {
      const src = sources[i] as Valuer | number;
      const v = (got[i] = typeof src === 'number' ? values[src] : src());
      if (!simple(v)) {
        const kv = slowRecord(template, positions, sources, values, got, i);
        spare = clear(got);
        return kv;
      }
      let text: string | undefined;
      if (typeof v !== 'string' || typeof src === 'number') text = JSON.stringify(v);
      else if (v === lastValues[i]) text = lastTexts[i] as string;
      else {
        text = JSON.stringify(v);
        lastValues[i] = v;
        lastTexts[i] = text;
      }
      line += text === undefined ? (fixed[i] as string) : (joints[i] as string) + text;
    }
    // Cleared so that a writer kept per operation holds no caller's args or error until its next line.
    spare = clear(got);
    return line + tail;
  };
}

// A loop, not Array.prototype.fill: a handful of slots, cleared without a call into the runtime.
function clear(values: unknown[]): unknown[] {
  for (let i = 0; i < values.length; i++) values[i] = undefined;
  return values;
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
