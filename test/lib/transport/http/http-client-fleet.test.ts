import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { KratosError, serviceUnavailable } from '../../../../lib/errors/index.js';
import { retry } from '../../../../lib/resilience/index.js';
import { createHttpClient, HttpServer, type HttpClient } from '../../../../lib/transport/http/index.js';
import { restartablePort } from '../../../helpers/ports.js';
import { AttemptLog, registryOf } from '../fleet-fixtures.js';

/** An HTTP server answering GET /echo/{text} with `name:text`, or running `say` instead. */
async function echo(name: string, port = 0, say?: () => Promise<unknown>): Promise<{ server: HttpServer; address: string; calls: () => number }> {
  let calls = 0;
  const server = new HttpServer({ addr: `127.0.0.1:${port}`, timeout: 0 });
  server.route({
    method: 'POST',
    path: '/echo/{text}',
    operation: '/echo',
    handler: async (req: unknown) => {
      calls++;
      return say !== undefined ? say() : { text: `${name}:${(req as { text: string }).text}` };
    },
  });
  await server.start();
  return { server, address: `127.0.0.1:${server.port}`, calls: () => calls };
}

async function client(endpoints: string[], middleware: Parameters<typeof createHttpClient>[0]['middleware'] = []): Promise<{ c: HttpClient; post: (text: string) => Promise<{ text: string }>; log: AttemptLog }> {
  const log = new AttemptLog();
  const registry = await registryOf('fleet', endpoints.map((a) => `http://${a}`));
  const c = createHttpClient({ endpoint: 'discovery:///fleet', discovery: registry, logger: log, timeout: 3000, middleware });
  return { c, post: (text) => c.invoke('POST', `/echo/${text}`, {}), log };
}

