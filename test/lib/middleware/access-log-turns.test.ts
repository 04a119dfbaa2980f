import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { repoPath } from '../../helpers/echo-service.js';

// On a real HTTP server the access log cost several times more per request than in process (docs/
// performance.md, "The sixth round: the HTTP access log"): each line was rendered and encoded between
// one request's parsing and the next, its code and data cold every time. Now a line's values are
// taken as the call ends and the turn's lines are rendered and encoded together when the turn ends.
// Counted here on a real server on 127.0.0.1 with the default logger on stdout (a pipe): the encodes
// into the log's chunk (the only Buffer of 64 KiB written to) made while requests are handled, and
// those made when the turn ends (from node's immediate queue).

const lib = (path: string): string => JSON.stringify(new URL(`../../../lib/${path}`, import.meta.url).href);
const SCRIPT = `import http from 'node:http';
  import { createApp } from ${lib('app/index.js')};
  import { Module, Rpc, Service } from ${JSON.stringify(new URL('../../../decorators/index.js', import.meta.url).href)};
  import { CHUNK_BYTES } from ${lib('log/line-batch.js')};
  Error.stackTraceLimit = 50;
  const counts = { inRequest: 0, atTurnEnd: 0 };
  // A line's bytes go into the chunk by the runtime's encoder (Buffer#write) or, written as bytes,
  // with its constant part copied in (Buffer#set: every access line has one longer than a loop copies).
  const count = (chunk) => { if (chunk.length >= CHUNK_BYTES) counts[new Error().stack.includes('processImmediate') ? 'atTurnEnd' : 'inRequest']++; };
  const write = Buffer.prototype.write;
  Buffer.prototype.write = function (...args) { count(this); return write.apply(this, args); };
  const set = Buffer.prototype.set;
  Buffer.prototype.set = function (...args) { count(this); return set.apply(this, args); };
  class Greeter { sayHello(req) { return { message: 'Hello ' + req.name }; } }
  Rpc()(Greeter.prototype, 'sayHello');
  Service({ proto: ${JSON.stringify(repoPath('test/fixtures/kratos-examples/layout/api/helloworld/v1/greeter.proto'))}, name: 'helloworld.v1.Greeter' })(Greeter);
  class Root {}
  Module({ services: [Greeter] })(Root);
  const app = await createApp(Root, { configDir: false, signals: [], http: { addr: '127.0.0.1:0' }, grpc: false });
  await app.start();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 40 });
  const get = (i) => new Promise((resolve, reject) => http.get({ host: '127.0.0.1', port: app.http.port, path: '/helloworld/n' + i, agent }, (res) => { res.resume(); res.on('end', resolve); }).on('error', reject));
  // Warmed up first, then counted: 40 connections with a request each in flight, 20 rounds.
  await Promise.all(Array.from({ length: 40 }, (_, i) => get(i)));
  await new Promise((r) => setImmediate(r));
  counts.inRequest = 0;
  counts.atTurnEnd = 0;
  for (let round = 0; round < 20; round++) await Promise.all(Array.from({ length: 40 }, (_, i) => get(round * 40 + i)));
  await new Promise((r) => setImmediate(r));
  const counted = { ...counts };
  agent.destroy();
  await app.stop();
  process.stderr.write(JSON.stringify(counted));`;

describe('the access log on a real HTTP server', () => {
  it('should render and encode no line while requests are handled, and the turn\'s lines when the turn ends', () => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', SCRIPT], { encoding: 'utf8', maxBuffer: 16 << 20, timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    const counts = JSON.parse(r.stderr.slice(r.stderr.lastIndexOf('{'))) as { inRequest: number; atTurnEnd: number };
    const lines = r.stdout.split('\n').filter((l) => l !== '');
    const access = lines.filter((l) => l.includes('"kind":"server"')).map((l) => JSON.parse(l) as { operation: string; args: string; code: number });
    assert.equal(access.length, 40 + 800, 'one access line per request');
    for (const line of access) assert.deepEqual([line.operation, line.code], ['/helloworld.v1.Greeter/SayHello', 200]);
    assert.deepEqual(new Set(access.map((l) => l.args)), new Set(Array.from({ length: 800 }, (_, i) => `{"name":"n${i}"}`)));
    assert.equal(counts.inRequest, 0, 'no access line encoded while a request is handled');
    // Each line encoded at the end of the turn that handled its request: every counted request's line
    // at least once, and a few copies a line at most: its long constant parts (Buffer#set), its trace
    // id and a new millisecond's timestamp (Buffer#write). A line of the app's own, such as a start-up
    // or stop line, may fall in the counted window.
    assert.ok(counts.atTurnEnd >= 800, `${counts.atTurnEnd} encodes at the turn's end for 800 requests`);
    assert.ok(counts.atTurnEnd <= 6 * (lines.length - 40), `${counts.atTurnEnd} encodes for ${lines.length - 40} lines after the warm-up`);
  });
});
