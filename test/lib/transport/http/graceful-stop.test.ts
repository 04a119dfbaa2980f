import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { HttpServer } from '../../../../lib/transport/http/index.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One GET on `agent`: its status and Connection header, or 'failed' when no reply came. */
function get(agent: Agent, port: number, path: string): Promise<{ status: number; connection: string | undefined } | 'failed'> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
      res.on('error', () => resolve('failed'));
    });
    req.on('error', () => resolve('failed'));
    req.end();
  });
}

/** A keep-alive connection that made one request and sits idle; resolves how long after `since()` it was closed. */
async function idleConnection(port: number, since: () => number): Promise<{ socket: Socket; closed: Promise<number> }> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  let data = '';
  socket.on('data', (d: Buffer) => (data += d.toString()));
  const closed = new Promise<number>((r) => socket.once('close', () => r(performance.now() - since())));
  socket.write('GET /ok HTTP/1.1\r\nHost: x\r\n\r\n');
  while (!data.includes('\r\n\r\n')) await sleep(2);
  return { socket, closed };
}

describe('HttpServer.stop under load', () => {
  it('should answer every request that reached a handler, close idle connections at once and stop', async () => {
    let entered = 0;
    const s = new HttpServer({ addr: '127.0.0.1:0', timeout: 0 });
    s.route({ method: 'GET', path: '/ok', operation: '/ok', handler: async () => ({}) });
    // Replies take 0-15 ms, so that a stop finds requests at every stage on the busy connections.
    s.route({ method: 'GET', path: '/work', operation: '/work', handler: async () => {
      entered++;
      await sleep(entered % 16);
      return { done: true };
    } });
    await s.start();
    let stopAt = 0;
    const idle = await Promise.all(Array.from({ length: 8 }, () => idleConnection(s.port, () => stopAt)));
    const agent = new Agent({ keepAlive: true, maxSockets: 32 });
    const replies: { status: number; connection: string | undefined }[] = [];
    let failed = 0;
    let stopping = false;
    // 32 keep-alive connections, each sending its next request as soon as the last is answered.
    const workers = Array.from({ length: 32 }, async () => {
      while (!stopping || failed === 0) {
        const r = await get(agent, s.port, '/work');
        if (r === 'failed') {
          failed++;
          return;
        }
        replies.push(r);
        if (stopping && r.connection === 'close') return; // the server said it closes this one
      }
    });
    try {
      while (replies.length < 500) await sleep(5);
      stopAt = performance.now();
      stopping = true;
      await s.stop(Date.now() + 10_000);
      const took = performance.now() - stopAt;
      await Promise.all(workers);
      // Every request a handler saw was answered, with 200; those refused came after the stop.
      assert.equal(replies.length, entered, `${entered} requests reached a handler, ${replies.length} were answered`);
      assert.ok(replies.every((r) => r.status === 200));
      assert.ok(took < 2000, `the stop took ${took.toFixed(0)} ms with replies of at most 15 ms`);
      for (const c of idle) assert.ok((await c.closed) < 500, 'an idle keep-alive connection stayed open through the stop');
      assert.equal(s.inFlight, 0);
    } finally {
      stopping = true;
      agent.destroy();
      for (const c of idle) c.socket.destroy();
      await s.stop(Date.now());
    }
  });

  it('should end a connection whose reply went out keep-alive before the stop as soon as that reply ends', async () => {
    let release = (): void => undefined;
    const s = new HttpServer({ addr: '127.0.0.1:0', timeout: 0 });
    s.route({ method: 'GET', path: '/ticks', operation: '/ticks', stream: true, handler: async () => (async function* () {
      yield { n: 1 };
      await new Promise<void>((r) => (release = r));
      yield { n: 2 };
    })() });
    await s.start();
    const socket = connect(s.port, '127.0.0.1');
    socket.on('error', () => undefined);
    let data = '';
    socket.on('data', (d: Buffer) => (data += d.toString()));
    const closed = new Promise<number>((r) => socket.once('close', () => r(performance.now())));
    try {
      socket.write('GET /ticks HTTP/1.1\r\nHost: x\r\n\r\n');
      while (!data.includes('"n":1')) await sleep(2);
      assert.doesNotMatch(data, /connection: close/i, 'the head went out keep-alive');
      const stopped = s.stop(Date.now() + 10_000);
      await sleep(50);
      assert.equal(socket.destroyed, false, 'the stream was cut');
      const ended = performance.now();
      release();
      const at = await closed;
      await stopped;
      assert.match(data, /"n":2/);
      assert.ok(at - ended < 500, `the connection stayed open ${(at - ended).toFixed(0)} ms after its reply`);
    } finally {
      release();
      socket.destroy();
      await s.stop(Date.now());
    }
  });
});
