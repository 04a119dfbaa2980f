import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger, FilterLogger, Logger, SLOT, StdLogger, valuer, WinstonLogger, type Level } from '../../../lib/log/index.js';

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({ write(chunk: Buffer, _e, cb) { text += chunk.toString(); cb(); } });
  return { stream, text: () => text };
}

/** Writes each record twice, through log() and through a prepared writer, and returns both outputs. */
function both(make: (stream: Writable) => Logger, template: unknown[], level: Level, values: unknown[]): [string, string] {
  const a = sink();
  const b = sink();
  let slot = 0;
  const filled = template.map((v) => (v === SLOT ? values[slot++] : v));
  make(a.stream).log(level, ...filled);
  make(b.stream).prepare(template)(level, values);
  return [a.text(), b.text()];
}

const ACCESS = ['kind', 'server', 'component', 'http', 'operation', '/helloworld.v1.Greeter/SayHello', 'args', SLOT, 'code', SLOT, 'reason', SLOT, 'stack', SLOT, 'latency', SLOT];
const fixedTime = valuer(() => '2026-11-27T16:00:00.000Z');
const appLogger = (stream: Writable): Logger =>
  createLogger({ stream, fields: ['ts', fixedTime, 'service.id', 'host-1', 'service.name', 'hw', 'service.version', 'v1', 'trace.id', valuer(() => 'a'.repeat(32)), 'span.id', valuer(() => 'b'.repeat(16))] });

