import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { execFileSync } from 'node:child_process';
import { caller, createLogger, FilterLogger, StdLogger, valuer, WinstonLogger, type Logger } from '../../../lib/log/index.js';

function sink(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({ write(chunk: Buffer, _e, cb) { lines.push(...chunk.toString().split('\n').filter(Boolean)); cb(); } });
  return { stream, lines };
}

const json = (lines: string[]) => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

describe('WinstonLogger', () => {
  it('should write one JSON object per line with the level and every key-value', () => {
    const { stream, lines } = sink();
    new WinstonLogger({ stream }).log('warn', 'msg', 'disk low', 'free', 3, 'err', new Error('boom'), 'odd');
    const [rec] = json(lines);
    assert.equal(rec?.['level'], 'warn');
    assert.equal(rec?.['msg'], 'disk low');
    assert.equal(rec?.['free'], 3);
    assert.equal((rec?.['err'] as { message: string }).message, 'boom');
    assert.equal(rec?.['KEYVALS UNPAIRED'], 'odd');
    assert.equal('message' in (rec ?? {}), false);
  });
});

describe('WinstonLogger with values JSON cannot hold', () => {
  it('should still write one line for a record with a cycle or a bigint', () => {
    const { stream, lines } = sink();
    const cyclic: Record<string, unknown> = { name: 'a' };
    cyclic['self'] = cyclic;
    new WinstonLogger({ stream }).log('info', 'msg', 'odd values', 'value', cyclic, 'big', 12n);
    const [rec] = json(lines);
    assert.equal(rec?.['msg'], 'odd values');
    assert.equal((rec?.['value'] as Record<string, unknown>)['name'], 'a');
    assert.equal(rec?.['big'], '12');
  });
});

describe('WinstonLogger on stdout', () => {
  it('should write the lines of one turn together and flush what is pending when the process exits', () => {
    const script = `import { WinstonLogger } from ${JSON.stringify(new URL('../../../lib/log/index.js', import.meta.url).href)};
      const log = new WinstonLogger();
      for (let i = 0; i < 500; i++) log.log('info', 'seq', i);
      process.exit(0);`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    const seqs = out.trim().split('\n').map((l) => (JSON.parse(l) as { seq: number }).seq);
    assert.deepEqual(seqs, Array.from({ length: 500 }, (_, i) => i));
  });
});

describe('createLogger', () => {
  it('should add fields with valuers evaluated per record, filter by level and mask keys', () => {
    const { stream, lines } = sink();
    let n = 0;
    const log = createLogger({ stream, level: 'info', fields: ['service.name', 'hw', 'seq', valuer(() => ++n)] });
    log.debug('dropped');
    log.info('first', 'password', 'hunter2');
    log.infow('user', 'u1', 'secret', 's');
    const recs = json(lines);
    assert.deepEqual(recs.map((r) => [r['msg'], r['seq'], r['service.name']]), [['first', 1, 'hw'], [undefined, 2, 'hw']]);
    assert.equal(recs[0]?.['password'], '***');
    assert.equal(recs[1]?.['secret'], 's');
  });

  it('should change level at run time', () => {
    const { stream, lines } = sink();
    const log = createLogger({ stream, level: 'warn', format: 'text' });
    log.info('hidden');
    log.setLevel('debug');
    log.debug('shown');
    assert.deepEqual(lines, ['DEBUG msg=shown']);
  });

  it('should apply a per-module level to named loggers', () => {
    const { stream, lines } = sink();
    const log = createLogger({ stream, level: 'warn', format: 'text', modules: { greeter: 'debug' } });
    log.named('greeter').debug('verbose here');
    log.named('other').debug('quiet here');
    assert.deepEqual(lines, ['DEBUG module=greeter msg=verbose here']);
  });
});

describe('FilterLogger', () => {
  it('should mask values and drop records a function rejects', () => {
    const out: unknown[][] = [];
    class Capture extends StdLogger { override log(...kv: unknown[]): void { out.push(kv); } }
    const f = new FilterLogger(new Capture(), { values: ['tok-123'], func: (_l, kv) => kv.includes('drop-me') });
    f.infow('a', 'tok-123', 'b', 'x');
    f.infow('drop-me', 1);
    assert.deepEqual(out, [['info', 'a', '***', 'b', 'x']]);
  });
});

describe('Logger.with', () => {
  it('should flatten chains and keep helpers working', () => {
    const { stream, lines } = sink();
    const base: Logger = new StdLogger({ stream });
    base.with('a', 1).with('b', 2).warn('w', 'c', 3);
    assert.deepEqual(lines, ['WARN a=1 b=2 msg=w c=3']);
  });
});

describe('caller', () => {
  it('should name the file and line that logged', () => {
    const { stream, lines } = sink();
    new StdLogger({ stream }).with('caller', caller).info('here');
    assert.match(lines[0] ?? '', /caller=log\/logger\.test\.js:\d+/);
  });
});
