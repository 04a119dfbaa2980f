import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FrameworkError, gatewayTimeout, internalServer, KratosError, notFound, serviceUnavailable } from '../../../lib/errors/index.js';
import { neverSent, retry, retryable, type RetryOptions } from '../../../lib/resilience/index.js';
import { HttpClient, HttpServer } from '../../../lib/transport/http/index.js';
import { markUnreached } from '../../../lib/transport/index.js';
import { restartablePort } from '../../helpers/ports.js';
import { ctxFor, FakeClock, isKratos } from './fixtures.js';

// As the transports make it: marked as never sent (a bare message proves nothing).
const refused = (): KratosError => markUnreached(serviceUnavailable('UNAVAILABLE', 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1'));
const reset = (): KratosError => serviceUnavailable('UNAVAILABLE', 'ECONNRESET: socket hang up');

/** A backend failing with `errors` in turn, then answering 'ok'; records when each attempt started. */
function backend(...errors: unknown[]) {
  const starts: number[] = [];
  const handler = async (): Promise<string> => {
    starts.push(performance.now());
    const err = errors.shift();
    if (err !== undefined) throw err;
    return 'ok';
  };
  return { handler, starts, attempts: () => starts.length };
}

const quick: RetryOptions = { backoff: { base: 1, jitter: 0 } };

describe('retry', () => {
  describe('having transient failures before the request reached a server', () => {
    it('should retry with exponentially growing delays and return the success', async () => {
      const b = backend(refused(), refused(), refused());
      const h = retry({ attempts: 4, backoff: { base: 10, jitter: 0 } })(b.handler);
      assert.equal(await h({}, ctxFor('/orders.v1.Orders/Create')), 'ok');
      assert.equal(b.attempts(), 4);
      const gaps = b.starts.slice(1).map((t, i) => t - b.starts[i]!);
      gaps.forEach((gap, i) => assert.ok(gap >= 10 * 2 ** i - 1, `gap ${i}: ${gap} ms`));
    });

    it('should cap delays at backoff.max', async () => {
      const b = backend(refused(), refused(), refused());
      const started = performance.now();
      await retry({ attempts: 4, backoff: { base: 5, max: 8, jitter: 0 } })(b.handler)({}, ctxFor('/a'));
      const gaps = b.starts.slice(1).map((t, i) => t - b.starts[i]!);
      assert.ok(gaps[2]! >= 7, `third gap ${gaps[2]}`);
      assert.ok(performance.now() - started < 1000);
    });

    it('should spread delays by the jitter (random 0 with jitter 1 means no wait at all)', async () => {
      const b = backend(refused(), refused());
      const started = performance.now();
      await retry({ backoff: { base: 2000, jitter: 1 }, random: () => 0 })(b.handler)({}, ctxFor('/a'));
      assert.equal(b.attempts(), 3);
      assert.ok(performance.now() - started < 1000, 'a 2 s base would have shown');
    });

    it('should give up after `attempts` tries with the last error', async () => {
      const last = refused();
      const b = backend(refused(), refused(), last, refused());
      await assert.rejects(retry(quick)(b.handler)({}, ctxFor('/a')), (e) => e === last);
      assert.equal(b.attempts(), 3);
    });
  });

  describe('having a failure that may have reached the server', () => {
    it('should not resend a non-idempotent operation', async () => {
      const b = backend(reset());
      await assert.rejects(retry(quick)(b.handler)({}, ctxFor('/orders.v1.Orders/Create')));
      assert.equal(b.attempts(), 1);
    });

    it('should resend operations listed in `operations` or accepted by `idempotent`', async () => {
      const listed = backend(reset(), reset());
      assert.equal(await retry({ ...quick, operations: ['/orders.v1.Orders/Get'] })(listed.handler)({}, ctxFor('/orders.v1.Orders/Get')), 'ok');
      assert.equal(listed.attempts(), 3);
      const custom = backend(reset());
      const h = retry({ ...quick, idempotent: (op) => op.endsWith('/Get') })(custom.handler);
      assert.equal(await h({}, ctxFor('/orders.v1.Orders/Get')), 'ok');
    });
  });

  describe('having a non-transient failure', () => {
    it('should not retry 500, 504, 404, or a 503 the server chose', async () => {
      for (const err of [internalServer('BUG', 'x'), gatewayTimeout('SLOW', 'x'), notFound('NF', 'x'), serviceUnavailable('CIRCUITBREAKER', 'open')]) {
        const b = backend(err);
        await assert.rejects(retry({ ...quick, operations: ['/a'] })(b.handler)({}, ctxFor('/a')), (e) => e === err);
        assert.equal(b.attempts(), 1, `${(err as KratosError).code} ${(err as KratosError).reason}`);
      }
    });

    it('should follow a custom retryOn, still only for idempotent operations', async () => {
      const retryOn = (e: unknown): boolean => KratosError.isKratosError(e) && e.code === 500;
      const b = backend(internalServer('FLAKY', 'x'));
      assert.equal(await retry({ ...quick, retryOn, operations: ['/a'] })(b.handler)({}, ctxFor('/a')), 'ok');
      const c = backend(internalServer('FLAKY', 'x'));
      await assert.rejects(retry({ ...quick, retryOn })(c.handler)({}, ctxFor('/b')));
    });
  });

  describe('having a streamed request', () => {
    it('should never retry: the stream cannot be replayed', async () => {
      const b = backend(refused());
      const req = (async function* () {
        yield 1;
      })();
      await assert.rejects(retry(quick)(b.handler)(req, ctxFor('/a')));
      assert.equal(b.attempts(), 1);
    });
  });

  describe('having a deadline', () => {
    it('should not start a retry that would begin at or after the deadline', async () => {
      const clock = new FakeClock();
      const b = backend(refused(), refused());
      const h = retry({ backoff: { base: 50, jitter: 0 }, clock: clock.read })(b.handler);
      await assert.rejects(h({}, ctxFor('/a', { deadline: 50 })), isKratos(503, 'UNAVAILABLE'));
      assert.equal(b.attempts(), 1);
      const c = backend(refused());
      assert.equal(await retry({ backoff: { base: 5, jitter: 0 }, clock: clock.read })(c.handler)({}, ctxFor('/a', { deadline: 50 })), 'ok');
    });
  });

  describe('having an aborted call', () => {
    it('should end the wait at once with the last failure', async () => {
      const ac = new AbortController();
      const b = backend(refused(), refused());
      const started = performance.now();
      const pending = retry({ backoff: { base: 10_000 } })(b.handler)({}, ctxFor('/a', { signal: ac.signal }));
      setTimeout(() => ac.abort(), 10);
      await assert.rejects(pending, isKratos(503, 'UNAVAILABLE'));
      assert.equal(b.attempts(), 1);
      assert.ok(performance.now() - started < 1000);
    });

    it('should fail with the abort reason when it is a Kratos error', async () => {
      const ac = new AbortController();
      ac.abort(new KratosError(499, 'CANCELLED', 'call cancelled'));
      const b = backend(refused());
      await assert.rejects(retry(quick)(b.handler)({}, ctxFor('/a', { signal: ac.signal })), isKratos(499, 'CANCELLED'));
      assert.equal(b.attempts(), 1);
    });
  });

  describe('having an exhausted budget', () => {
    it('should stop retrying until requests refill it or the window forgets spent retries', async () => {
      const clock = new FakeClock();
      const always = async (): Promise<never> => Promise.reject(refused());
      let tries = 0;
      const h = retry({ ...quick, attempts: 10, clock: clock.read, budget: { ratio: 0.5, minPerSecond: 0.2 } })(async () => {
        tries++;
        return always();
      });
      // Reserve 0.2/s × 10 s = 2 tokens, plus 0.5 for this request: 2 retries.
      await assert.rejects(h({}, ctxFor('/a')));
      assert.equal(tries, 3);
      tries = 0;
      await assert.rejects(h({}, ctxFor('/a'))); // 2 + 1.0 deposited − 2 spent = 1 retry
      assert.equal(tries, 2);
      tries = 0;
      await assert.rejects(h({}, ctxFor('/a'))); // 2 + 1.5 − 3 = 0.5: none
      assert.equal(tries, 1);
      clock.advance(10_000);
      tries = 0;
      await assert.rejects(h({}, ctxFor('/a')));
      assert.equal(tries, 3, 'a fresh window');
    });
  });

  describe('having invalid options', () => {
    it('should throw KRATOS_ERR_OPTIONS_INVALID', () => {
      const invalid = (e: unknown): boolean => FrameworkError.isFrameworkError(e) && e.code === 'KRATOS_ERR_OPTIONS_INVALID';
      assert.throws(() => retry({ attempts: 0 }), invalid);
      assert.throws(() => retry({ backoff: { jitter: 2 } }), invalid);
      assert.throws(() => retry({ budget: { ratio: -1 } }), invalid);
    });
  });

  describe('across an instance restart', () => {
    it('should succeed once the server is back, running a non-idempotent call exactly once', async () => {
      const port = await restartablePort();
      let orders = 0;
      const makeServer = () => {
        const s = new HttpServer({ addr: `127.0.0.1:${port}`, timeout: 0 });
        s.route({ method: 'POST', path: '/orders', operation: '/orders', handler: async () => ({ order: ++orders }) });
        s.route({ method: 'POST', path: '/flaky', operation: '/flaky', handler: async () => { orders++; throw serviceUnavailable('UNAVAILABLE', 'reached, then failed'); } });
        return s;
      };
      const first = makeServer();
      let second: HttpServer | undefined;
      await first.start();
      const client = new HttpClient({ endpoint: `127.0.0.1:${port}`, timeout: 5000, middleware: [retry({ attempts: 8, backoff: { base: 40, max: 200 } })] });
      try {
        assert.deepEqual(await client.invoke('POST', '/orders', {}), { order: 1 });
        await first.stop();
        // Let the client see its pooled connection close: a request written on a connection the server
        // is closing may have been read, so it is not provably unsent and is not resent.
        await new Promise((r) => setTimeout(r, 50));
        const pending = client.invoke('POST', '/orders', {});
        await new Promise((r) => setTimeout(r, 150));
        second = makeServer();
        await second.start();
        assert.deepEqual(await pending, { order: 2 }, 'refused while down, sent once when back');
        const err = (await client.invoke('POST', '/flaky', {}).catch((e: unknown) => e)) as KratosError;
        assert.equal(err.message, 'reached, then failed');
        assert.equal(orders, 3, 'the call that reached the server was not sent again');
      } finally {
        client.close();
        await Promise.all([first.stop(Date.now()), second?.stop(Date.now())]);
      }
    });
  });
});

describe('retryable', () => {
  it('should accept UNAVAILABLE-like 503s only', () => {
    assert.equal(retryable(refused()), true);
    assert.equal(retryable(serviceUnavailable('NO_AVAILABLE_NODE', 'no available node')), true);
    assert.equal(retryable(serviceUnavailable('GRPC', 'No connection established. Last error: connect ECONNREFUSED')), true);
    assert.equal(retryable(serviceUnavailable('BULKHEAD', 'too many concurrent calls')), false);
    assert.equal(retryable(gatewayTimeout('DEADLINE', 'deadline exceeded')), false);
    assert.equal(retryable(new Error('ECONNREFUSED')), false);
  });
});

describe('neverSent', () => {
  it('should accept only failures a transport marked as never sent, not resets or look-alike messages', () => {
    assert.equal(neverSent(refused()), true);
    assert.equal(neverSent(new Error('wrapped', { cause: refused() })), true);
    // A server's own 503s read the same but may have done work before failing.
    assert.equal(neverSent(serviceUnavailable('NO_AVAILABLE_NODE', 'no available node')), false);
    assert.equal(neverSent(serviceUnavailable('UNAVAILABLE', 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1')), false);
    assert.equal(neverSent(serviceUnavailable('UNAVAILABLE', 'No connection established')), false);
    assert.equal(neverSent(reset()), false);
  });
});
