// The per-call cost of each default middleware alone, without sockets: a call context is made and
// run through the chain createApp builds (tracing, access log, metrics; each on or off) the way a
// transport runs it (runWithContext, 50 calls in flight, the event loop turning between batches so
// the access log's batched writes happen as on a server). Process CPU time per call, each case in a
// fresh process, cases interleaved round by round, median of the rounds. Less exposed than the
// socket bench to what else the machine runs, and it isolates what the defaults cost.
//   node bench/per-call/chain.mjs [rounds]     KRATOS_BEFORE=<root of another build> adds a before column,
//   PER_CALL_KIND=grpc runs the calls as the gRPC transport makes them (kind grpc, grpc-js metadata),
//   KRATOS_BUILDS='main=/path,h17a=/path,now=/path' compares several
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
// Each default alone, all together in createApp's order; with BENCH_COLLECTOR (an OTLP/HTTP collector
// URL, e.g. bench/lib/collector.mjs) also 100 % sampled tracing with OTLP batch export. PER_CALL_CASES: a
// ';'-separated list of cases to run instead.
const ALL = 'log,metrics,tracing,recovery,metadata';
const CASES = process.env.PER_CALL_CASES?.split(';') ?? ['', 'log', 'metrics', 'tracing', 'recovery', 'metadata', ALL, ...(process.env.BENCH_COLLECTOR === undefined ? [] : ['sampled', ALL.replace('tracing', 'sampled')])];
const CALLS = Number(process.env.PER_CALL_CALLS ?? 100_000);

if (process.argv[2] === '--child') {
  const [, , , root, on] = process.argv;
  const entry = (name) => import(join(root, 'dist', 'lib', ...(name === 'index' ? ['index.js'] : ['entries', `${name}.js`])));
  const lib = { ...(await entry('index')), ...(await entry('log')), ...(await entry('tracing')), ...(await entry('metrics')) };
  const { runWithContext } = await import(join(root, 'dist', 'lib', 'transport', 'index.js'));
  const { loggingServer } = await import(join(root, 'dist', 'lib', 'middleware', 'logging', 'index.js'));
  const { metricsServer } = await import(join(root, 'dist', 'lib', 'middleware', 'metrics', 'index.js'));
  const { tracingServer } = await import(join(root, 'dist', 'lib', 'middleware', 'tracing', 'index.js'));
  const { recovery } = await import(join(root, 'dist', 'lib', 'middleware', 'recovery', 'index.js'));
  const { metadataServer } = await import(join(root, 'dist', 'lib', 'middleware', 'metadata', 'index.js'));
  const enabled = new Set(on.split(',').filter(Boolean));
  const sampled = enabled.has('sampled') ? { sampleRatio: 1, exporter: 'otlp', endpoint: `${process.env.BENCH_COLLECTOR}/v1/traces` } : {};
  const tracing = enabled.has('tracing') || enabled.has('sampled') ? lib.createTracing({ serviceName: 'bench', ...sampled }) : undefined;
  // The app's logger: ts, service fields and, with tracing, trace.id and span.id; lines to stdout (/dev/null).
  const logger = lib.createLogger({
    fields: ['ts', lib.timestamp, 'service.id', 'host', 'service.name', 'bench', 'service.version', 'v1', ...(tracing === undefined ? [] : ['trace.id', lib.valuer(lib.traceIdValuer), 'span.id', lib.valuer(lib.spanIdValuer)])],
  });
  const chain = [];
  if (tracing !== undefined) chain.push(tracingServer(tracing));
  if (enabled.has('log')) chain.push(loggingServer(logger));
  if (enabled.has('recovery')) chain.push(recovery({ logger, log: !enabled.has('log') }));
  if (enabled.has('metrics')) chain.push(metricsServer({ meter: new lib.PrometheusMeter() }));
  if (enabled.has('metadata')) chain.push(metadataServer());
  // Composed by the build's own chain(), as the app composes an operation's middleware.
  const handler = lib.chain(...chain)(async (req) => ({ message: `Hello ${req.name}` }));
  const signal = new AbortController().signal;
  // The operation name as a server of this build gets it: from its proto loader's service schema
  // (a literal would be one-byte where a build's names may not be, and the access line's cost with them).
  const { ProtoLoader } = await import(join(root, 'dist', 'lib', 'proto', 'index.js'));
  const schema = await new ProtoLoader().service(join(ROOT, 'bench', 'proto', 'greeter.proto'), 'helloworld.v1.Greeter');
  const operation = schema.methods.find((m) => m.name === 'SayHello').operation;
  // PER_CALL_KIND=grpc: the call as the gRPC transport makes it, its headers grpc-js' Metadata of what h2load sends.
  const grpc = process.env.PER_CALL_KIND === 'grpc';
  const { MetadataHeader } = grpc ? await import(join(root, 'dist', 'lib', 'transport', 'grpc', 'metadata-header.js')) : {};
  // The build's own grpc-js, as its transport uses it.
  const { Metadata: GrpcMetadata } = grpc ? createRequire(join(root, 'package.json'))('@grpc/grpc-js') : {};
  const h2load = { 'user-agent': 'h2load nghttp2/1.52.0', te: 'trailers', 'content-type': 'application/grpc' };
  const headers = grpc ? () => new MetadataHeader(GrpcMetadata.fromHttp2Headers(h2load)) : () => new lib.Metadata({ 'user-agent': 'wrk' });
  const one = () => {
    // unaryReply: as the transports mark a call with one reply (builds before issue 19's fourth round ignore it).
    const ctx = { kind: grpc ? 'grpc' : 'http', side: 'server', operation, endpoint: 'http://127.0.0.1:8000', requestHeader: headers(), replyHeader: grpc ? new MetadataHeader() : new lib.Metadata(), signal, deadline: undefined, metadata: new lib.Metadata(), unaryReply: true };
    return runWithContext(ctx, () => handler({ name: 'kratos' }, ctx));
  };
  const run = async (n) => {
    for (let i = 0; i < n; i += 50) {
      const batch = [];
      for (let j = 0; j < 50; j++) batch.push(one());
      await Promise.all(batch);
      await new Promise((r) => setImmediate(r));
    }
  };
  await run(CALLS / 2);
  const t0 = process.cpuUsage();
  await run(CALLS);
  const d = process.cpuUsage(t0);
  process.stderr.write(`${((d.user + d.system) / CALLS).toFixed(3)}\n`);
  await tracing?.shutdown();
  process.exit(0);
}

