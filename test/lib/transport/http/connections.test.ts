import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { HttpServer, type HttpRoute } from '../../../../lib/transport/http/index.js';
import { makePki, type TestPki } from '../../../helpers/tls.js';

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

/** A raw socket (over TLS when given the CA) recording what it read and when it was closed by the server. */
function rawClient(port: number, ca?: Buffer): Promise<{ socket: Socket; read: () => string; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    let data = '';
    const socket = ca === undefined ? connect(port, '127.0.0.1') : connectTls({ host: '127.0.0.1', port, ca });
    const t0 = performance.now();
    const closed = new Promise<number>((r) => socket.once('close', () => r(performance.now() - t0)));
    socket.on('data', (d: Buffer) => (data += d.toString()));
    socket.on('error', () => undefined);
    socket.once(ca === undefined ? 'connect' : 'secureConnect', () => resolve({ socket, read: () => data, closed }));
    socket.once('error', reject);
  });
}

async function until(what: string, done: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
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

  describe('having a graceful stop', () => {
    let pki: TestPki;
    before(() => {
      pki = makePki();
    });

    for (const scheme of ['http', 'https'] as const) {
      it(`should close an idle keep-alive connection at once and answer the request in flight on ${scheme}`, async () => {
        let release = (): void => undefined;
        let entered = 0;
        const s = new HttpServer({ addr: '127.0.0.1:0', timeout: 0, ...(scheme === 'https' ? { tls: { key: pki.serverKey, cert: pki.serverCert } } : {}) });
        s.route({ method: 'GET', path: '/ok', operation: '/ok', handler: async () => ({ ok: true }) });
        s.route({ method: 'GET', path: '/held', operation: '/held', handler: () => (entered++, new Promise((r) => (release = () => r({ held: true })))) });
        await s.start();
        const ca = scheme === 'https' ? pki.ca : undefined;
        const idle = await rawClient(s.port, ca);
        const busy = await rawClient(s.port, ca);
        let stopped: Promise<void> | undefined;
        try {
          idle.socket.write('GET /ok HTTP/1.1\r\nHost: x\r\n\r\n');
          await until('the first reply', () => idle.read().includes('"ok":true'));
          busy.socket.write('GET /held HTTP/1.1\r\nHost: x\r\n\r\n');
          await until('the held request', () => entered === 1);
          stopped = s.stop();
          // The idle connection goes while the held request is still being served.
          await Promise.race([idle.closed, sleep(3000).then(() => assert.fail('the idle keep-alive connection stayed open'))]);
          assert.equal(busy.socket.destroyed, false, 'the busy connection was closed under its request');
          release();
          await Promise.race([busy.closed, sleep(3000).then(() => assert.fail('the busy connection stayed open after its reply'))]);
          assert.match(busy.read(), /^HTTP\/1\.1 200 [\s\S]*connection: close[\s\S]*"held":true/i);
          await stopped;
        } finally {
          release();
          idle.socket.destroy();
          busy.socket.destroy();
          await (stopped ?? s.stop());
        }
      });
    }

    it('should close a connection still in its TLS handshake at once rather than wait for it', async () => {
      const s = await started({ tls: { key: pki.serverKey, cert: pki.serverCert } });
      const silent = await rawClient(s.port); // TCP only: it never sends its ClientHello
      await sleep(50);
      const stopped = s.stop().then(() => 'stopped');
      try {
        assert.equal(await Promise.race([stopped, sleep(3000).then(() => 'still waiting')]), 'stopped');
        assert.ok(await Promise.race([silent.closed, sleep(1000).then(() => Infinity)]) < Infinity, 'the handshaking connection stayed open');
      } finally {
        silent.socket.destroy();
        await stopped;
      }
    });

    it('should count TLS connections against maxConnections', async () => {
      const s = await started({ maxConnections: 2, tls: { key: pki.serverKey, cert: pki.serverCert } });
      try {
        const a = await rawClient(s.port, pki.ca);
        const b = await rawClient(s.port, pki.ca);
        const extra = await rawClient(s.port, pki.ca).then((c) => c.closed, () => 0);
        assert.ok(await Promise.race([extra, sleep(2000).then(() => Infinity)]) < Infinity, 'the third TLS connection stayed open');
        a.socket.write('GET /ok HTTP/1.1\r\nHost: x\r\n\r\n');
        await until('the reply', () => a.read().includes('"ok":true'));
        assert.match(a.read(), /^HTTP\/1\.1 200 /);
        a.socket.destroy();
        b.socket.destroy();
      } finally {
        await s.stop();
      }
    });
  });
});
