import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { Client, credentials, status, type ServiceError } from '@grpc/grpc-js';
import { ObservedApp, probe, ticksRequest, TICKS, type HandlerMode, type Reports } from '../../helpers/call-end.js';

const MODES: HandlerMode[] = ['watches', 'ignores', 'stalls'];

/** One log line, one count and one span, all as the cancellation (499 CANCELLED, as Kratos maps ClientClosed). */
function assertOneCancellation(r: Reports, kind: 'grpc' | 'http'): void {
  assert.equal(r.logs.length, 1, `log lines: ${JSON.stringify(r.logs)}`);
  assert.equal(r.logs[0]!['level'], 'error');
  assert.equal(r.logs[0]!['code'], 499);
  assert.equal(r.logs[0]!['reason'], 'CANCELLED');
  assert.deepEqual(r.counts, [`server_requests_code_total{kind="${kind}",operation="${TICKS}",code="499",reason="CANCELLED"} 1`]);
  assert.equal(r.spans.length, 1, 'spans');
  assert.equal(r.spans[0]!.status.code, 2 /* ERROR */);
  assert.equal(r.spans[0]!.attributes['rpc.status_code'], 499);
}

/** One log line, one count and one span, all with the handler's error (503 TICKER_DOWN). */
function assertOneFailure(r: Reports, kind: 'grpc' | 'http'): void {
  assert.equal(r.logs.length, 1, `log lines: ${JSON.stringify(r.logs)}`);
  assert.equal(r.logs[0]!['code'], 503);
  assert.equal(r.logs[0]!['reason'], 'TICKER_DOWN');
  assert.deepEqual(r.counts, [`server_requests_code_total{kind="${kind}",operation="${TICKS}",code="503",reason="TICKER_DOWN"} 1`]);
  assert.equal(r.spans.length, 1, 'spans');
  assert.equal(r.spans[0]!.attributes['rpc.status_code'], 503);
}

let app: ObservedApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('a server stream the client leaves', () => {
  describe('on gRPC, cancelled by a grpc-js client after its first message', () => {
    for (const mode of MODES) {
      it(`should be reported once as cancelled when the handler ${mode === 'stalls' ? 'stalls' : `${mode} its signal`}`, async () => {
        app = await ObservedApp.start(mode);
        const client = new Client(app.test.grpcAddress, credentials.createInsecure());
        try {
          const ended = await new Promise<number>((resolve) => {
            const call = client.makeServerStreamRequest(TICKS, (b: Buffer) => b, (b: Buffer) => b, ticksRequest(5));
            call.once('data', () => call.cancel());
            call.on('error', (err: ServiceError) => resolve(err.code));
          });
          assert.equal(ended, status.CANCELLED);
          assertOneCancellation(await app.settled(), 'grpc');
        } finally {
          client.close();
        }
      });
    }
  });

  describe('on HTTP, a streamed (NDJSON) reply whose client disconnects after the first line', () => {
    for (const mode of MODES) {
      it(`should be reported once as cancelled when the handler ${mode === 'stalls' ? 'stalls' : `${mode} its signal`}`, async () => {
        app = await ObservedApp.start(mode);
        await new Promise<void>((resolve, reject) => {
          const req = request(`${app!.test.httpUrl}/v1/ticks?interval_ms=5`, (res) => {
            assert.equal(res.statusCode, 200);
            res.once('data', () => {
              req.destroy();
              resolve();
            });
          });
          req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
          req.end();
        });
        assertOneCancellation(await app.settled(), 'http');
      });
    }
  });

  describe('on gRPC-Web, a stream whose fetch is aborted after the first frame', () => {
    for (const mode of MODES) {
      it(`should be reported once as cancelled when the handler ${mode === 'stalls' ? 'stalls' : `${mode} its signal`}`, async () => {
        app = await ObservedApp.start(mode);
        const abort = new AbortController();
        const res = await fetch(`${app.test.httpUrl}/ticker.v1.Ticker/Ticks`, {
          method: 'POST',
          headers: { 'content-type': 'application/grpc-web+proto', 'x-grpc-web': '1' },
          body: Buffer.concat([Buffer.from([0, 0, 0, 0, 2]), ticksRequest(5)]),
          signal: abort.signal,
        });
        assert.equal(res.status, 200);
        const reader = res.body!.getReader();
        await reader.read();
        abort.abort();
        await reader.read().catch(() => undefined);
        assertOneCancellation(await app.settled(), 'grpc');
      });
    }
  });

  it('should still let the handler finish (its finally runs) when it watches or ignores its signal', async () => {
    app = await ObservedApp.start('ignores');
    const client = new Client(app.test.grpcAddress, credentials.createInsecure());
    try {
      await new Promise<void>((resolve) => {
        const call = client.makeServerStreamRequest(TICKS, (b: Buffer) => b, (b: Buffer) => b, ticksRequest(5));
        call.once('data', () => call.cancel());
        call.on('error', () => resolve());
      });
      await app.settled();
      assert.equal(probe.finished, 1);
    } finally {
      client.close();
    }
  });
});

describe('a server stream that fails after its first message', () => {
  it('should end a gRPC call with its status and be reported once with its error', async () => {
    app = await ObservedApp.start('fails');
    const client = new Client(app.test.grpcAddress, credentials.createInsecure());
    try {
      const { messages, code } = await new Promise<{ messages: number; code: number }>((resolve) => {
        let n = 0;
        const call = client.makeServerStreamRequest(TICKS, (b: Buffer) => b, (b: Buffer) => b, ticksRequest(5));
        call.on('data', () => n++);
        call.on('error', (err: ServiceError) => resolve({ messages: n, code: err.code }));
      });
      assert.equal(messages, 1);
      assert.equal(code, status.UNAVAILABLE);
      assertOneFailure(await app.settled(), 'grpc');
    } finally {
      client.close();
    }
  });

  it('should end an NDJSON reply with an error line and be reported once with its error', async () => {
    app = await ObservedApp.start('fails');
    const res = await fetch(`${app.test.httpUrl}/v1/ticks?interval_ms=5`);
    assert.equal(res.status, 200);
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as Record<string, { reason?: string }>);
    assert.equal(lines.length, 2);
    assert.ok('result' in lines[0]!);
    assert.equal(lines[1]!['error']!.reason, 'TICKER_DOWN');
    assertOneFailure(await app.settled(), 'http');
  });

  it('should end a gRPC-Web call with its status trailer and be reported once with its error', async () => {
    app = await ObservedApp.start('fails');
    const res = await fetch(`${app.test.httpUrl}/ticker.v1.Ticker/Ticks`, {
      method: 'POST',
      headers: { 'content-type': 'application/grpc-web+proto', 'x-grpc-web': '1' },
      body: Buffer.concat([Buffer.from([0, 0, 0, 0, 2]), ticksRequest(5)]),
    });
    const body = Buffer.from(await res.arrayBuffer());
    // One message frame (flag 0), then the trailer frame (flag 0x80) with the status.
    assert.equal(body[0], 0);
    const trailer = body.subarray(5 + body.readUInt32BE(1));
    assert.equal(trailer[0], 0x80);
    assert.match(trailer.subarray(5).toString('latin1'), /grpc-status: ?14\r\n/);
    assertOneFailure(await app.settled(), 'grpc');
  });
});
