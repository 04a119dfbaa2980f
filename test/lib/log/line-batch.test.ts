import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { compileJsonLine } from '../../../lib/log/json-line.js';
import { CHUNK_BYTES, LineBatch } from '../../../lib/log/line-batch.js';
import { SLOT } from '../../../lib/log/prepared.js';
import { valuer } from '../../../lib/log/valuer.js';

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A stream that keeps every Buffer it is given without consuming it, as a pipe with a full buffer would. */
function holdingStream(): { stream: Writable; held: Buffer[]; copies: Buffer[] } {
  const held: Buffer[] = [];
  const copies: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _e, cb) {
      held.push(chunk);
      copies.push(Buffer.from(chunk));
      cb();
    },
  });
  return { stream, held, copies };
}

// Lines whose text has every kind of character the UTF-8 encoder treats apart.
const ODD = ['plain ascii\n', 'wörld é ß\n', '\u2028\u2029 € 中文\n', 'emoji \u{1F600}\n', 'lone \ud800 high\n', 'x\udfffy lone low\n', 'pair split? \ud83d\ude00\n', '\u0000\u007f\u0080\u00ff\n'];

describe('LineBatch', () => {
  it('should hand the stream one Buffer per turn holding the UTF-8 of the turn\'s lines, lone surrogates as Buffer.from writes them', async () => {
    const { stream, held } = holdingStream();
    const batch = new LineBatch(stream);
    for (const line of ODD) batch.add(line);
    assert.equal(held.length, 0, 'nothing is written before the turn ends');
    await turn();
    assert.equal(held.length, 1);
    assert.deepEqual(held[0], Buffer.from(ODD.join(''), 'utf8'));
    await turn();
    assert.equal(held.length, 1, 'a turn without lines writes nothing');
  });

  it('should never change the bytes of a turn already handed to the stream', async () => {
    const { stream, held, copies } = holdingStream();
    const batch = new LineBatch(stream);
    const expected: string[] = [];
    const ends: number[] = [];
    // Enough turns to fill several chunks, each with a few lines of various lengths.
    for (let t = 0; t < 200; t++) {
      let text = '';
      for (let i = 0; i < 20; i++) {
        const line = `${t}:${i}:${'é'.repeat((t * 7 + i) % 50)}${ODD[(t + i) % ODD.length] as string}`;
        batch.add(line);
        text += line;
      }
      expected.push(text);
      await turn();
      ends.push(held.length);
    }
    assert.ok(held.length >= 200 && held.length < 220, 'one write per turn, two for a turn that filled its chunk');
    for (let i = 0; i < held.length; i++) assert.deepEqual(held[i], copies[i], `write ${i} changed after it was written`);
    for (let t = 0; t < 200; t++) {
      const mine = held.slice(t === 0 ? 0 : (ends[t - 1] as number), ends[t]);
      assert.deepEqual(Buffer.concat(mine), Buffer.from(expected[t] as string, 'utf8'), `turn ${t}`);
    }
  });

  it('should write many lines of one turn, far beyond a chunk, in order, a chunk at a time', async () => {
    const { stream, held } = holdingStream();
    const batch = new LineBatch(stream);
    const lines = Array.from({ length: 20_000 }, (_, i) => `{"seq":${i},"text":"${'ü'.repeat(i % 13)}"}\n`);
    for (const line of lines) batch.add(line);
    await turn();
    assert.ok(held.length > 4, 'a turn larger than a chunk is written as it fills chunks');
    for (const b of held) assert.ok(b.length <= CHUNK_BYTES);
    assert.deepEqual(Buffer.concat(held), Buffer.from(lines.join(''), 'utf8'));
  });

  it('should write a line longer than a chunk whole, between the lines around it', async () => {
    const { stream, held } = holdingStream();
    const batch = new LineBatch(stream);
    const long = `${'\u{1F600}x€'.repeat(CHUNK_BYTES)}\n`;
    batch.add('before\n');
    batch.add(long);
    batch.add('after\n');
    await turn();
    batch.add(long);
    await turn();
    assert.deepEqual(held, [Buffer.from('before\n'), Buffer.from(`${long}after\n`, 'utf8'), Buffer.from(long, 'utf8')]);
  });

  it('should not keep the chunk of a long line once that line is written', async () => {
    const { stream, held } = holdingStream();
    const batch = new LineBatch(stream);
    batch.add(`${'x'.repeat(10 * CHUNK_BYTES)}\n`);
    await turn();
    batch.add('small\n');
    await turn();
    assert.equal(held.length, 2);
    assert.ok((held[0] as Buffer).buffer.byteLength >= 10 * CHUNK_BYTES);
    assert.ok((held[1] as Buffer).buffer.byteLength <= CHUNK_BYTES, 'the next turn is written from a chunk of the usual size');
  });
});

