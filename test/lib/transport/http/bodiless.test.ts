import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HttpServer, type HttpContext, type HttpRoute } from '../../../../lib/transport/http/index.js';

// A request without a body is taken as read when it arrives (lib/transport/http/body.ts
// `takenBodiless`), so node does not dump its empty body when the reply finishes: that dump's stream
// steps were eight process.nextTick calls a request, each an async resource an AsyncLocalStorage's
// hook copies its store into.

const SERVER = `import { createInterface } from 'node:readline';
  import { createHook } from 'node:async_hooks';
  import { HttpServer } from ${JSON.stringify(new URL('../../../../lib/transport/http/index.js', import.meta.url).href)};
  const ticks = { counting: false, n: 0 };
  createHook({ init(_id, type) { if (ticks.counting && type === 'TickObject') ticks.n++; } }).enable();
  const s = new HttpServer({ addr: '127.0.0.1:0' });
  s.route({ method: 'GET', path: '/hello/{name}', operation: '/hello', handler: (req) => ({ message: 'Hello ' + req.name }) });
  await s.start();
  process.stdout.write(s.port + '\\n');
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'count') { ticks.n = 0; ticks.counting = true; process.stdout.write('counting\\n'); }
    if (line === 'report') { ticks.counting = false; process.stdout.write(ticks.n + '\\n'); await s.stop(); process.exit(0); }
  }`;

function get(port: number, agent: Agent, path: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('a request without a body', () => {
  it('should cost node no dump of its body, routed or answered 404: at most 3 process.nextTick calls a request in the server, where the dump made 10', async () => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', SERVER], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = (async function* () {
      let held = '';
      for await (const chunk of child.stdout) {
        held += String(chunk);
        for (let at = held.indexOf('\n'); at !== -1; at = held.indexOf('\n')) {
          yield held.slice(0, at);
          held = held.slice(at + 1);
        }
      }
    })();
    const next = async (): Promise<string> => (await lines.next()).value as string;
    const port = Number(await next());
    const agent = new Agent({ keepAlive: true, maxSockets: 20 });
    // Routed requests and unknown paths (a scan's 404s) alike.
    const round = (from: number): Promise<unknown> => Promise.all(Array.from({ length: 20 }, (_, i) => get(port, agent, i % 4 === 3 ? `/nope/n${from + i}` : `/hello/n${from + i}`)));
    for (let r = 0; r < 10; r++) await round(r * 20);
    child.stdin.write('count\n');
    assert.equal(await next(), 'counting');
    for (let r = 0; r < 20; r++) await round(r * 20);
    child.stdin.write('report\n');
    const ticks = Number(await next());
    agent.destroy();
    await once(child, 'exit');
    assert.ok(ticks / 400 <= 3, `${ticks / 400} process.nextTick calls a request`);
  });

  describe('served', () => {
    let s: HttpServer;
    let port: number;
    let agent: Agent;
    const readToEnd: HttpRoute['handler'] = async (_req, ctx) => {
      let bytes = 0;
      for await (const chunk of (ctx as HttpContext).req) bytes += (chunk as Buffer).length;
      return { bytes, ended: (ctx as HttpContext).req.readableEnded };
    };
    before(async () => {
      s = new HttpServer({ addr: '127.0.0.1:0' });
      s.route({ method: 'GET', path: '/echo/{id}', operation: '/echo', handler: async (req) => req });
      s.route({ method: 'GET', path: '/read', operation: '/read', handler: readToEnd });
      await s.start();
      port = s.port;
      agent = new Agent({ keepAlive: true, maxSockets: 1 });
    });
    after(async () => {
      agent.destroy();
      await s.stop();
    });

    it('should still end for a handler that reads it to its end', async () => {
      const r = await get(port, agent, '/read');
      assert.deepEqual([r.status, JSON.parse(r.text)], [200, { bytes: 0, ended: true }]);
    });

    it('should leave a GET that carries a body (Content-Length) to be read and bound, and the connection to serve the next request', async () => {
      const withBody = await get(port, agent, '/echo/1', { 'content-type': 'application/json', 'content-length': '9' }, '{"x":"b"}');
      assert.deepEqual([withBody.status, JSON.parse(withBody.text)], [200, { x: 'b', id: '1' }]);
      const plain = await get(port, agent, '/echo/2');
      assert.deepEqual([plain.status, JSON.parse(plain.text)], [200, { id: '2' }]);
    });

    it('should answer requests pipelined on one connection, each once and in order', async () => {
      const socket = connect(port, '127.0.0.1');
      await once(socket, 'connect');
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (c: string) => (text += c));
      socket.write([1, 2, 3].map((i) => `GET /echo/${i} HTTP/1.1\r\nHost: x\r\n\r\n`).join('') + 'DELETE /echo/4 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      await once(socket, 'end');
      socket.destroy();
      const bodies = text.split('\r\n\r\n').slice(1).map((b) => b.split('HTTP/1.1')[0]);
      assert.deepEqual(bodies.slice(0, 3).map((b) => JSON.parse(b as string)), [{ id: '1' }, { id: '2' }, { id: '3' }]);
      assert.match(text, /HTTP\/1\.1 405 Method Not Allowed/);
    });
  });
});
