// What garbage collection costs a gRPC unary call on a long-lived connection (docs/performance.md,
// "The thirteenth round: gRPC's GC mode"): bytes promoted per call, scavenge pause per call and the
// full GCs, read from V8's own trace (--trace-gc-nvp), for kratos-ts bare and with its defaults and
// for raw grpc-js (and raw grpc-js with its stream tables renewed as kratos-ts' server renews them,
// "The fourteenth round"), interleaved round by round; each also with a full GC forced into the connection
// (`+ full GC`), which every long-lived connection meets. Bytes promoted are a count, not a time:
// they read the same on a busy host.
//   node bench/gc-mode/run.mjs     (GC_SECONDS=3, GC_ROUNDS=3, GC_ONLY=regex, KRATOS_BEFORE=<other build's root>)
// GC_NODE_FLAGS: node flags for every server alike, e.g. '--max-semi-space-size=64' (node refuses
// most V8 flags in NODE_OPTIONS).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuMicros, grpcUnary, startServer } from '../lib/load.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(HERE, '..', '..');
const SECONDS = Number(process.env.GC_SECONDS ?? 3);
const ROUNDS = Number(process.env.GC_ROUNDS ?? 3);
const ONLY = process.env.GC_ONLY === undefined ? undefined : new RegExp(process.env.GC_ONLY);
const FORCE = `--expose-gc --import ${join(HERE, 'full-gc-per-connection.mjs')}`;
const FLAGS = process.env.GC_NODE_FLAGS ?? '';
const builds = [['kratos-ts', ROOT], ...(process.env.KRATOS_BEFORE === undefined ? [] : [['kratos-ts before', process.env.KRATOS_BEFORE]])];
const servers = [
  ...builds.flatMap(([name, root]) => [
    { name: `${name} bare`, root, script: `${join(HERE, '..', 'per-call', 'server.mjs')} grpc` },
    { name: `${name} defaults`, root, script: `${join(HERE, '..', 'per-call', 'server.mjs')} grpc log,metrics,tracing` },
  ]),
  { name: 'raw grpc-js', script: join(HERE, '..', 'servers', 'grpc-raw.mjs') },
  { name: 'raw grpc-js renewed', script: `${join(HERE, '..', 'servers', 'grpc-raw.mjs')} renewed` },
];
const cases = servers.flatMap((s) => [{ ...s, flags: '' }, { ...s, name: `${s.name} + full GC`, flags: FORCE }]).filter((c) => ONLY === undefined || ONLY.test(c.name));

async function measure(c) {
  if (c.root === undefined) delete process.env.KRATOS_ROOT;
  else process.env.KRATOS_ROOT = c.root;
  // V8 writes its trace to stdout, which startServer discards: sent to stderr, where it is read.
  const proc = await startServer(['sh', '-c', `exec node --trace-gc-nvp ${FLAGS} ${c.flags} ${c.script} 1>&2`], '1', 'grpc');
  let trace = '';
  proc.stderr.on('data', (d) => (trace += d));
  try {
    await grpcUnary(1);
    const from = trace.length;
    const cpu0 = cpuMicros(proc.pid);
    const load = await grpcUnary(SECONDS);
    const cpu = cpuMicros(proc.pid) - cpu0;
    const part = trace.slice(from);
    const scavenges = [...part.matchAll(/pause=([\d.]+) .*?gc=s .*?promoted=(\d+)/g)].map((m) => ({ ms: Number(m[1]), promoted: Number(m[2]) }));
    const calls = load.count;
    return {
      cpuUs: cpu / calls,
      promoted: scavenges.reduce((n, s) => n + s.promoted, 0) / calls,
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
const results = new Map(cases.map((c) => [c.name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const c of cases) {
    const r = await measure(c);
    results.get(c.name).push(r);
    process.stderr.write(`round ${round + 1} ${c.name}: ${r.promoted.toFixed(0)} B promoted a call, scavenges ${r.meanMs.toFixed(2)} ms, ${r.fullGcs} full GCs, ${r.cpuUs.toFixed(1)} µs a call\n`);
  }
}
console.log(`\ngRPC unary SayHello (h2load -c1 -m100), ${ROUNDS} rounds of ${SECONDS} s, medians\n`);
console.log('| server | bytes promoted a call | scavenge pause µs a call | mean scavenge ms | full GCs | server CPU µs a call |');
console.log('|---|---|---|---|---|---|');
for (const c of cases) {
  const rs = results.get(c.name);
  const m = (k, d) => median(rs.map((r) => r[k])).toFixed(d);
  console.log(`| ${c.name} | ${m('promoted', 0)} | ${m('pauseUs', 1)} | ${m('meanMs', 2)} | ${m('fullGcs', 0)} | ${m('cpuUs', 1)} |`);
}
