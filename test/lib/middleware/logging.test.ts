import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Metadata } from '../../../lib/metadata/index.js';
import { notFound } from '../../../lib/errors/index.js';
import { NoopLogger } from '../../../lib/log/index.js';
import { loggingServer } from '../../../lib/middleware/logging/index.js';
import { recovery } from '../../../lib/middleware/recovery/index.js';
import { type Handler } from '../../../lib/middleware/index.js';
import { type Context } from '../../../lib/transport/index.js';
import { CaptureLogger as Capture } from '../../helpers/capture-logger.js';


const ctx: Context = {
  kind: 'grpc', side: 'server', operation: '/a.B/C', endpoint: '', requestHeader: new Metadata(), replyHeader: new Metadata(),
  signal: new AbortController().signal, deadline: undefined, metadata: new Metadata(),
};

describe('loggingServer', () => {
  it('should write one info line with the Kratos fields for a success', async () => {
    const log = new Capture();
    await loggingServer(log)(async () => ({ ok: 1 }))({ name: 'x' }, ctx);
    const [r] = log.records;
    assert.deepEqual(Object.keys(r ?? {}), ['level', 'kind', 'component', 'operation', 'args', 'code', 'reason', 'stack', 'latency']);
    assert.equal(r?.['level'], 'info');
    assert.equal(r?.['kind'], 'server');
    assert.equal(r?.['component'], 'grpc');
    assert.equal(r?.['args'], '{"name":"x"}');
    assert.equal(r?.['code'], 200);
    assert.equal(typeof r?.['latency'], 'number');
  });

  it('should write an error line with code, reason and stack', async () => {
    const log = new Capture();
    const h: Handler = async () => { throw notFound('USER_NOT_FOUND', 'x'); };
    await assert.rejects(loggingServer(log)(h)({}, ctx));
    assert.equal(log.records[0]?.['level'], 'error');
    assert.equal(log.records[0]?.['code'], 404);
    assert.equal(log.records[0]?.['reason'], 'USER_NOT_FOUND');
    assert.match(String(log.records[0]?.['stack']), /USER_NOT_FOUND|KratosError/);
  });

  it('should log a plain failure once, as 500 UNKNOWN with the original stack, in front of recovery', async () => {
    const log = new Capture();
    const h: Handler = async () => { throw new TypeError('db down'); };
    await assert.rejects(loggingServer(log)(recovery({ logger: log, log: false })(h))({}, ctx));
    assert.equal(log.records.length, 1);
    assert.equal(log.records[0]?.['code'], 500);
    assert.equal(log.records[0]?.['reason'], 'UNKNOWN');
    assert.match(String(log.records[0]?.['stack']), /TypeError: db down/);
  });

  it('should use the request redact() and truncate long args', async () => {
    const log = new Capture();
    const req = { password: 'p', redact: () => ({ password: '***' }) };
    await loggingServer(log)(async () => null)(req, ctx);
    assert.equal(log.records[0]?.['args'], '{"password":"***"}');
    await loggingServer(log, { maxArgs: 10 })(async () => null)({ long: 'x'.repeat(100) }, ctx);
    assert.equal(log.records[1]?.['args'], '{"long":"x...');
  });

  it('should log a stream once, when it ends', async () => {
    const log = new Capture();
    const h: Handler = async () => (async function* () { yield 1; yield 2; })();
    const out = (await loggingServer(log)(h)({}, ctx)) as AsyncIterable<number>;
    assert.equal(log.records.length, 0);
    for await (const _ of out) void _;
    assert.equal(log.records.length, 1);
  });

  it('should stay out of the way when nothing would be written', async () => {
    const h: Handler = async () => 'r';
    assert.equal(await loggingServer(new NoopLogger())(h)({}, ctx), 'r');
  });
});

