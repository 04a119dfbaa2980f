import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Metadata } from '../../../lib/metadata/index.js';
import { KratosError, notFound } from '../../../lib/errors/index.js';
import { PrometheusMeter } from '../../../lib/metrics/index.js';
import { metricsClient, metricsServer } from '../../../lib/middleware/metrics/index.js';
import { type Handler } from '../../../lib/middleware/index.js';
import { type Context, type Kind, type Side } from '../../../lib/transport/index.js';

function context(kind: Kind, side: Side, operation: string, signal = new AbortController().signal): Context {
  return { kind, side, operation, endpoint: '', requestHeader: new Metadata(), replyHeader: new Metadata(), signal, deadline: undefined, metadata: new Metadata() };
}

async function* stream(items: unknown[], fail?: Error): AsyncGenerator<unknown> {
  for (const item of items) yield item;
  if (fail !== undefined) throw fail;
}

async function drain(it: unknown): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const x of it as AsyncIterable<unknown>) out.push(x);
  return out;
}

function lines(text: string, prefix: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(prefix));
}

async function withMeter(fn: (meter: PrometheusMeter) => Promise<void>): Promise<void> {
  const meter = new PrometheusMeter();
  try {
    await fn(meter);
  } finally {
    meter.close();
  }
}

describe('metricsServer', () => {
  describe('when the handler succeeds', () => {
    it('should count code 200 with an empty reason and observe the seconds', () => withMeter(async (meter) => {
      const h: Handler = async () => ({ ok: true });
      assert.deepEqual(await metricsServer({ meter })(h)({}, context('http', 'server', '/a.B/C')), { ok: true });
      const text = await meter.metrics();
      assert.deepEqual(lines(text, 'server_requests_code_total{'), ['server_requests_code_total{kind="http",operation="/a.B/C",code="200",reason=""} 1']);
      assert.deepEqual(lines(text, 'server_requests_seconds_count{'), ['server_requests_seconds_count{kind="http",operation="/a.B/C"} 1']);
      // Which bucket the one observation falls in depends on how busy the machine is; +Inf holds it whatever it took.
      assert.ok(text.includes('server_requests_seconds_bucket{le="+Inf",kind="http",operation="/a.B/C"} 1'));
    }));
  });

  describe('when the handler fails', () => {
    it('should count a Kratos error by its code and reason, and rethrow it', () => withMeter(async (meter) => {
      const e = notFound('USER_NOT_FOUND', 'no such user');
      const h: Handler = async () => { throw e; };
      assert.equal(await metricsServer({ meter })(h)({}, context('grpc', 'server', '/a.B/C')).catch((x: unknown) => x), e);
      assert.deepEqual(lines(await meter.metrics(), 'server_requests_code_total{'), [
        'server_requests_code_total{kind="grpc",operation="/a.B/C",code="404",reason="USER_NOT_FOUND"} 1',
      ]);
    }));

    it('should count any other error as 500 UNKNOWN, as the server would send it', () => withMeter(async (meter) => {
      const h: Handler = async () => { throw new TypeError('boom'); };
      const m = metricsServer({ meter })(h);
      await assert.rejects(m({}, context('grpc', 'server', '/a.B/C')), TypeError);
      await assert.rejects(m({}, context('grpc', 'server', '/a.B/C')), TypeError);
      assert.deepEqual(lines(await meter.metrics(), 'server_requests_code_total{'), [
        'server_requests_code_total{kind="grpc",operation="/a.B/C",code="500",reason="UNKNOWN"} 2',
      ]);
    }));
  });

  describe('when the reply is a stream', () => {
    it('should count the call once, when the stream ends', () => withMeter(async (meter) => {
      const h: Handler = async () => stream([1, 2, 3]);
      const reply = await metricsServer({ meter })(h)({}, context('grpc', 'server', '/a.B/List'));
      assert.deepEqual(lines(await meter.metrics(), 'server_requests_code_total{'), []);
      assert.deepEqual(await drain(reply), [1, 2, 3]);
      assert.deepEqual(lines(await meter.metrics(), 'server_requests_code_total{'), [
        'server_requests_code_total{kind="grpc",operation="/a.B/List",code="200",reason=""} 1',
      ]);
    }));

    it('should count a failing stream by its error', () => withMeter(async (meter) => {
      const h: Handler = async () => stream([1], new KratosError(409, 'CONFLICT', 'late'));
      const reply = await metricsServer({ meter })(h)({}, context('grpc', 'server', '/a.B/List'));
      await assert.rejects(drain(reply), /late/);
      assert.deepEqual(lines(await meter.metrics(), 'server_requests_code_total{'), [
        'server_requests_code_total{kind="grpc",operation="/a.B/List",code="409",reason="CONFLICT"} 1',
      ]);
    }));

    it('should count a stream left early by a cancelled call as the cancellation', () => withMeter(async (meter) => {
      const ac = new AbortController();
      const h: Handler = async () => stream([1, 2, 3]);
      const reply = await metricsServer({ meter })(h)({}, context('grpc', 'server', '/a.B/List', ac.signal));
      for await (const _ of reply as AsyncIterable<unknown>) {
        ac.abort(new KratosError(499, 'CLIENT_CLOSED', 'gone'));
        break;
      }
      assert.deepEqual(lines(await meter.metrics(), 'server_requests_code_total{'), [
        'server_requests_code_total{kind="grpc",operation="/a.B/List",code="499",reason="CLIENT_CLOSED"} 1',
      ]);
    }));
  });
});

describe('metricsClient', () => {
  it('should write the client twins of the server metrics', () => withMeter(async (meter) => {
    const ok: Handler = async () => 'ok';
    const bad: Handler = async () => { throw notFound('NOPE', 'x'); };
    await metricsClient({ meter })(ok)({}, context('http', 'client', '/a.B/C'));
    await metricsClient({ meter })(bad)({}, context('http', 'client', '/a.B/C')).catch(() => undefined);
    const text = await meter.metrics();
    assert.deepEqual(lines(text, 'client_requests_code_total{'), [
      'client_requests_code_total{kind="http",operation="/a.B/C",code="200",reason=""} 1',
      'client_requests_code_total{kind="http",operation="/a.B/C",code="404",reason="NOPE"} 1',
    ]);
    assert.deepEqual(lines(text, 'client_requests_seconds_count{'), ['client_requests_seconds_count{kind="http",operation="/a.B/C"} 2']);
    assert.deepEqual(lines(text, 'server_requests'), []);
  }));
});
