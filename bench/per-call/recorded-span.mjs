// CPU per call of what the server middleware does for a 100 % sampled call besides the handler: start
// the SERVER span from the request headers (none of W3C's here, as wrk sends), read trace.id and
// span.id as an access line does, end the span (no exporter: the span's own cost, not the export's).
// Builds interleaved, each in a fresh process, median of the rounds.
//   node bench/per-call/recorded-span.mjs [rounds]     KRATOS_BUILDS='after=.,before=/path/to/main' (default: this checkout)
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const CALLS = 300_000;

if (process.argv[2] === '--child') {
  const root = process.argv[3];
  const lib = (p) => import(pathToFileURL(join(root, 'dist', 'lib', ...p.split('/'))).href);
  const t = await lib('tracing/index.js');
  const { Metadata } = await lib('metadata/index.js');
  const tracing = t.createTracing({ serviceName: 'bench', exporter: 'none', sampleRatio: 1 });
  const ctx = {
    kind: 'http', side: 'server', operation: '/helloworld.v1.Greeter/SayHello', endpoint: '', requestHeader: new Metadata({ host: '127.0.0.1', 'user-agent': 'wrk' }),
    replyHeader: new Metadata(), signal: undefined, deadline: undefined, metadata: new Metadata(),
  };
  const line = () => t.traceIdValuer().length + t.spanIdValuer().length;
  let sink = 0;
  const run = (n) => {
    for (let i = 0; i < n; i++) {
      const h = t.startServerSpan(tracing, ctx);
      sink += h.runInContext(line);
      h.end();
    }
  };
  run(50_000);
  const c0 = process.cpuUsage();
  run(CALLS);
  const c = process.cpuUsage(c0);
  if (sink !== (CALLS + 50_000) * 48) throw new Error('ids of the wrong length');
  console.log(((c.user + c.system) / CALLS).toFixed(3));
} else {
  const here = fileURLToPath(import.meta.url);
  const builds = (process.env.KRATOS_BUILDS ?? `after=${join(here, '..', '..', '..')}`).split(',').map((b) => b.split('=')).map(([name, root]) => [name, resolve(root)]);
  const rounds = Number(process.argv[2] ?? 5);
  const results = new Map(builds.map(([name]) => [name, []]));
  for (let r = 0; r < rounds; r++) {
    for (const [name, root] of builds) {
      const child = spawnSync(process.execPath, [here, '--child', root], { encoding: 'utf8' });
      if (child.status !== 0) throw new Error(`${name}: ${child.stderr}`);
      results.get(name).push(Number(child.stdout.trim()));
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`\nµs of CPU per recorded server span (start, two log valuer reads, end; ${rounds} rounds of ${CALLS} calls)\n`);
  console.log('| build | rounds | median |\n|---|---|---|');
  for (const [name] of builds) console.log(`| ${name} | ${results.get(name).join(', ')} | ${median(results.get(name)).toFixed(3)} |`);
}
