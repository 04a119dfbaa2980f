import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { compileJsonLine, type JsonLine } from '../../../lib/log/json-line.js';
import { CHUNK_BYTES, LineBatch } from '../../../lib/log/line-batch.js';
import type { Level } from '../../../lib/log/level.js';
import { SLOT } from '../../../lib/log/prepared.js';
import { timestamp, valuer, valuerHints } from '../../../lib/log/valuer.js';

// A small deterministic generator (mulberry32), so a failure names a seed that reproduces it.
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Code units the encoder treats apart: printable ASCII, the two JSON escapes, controls, DEL, Latin-1,
// the BMP, surrogates paired and lone, U+2028/9 (which JSON.stringify leaves as they are).
const UNITS = ['a', 'Z', '0', ' ', '~', '{', '"', '\\', '/', '\n', '\t', '\u0000', '\u001f', '\u007f', '\u0080', 'é', 'ÿ', '\u0100', '€', '中', '\u2028', '\u2029', '\ud83d\ude00', '\ud800', '\udfff', '\ufffd', '\uffff'];
const LEVELS: Level[] = ['debug', 'info', 'warn', 'error', 'fatal'];

function randomString(next: () => number): string {
  // Mostly plain ASCII, as real values are, sometimes one odd unit, sometimes long.
  const length = next() < 0.05 ? Math.floor(next() * 5000) : Math.floor(next() * 40);
  let s = '';
  const odd = next() < 0.5;
  for (let i = 0; i < length; i++) s += odd && next() < 0.2 ? (UNITS[Math.floor(next() * UNITS.length)] as string) : String.fromCharCode(0x20 + Math.floor(next() * 95));
  return s;
}

function randomValue(next: () => number): unknown {
  const r = next();
  if (r < 0.5) return randomString(next);
  if (r < 0.6) return [0, -0, 200, -1, Number.NaN, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE, 1e21, 1e-7][Math.floor(next() * 11)];
  if (r < 0.8) return (next() - 0.5) * 10 ** Math.floor(next() * 40 - 20);
  if (r < 0.85) return next() < 0.5;
  if (r < 0.9) return null;
  return undefined;
}

/** The line as every logger writes it: JSON.stringify of the record, as winston's json format does. */
function oracle(level: Level, template: readonly unknown[], values: readonly unknown[]): Buffer {
  const record: Record<string, unknown> = { level };
  let slot = 0;
  for (let i = 0; i < template.length; i += 2) {
    const v = template[i + 1];
    record[template[i] as string] = v === SLOT ? values[slot++] : typeof v === 'function' ? (v as () => unknown)() : v;
  }
  return Buffer.from(`${JSON.stringify(record)}\n`);
}

let buffers = 0;
function encoded(shape: JsonLine, level: Level, got: readonly unknown[], pad: number): Buffer {
  const most = (shape.bound as NonNullable<JsonLine['bound']>)(got, 0);
  const into = Buffer.alloc(pad + most + 8, 0xaa);
  const end = (shape.encode as NonNullable<JsonLine['encode']>)(level, got, 0, into, pad, 1e9 + ++buffers);
  assert.ok(into.subarray(end).every((b) => b === 0xaa), 'nothing written past the end returned');
  assert.ok(into.subarray(0, pad).every((b) => b === 0xaa), 'nothing written before the start');
  return into.subarray(pad, end);
}

describe('a prepared line written as bytes', () => {
  it('should be byte for byte Buffer.from of the rendered line and of JSON.stringify of the record, for random values', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const next = random(seed);
      const constant = randomValue(next);
      const fixedValues = Array.from({ length: 3 }, () => randomValue(next));
      let k = 0;
      const template = ['service.name', constant, 'ts', valuer(() => fixedValues[k++ % 3]), 'args', SLOT, 'code', SLOT, 'reason', SLOT, 'latency', SLOT];
      const shape = compileJsonLine(template);
      assert.ok(shape?.encode !== undefined && shape.bound !== undefined, `seed ${seed}: compiled`);
      for (let line = 0; line < 3; line++) {
        const values = Array.from({ length: 4 }, () => randomValue(next));
        const level = LEVELS[Math.floor(next() * LEVELS.length)] as Level;
        const got: unknown[] = new Array<unknown>(shape.size);
        assert.equal(shape.read(values, got), undefined);
        const bytes = encoded(shape, level, got, Math.floor(next() * 7));
        assert.deepEqual(bytes, Buffer.from(shape.render(level, got, 0)), `seed ${seed} line ${line}`);
        k--;
        assert.deepEqual(bytes, oracle(level, template, values), `seed ${seed} line ${line} against JSON.stringify`);
      }
    }
  });

  it('should write each odd code unit in a value as JSON.stringify then UTF-8 do', () => {
    const shape = compileJsonLine(['v', SLOT]);
    assert.ok(shape !== undefined);
    for (const unit of UNITS) {
      for (const v of [unit, `x${unit}`, `${unit}${'y'.repeat(100)}`, unit.repeat(70)]) {
        assert.deepEqual(encoded(shape, 'info', [v], 3), Buffer.from(`{"level":"info","v":${JSON.stringify(v)}}\n`), JSON.stringify(v));
      }
    }
  });
});

