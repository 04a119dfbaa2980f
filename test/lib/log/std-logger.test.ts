import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { NoopLogger, parseLevel, StdLogger } from '../../../lib/log/index.js';

function sink(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({ write(chunk: Buffer, _enc, cb) { lines.push(...chunk.toString().split('\n').filter(Boolean)); cb(); } });
  return { stream, lines };
}

describe('StdLogger', () => {
  it('should write LEVEL k=v lines with the prefix first', () => {
    const { stream, lines } = sink();
    const log = new StdLogger({ stream, prefix: ['service.name', 'hw'] });
    log.info('hello', 'n', 1, 'obj', { a: 1 });
    log.log('warn', 'odd');
    assert.deepEqual(lines, ['INFO service.name=hw msg=hello n=1 obj={"a":1}', 'WARN service.name=hw KEYVALS UNPAIRED=odd']);
  });

  it('should drop records below its level', () => {
    const { stream, lines } = sink();
    const log = new StdLogger({ stream, level: 'warn' });
    log.info('dropped');
    log.error('kept');
    assert.deepEqual(lines, ['ERROR msg=kept']);
    assert.equal(log.enabled('debug'), false);
  });
});

describe('parseLevel', () => {
  it('should read names case-insensitively and default to info', () => {
    assert.equal(parseLevel('WARN'), 'warn');
    assert.equal(parseLevel('nope'), 'info');
    assert.equal(parseLevel(undefined), 'info');
  });
});

describe('NoopLogger', () => {
  it('should be disabled at every level', () => {
    assert.equal(new NoopLogger().enabled('error'), false);
  });
});