describe('Logger.prepare', () => {
  it('should write the access line byte for byte as log() writes it, for a success and an error', () => {
    const ok = both(appLogger, ACCESS, 'info', ['{"name":"wörld \\"q\\" \u2028"}', 200, '', '', 0.000123]);
    assert.equal(ok[1], ok[0]);
    assert.equal(ok[0], '{"level":"info","ts":"2026-11-27T16:00:00.000Z","service.id":"host-1","service.name":"hw","service.version":"v1","trace.id":"' + 'a'.repeat(32) + '","span.id":"' + 'b'.repeat(16) + '","kind":"server","component":"http","operation":"/helloworld.v1.Greeter/SayHello","args":"{\\"name\\":\\"wörld \\\\\\"q\\\\\\" \u2028\\"}","code":200,"reason":"","stack":"","latency":0.000123}\n');
    const failed = both(appLogger, ACCESS, 'error', ['{}', 404, 'USER_NOT_FOUND', 'Error: x\n    at f (a.js:1:2)', 1.5]);
    assert.equal(failed[1], failed[0]);
  });

  it('should write values JSON cannot hold on its own (objects, bigints, errors, NaN, undefined) as log() does', () => {
    const template = ['a', SLOT, 'b', SLOT, 'c', SLOT, 'd', SLOT, 'e', SLOT, 'f', { nested: [1, 2] }];
    const [slow, fast] = both((stream) => new WinstonLogger({ stream }), template, 'warn', [{ x: 1n }, 12n, new Error('boom'), Number.NaN, undefined]);
    assert.equal(fast, slow);
    const [slow2, fast2] = both((stream) => new WinstonLogger({ stream }), ['a', SLOT, 'b', SLOT], 'debug', [undefined, -0]);
    assert.equal(fast2, slow2);
    assert.equal(fast2, '{"level":"debug","b":0}\n');
  });

  it('should write every number and string as JSON.stringify does (escapes, surrogates, exponents, non-finite numbers)', () => {
    const numbers = [0, -0, 1, -5, 0.1 + 0.2, 1e21, 1e-7, 123456789012345680000, Number.MAX_VALUE, Number.MIN_VALUE, Number.NaN, Infinity, -Infinity];
    const strings = ['', 'plain', '2026-11-27T16:00:00.000Z', 'quote"', 'back\\slash', 'tab\t', '\u0000', '\u001f', '\u007f', 'é', '\u{1F600}', '\ud800', 'x\udfffy', '\u2028\u2029', '</script>', '{"name":"kratos"}'];
    for (const v of [...numbers, ...strings]) {
      // As a SLOT, and as a valuer of the logger's fields.
      const [slow, fast] = both((stream) => createLogger({ stream, fields: ['w', valuer(() => v)] }), ['v', SLOT], 'info', [v]);
      assert.equal(fast, slow, `value ${JSON.stringify(v)}`);
      assert.equal(fast, `{"level":"info","w":${JSON.stringify(v)},"v":${JSON.stringify(v)}}\n`);
    }
  });

  it('should write constants V8 holds two bytes a character (a name sliced from a non-Latin-1 text) as log() does', () => {
    // Slices of a string with a character above U+00FF stay two-byte in V8 whatever they hold.
    const twoByte = (s: string): string => `\u0100${s}`.slice(1);
    const template = ['operation', twoByte('/helloworld.v1.Greeter/SayHello'), 'latin1', twoByte('wörld ÿ'), 'wide', twoByte('€ 中文 \u{1F600}'), twoByte('kéy'), SLOT, 'args', SLOT];
    for (const values of [['v', '{"name":"kratos"}'], [twoByte('é'), twoByte('\u2028')], [undefined, 1.5]]) {
      const [slow, fast] = both((stream) => createLogger({ stream, fields: ['ts', fixedTime, 'w', valuer(() => twoByte('ü'))] }), template, 'info', values);
      assert.equal(fast, slow);
    }
  });

  it('should keep log() for shapes a JSON object would reorder (repeated keys, level, message, an unpaired key)', () => {
    for (const template of [['k', 1, 'k', SLOT], ['level', SLOT], ['message', SLOT, 'x', 1], ['k', SLOT, 'odd']]) {
      const [slow, fast] = both((stream) => new WinstonLogger({ stream }), template, 'info', ['v']);
      assert.equal(fast, slow, JSON.stringify(template));
    }
  });

  it('should read each valuer once per write, even when the record falls back to the full serialiser', () => {
    let n = 0;
    const counted = valuer(() => ++n);
    const { stream, text } = sink();
    const write = new WinstonLogger({ stream }).with('seq', counted).prepare(['v', SLOT]);
    write('info', ['s']);
    write('info', [{ o: 1 }]);
    assert.equal(n, 2);
    assert.equal(text(), '{"level":"info","seq":1,"v":"s"}\n{"level":"info","seq":2,"v":{"o":1}}\n');
  });

  it('should write a valuer repeating, changing and returning to a value as log() writes each line', () => {
    const seen = ['2026-11-27T16:00:00.000Z', '2026-11-27T16:00:00.000Z', 'q"\u2028', 'q"\u2028'.slice(0), '2026-11-27T16:00:00.000Z', 7, '7', undefined, '7'];
    let i = 0;
    const changing = valuer(() => seen[i]);
    const a = sink();
    const b = sink();
    const viaLog = new WinstonLogger({ stream: a.stream }).with('ts', changing);
    const prepared = new WinstonLogger({ stream: b.stream }).with('ts', changing).prepare(['v', SLOT]);
    for (i = 0; i < seen.length; i++) {
      viaLog.log('info', 'v', i);
      prepared('info', [i]);
    }
    assert.equal(b.text(), a.text());
    assert.equal(b.text().split('\n')[2], `{"level":"info","ts":${JSON.stringify('q"\u2028')},"v":2}`);
  });

  it('should keep the values of a line whose valuer writes the same shape meanwhile', () => {
    const { stream, text } = sink();
    let write: (level: Level, values: unknown[]) => void = () => undefined;
    let seq = 0;
    let depth = 0;
    const counter = valuer(() => ++seq);
    const nested = valuer(() => {
      if (depth++ === 0) write('info', [{ inner: true }]);
      return 'n';
    });
    write = new WinstonLogger({ stream }).with('seq', counter, 'n', nested).prepare(['v', SLOT]);
    write('info', [{ outer: true }]);
    assert.equal(text(), '{"level":"info","seq":2,"n":"n","v":{"inner":true}}\n{"level":"info","seq":1,"n":"n","v":{"outer":true}}\n');
  });

  it('should mask by key and by value, and follow the level set at run time', () => {
    const { stream, text } = sink();
    const log = new FilterLogger(new WinstonLogger({ stream }), { level: 'info', keys: ['password', 'TOKEN'], values: ['secret'] });
    const write = log.prepare(['user', 'u', 'password', 'p', 'token', SLOT, 'note', SLOT]);
    write('debug', ['t', 'n']);
    write('info', ['t', 'secret']);
    log.setLevel('debug');
    write('debug', ['t', 'plain']);
    assert.equal(text(), '{"level":"info","user":"u","password":"***","token":"***","note":"***"}\n{"level":"debug","user":"u","password":"***","token":"***","note":"plain"}\n');
  });

  it('should write through any other logger as its log() does (text format, custom func filters)', () => {
    const [slow, fast] = both((stream) => new StdLogger({ stream }).with('ts', fixedTime), ['a', SLOT, 'b', 2], 'info', ['x']);
    assert.equal(fast, slow);
    const drop = (stream: Writable): Logger => new FilterLogger(new WinstonLogger({ stream }), { func: (_l, kv) => kv.includes('drop') });
    assert.deepEqual(both(drop, ['a', SLOT], 'info', ['drop']), ['', '']);
    assert.deepEqual(both(drop, ['a', SLOT], 'info', ['keep']), ['{"level":"info","a":"keep"}\n', '{"level":"info","a":"keep"}\n']);
  });
});

describe('Logger.prepare on stdout', () => {
  it('should keep prepared lines in order with the lines winston writes, in the same batched writes', async () => {
    const { execFileSync } = await import('node:child_process');
    const script = `import { WinstonLogger, SLOT } from ${JSON.stringify(new URL('../../../lib/log/index.js', import.meta.url).href)};
      const log = new WinstonLogger();
      const write = log.prepare(['seq', SLOT]);
      for (let i = 0; i < 300; i++) i % 3 === 0 ? log.log('info', 'seq', i) : write('info', [i]);
      process.exit(0);`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    const seqs = out.trim().split('\n').map((l) => (JSON.parse(l) as { seq: number }).seq);
    assert.deepEqual(seqs, Array.from({ length: 300 }, (_, i) => i));
  });
});
