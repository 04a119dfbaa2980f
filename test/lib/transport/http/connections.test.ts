import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { HttpServer, type HttpRoute } from '../../../../lib/transport/http/index.js';

async function started(options: ConstructorParameters<typeof HttpServer>[0]): Promise<HttpServer> {
  const s = new HttpServer({ addr: '127.0.0.1:0', ...options });
  const routes: HttpRoute[] = [
    { method: 'POST', path: '/upload', operation: '/upload', handler: async (req) => req },
    { method: 'GET', path: '/fail', operation: '/fail', handler: async () => Promise.reject(new Error('boom')) },
    { method: 'GET', path: '/ok', operation: '/ok', handler: async () => ({ ok: true }) },
  ];
  for (const r of routes) s.route(r);
  await s.start();
  return s;
}

/** A raw socket recording what it read and when it was closed by the server. */
function rawClient(port: number): Promise<{ socket: Socket; read: () => string; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    let data = '';
    const socket = connect(port, '127.0.0.1');
    const t0 = performance.now();
    const closed = new Promise<number>((r) => socket.once('close', () => r(performance.now() - t0)));
    socket.on('data', (d: Buffer) => (data += d.toString()));
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve({ socket, read: () => data, closed }));
    socket.once('error', reject);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('HttpServer connections', () => {
  describe('having a client that sends its body slower than bodyTimeout', () => {
    it('should answer 408 REQUEST_TIMEOUT and close the connection, long before requestTimeout', async () => {
      const s = await started({ timeout: 0, bodyTimeout: 300, requestTimeout: 30_000 });
      try {
        const c = await rawClient(s.port);
        c.socket.write('POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":');
        const trickle = setInterval(() => c.socket.writable && c.socket.write(' '), 50);
        const closedAfter = await Promise.race([c.closed, sleep(5000).then(() => Infinity)]);
        clearInterval(trickle);
        assert.match(c.read(), /^HTTP\/1\.1 408 /);
        assert.match(c.read(), /"reason":"REQUEST_TIMEOUT"/);
        assert.match(c.read(), /connection: close/i);
        assert.ok(closedAfter < 2000, `closed after ${closedAfter} ms`);
      } finally {
        await s.stop();
      }
    });
  });

  describe('having an error answered to a complete request', () => {
    it('should keep the connection alive for the next request', async () => {
      const s = await started({});
      try {
        const c = await rawClient(s.port);
        c.socket.write('GET /fail HTTP/1.1\r\nHost: x\r\n\r\n');
        await sleep(200);
        c.socket.write('GET /ok HTTP/1.1\r\nHost: x\r\n\r\n');
        await sleep(200);
        assert.match(c.read(), /^HTTP\/1\.1 500 [\s\S]*HTTP\/1\.1 200 /);
        c.socket.destroy();
      } finally {
        await s.stop();
      }
    });
  });

  describe('having maxConnections', () => {
    it('should close connections beyond the cap at once and serve the others', async () => {
      const s = await started({ maxConnections: 2 });
      try {
        const a = await rawClient(s.port);
        const b = await rawClient(s.port);
        await sleep(50);
        const extra = await rawClient(s.port);
        const closedAfter = await Promise.race([extra.closed, sleep(2000).then(() => Infinity)]);
        assert.ok(closedAfter < 1000, `the third connection stayed open ${closedAfter} ms`);
        assert.equal(extra.read(), '');
        a.socket.write('GET /ok HTTP/1.1\r\nHost: x\r\n\r\n');
        await sleep(200);
        assert.match(a.read(), /^HTTP\/1\.1 200 /);
        a.socket.destroy();
        b.socket.destroy();
      } finally {
        await s.stop();
      }
    });
  });
});