const rounds = Number(process.argv[2] ?? 5);
// KRATOS_BUILDS='name=root,name=root' compares any number of builds.
// Roots made absolute: the child imports <root>/dist/..., which a relative root would make a package name.
const builds = (process.env.KRATOS_BUILDS !== undefined
  ? process.env.KRATOS_BUILDS.split(',').map((b) => b.split('='))
  : [['after', process.env.KRATOS_AFTER ?? ROOT], ...(process.env.KRATOS_BEFORE === undefined ? [] : [['before', process.env.KRATOS_BEFORE]])]).map(([name, root]) => [name, resolve(root)]);
const results = new Map();
for (let r = 0; r < rounds; r++) {
  for (const [build, root] of builds) {
    for (const on of CASES) {
      const child = spawnSync('taskset', ['-c', '1', process.execPath, fileURLToPath(import.meta.url), '--child', root, on], { stdio: ['ignore', 'ignore', 'pipe'] });
      const out = child.stderr.toString().trim();
      if (child.status !== 0) throw new Error(`${build} ${on}: ${out}`);
      const key = `${build}|${on}`;
      results.set(key, [...(results.get(key) ?? []), Number(out)]);
    }
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`\nµs of CPU per call through the default middleware (in process, ${rounds} rounds of ${CALLS} calls, medians; the bare row is runWithContext + an async handler)\n`);
console.log(`| case | ${builds.map(([b]) => `${b} µs | ${b} cost of the default`).join(' | ')} |`);
console.log(`|---|${builds.map(() => '---|---').join('|')}|`);
for (const on of CASES) {
  const cells = builds.map(([b]) => {
    const v = median(results.get(`${b}|${on}`));
    const base = median(results.get(`${b}|`));
    return `${v.toFixed(2)} | ${on === '' ? '' : `+${(v - base).toFixed(2)}`}`;
  });
  console.log(`| ${on === '' ? 'bare' : on === ALL ? 'all five' : on === ALL.replace('tracing', 'sampled') ? 'all five, sampled' : on} | ${cells.join(' | ')} |`);
}