/** A TCP server that reads each request and then resets the connection: the request reached it. */
async function resetter(): Promise<{ address: string; received: () => number; close: () => void }> {
  let received = 0;
  const server = createServer((socket) => {
    socket.once('data', () => {
      received++;
      socket.resetAndDestroy();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { address: `127.0.0.1:${(server.address() as AddressInfo).port}`, received: () => received, close: () => server.close() };
}

describe('HTTP client in a fleet', () => {
  it('should resend a call refused by a dead address to another node, stop picking it, and take it back once it listens', async () => {
    const deadPort = await restartablePort();
    const dead = `127.0.0.1:${deadPort}`;
    const live = await echo('live');
    const { c, post, log } = await client([dead, live.address]);
    let revived: Awaited<ReturnType<typeof echo>> | undefined;
    try {
      for (let i = 0; i < 40; i++) assert.match((await post(`x${i}`)).text, /^live:/);
      assert.equal(live.calls(), 40, 'every call ran once');
      const refused = log.to(dead);
      assert.equal(refused.length, 1, `attempts to the dead address: ${refused.length}`);
      assert.ok(refused[0]?.unreached, 'a refused connection is marked as never sent');
      revived = await echo('revived', deadPort);
      const seen = new Set<string>();
      const end = Date.now() + 8000;
      while (!seen.has('revived') && Date.now() < end) seen.add((await post('x')).text.split(':')[0] as string);
      assert.ok(seen.has('revived'), 'the node came back after a successful connect probe');
    } finally {
      c.close();
      await live.server.stop(Date.now());
      await revived?.server.stop(Date.now());
    }
  });

  it('should never resend a handler’s own 503 UNAVAILABLE, with or without the retry middleware', async () => {
    let runs = 0;
    const fail = async (): Promise<never> => {
      runs++;
      throw serviceUnavailable('UNAVAILABLE', 'database unavailable, transaction may have committed');
    };
    const [a, b] = [await echo('a', 0, fail), await echo('b', 0, fail)];
    for (const middleware of [[], [retry({ attempts: 4, backoff: { base: 1, max: 1 } })]]) {
      const { c, post } = await client([a.address, b.address], middleware);
      try {
        runs = 0;
        const err = (await post('pay').catch((e: unknown) => e)) as KratosError;
        assert.equal(err.message, 'database unavailable, transaction may have committed');
        assert.equal(runs, 1, 'the call ran once');
      } finally {
        c.close();
      }
    }
    await Promise.all([a.server.stop(Date.now()), b.server.stop(Date.now())]);
  });

  it('should not resend a request whose connection was reset after it was written', async () => {
    // Reads the request, then resets: the reset comes after the server had it.
    const dropper = await resetter();
    const address = dropper.address;
    const live = await echo('live');
    const { c, post, log } = await client([address], [retry({ attempts: 4, backoff: { base: 1, max: 1 } })]);
    try {
      const err = (await post('once').catch((e: unknown) => e)) as KratosError;
      assert.equal(err.code, 503);
      assert.equal(dropper.received(), 1, `a reset request was sent ${dropper.received()} times`);
      assert.equal(log.to(address)[0]?.unreached, false);
    } finally {
      c.close();
      dropper.close();
      await live.server.stop(Date.now());
    }
  });

  it('should send each retry of a call to a node that call has not tried yet', async () => {
    const droppers = await Promise.all([resetter(), resetter()]);
    const good = await echo('good');
    const idempotent = retry({ attempts: 3, operations: ['/echo/*'], backoff: { base: 1, max: 1 }, budget: { ratio: 2, minPerSecond: 100 } });
    const { c, post } = await client([...droppers.map((d) => d.address), good.address], [idempotent]);
    try {
      for (let i = 0; i < 30; i++) {
        const before = droppers.map((d) => d.received());
        assert.match((await post(`r${i}`)).text, /^good:/, 'two resetting nodes and three tries: the third is the good one at the latest');
        droppers.forEach((d, k) => assert.ok(d.received() - (before[k] as number) <= 1, 'no node twice for one call'));
      }
      assert.equal(good.calls(), 30);
    } finally {
      c.close();
      droppers.forEach((d) => d.close());
      await good.server.stop(Date.now());
    }
  });

  it('should apply the same health rules to a direct:/// list', async () => {
    const dead = `127.0.0.1:${await restartablePort()}`;
    const live = await echo('live');
    const log = new AttemptLog();
    const c = createHttpClient({ endpoint: `direct:///${dead},${live.address}`, logger: log, timeout: 3000 });
    try {
      for (let i = 0; i < 20; i++) assert.match((await c.invoke<{ text: string }>('POST', `/echo/d${i}`, {})).text, /^live:/);
      assert.equal(log.to(dead).length, 1, 'refused once, then skipped');
    } finally {
      c.close();
      await live.server.stop(Date.now());
    }
  });

  it('should drop an idle connection before the server’s announced keep-alive timeout closes it', async () => {
    // A plain node:http server announcing `Keep-Alive: timeout=2`; it would close idle sockets at 2 s.
    let connections = 0;
    const server = createHttpServer((_req, res) => res.setHeader('content-type', 'application/json').end('{}'));
    server.keepAliveTimeout = 2000;
    server.on('connection', () => connections++);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const c = createHttpClient({ endpoint: `127.0.0.1:${(server.address() as AddressInfo).port}`, timeout: 3000 });
    try {
      await c.invoke('POST', '/a', {});
      await c.invoke('POST', '/a', {});
      assert.equal(connections, 1, 'reused while fresh');
      // Past the hint minus node's one-second margin, before the server's own close.
      await new Promise((r) => setTimeout(r, 1500));
      await c.invoke('POST', '/a', {});
      assert.equal(connections, 2, 'the client let the idle socket go before the server could close it under a request');
    } finally {
      c.close();
      server.close();
    }
  });

  it('should stop picking a node within moments of its death, without a failed call', async () => {
    const [a, b] = [await echo('a'), await echo('b')];
    const { c, post, log } = await client([a.address, b.address]);
    try {
      for (let i = 0; i < 10; i++) await post('warm');
      // Like a SIGKILL: the port closes and the pooled connections are cut.
      await a.server.stop(Date.now());
      await new Promise((r) => setTimeout(r, 100));
      const before = a.calls();
      for (let i = 0; i < 30; i++) assert.match((await post(`after${i}`)).text, /^b:/);
      assert.equal(a.calls(), before);
      assert.ok(log.to(a.address).length <= 1, `attempts to the dead node: ${log.to(a.address).length}`);
    } finally {
      c.close();
      await b.server.stop(Date.now());
    }
  });
});
