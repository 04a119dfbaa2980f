// The HTTP servers' own per-request work without the kernel: each server (bench/servers/*.mjs, several
// builds of kratos-ts and the bare peers) is imported into this one process and fed requests through
// in-memory connections (a Duplex handed to node:http as a 'connection'), 50 of them, one request each a
// turn of the event loop, as wrk -c50 does on a saturated server; the reply's bytes are dropped.
// Servers take turns in short slices, round after round, so that whatever the host does meanwhile
// weighs on all of them alike; the figure is the process' CPU (user + system) per request over its
// slices, the driver's own share included (the same for every server). What it leaves out: the socket
// (the kernel's reads and writes, and waking the client), which is the same for every server on the
// same bytes and is what makes the socket runs of a busy host noisy.
// One heap for all: a case with the ambient context on (http-plain-ambient, the defaults) enters an
// AsyncLocalStorage, and from then on Node runs async hooks for every promise of every case: measure
// such cases in a run of their own when the others' promises matter.
//   INPROC_CASES='after=.:http-plain;before=/work/wt/base:http-plain;fastify;raw' node bench/per-call/http-inproc.mjs
//   (name=root:variant for <root>/bench/servers/kratos.mjs <variant>, or fastify / raw / koa;
//   INPROC_ROUNDS=10, INPROC_SLICE_MS=300)
import { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';

const SERVERS = fileURLToPath(new URL('../servers/', import.meta.url));
const ROUNDS = Number(process.env.INPROC_ROUNDS ?? 10);
const SLICE_MS = Number(process.env.INPROC_SLICE_MS ?? 300);
const CONNECTIONS = 50;
const REQUEST = Buffer.from('GET /helloworld/kratos HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
process.env.PORT = '0';

// Every server the scripts start, in the order they listen.
const listening = [];
const listen = Server.prototype.listen;
Server.prototype.listen = function (...args) {
  listening.push(this);
  return listen.apply(this, args);
};

const specs = (process.env.INPROC_CASES ?? 'after=.:http-plain;fastify;raw').split(';').filter(Boolean);
const cases = [];
for (const spec of specs) {
  const [name, rest] = spec.includes('=') ? spec.split('=') : [spec, spec];
  const [root, variant] = rest.split(':');
  const script = variant === undefined ? join(SERVERS, `http-${root}.mjs`) : join(resolve(root), 'bench', 'servers', 'kratos.mjs');
  const count = listening.length;
  process.argv[2] = variant ?? '';
  // A query string makes each import a module of its own (two cases of the same script).
  await import(`${script}?case=${encodeURIComponent(name)}`);
  while (listening.length === count) await new Promise((r) => setTimeout(r, 10));
  cases.push({ name, server: listening[count], served: 0, us: 0, rounds: [] });
}

/** One in-memory connection: writes are replies (the first write of each sends the next request a turn later). */
class Connection extends Duplex {
  remoteAddress = '127.0.0.1';
  remotePort = 1;
  active = false;
  waiting = false;
  constructor(c) {
    super();
    this.case = c;
  }
  _read() {}
  _write(chunk, _encoding, callback) {
    this.case.sample ??= String(chunk);
    this.replied();
    callback();
  }
  _writev(chunks, callback) {
    this.case.sample ??= chunks.map((c) => String(c.chunk)).join('');
    this.replied();
    callback();
  }
  replied() {
    if (!this.waiting) return;
    this.waiting = false;
    this.case.served++;
    if (this.active) setImmediate(() => this.send());
  }
  send() {
    if (!this.active || this.waiting) return;
    this.waiting = true;
    this.push(REQUEST);
  }
  setTimeout() {
    return this;
  }
  setNoDelay() {
    return this;
  }
  setKeepAlive() {
    return this;
  }
}

for (const c of cases) {
  c.connections = Array.from({ length: CONNECTIONS }, () => new Connection(c));
  for (const conn of c.connections) c.server.emit('connection', conn);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function slice(c, ms, record) {
  for (const conn of c.connections) conn.active = true;
  const served0 = c.served;
  const cpu0 = process.cpuUsage();
  for (const conn of c.connections) conn.send();
  await sleep(ms);
  for (const conn of c.connections) conn.active = false;
  const cpu = process.cpuUsage(cpu0);
  const served = c.served - served0;
  // Let the replies in flight finish before the next case starts.
  while (c.connections.some((conn) => conn.waiting)) await sleep(1);
  if (record && served > 0) c.rounds.push((cpu.user + cpu.system) / served);
}

for (const c of cases) await slice(c, 500, false); // warm-up
for (const c of cases) {
  if (!/^HTTP\/1\.1 200 [^]*\{"message":"Hello kratos"\}$/.test(c.sample ?? '')) throw new Error(`${c.name} replied ${JSON.stringify(c.sample)}`);
}
for (let round = 0; round < ROUNDS; round++) {
  const order = cases.map((_, i) => cases[(i + round) % cases.length]);
  for (const c of order) await slice(c, SLICE_MS, true);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`\n| case | µs CPU per request, in process (median of ${ROUNDS} slices of ${SLICE_MS} ms) | slices |\n|---|---|---|`);
for (const c of cases) console.log(`| ${c.name} | ${median(c.rounds).toFixed(2)} | ${c.rounds.map((x) => x.toFixed(2)).join(' ')} |`);
process.exit(0);
