import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fromBinary } from '@bufbuild/protobuf';
import { errors, selector, type Middleware } from '../../../../lib/index.js';
import { createTestApp, type TestApp } from '../../../../lib/testing/index.js';
import { encodeGrpcMessage, frame, fromBase64Chunks, parseGrpcTimeout } from '../../../../lib/transport/grpcweb/index.js';
import { TickerModule, tickerLog } from '../../../fixtures/grpcweb/ticker-service.js';
import { messageIn, peerRegistry, repoPath } from '../../../helpers/grpc-web-peer.js';

// Messages are encoded and decoded with protoc's descriptors through @bufbuild/protobuf, not with our code.
const registry = peerRegistry(repoPath('test', 'fixtures', 'grpcweb'), ['ticker.proto']);
const Tick = messageIn(registry, 'ticker.v1.Tick');
const TicksRequest = messageIn(registry, 'ticker.v1.TicksRequest');
const Status = messageIn(registry, 'google.rpc.Status');
const ErrorInfo = messageIn(registry, 'google.rpc.ErrorInfo');
import { create, toBinary } from '@bufbuild/protobuf';

interface Parsed {
  messages: Buffer[];
  trailers: Record<string, string>;
}

/** Splits a gRPC-Web response body by the spec: 0x00 frames are messages, the 0x80 frame holds trailers. */
function parse(body: Buffer): Parsed {
  const out: Parsed = { messages: [], trailers: {} };
  let at = 0;
  while (at < body.length) {
    const flag = body[at] as number;
    const len = body.readUInt32BE(at + 1);
    const payload = body.subarray(at + 5, at + 5 + len);
    if (flag === 0x80) {
      for (const line of payload.toString('latin1').split('\r\n').filter((l) => l !== '')) {
        const i = line.indexOf(':');
        out.trailers[line.slice(0, i).trim()] = line.slice(i + 1).trim();
      }
    } else out.messages.push(Buffer.from(payload));
    at += 5 + len;
  }
  return out;
}

function body(type: typeof Tick, value: Record<string, unknown>): Buffer {
  return frame(0, toBinary(type, create(type, value)));
}

