import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { Logger } from '../../../../lib/log/index.js';
import { HttpContext, HttpServer, type HttpRoute } from '../../../../lib/transport/http/index.js';
import { currentContext, type Context } from '../../../../lib/transport/index.js';

class Capture extends Logger {
  readonly lines: unknown[][] = [];
  log(...kv: unknown[]): void {
    this.lines.push(kv);
  }
}

function route(method: string, path: string, handler: HttpRoute['handler'], operation = path): HttpRoute {
  return { method, path, operation, handler };
}

async function started(routes: HttpRoute[], options: ConstructorParameters<typeof HttpServer>[0] = {}): Promise<{ s: HttpServer; url: string }> {
  const s = new HttpServer({ addr: '127.0.0.1:0', ...options });
  for (const r of routes) s.route(r);
  await s.start();
  return { s, url: `http://127.0.0.1:${s.port}` };
}

function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('HttpContext', () => {
  describe('currentContext()', () => {
    it('should return the handler context inside nested async functions', async () => {
      async function deep(): Promise<Context | undefined> {
        await sleep(1);
        return (async () => {
          await Promise.resolve();
          return currentContext();
        })();
      }
      const { s, url } = await started([route('GET', '/ctx', async (_req, ctx: Context) => ({
        same: (await deep()) === ctx,
        isHttpContext: ctx instanceof HttpContext,
        operation: ctx.operation,
      }), '/api.Users/Get')]);
      try {
        assert.deepEqual(await (await fetch(`${url}/ctx`)).json(), { same: true, isHttpContext: true, operation: '/api.Users/Get' });
        assert.equal(currentContext(), undefined);
      } finally {
        await s.stop();
      }
    });
  });

  describe('.deadline', () => {
    it('should be the request arrival plus the timeout, and undefined with timeout 0', async () => {
      const handler: HttpRoute['handler'] = async (_req, ctx: Context) => ({ deadline: ctx.deadline ?? null, now: Date.now() });
      const timed = await started([route('GET', '/d', handler)], { timeout: 5000 });
      const untimed = await started([route('GET', '/d', handler)], { timeout: 0 });
      try {
        const a = (await (await fetch(`${timed.url}/d`)).json()) as { deadline: number; now: number };
        assert.ok(a.deadline - a.now > 4000 && a.deadline - a.now <= 5000, `deadline ${a.deadline - a.now}ms ahead`);
        const b = (await (await fetch(`${untimed.url}/d`)).json()) as { deadline: number | null };
        assert.equal(b.deadline, null);
      } finally {
        await Promise.all([timed.s.stop(), untimed.s.stop()]);
      }
    });
  });

  describe('.signal', () => {
    it('should already be aborted when first read after the client left', async () => {
      const entered = deferred();
      const left = deferred();
      const seen = deferred<boolean>();
      const { s } = await started([route('GET', '/late', async (_req, ctx: Context) => {
        entered.resolve();
        await left.promise;
        await sleep(20);
        seen.resolve(ctx.signal.aborted);
      })], { timeout: 0 });
      try {
        const sock = connect(s.port, '127.0.0.1', () => sock.write('GET /late HTTP/1.1\r\nHost: x\r\n\r\n'));
        sock.on('error', () => {});
        await entered.promise;
        sock.destroy();
        left.resolve();
        assert.equal(await seen.promise, true);
      } finally {
        await s.stop(Date.now());
      }
    });

    it('should stay unaborted for a request answered normally', async () => {
      let signal: AbortSignal | undefined;
      const { s, url } = await started([route('GET', '/ok', async (_req, ctx: Context) => {
        signal = ctx.signal;
        return {};
      })]);
      try {
        assert.equal((await fetch(`${url}/ok`)).status, 200);
        await sleep(10);
        assert.equal(signal?.aborted, false);
      } finally {
        await s.stop();
      }
    });
  });

  describe('.requestHeader and .replyHeader', () => {
    let s: HttpServer;
    let url: string;
    before(async () => ({ s, url } = await started([route('GET', '/h', async (_req, ctx: Context) => {
      ctx.replyHeader.set('X-Reply', 'one');
      ctx.replyHeader.set('x-reply', 'two');
      return {
        missing: ctx.requestHeader.get('x-missing') ?? null,
        missingValues: ctx.requestHeader.values('x-missing'),
        hasKey: ctx.requestHeader.keys().includes('x-token'),
        replyGet: ctx.replyHeader.get('X-REPLY'),
        replyKeys: ctx.replyHeader.keys(),
      };
    })])));
    after(() => s.stop());

    it('should read request headers case-insensitively and replace reply headers on set', async () => {
      const res = await fetch(`${url}/h`, { headers: { 'X-Token': 't' } });
      assert.equal(res.headers.get('x-reply'), 'two');
      assert.deepEqual(await res.json(), { missing: null, missingValues: [], hasKey: true, replyGet: 'two', replyKeys: ['x-reply'] });
    });
  });
});

describe('HttpServer', () => {
  describe('.inFlight', () => {
    it('should count requests being served and drop back to 0', async () => {
      const release = deferred();
      let entered = 0;
      const { s, url } = await started([route('GET', '/wait', async () => {
        entered++;
        await release.promise;
        return {};
      })]);
      try {
        const calls = [fetch(`${url}/wait`), fetch(`${url}/wait`), fetch(`${url}/wait`)];
        while (entered < 3) await sleep(2);
        assert.equal(s.inFlight, 3);
        release.resolve();
        for (const r of await Promise.all(calls)) assert.equal(r.status, 200);
        assert.equal(s.inFlight, 0);
      } finally {
        await s.stop();
      }
    });
  });

  describe('having a logger', () => {
    it('should log a non-Kratos failure once with msg, operation and the error with its stack', async () => {
      const log = new Capture();
      const { s, url } = await started([route('GET', '/boom', async () => {
        throw new TypeError('secret detail');
      }, '/api.Boom/Go')], { logger: log });
      try {
        const res = await fetch(`${url}/boom`);
        const text = await res.text();
        assert.equal(res.status, 500);
        assert.ok(!text.includes('secret') && !text.includes('TypeError'), text);
        assert.equal(log.lines.length, 1);
        const [level, ...kv] = log.lines[0] as unknown[];
        assert.equal(level, 'error');
        const record = new Map<unknown, unknown>();
        for (let i = 0; i + 1 < kv.length; i += 2) record.set(kv[i], kv[i + 1]);
        assert.equal(typeof record.get('msg'), 'string');
        assert.equal(record.get('operation'), '/api.Boom/Go');
        const err = record.get('error');
        assert.ok(err instanceof TypeError && typeof err.stack === 'string');
      } finally {
        await s.stop();
      }
    });
  });

  describe('having a +json Content-Type', () => {
    it('should decode the body as JSON', async () => {
      const { s, url } = await started([route('POST', '/p', async (req) => req)]);
      try {
        const res = await fetch(`${url}/p`, { method: 'POST', headers: { 'content-type': 'application/merge-patch+json' }, body: '{"a":1}' });
        assert.deepEqual(await res.json(), { a: 1 });
      } finally {
        await s.stop();
      }
    });
  });
});
