import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Metadata } from '../../../lib/metadata/index.js';
import { KratosError, notFound } from '../../../lib/errors/index.js';
import { Logger } from '../../../lib/log/index.js';
import { recovery } from '../../../lib/middleware/recovery/index.js';
import { type Handler } from '../../../lib/middleware/index.js';
import { type Context } from '../../../lib/transport/index.js';

class Capture extends Logger {
  readonly lines: unknown[][] = [];
  log(...kv: unknown[]): void { this.lines.push(kv); }
}

const ctx: Context = {
  kind: 'grpc', side: 'server', operation: '/a.B/C', endpoint: '', requestHeader: new Metadata(), replyHeader: new Metadata(),
  signal: new AbortController().signal, deadline: undefined, metadata: new Metadata(),
};

describe('recovery', () => {
  it('should turn a throw into 500 UNKNOWN without its message, logged once with the operation and stack', async () => {
    const log = new Capture();
    const h: Handler = async () => { throw new TypeError('secret'); };
    const err = await recovery({ logger: log })(h)({}, ctx).catch((e: unknown) => e);
    assert.ok(KratosError.isKratosError(err));
    assert.deepEqual(err.toJSON(), { code: 500, reason: 'UNKNOWN', message: 'unknown request error', metadata: {} });
    assert.ok(err.cause instanceof TypeError);
    assert.equal(log.lines.length, 1);
    const line = log.lines[0]!;
    assert.ok(line.includes('/a.B/C'));
    assert.ok(line.some((v) => v instanceof TypeError && typeof v.stack === 'string'));
  });

  it('should catch non-Error rejections and synchronous throws too', async () => {
    const log = new Capture();
    const sync: Handler = (() => { throw 'a string'; }) as unknown as Handler;
    assert.equal(((await recovery({ logger: log })(sync)({}, ctx).catch((e: unknown) => e)) as KratosError).code, 500);
    const rej: Handler = () => Promise.reject(42);
    assert.equal(((await recovery({ logger: log })(rej)({}, ctx).catch((e: unknown) => e)) as KratosError).code, 500);
  });

  it('should pass Kratos errors through untouched and unlogged', async () => {
    const log = new Capture();
    const e = notFound('X', 'y');
    const h: Handler = async () => { throw e; };
    assert.equal(await recovery({ logger: log })(h)({}, ctx).catch((x: unknown) => x), e);
    assert.equal(log.lines.length, 0);
  });

  it('should expose the message when asked (development)', async () => {
    const h: Handler = async () => { throw new Error('visible'); };
    const err = (await recovery({ logger: new Capture(), exposeMessages: true })(h)({}, ctx).catch((e: unknown) => e)) as KratosError;
    assert.equal(err.message, 'visible');
  });
});
