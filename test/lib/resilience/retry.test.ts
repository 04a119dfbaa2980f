import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Metadata } from '../../../lib/call-metadata/index.js';
import { internalServer, KratosError, serviceUnavailable } from '../../../lib/errors/index.js';
import { retry } from '../../../lib/resilience/index.js';
import { HttpClient, HttpServer } from '../../../lib/transport/http/index.js';
import { MapHeader, type Context } from '../../../lib/transport/index.js';
import { freePort } from '../../helpers/etcd.js';

const ctxFor = (operation: string, deadline?: number): Context => ({
  kind: 'http', side: 'client', operation, endpoint: 'e', requestHeader: new MapHeader(), replyHeader: new MapHeader(),
  signal: new AbortController().signal, deadline, metadata: new Metadata(),
});
const refused = () => serviceUnavailable('UNAVAILABLE', 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1');

describe('retry', () => {
  it('should retry a call that never reached a server, with growing delays', async () => {
    let n = 0;
    const times: number[] = [];
    const h = retry({ attempts: 4, backoff: { base: 10, jitter: 0 } })(async () => {
      times.push(Date.now());
      if (++n < 3) throw refused();
      return 'ok';
    });
    assert.equal(await h({}, ctxFor('/a')), 'ok');
    assert.equal(n, 3);
    assert.ok((times[2] as number) - (times[1] as number) >= (times[1] as number) - (times[0] as number));
  });

  it('should not resend a call that may have reached the server unless its operation is idempotent', async () => {
    let n = 0;
    const failing = async () => { n++; throw serviceUnavailable('DRAINING', 'try later'); };
    await assert.rejects(retry({ backoff: { base: 1 } })(failing)({}, ctxFor('/orders.v1.Orders/Create')));
    assert.equal(n, 1);
    n = 0;
    await assert.rejects(retry({ backoff: { base: 1 }, operations: ['/orders.v1.Orders/Get'] })(failing)({}, ctxFor('/orders.v1.Orders/Get')));
    assert.equal(n, 3);
  });

  it('should not retry 500, 504 or 4xx', async () => {
    let n = 0;
    await assert.rejects(retry({ backoff: { base: 1 }, operations: ['/a'] })(async () => { n++; throw internalServer('X', 'x'); })({}, ctxFor('/a')));
    assert.equal(n, 1);
  });

  it('should stop at the deadline and when the budget runs out', async () => {
    let n = 0;
    const h = retry({ attempts: 10, backoff: { base: 200, jitter: 0 } })(async () => { n++; throw refused(); });
    await assert.rejects(h({}, ctxFor('/a', Date.now() + 50)));
    assert.equal(n, 1);
    n = 0;
    const stingy = retry({ attempts: 10, backoff: { base: 1 }, budgetPerSecond: 2, budgetRatio: 0 })(async () => { n++; throw refused(); });
    await assert.rejects(stingy({}, ctxFor('/a')));
    assert.ok(n <= 4, `retries bounded by the budget, got ${n}`);
  });

  describe('across an instance restart', () => {
    it('should succeed once the server is back, running a non-idempotent call exactly once', async () => {
      const port = await freePort();
      let orders = 0;
      const makeServer = () => {
        const s = new HttpServer({ addr: `127.0.0.1:${port}`, timeout: 0 });
        s.route({ method: 'POST', path: '/orders', operation: '/orders', handler: async () => ({ order: ++orders }) });
        s.route({ method: 'POST', path: '/flaky', operation: '/flaky', handler: async () => { orders++; throw serviceUnavailable('OVERLOADED', 'reached, then failed'); } });
        return s;
      };
      const first = makeServer();
      let second: HttpServer | undefined;
      await first.start();
      const client = new HttpClient({ endpoint: `127.0.0.1:${port}`, timeout: 5000, middleware: [retry({ attempts: 8, backoff: { base: 40, max: 200 } })] });
      try {
        assert.deepEqual(await client.invoke('POST', '/orders', {}), { order: 1 });
        await first.stop();
        const pending = client.invoke('POST', '/orders', {});
        await new Promise((r) => setTimeout(r, 150));
        second = makeServer();
        await second.start();
        assert.deepEqual(await pending, { order: 2 }, 'refused while down, sent once when back');
        const err = (await client.invoke('POST', '/flaky', {}).catch((e: unknown) => e)) as KratosError;
        assert.equal(err.reason, 'OVERLOADED');
        assert.equal(orders, 3, 'the call that reached the server was not sent again');
      } finally {
        client.close();
        await Promise.all([first.stop(Date.now()), second?.stop(Date.now())]);
      }
    });
  });
});
