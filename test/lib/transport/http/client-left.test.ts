import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import type { ServerResponse } from 'node:http';
import { onCallEnd, type CallOutcome } from '../../../../lib/middleware/index.js';
import { HttpServer, type HttpContext, type HttpRoute } from '../../../../lib/transport/http/index.js';
import type { Context } from '../../../../lib/transport/index.js';

/** A server on an ephemeral port serving `routes`. */
async function serving(options: ConstructorParameters<typeof HttpServer>[0], ...routes: HttpRoute[]): Promise<HttpServer> {
  const s = new HttpServer({ addr: '127.0.0.1:0', ...options });
  routes.forEach((r) => s.route(r));
  await s.start();
  return s;
}

/** A promise with its resolve, for a test to wait on what a handler saw. */
function later<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  const out = {} as { promise: Promise<T>; resolve: (v: T) => void };
  out.promise = new Promise<T>((r) => (out.resolve = r));
  return out;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Every listener on the response, by event: what the framework added to node's own. */
function listeners(res: ServerResponse): Record<string, number> {
  return Object.fromEntries(res.eventNames().map((e) => [String(e), res.listenerCount(e)]));
}

/** A raw client that sends `path`, waits for the handler to start, and leaves without reading a reply. */
async function leaveMidRequest(port: number, path: string, entered: Promise<void>): Promise<void> {
  const sock = connect(port, '127.0.0.1', () => sock.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`));
  sock.on('error', () => undefined);
  await entered;
  sock.destroy();
}

describe('HttpServer and a client that leaves', () => {
  describe('having a handler that never asks for its signal', () => {
    it('should add no listener to the request\'s response, and one once the signal is asked for', async () => {
      const seen: Record<string, number>[] = [];
      const s = await serving({ ambientContext: false },
        { method: 'GET', path: '/plain', operation: '/plain', handler: async (_req, ctx: Context) => (seen.push(listeners((ctx as HttpContext).res)), {}) },
        { method: 'GET', path: '/asks', operation: '/asks', handler: async (_req, ctx: Context) => (void ctx.signal, seen.push(listeners((ctx as HttpContext).res)), {}) },
      );
      try {
        for (const path of ['/plain', '/plain', '/asks']) assert.equal((await fetch(`http://127.0.0.1:${s.port}${path}`)).status, 200);
        // node's own: one 'finish' listener (its resOnFinish); the framework adds nothing of its own.
        assert.deepEqual(seen[0], { finish: 1 });
        assert.deepEqual(seen[1], { finish: 1 });
        assert.deepEqual(seen[2], { finish: 1, close: 1 });
      } finally {
        await s.stop();
      }
    });

    it('should still report the call as cancelled (499 CANCELLED) to the middleware watching its end', async () => {
      const entered = later();
      const ended = later<CallOutcome>();
      const s = await serving({ timeout: 0 }, {
        method: 'GET', path: '/slow', operation: '/slow',
        handler: (req, ctx) => onCallEnd(async () => (entered.resolve(), await sleep(80), { late: true }), req, ctx, ended.resolve),
      });
      try {
        await leaveMidRequest(s.port, '/slow', entered.promise);
        const outcome = await ended.promise;
        assert.equal(outcome.cancelled, true);
        assert.deepEqual([(outcome.error as { code: number }).code, (outcome.error as { reason: string }).reason], [499, 'CANCELLED']);
        await sleep(10);
        assert.equal(s.inFlight, 0, 'the request ended, its reply unwritten');
      } finally {
        await s.stop(Date.now());
      }
    });

    it('should keep the client\'s leaving (499), not the deadline that passes after it (504)', async () => {
      const entered = later();
      const ended = later<CallOutcome>();
      let signalReason: unknown;
      const s = await serving({ timeout: 60 }, {
        method: 'GET', path: '/slow', operation: '/slow',
        handler: (req, ctx) => onCallEnd(async () => {
          entered.resolve();
          await sleep(150); // the client leaves, then the 60 ms deadline passes, and only then is the signal read
          signalReason = (ctx.signal.reason as Error).name;
          return {};
        }, req, ctx, ended.resolve),
      });
      try {
        await leaveMidRequest(s.port, '/slow', entered.promise);
        const outcome = await ended.promise;
        assert.equal((outcome.error as { code: number }).code, 499);
        assert.equal(signalReason, 'AbortError');
      } finally {
        await s.stop(Date.now());
      }
    });
  });

  describe('having a handler that asks for its signal before the client leaves', () => {
    it('should abort the signal as the client leaves, while the handler still waits', async () => {
      const entered = later();
      const aborted = later<string>();
      const s = await serving({ timeout: 0 }, {
        method: 'GET', path: '/hang', operation: '/hang',
        handler: async (_req, ctx) => {
          ctx.signal.addEventListener('abort', () => aborted.resolve((ctx.signal.reason as Error).name));
          entered.resolve();
          await sleep(2000);
        },
      });
      try {
        const t0 = Date.now();
        await leaveMidRequest(s.port, '/hang', entered.promise);
        assert.equal(await aborted.promise, 'AbortError');
        assert.ok(Date.now() - t0 < 1500, 'aborted when the client left, not when the handler ended');
      } finally {
        await s.stop(Date.now());
      }
    });
  });
});