async function call(app: TestApp, method: string, payload: Buffer, headers: Record<string, string> = {}): Promise<{ res: Response; parsed: Parsed }> {
  const res = await fetch(`${app.httpUrl}/ticker.v1.Ticker/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/grpc-web+proto', 'x-grpc-web': '1', ...headers },
    body: payload,
  });
  return { res, parsed: parse(Buffer.from(await res.arrayBuffer())) };
}

describe('gRPC-Web gateway', () => {
  let app: TestApp;
  before(async () => {
    app = await createTestApp(TickerModule, { protoPaths: [repoPath()] });
  });
  after(() => app.close());

  describe('binary (application/grpc-web+proto)', () => {
    it('should answer one message frame then a 0x80 trailer frame with grpc-status 0', async () => {
      const { res, parsed } = await call(app, 'Echo', body(Tick, { n: 0, pad: 'abc' }));
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/grpc-web+proto');
      assert.equal(res.headers.get('x-echo'), 'abc', 'reply metadata travels as HTTP headers');
      assert.equal(parsed.messages.length, 1);
      assert.deepEqual({ ...fromBinary(Tick, parsed.messages[0] as Buffer) }, { $typeName: 'ticker.v1.Tick', n: 0, pad: 'ABC' });
      assert.equal(parsed.trailers['grpc-status'], '0');
    });

    it('should stream every message of a server-streaming rpc, then the trailers', async () => {
      const { parsed } = await call(app, 'Ticks', body(TicksRequest, { count: 3 }));
      assert.deepEqual(parsed.messages.map((m) => (fromBinary(Tick, m) as unknown as { n: number }).n), [1, 2, 3]);
      assert.equal(parsed.trailers['grpc-status'], '0');
    });

    it('should put the Kratos error in the trailers: status, message and google.rpc.Status with ErrorInfo', async () => {
      const { res, parsed } = await call(app, 'Ticks', body(TicksRequest, { count: 5, failAt: 3 }));
      assert.equal(res.status, 200);
      assert.equal(parsed.messages.length, 2);
      assert.equal(parsed.trailers['grpc-status'], '10', '409 maps to ABORTED');
      assert.equal(parsed.trailers['grpc-message'], 'tick 3 failed');
      const status = fromBinary(Status, Buffer.from(parsed.trailers['grpc-status-details-bin'] as string, 'base64')) as unknown as {
        code: number;
        details: { typeUrl: string; value: Uint8Array }[];
      };
      assert.equal(status.code, 10);
      assert.equal(status.details[0]?.typeUrl, 'type.googleapis.com/google.rpc.ErrorInfo');
      const info = fromBinary(ErrorInfo, status.details[0]?.value as Uint8Array) as unknown as { reason: string; metadata: Record<string, string> };
      assert.equal(info.reason, 'TICK_FAILED');
      assert.deepEqual(info.metadata, { n: '3' });
    });

    it('should answer UNIMPLEMENTED (12) for an unknown method', async () => {
      const { parsed } = await call(app, 'Nope', body(Tick, {}));
      assert.equal(parsed.trailers['grpc-status'], '12');
    });

    it('should answer INVALID_ARGUMENT (3) for a truncated frame, and keep serving', async () => {
      const { parsed } = await call(app, 'Echo', Buffer.from([0, 0, 0, 0, 9, 1]));
      assert.equal(parsed.trailers['grpc-status'], '3');
      assert.equal((await call(app, 'Echo', body(Tick, { pad: 'ok' }))).parsed.trailers['grpc-status'], '0');
    });
  });

  describe('text (application/grpc-web-text)', () => {
    it('should take a base64 body and answer base64 frames', async () => {
      const res = await fetch(`${app.httpUrl}/ticker.v1.Ticker/Ticks`, {
        method: 'POST',
        headers: { 'content-type': 'application/grpc-web-text', accept: 'application/grpc-web-text' },
        body: body(TicksRequest, { count: 2 }).toString('base64'),
      });
      assert.equal(res.headers.get('content-type'), 'application/grpc-web-text+proto');
      const parsed = parse(fromBase64Chunks(await res.text()));
      assert.deepEqual(parsed.messages.map((m) => (fromBinary(Tick, m) as unknown as { n: number }).n), [1, 2]);
      assert.equal(parsed.trailers['grpc-status'], '0');
    });
  });

  describe('framing helpers', () => {
    it('should decode a grpc-web-text body made of several padded base64 chunks', () => {
      const parts = [Buffer.from([0, 0, 0, 0, 1, 7]), Buffer.from([0x80, 0, 0, 0, 0])];
      assert.deepEqual(fromBase64Chunks(parts.map((p) => p.toString('base64')).join('')), Buffer.concat(parts));
    });

    it('should percent-encode grpc-message outside printable ASCII, as gRPC over HTTP/2 does', () => {
      assert.equal(encodeGrpcMessage('50% über'), '50%25 %C3%BCber');
      assert.equal(encodeGrpcMessage('line\nbreak'), 'line%0Abreak');
    });
  });

  describe('grpc-timeout', () => {
    it('should answer DEADLINE_EXCEEDED (4) when the deadline passes, and abort the handler', async () => {
      const before = tickerLog.aborted;
      const { parsed } = await call(app, 'Echo', body(Tick, { n: 500 }), { 'grpc-timeout': '50m' });
      assert.equal(parsed.trailers['grpc-status'], '4');
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(tickerLog.aborted, before + 1);
    });

    it('should read the units the spec gives', () => {
      assert.deepEqual(['1H', '2M', '3S', '40m', '5000u', '7000000n'].map(parseGrpcTimeout), [3_600_000, 120_000, 3000, 40, 5, 7]);
      assert.throws(() => parseGrpcTimeout('123456789S'), /grpc-timeout/);
    });
  });

  describe('CORS', () => {
    it('should answer a preflight for an rpc path with the gRPC-Web headers allowed and exposed', async () => {
      const res = await fetch(`${app.httpUrl}/ticker.v1.Ticker/Echo`, {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-grpc-web,x-md-global-user' },
      });
      assert.equal(res.status, 204);
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
      const allowed = (res.headers.get('access-control-allow-headers') ?? '').split(', ');
      for (const h of ['content-type', 'x-grpc-web', 'x-user-agent', 'grpc-timeout', 'x-md-global-user']) assert.ok(allowed.includes(h), h);
      assert.deepEqual((res.headers.get('access-control-expose-headers') ?? '').split(', '), ['grpc-status', 'grpc-message', 'grpc-status-details-bin']);
    });

    it('should add the CORS headers to calls from a page', async () => {
      const { res } = await call(app, 'Echo', body(Tick, {}), { origin: 'https://app.example' });
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
      assert.match(res.headers.get('access-control-expose-headers') ?? '', /grpc-status-details-bin/);
    });
  });

  describe('when the client goes away mid-stream', () => {
    it('should abort ctx.signal and stop the handler', async () => {
      const before = tickerLog.aborted;
      const ac = new AbortController();
      const res = await fetch(`${app.httpUrl}/ticker.v1.Ticker/Ticks`, {
        method: 'POST',
        headers: { 'content-type': 'application/grpc-web+proto' },
        body: body(TicksRequest, { count: 1000, intervalMs: 20 }),
        signal: ac.signal,
      });
      await (res.body as ReadableStream<Uint8Array>).getReader().read();
      ac.abort();
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(tickerLog.aborted, before + 1);
      assert.ok(tickerLog.produced < 50);
    });
  });

  describe('having a middleware selected by operation', () => {
    it('should run it for the same operation as on gRPC, and only there', async () => {
      const guard: Middleware = () => async (_req, ctx) => {
        throw errors.forbidden('NO_ECHO', `${ctx.kind} ${ctx.operation} is closed`);
      };
      const guarded = await createTestApp(TickerModule, { protoPaths: [repoPath()], middleware: [selector(guard).path('/ticker.v1.Ticker/Echo').build()] });
      try {
        const echo = await call(guarded, 'Echo', body(Tick, {}));
        assert.equal(echo.parsed.trailers['grpc-status'], '7', '403 maps to PERMISSION_DENIED');
        assert.equal(echo.parsed.trailers['grpc-message'], 'grpc /ticker.v1.Ticker/Echo is closed');
        const ticks = await call(guarded, 'Ticks', body(TicksRequest, { count: 1 }));
        assert.equal(ticks.parsed.trailers['grpc-status'], '0');
      } finally {
        await guarded.close();
      }
    });
  });

  describe('having a limiter that reads when a call arrived', () => {
    it('should give each call its arrival time, taken before the middleware ran', async () => {
      const seen: { arrivedAt: number | undefined; at: number }[] = [];
      const probe: Middleware = (next) => async (req, ctx) => {
        seen.push({ arrivedAt: ctx.arrivedAt, at: performance.now() });
        return next(req, ctx);
      };
      const probed = await createTestApp(TickerModule, { protoPaths: [repoPath()], middleware: [probe] });
      try {
        await call(probed, 'Echo', body(Tick, {}));
        const [one] = seen;
        assert.equal(typeof one?.arrivedAt, 'number');
        assert.ok((one?.arrivedAt as number) <= (one?.at as number));
      } finally {
        await probed.close();
      }
    });
  });

  describe('having grpcWeb turned off', () => {
    for (const [how, options] of [
      ['by the option', { http: { grpcWeb: false as const } }],
      ['by config server.http.grpc_web.enabled', { config: { server: { http: { grpc_web: { enabled: false } } } } }],
    ] as const) {
      it(`should not serve gRPC-Web ${how}`, async () => {
        const off = await createTestApp(TickerModule, { protoPaths: [repoPath()], ...options });
        try {
          const { res } = await call(off, 'Echo', body(Tick, {}));
          assert.equal(res.status, 404);
        } finally {
          await off.close();
        }
      });
    }
  });
});