describe('loggingServer through the JSON logger', () => {
  it('should write the access line byte for byte as the logger writes the same record through log()', async () => {
    const { Writable } = await import('node:stream');
    const { createLogger, valuer } = await import('../../../lib/log/index.js');
    const lines: string[] = [];
    const stream = new Writable({ write(chunk: Buffer, _e, cb) { lines.push(chunk.toString()); cb(); } });
    const log = createLogger({ stream, fields: ['ts', valuer(() => '2026-11-27T16:00:00.000Z'), 'service.id', 'h', 'service.name', 'hw', 'service.version', 'v1'] });
    await loggingServer(log)(async () => ({ ok: 1 }))({ name: 'x' }, ctx);
    const failed = notFound('USER_NOT_FOUND', 'no such user');
    await assert.rejects(loggingServer(log)(async () => { throw failed; })({}, ctx));
    const latencies = lines.map((l) => (JSON.parse(l) as { latency: number }).latency);
    // The same records through log(), the path every other line takes.
    log.log('info', 'kind', 'server', 'component', 'grpc', 'operation', '/a.B/C', 'args', '{"name":"x"}', 'code', 200, 'reason', '', 'stack', '', 'latency', latencies[0]);
    log.log('error', 'kind', 'server', 'component', 'grpc', 'operation', '/a.B/C', 'args', '{}', 'code', 404, 'reason', 'USER_NOT_FOUND', 'stack', failed.stack, 'latency', latencies[1]);
    assert.equal(lines.length, 4);
    assert.equal(lines[0], lines[2]);
    assert.equal(lines[1], lines[3]);
    assert.equal(lines[0], `{"level":"info","ts":"2026-11-27T16:00:00.000Z","service.id":"h","service.name":"hw","service.version":"v1","kind":"server","component":"grpc","operation":"/a.B/C","args":"{\\"name\\":\\"x\\"}","code":200,"reason":"","stack":"","latency":${latencies[0]}}\n`);
  });
});

describe('loggingServer past its bound on prepared operations', () => {
  it('should write the same lines for the 10,001st operation on, through writers prepared once', async () => {
    const { Writable } = await import('node:stream');
    const { createLogger, valuer } = await import('../../../lib/log/index.js');
    const lines: string[] = [];
    const stream = new Writable({ write(chunk: Buffer, _e, cb) { lines.push(chunk.toString()); cb(); } });
    const log = createLogger({ stream, fields: ['ts', valuer(() => '2026-11-27T16:00:00.000Z'), 'service.name', 'hw'] });
    let prepared = 0;
    const prepare = log.prepare.bind(log);
    log.prepare = (template) => {
      prepared++;
      return prepare(template);
    };
    const failed = notFound('USER_NOT_FOUND', 'no such user');
    const mw = loggingServer(log);
    const okHandler = mw(async () => ({ ok: 1 }));
    for (let i = 0; i < 10_000; i++) await okHandler({}, { ...ctx, operation: `/a.B/Op${i}` });
    assert.equal(prepared, 20_000, 'a success and a failure writer per operation');
    lines.length = 0;
    // Past the bound: operations over HTTP and gRPC, successes and failures, each op several times.
    const failing = mw(async () => { throw failed; });
    const calls: [string, 'http' | 'grpc', boolean][] = [['/x.Y/Late', 'grpc', true], ['/v1/late/{id}', 'http', true], ['/x.Y/Late', 'grpc', false], ['/x.Y/Later', 'grpc', true], ['/x.Y/Late', 'grpc', true]];
    for (const [operation, kind, success] of calls) {
      const c = { ...ctx, kind, operation };
      if (success) await okHandler({ name: 'x' }, c);
      else await assert.rejects(failing({ name: 'x' }, c));
    }
    assert.equal(prepared, 20_002, 'one success and one failure writer for every operation past the bound');
    assert.equal(lines.length, calls.length);
    // Each line is what log() writes for the same record.
    const expected: string[] = [];
    const capture = new Writable({ write(chunk: Buffer, _e, cb) { expected.push(chunk.toString()); cb(); } });
    const reference = createLogger({ stream: capture, fields: ['ts', valuer(() => '2026-11-27T16:00:00.000Z'), 'service.name', 'hw'] });
    calls.forEach(([operation, kind, success], i) => {
      const latency = (JSON.parse(lines[i] as string) as { latency: number }).latency;
      const [level, code, reason, stack] = success ? ['info', 200, '', ''] as const : ['error', 404, 'USER_NOT_FOUND', failed.stack] as const;
      reference.log(level, 'kind', 'server', 'component', kind, 'operation', operation, 'args', '{"name":"x"}', 'code', code, 'reason', reason, 'stack', stack, 'latency', latency);
    });
    assert.deepEqual(lines, expected);
  });
});