describe('a valuer that says what its strings are like (ValuerHints)', () => {
  // Plain text of 0 to 80 characters, around the point where the copy changes from a loop to the
  // runtime, as ids are made (slices of a longer string) and as flat strings (copied through a Buffer).
  const HEX = 'f74a4ab5fee18e9709b6cbd2cbb58a3a1d96a25ce8bb6115';
  const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(0x20 + i)).filter((c) => c !== '"' && c !== '\\').join('');
  const sliced = [...Array.from({ length: 41 }, (_, n) => HEX.slice(7, 7 + n)), ...Array.from({ length: 41 }, (_, n) => PRINTABLE.slice(3, 3 + 2 * n)), '2026-11-29T13:52:34.710Z'];
  const plainStrings = [...sliced, ...sliced.map((s) => Buffer.from(s, 'latin1').toString('latin1'))];

  it('should write a plain valuer\'s strings, repeated or not, as JSON.stringify of the record writes them', () => {
    let i = 0;
    let j = 0;
    const template = ['ts', valuer(() => plainStrings[Math.floor(i++ / 2) % plainStrings.length], { plain: true }), 'trace.id', valuer(() => plainStrings[j++ % plainStrings.length], { plain: true, repeats: false }), 'args', SLOT];
    const shape = compileJsonLine(template);
    assert.ok(shape?.encode !== undefined);
    // One buffer and one chunk number for every line, so a repeat may be copied from an earlier line.
    const into = Buffer.alloc(1 << 16);
    let pos = 0;
    let expected = '';
    for (let line = 0; line < 3 * plainStrings.length; line++) {
      const got = new Array<unknown>(shape.size);
      shape.read([line], got);
      expected += JSON.stringify({ level: 'info', ts: got[0], 'trace.id': got[1], args: line }) + '\n';
      pos = shape.encode('info', got, 0, into, pos, 1);
    }
    assert.equal(into.subarray(0, pos).toString(), expected);
  });

  it('should keep its hints apart from what it was given, and have none when made without', () => {
    const hints = { plain: true };
    const v = valuer(() => 'x', hints);
    hints.plain = false;
    assert.deepEqual(valuerHints(v), { plain: true });
    assert.deepEqual(valuerHints(valuer(() => 'x')), {});
    assert.deepEqual(valuerHints(() => 'x'), {});
    assert.deepEqual(valuerHints(timestamp), { plain: true });
  });
});

describe('LineBatch: prepared lines as bytes', () => {
  it('should hand the stream the same bytes the rendered lines give, past the batch bounds, for huge values, in order with plain lines', async () => {
    const held: Buffer[] = [];
    const stream = new Writable({ write(chunk: Buffer, _e, cb) { held.push(Buffer.from(chunk)); cb(); } });
    const batch = new LineBatch(stream);
    // A timestamp-like valuer repeats its string for a few lines at a time, across turns and chunks.
    let now = 'first';
    const shape = compileJsonLine(['ts', valuer(() => now), 'kind', 'server', 'operation', '/x.v1.Y/Z', 'args', SLOT, 'latency', SLOT]);
    assert.ok(shape !== undefined);
    const next = random(7);
    let expected = '';
    // 5,000 lines in one turn (past the pending bounds of 4,096 values and 64 K characters), with a
    // value longer than a chunk among them, and plain lines between.
    for (let i = 0; i < 5000; i++) {
      const args = i === 2500 ? '\u{1F600}é"\\\n'.repeat(CHUNK_BYTES) : randomString(next);
      if (i % 7 === 0) now = i % 3 === 0 ? randomString(next) : `2026-11-28T12:00:00.${i}Z`;
      const got = new Array<unknown>(shape.size);
      shape.read([args, i / 7], got);
      expected += shape.render('info', got, 0);
      batch.addRecord(shape, 'info', got);
      if (i % 100 === 0) {
        batch.add(`plain ${i}\n`);
        expected += `plain ${i}\n`;
      }
    }
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(held.length > 1);
    assert.deepEqual(Buffer.concat(held), Buffer.from(expected));
  });
});