describe('LineBatch: prepared lines', () => {
  it('should render a prepared line when the turn ends, from the values read when it was written, in order with the other lines', async () => {
    const { stream, held } = holdingStream();
    const batch = new LineBatch(stream);
    let now = 'first';
    let renders = 0;
    const compiled = compileJsonLine(['ts', valuer(() => now), 'args', SLOT, 'latency', SLOT]);
    assert.ok(compiled !== undefined);
    const shape = { size: compiled.size, read: compiled.read, render: (...a: Parameters<typeof compiled.render>) => (renders++, compiled.render(...a)) };
    const write = (values: unknown[]): void => {
      const got = new Array<unknown>(shape.size);
      assert.equal(shape.read(values, got), undefined);
      batch.addRecord(shape, 'info', got);
    };
    batch.add('user line 1\n');
    write(['{"name":"é"}', 0.5]);
    now = 'second';
    batch.add('user line 2\n');
    write(['x', 1e-7]);
    now = 'third';
    assert.equal(renders, 0, 'nothing rendered before the turn ends');
    await turn();
    assert.equal(renders, 2);
    assert.equal(
      (held[0] as Buffer).toString(),
      `user line 1\n{"level":"info","ts":"first","args":"{\\"name\\":\\"é\\"}","latency":0.5}\nuser line 2\n{"level":"info","ts":"second","args":"x","latency":1e-7}\n`,
    );
  });

  it('should write a line logged while the turn\'s lines are encoded (by a handler of the stream\'s write) after them', async () => {
    const written: string[] = [];
    let batch: LineBatch | undefined;
    const stream = new Writable({
      write(chunk: Buffer, _e, cb) {
        written.push(chunk.toString());
        if (written.length === 1) batch?.add('from the write\n');
        cb();
      },
    });
    batch = new LineBatch(stream);
    // The long line does not fit the chunk after 'a', so 'a' is written while the turn is encoded.
    const long = `${'x'.repeat(CHUNK_BYTES)}\n`;
    batch.add('a\n');
    batch.add(long);
    await turn();
    await turn();
    assert.equal(written[0], 'a\n');
    assert.equal(written.join(''), `a\n${long}from the write\n`);
  });

  it('should pass on a write that throws, and write the lines of later turns whole and in order', async () => {
    const written: string[] = [];
    let fail = true;
    const stream = new Writable({
      write(chunk: Buffer, _e, cb) {
        written.push(chunk.toString());
        cb();
      },
    });
    const write = stream.write.bind(stream);
    stream.write = ((chunk: Buffer) => {
      if (fail) throw new Error('stream broke');
      return write(chunk);
    }) as typeof stream.write;
    const batch = new LineBatch(stream);
    // Past a chunk's worth of characters the turn is encoded at once; the second line does not fit
    // after the first, so the first is written, and the write throws to the logging call.
    batch.add(`${'a'.repeat(CHUNK_BYTES / 2)}\n`);
    assert.throws(() => batch.add(`${'b'.repeat(CHUNK_BYTES)}\n`), /stream broke/);
    fail = false;
    batch.add('c\n');
    batch.add('d\n');
    await turn();
    assert.equal(written.join('').replace(/^(a+|b+)\n/gm, ''), 'c\nd\n');
  });
});

