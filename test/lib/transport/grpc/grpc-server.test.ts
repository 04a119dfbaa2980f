import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { KratosError, isNotFound, notFound } from '../../../../lib/errors/index.js';
import type { Handler, Middleware } from '../../../../lib/middleware/index.js';
import { currentContext, type Context } from '../../../../lib/transport/index.js';
import { Metadata } from '../../../../lib/metadata/index.js';
import { createGrpcClient, GrpcServer, type GrpcClient, type GrpcMethod } from '../../../../lib/transport/grpc/index.js';
import { echoService } from '../../../helpers/echo-service.js';

type Msg = { text: string; n: number; big?: string };
const svc = echoService();
const schema = (name: string) => svc.methods.find((m) => m.name === name)!;

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(t); reject(signal.reason); }, { once: true });
  });
}

describe('GrpcServer', () => {
  const seen: string[] = [];
  const aborted: string[] = [];
  const counting: Middleware = (next) => async (req, ctx) => { seen.push(`${ctx.kind} ${ctx.side} ${ctx.operation}`); return next(req, ctx); };
  const handlers: Record<string, Handler> = {
    Say: async (req: Msg, ctx: Context) => {
      if (req.text === 'missing') throw notFound('USER_NOT_FOUND', 'no such user').withMetadata({ id: '1' });
      if (req.text === 'crash') throw new TypeError('internal secret');
      if (req.text === 'slow') { ctx.signal.addEventListener('abort', () => aborted.push('slow')); await delay(500, ctx.signal); }
      ctx.replyHeader.set('x-reply', 'r1');
      return { text: `${req.text}:${ctx.requestHeader.get('x-in') ?? ''}:${currentContext() === ctx}`, n: req.n + 1, big: req.big ?? '0' };
    },
    Count: async (req: Msg, ctx: Context) => (async function* () {
      for (let i = 0; i < req.n; i++) {
        if (req.text === 'hang' && i === 1) { ctx.signal.addEventListener('abort', () => aborted.push('hang')); await delay(5000, ctx.signal); }
        yield { text: `${req.text}${i}`, n: i };
      }
    })(),
    Join: async (req: AsyncIterable<Msg>) => {
      const parts: string[] = [];
      for await (const m of req) parts.push(m.text);
      return { text: parts.join('+'), n: parts.length };
    },
    Chat: async (req: AsyncIterable<Msg>) => (async function* () {
      for await (const m of req) yield { text: m.text.toUpperCase(), n: m.n };
    })(),
  };
  let server: GrpcServer;
  let client: GrpcClient;

  before(async () => {
    server = new GrpcServer({ addr: '127.0.0.1:0', timeout: 200 });
    const methods: GrpcMethod[] = svc.methods.map((s) => ({ schema: s, handler: counting(handlers[s.name]!) }));
    server.addService(svc.fullName, methods);
    await server.start();
    client = createGrpcClient(svc, { endpoint: `127.0.0.1:${server.port}` });
  });
  after(async () => { client.close(); await server.stop(Date.now() + 1000); });

  const call = <T>(name: string, ...args: unknown[]): T => (client[name] as (...a: unknown[]) => T)(...args);

  describe('unary calls', () => {
    it('should run the middleware, pass headers both ways and keep 64-bit values as strings', async () => {
      const reply = new Metadata();
      const res = await call<Promise<Msg>>('say', { text: 'hi', n: 1, big: '9223372036854775807' }, { headers: { 'x-in': 'v' }, replyHeader: reply });
      assert.deepEqual(res, { text: 'hi:v:true', n: 2, big: '9223372036854775807' });
      assert.equal(reply.get('x-reply'), 'r1');
      assert.ok(seen.includes('grpc server /echo.v1.Echo/Say'));
    });

    it('should restore a Kratos error with its reason and metadata', async () => {
      const err = await call<Promise<Msg>>('say', { text: 'missing', n: 0 }).catch((e: unknown) => e);
      assert.ok(KratosError.isKratosError(err));
      assert.equal(isNotFound(err), true);
      assert.equal(err.reason, 'USER_NOT_FOUND');
      assert.deepEqual(err.metadata, { id: '1' });
      assert.equal(err.message, 'no such user');
    });

    it('should hide a non-Kratos failure behind a 500 and keep serving', async () => {
      const err = await call<Promise<Msg>>('say', { text: 'crash', n: 0 }).catch((e: unknown) => e);
      assert.ok(KratosError.isKratosError(err));
      assert.equal(err.code, 500);
      assert.doesNotMatch(err.message, /secret/);
      assert.equal((await call<Promise<Msg>>('say', { text: 'ok', n: 0 })).n, 1);
    });

    it('should enforce the server timeout and abort the handler', async () => {
      const err = await call<Promise<Msg>>('say', { text: 'slow', n: 0 }, { timeout: 5000 }).catch((e: unknown) => e);
      assert.ok(KratosError.isKratosError(err));
      assert.equal(err.code, 504);
      await delay(20);
      assert.ok(aborted.includes('slow'));
    });

    it('should honour a shorter client deadline', async () => {
      const started = Date.now();
      const err = await call<Promise<Msg>>('say', { text: 'slow', n: 0 }, { timeout: 50 }).catch((e: unknown) => e);
      assert.equal((err as KratosError).code, 504);
      assert.ok(Date.now() - started < 180);
    });
  });

  describe('server streaming', () => {
    it('should stream every message through one middleware run', async () => {
      const before = seen.length;
      const got: string[] = [];
      for await (const m of call<AsyncIterable<Msg>>('count', { text: 'm', n: 3 })) got.push(m.text);
      assert.deepEqual(got, ['m0', 'm1', 'm2']);
      assert.deepEqual(seen.slice(before), ['grpc server /echo.v1.Echo/Count']);
    });

    it('should keep an error that arrives before the caller reads, for the iterator', async () => {
      const stream = call<AsyncIterable<Msg>>('count', { text: 'hang', n: 3 }, { timeout: 50 });
      await delay(200);
      const err = await (async () => {
        for await (const _ of stream) void _;
      })().catch((e: unknown) => e);
      assert.ok(KratosError.isKratosError(err));
      assert.equal(err.code, 504);
    });

    it('should deliver cancellation to the handler signal', async () => {
      const ac = new AbortController();
      const got: string[] = [];
      await assert.rejects((async () => {
        for await (const m of call<AsyncIterable<Msg>>('count', { text: 'hang', n: 3 }, { signal: ac.signal, timeout: 0 })) {
          got.push(m.text);
          setTimeout(() => ac.abort(), 20);
        }
      })());
      await delay(50);
      assert.deepEqual(got, ['hang0']);
      assert.ok(aborted.includes('hang'));
    });
  });

  describe('client streaming', () => {
    it('should hand the handler an AsyncIterable of requests', async () => {
      async function* input() { yield { text: 'a', n: 0 }; yield { text: 'b', n: 0 }; yield { text: 'c', n: 0 }; }
      assert.deepEqual(await call<Promise<Msg>>('join', input()), { text: 'a+b+c', n: 3, big: '0' });
    });
  });

  describe('bidi streaming', () => {
    it('should stream both ways', async () => {
      const got: string[] = [];
      for await (const m of call<AsyncIterable<Msg>>('chat', [{ text: 'x', n: 1 }, { text: 'y', n: 2 }])) got.push(m.text);
      assert.deepEqual(got, ['X', 'Y']);
      assert.ok(seen.includes('grpc server /echo.v1.Echo/Chat'));
    });
  });

  describe('deadline propagation', () => {
    it('should give an outgoing call at most the time left of the incoming one', async () => {
      const inner = new GrpcServer({ addr: '127.0.0.1:0', timeout: 0 });
      let innerDeadline: number | undefined;
      inner.addService(svc.fullName, svc.methods.map((s) => ({ schema: s, handler: async (req: Msg, ctx: Context) => { innerDeadline = ctx.deadline; return req; } })));
      await inner.start();
      const innerClient = createGrpcClient(svc, { endpoint: `127.0.0.1:${inner.port}`, timeout: 60_000 });
      const outer = new GrpcServer({ addr: '127.0.0.1:0', timeout: 0 });
      let outerDeadline: number | undefined;
      outer.addService(svc.fullName, svc.methods.map((s) => ({ schema: s, handler: async (req: Msg, ctx: Context) => {
        outerDeadline = ctx.deadline;
        return (innerClient['say'] as (r: Msg) => Promise<Msg>)(req);
      } })));
      await outer.start();
      const outerClient = createGrpcClient(svc, { endpoint: `direct:///127.0.0.1:${outer.port}` });
      try {
        await (outerClient['say'] as (r: Msg, o: object) => Promise<Msg>)({ text: 't', n: 0 }, { timeout: 3000 });
        assert.ok(outerDeadline !== undefined && innerDeadline !== undefined);
        assert.ok(innerDeadline <= outerDeadline + 5, `inner ${innerDeadline} outer ${outerDeadline}`);
        assert.ok(innerDeadline - Date.now() < 3000);
      } finally {
        innerClient.close();
        outerClient.close();
        await Promise.all([inner.stop(), outer.stop()]);
      }
    });
  });

  describe('a unary call its client cancels', () => {
    // Nothing listens for the cancellation until the signal is asked for: the call reads it then.
    async function cancelledCall(handler: Handler): Promise<void> {
      let started!: () => void;
      const running = new Promise<void>((resolve) => (started = resolve));
      let finished!: () => void;
      const done = new Promise<void>((resolve) => (finished = resolve));
      const s = new GrpcServer({ addr: '127.0.0.1:0', timeout: 0 });
      s.addService(svc.fullName, svc.methods.map((x) => ({ schema: x, handler: async (req, ctx) => {
        started();
        try {
          return await handler(req, ctx);
        } finally {
          finished();
        }
      } })));
      await s.start();
      const c = createGrpcClient(svc, { endpoint: `127.0.0.1:${s.port}` });
      const ac = new AbortController();
      try {
        const pending = (c['say'] as (r: Msg, o: object) => Promise<Msg>)({ text: 'x', n: 0 }, { signal: ac.signal });
        await running;
        ac.abort();
        await assert.rejects(pending);
        await done;
      } finally {
        c.close();
        await s.stop(Date.now() + 1000);
      }
    }

    it('should show it as aborted, with 499 CANCELLED, to a handler that asks after it happened', async () => {
      let seen: { aborted: boolean | undefined; signal: boolean; code: unknown } | undefined;
      await cancelledCall(async (req: Msg, ctx: Context) => {
        // Polls the flag, the way a handler checks between steps; gives up after 3 s.
        for (let i = 0; i < 300 && ctx.aborted !== true; i++) await delay(10);
        seen = { aborted: ctx.aborted, signal: ctx.signal.aborted, code: (ctx.signal.reason as KratosError).code };
        return req;
      });
      assert.deepEqual(seen, { aborted: true, signal: true, code: 499 });
    });

    it('should abort the signal of a handler that holds it the moment the client cancels', async () => {
      let reason: unknown;
      await cancelledCall(async (req: Msg, ctx: Context) => {
        const signal = ctx.signal;
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        reason = signal.reason;
        return req;
      });
      assert.ok(KratosError.isKratosError(reason));
      assert.equal(reason.code, 499);
      assert.equal(reason.reason, 'CANCELLED');
    });

    it('should not count a call that ended normally as aborted afterwards', async () => {
      let ctxOf: Context | undefined;
      const s = new GrpcServer({ addr: '127.0.0.1:0', timeout: 0 });
      s.addService(svc.fullName, svc.methods.map((x) => ({ schema: x, handler: async (req: Msg, ctx: Context) => { ctxOf = ctx; return req; } })));
      await s.start();
      const c = createGrpcClient(svc, { endpoint: `127.0.0.1:${s.port}` });
      try {
        await (c['say'] as (r: Msg) => Promise<Msg>)({ text: 'done', n: 0 });
        await delay(50);
        assert.equal(ctxOf?.aborted, false);
        assert.equal(ctxOf?.signal.aborted, false);
      } finally {
        c.close();
        await s.stop(Date.now() + 1000);
      }
    });
  });

  describe('.stop', () => {
    it('should let a call in flight finish', async () => {
      const s = new GrpcServer({ addr: '127.0.0.1:0', timeout: 0 });
      s.addService(svc.fullName, svc.methods.map((x) => ({ schema: x, handler: async (req: Msg) => { await delay(100); return req; } })));
      await s.start();
      const c = createGrpcClient(svc, { endpoint: `127.0.0.1:${s.port}` });
      const pending = (c['say'] as (r: Msg) => Promise<Msg>)({ text: 'inflight', n: 0 });
      await delay(30);
      await s.stop(Date.now() + 2000);
      assert.equal((await pending).text, 'inflight');
      c.close();
    });
  });
});
