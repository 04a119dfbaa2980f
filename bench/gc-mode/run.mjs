// What garbage collection costs a gRPC unary call on a long-lived connection (docs/performance.md,
// "The thirteenth round: gRPC's GC mode"): bytes promoted per call, scavenge pause per call and the
// full GCs, read from V8's own trace (--trace-gc-nvp), for kratos-ts bare and with its defaults and
// for raw grpc-js (and raw grpc-js with its stream tables renewed as kratos-ts' server renews them,
// "The fourteenth round"), interleaved round by round; each also with a full GC forced into the connection
// (`+ full GC`), which every long-lived connection meets. Bytes promoted are a count, not a time:
// they read the same on a busy host.
// GC_GROUP=http measures the HTTP proto route under wrk instead ("The fifteenth round"): the defaults,
// the defaults with every span sampled and batch-exported to the bench's collector stub, and the same
// spans recorded with no processor; bytes that survived a scavenge are counted beside those promoted.
//   node bench/gc-mode/run.mjs     (GC_SECONDS=3, GC_ROUNDS=3, GC_ONLY=regex, GC_GROUP=grpc|http, KRATOS_BEFORE=<other build's root>)
// GC_NODE_FLAGS: node flags for every server alike, e.g. '--max-semi-space-size=64' (node refuses
// most V8 flags in NODE_OPTIONS).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCollector } from '../lib/collector-process.mjs';
import { cpuMicros, grpcUnary, httpLoad, startServer } from '../lib/load.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(HERE, '..', '..');
const SECONDS = Number(process.env.GC_SECONDS ?? 3);
const ROUNDS = Number(process.env.GC_ROUNDS ?? 3);
const ONLY = process.env.GC_ONLY === undefined ? undefined : new RegExp(process.env.GC_ONLY);
const FORCE = `--expose-gc --import ${join(HERE, 'full-gc-per-connection.mjs')}`;
const FLAGS = process.env.GC_NODE_FLAGS ?? '';
const GROUP = process.env.GC_GROUP === 'http' ? 'http' : 'grpc';
const builds = [['kratos-ts', ROOT], ...(process.env.KRATOS_BEFORE === undefined ? [] : [['kratos-ts before', process.env.KRATOS_BEFORE]])];
const perCall = join(HERE, '..', 'per-call', 'server.mjs');
const httpServers = builds.flatMap(([name, root]) => [
  { name: `${name} defaults`, root, script: `${perCall} http log,metrics,tracing` },
  { name: `${name} defaults, 100 % sampled`, root, script: `${perCall} http log,metrics,sampled` },
  { name: `${name} defaults, 100 % sampled, no processor`, root, script: `${perCall} http log,metrics,sampled-none` },
]);
const grpcServers = [
  ...builds.flatMap(([name, root]) => [
    { name: `${name} bare`, root, script: `${join(HERE, '..', 'per-call', 'server.mjs')} grpc` },
    { name: `${name} defaults`, root, script: `${join(HERE, '..', 'per-call', 'server.mjs')} grpc log,metrics,tracing` },
  ]),
  { name: 'raw grpc-js', script: join(HERE, '..', 'servers', 'grpc-raw.mjs') },
  { name: 'raw grpc-js renewed', script: `${join(HERE, '..', 'servers', 'grpc-raw.mjs')} renewed` },
];
const servers = GROUP === 'http' ? httpServers.map((s) => ({ ...s, flags: '' })) : grpcServers.flatMap((s) => [{ ...s, flags: '' }, { ...s, name: `${s.name} + full GC`, flags: FORCE }]);
const cases = servers.filter((c) => ONLY === undefined || ONLY.test(c.name));
const load = GROUP === 'http' ? httpLoad : grpcUnary;

async function measure(c) {
  if (c.root === undefined) delete process.env.KRATOS_ROOT;
  else process.env.KRATOS_ROOT = c.root;
  // V8 writes its trace to stdout, which startServer discards: sent to stderr, where it is read.
  const proc = await startServer(['sh', '-c', `exec node --trace-gc-nvp ${FLAGS} ${c.flags} ${c.script} 1>&2`], '1', GROUP);
  let trace = '';
  proc.stderr.on('data', (d) => (trace += d));
  try {
    await load(1);
    const from = trace.length;
    const cpu0 = cpuMicros(proc.pid);
    const done = await load(SECONDS);
    const cpu = cpuMicros(proc.pid) - cpu0;
    const part = trace.slice(from);
    const scavenges = [...part.matchAll(/pause=([\d.]+) .*?gc=s .*?promoted=(\d+) new_space_survived=(\d+)/g)].map((m) => ({ ms: Number(m[1]), promoted: Number(m[2]), survived: Number(m[3]) }));
    const calls = done.count;
    return {
      cpuUs: cpu / calls,
      promoted: scavenges.reduce((n, s) => n + s.promoted, 0) / calls,
      survived: scavenges.reduce((n, s) => n + s.survived, 0) / calls,
      pauseUs: (scavenges.reduce((n, s) => n + s.ms, 0) * 1000) / calls,
      meanMs: scavenges.reduce((n, s) => n + s.ms, 0) / Math.max(1, scavenges.length),
      fullGcs: (part.match(/gc=mc/g) ?? []).length,
    };
  } finally {
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    await exited;
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const collector = GROUP === 'http' ? await startCollector() : undefined;
if (collector !== undefined) process.env.BENCH_COLLECTOR = collector.url;
const results = new Map(cases.map((c) => [c.name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const c of cases) {
    const r = await measure(c);
    results.get(c.name).push(r);
    process.stderr.write(`round ${round + 1} ${c.name}: ${r.promoted.toFixed(0)} B promoted a call, ${r.survived.toFixed(0)} B survived, scavenges ${r.meanMs.toFixed(2)} ms, ${r.fullGcs} full GCs, ${r.cpuUs.toFixed(1)} µs a call\n`);
  }
}
collector?.stop();
console.log(`\n${GROUP === 'http' ? 'HTTP GET /helloworld/{name} (wrk -t1 -c50)' : 'gRPC unary SayHello (h2load -c1 -m100)'}, ${ROUNDS} rounds of ${SECONDS} s, medians\n`);
console.log('| server | bytes promoted a call | bytes survived a scavenge a call | scavenge pause µs a call | mean scavenge ms | full GCs | server CPU µs a call |');
console.log('|---|---|---|---|---|---|---|');
for (const c of cases) {
  const rs = results.get(c.name);
  const m = (k, d) => median(rs.map((r) => r[k])).toFixed(d);
  console.log(`| ${c.name} | ${m('promoted', 0)} | ${m('survived', 0)} | ${m('pauseUs', 1)} | ${m('meanMs', 2)} | ${m('fullGcs', 0)} | ${m('cpuUs', 1)} |`);
}