// The logger on the real process.stdout (a pipe, then a file): user lines, access lines with odd
// characters in args and in valuer values, a very long line and more than a chunk in one turn; the
// bytes must be those of the same records written to a plain stream. On a pipe, node itself drops
// what the pipe cannot take at once when process.exit is called (as it did before batches of bytes),
// so the pipe case ends by itself; the file case ends by process.exit and by an uncaught error.
const SCRIPT = `import { Writable } from 'node:stream';
  import { createLogger, SLOT, valuer } from ${JSON.stringify(new URL('../../../lib/log/index.js', import.meta.url).href)};
  const odd = ${JSON.stringify(ODD)};
  const run = (stream) => {
    let n = 0;
    const log = createLogger({ ...(stream === undefined ? {} : { stream }), fields: ['ts', valuer(() => odd[n++ % odd.length]), 'service.name', 'wörld'] });
    const access = log.prepare(['kind', 'server', 'operation', ('\\u0100/svc.v1.Greeter/SayHello').slice(1), 'args', SLOT, 'latency', SLOT]);
    for (let i = 0; i < 3000; i++) {
      if (i % 7 === 0) log.info('user line ' + i, 'seq', i, 'who', odd[i % odd.length]);
      access('info', [JSON.stringify({ name: odd[i % odd.length] + i }), i / 1000]);
    }
    log.info('long', 'text', '\u{1F600}é'.repeat(100000));
    if (process.argv[1] === 'exit') process.exit(0);
    if (process.argv[1] === 'throw') throw new Error('fatal after logging');
  };
  if (process.argv[1] === 'expected') {
    const chunks = [];
    run(new Writable({ write(c, _e, cb) { chunks.push(Buffer.from(c)); cb(); } }));
    process.stdout.write(Buffer.concat(chunks).toString('base64'));
  } else run(undefined);`;

function expectedBytes(): Buffer {
  return Buffer.from(execFileSync(process.execPath, ['--input-type=module', '-e', SCRIPT, 'expected'], { encoding: 'utf8', maxBuffer: 64 << 20 }), 'base64');
}

describe('WinstonLogger on stdout, written in batches of bytes', () => {
  it('should write the same bytes as to any other stream, in order (stdout a pipe)', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', SCRIPT, 'end'], { maxBuffer: 64 << 20 });
    const expected = expectedBytes();
    assert.ok(expected.length > 4 * CHUNK_BYTES);
    assert.ok(out.equals(expected), 'stdout bytes differ from the plain stream\'s');
  });

  it('should write the same bytes when stdout is a file, all of them before process.exit or an uncaught error ends the process', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kratos-line-batch-'));
    try {
      const expected = expectedBytes();
      for (const how of ['exit', 'throw']) {
        const file = join(dir, `${how}.log`);
        const fd = openSync(file, 'w');
        const r = spawnSync(process.execPath, ['--input-type=module', '-e', SCRIPT, how], { stdio: ['ignore', fd, 'pipe'] });
        closeSync(fd);
        if (how === 'throw') assert.match(r.stderr.toString(), /fatal after logging/);
        else assert.equal(r.status, 0, r.stderr.toString());
        assert.ok(readFileSync(file).equals(expected), `${how}: file bytes differ from the plain stream's`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('WinstonLogger: several loggers on stdout', () => {
  it('should write their lines in the order they were logged, through one batch and one exit listener', () => {
    const script = `import { createLogger } from ${JSON.stringify(new URL('../../../lib/log/index.js', import.meta.url).href)};
      const before = process.listenerCount('exit');
      const loggers = Array.from({ length: 5 }, (_, i) => createLogger({ fields: ['logger', String(i)] }));
      process.stderr.write(String(process.listenerCount('exit') - before));
      for (let seq = 0; seq < 50; seq++) loggers[seq % 5].info('line', 'seq', seq);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '1', 'one exit listener for the five loggers');
    const seqs = r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { seq: number }).seq);
    assert.deepEqual(seqs, Array.from({ length: 50 }, (_, i) => i));
  });
});
