// Where the helloworld sample's start-up goes (issue 19, item 3). Run after `npm run build`:
//
//   node bench/boot-profile.mjs            # all three parts
//   node bench/boot-profile.mjs boot       # spawn to first 200 + idle RSS only (BOOT_RUNS, default 7)
//   node bench/boot-profile.mjs phases     # the phases inside one process (median of BOOT_RUNS)
//   node bench/boot-profile.mjs imports    # import cost of each lib/ folder and runtime dependency alone
//   node bench/boot-profile.mjs providers  # createApp + start of a generated module of 200 providers
//
// boot: spawns `node dist/samples/helloworld/main.js`, polls GET /helloworld/kratos every 2 ms, times the
// first 200 from the spawn, and the CPU the process used until then (less inflated than wall time when
// the machine is busy); RSS (VmRSS) after five more requests and 2 s of idleness (BOOT_IDLE_MS).
// Median of the runs.
// phases: the same app started by a child script that marks each phase against process start
// (performance.now() counts from the process' time origin) and times proto loading and the container
// by wrapping their exported classes. imports: each module imported alone in a fresh process, median of 3.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePorts } from './lib/ports.mjs';
import { describeHost, probeHost } from './lib/host.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const RUNS = Number(process.env.BOOT_RUNS ?? 7);
const IDLE_MS = Number(process.env.BOOT_IDLE_MS ?? 2000);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// user + system CPU of a process so far (clock ticks of 10 ms): start-up cost that other load on the machine does not inflate.
const cpuMsOf = (pid) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ').slice(11, 13).reduce((a, t) => a + Number(t) * 10, 0);
const rssMiB = (pid) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

async function bootOnce() {
  const [http, grpc] = await freePorts(2);
  const url = `http://127.0.0.1:${http}/helloworld/kratos`;
  const env = { ...process.env, HTTP_ADDR: `127.0.0.1:${http}`, GRPC_ADDR: `127.0.0.1:${grpc}`, LOG_LEVEL: 'warn' };
  const started = performance.now();
  const proc = spawn(process.execPath, [join(DIST, 'samples', 'helloworld', 'main.js')], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += d));
  try {
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`helloworld exited: ${stderr}`);
      if (await fetch(url).then((r) => r.status === 200, () => false)) break;
      if (performance.now() - started > 20_000) throw new Error('helloworld did not answer');
      await sleep(2);
    }
    const firstReplyMs = performance.now() - started;
    const cpuMs = cpuMsOf(proc.pid);
    for (let i = 0; i < 5; i++) await fetch(url).then((r) => r.text());
    await sleep(IDLE_MS);
    return { firstReplyMs, cpuMs, idleRssMiB: rssMiB(proc.pid) };
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
  }
}

async function boot() {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await bootOnce());
  const ms = runs.map((r) => r.firstReplyMs);
  console.log(`\n## boot: spawn to first 200, median of ${RUNS}`);
  console.log(`first reply ms: median ${median(ms).toFixed(0)} (min ${Math.min(...ms).toFixed(0)}, max ${Math.max(...ms).toFixed(0)})`);
  const cpu = runs.map((r) => r.cpuMs);
  console.log(`CPU ms to first reply: median ${median(cpu).toFixed(0)} (min ${Math.min(...cpu).toFixed(0)})`);
  console.log(`RSS MiB after ${IDLE_MS} ms idle: median ${median(runs.map((r) => r.idleRssMiB)).toFixed(1)}`);
}

// The child: helloworld's main.ts, step by step, with marks. Prints one JSON line.
const PHASE_CHILD = `
const mark = {}; const acc = {}; const cpu = {};
const at = (p) => { mark[p] = performance.now(); const u = process.cpuUsage(); cpu[p] = (u.user + u.system) / 1000; };
at('bootstrap');
const k = { ...(await import(${JSON.stringify(join(DIST, 'bundle', 'index.js'))})), ...(await import(${JSON.stringify(join(DIST, 'bundle', 'metrics.js'))})) };
at('importFramework');
const wrap = (obj, name, key) => { const f = obj[name]; obj[name] = function (...a) { const t = performance.now(); const r = f.apply(this, a); const done = () => { acc[key] = (acc[key] ?? 0) + performance.now() - t; }; if (r && typeof r.then === 'function') r.then(done, done); else done(); return r; }; };
wrap(k.ProtoLoader.prototype, 'load', 'protoLoad'); wrap(k.ProtoLoader.prototype, 'loadSync', 'protoLoadSync');
wrap(k.AppContainer, 'create', 'container');
wrap(k.PrometheusMeter.prototype, 'collectRuntimeMetrics', 'runtimeMetrics');
const { AppModule } = await import(${JSON.stringify(join(DIST, 'samples', 'helloworld', 'src', 'server', 'app.module.js'))});
at('importSample');
const app = await k.createApp(AppModule, { name: 'helloworld', version: '1.0.0', configDir: ${JSON.stringify(join(DIST, 'samples', 'helloworld', 'configs'))}, signals: [] });
at('createApp');
await app.start();
at('listen');
const http = await import('node:http');
await new Promise((resolve, reject) => http.get('http://' + process.env.HTTP_ADDR + '/helloworld/kratos', (res) => { res.resume(); res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(String(res.statusCode))))); }).on('error', reject));
at('firstReply');
process.stdout.write(JSON.stringify({ mark, acc, cpu }) + '\\n');
await app.stop();
process.exit(0);
`;

async function phases() {
  const rows = [];
  for (let i = 0; i < RUNS; i++) {
    const [http, grpc] = await freePorts(2);
    const env = { ...process.env, HTTP_ADDR: `127.0.0.1:${http}`, GRPC_ADDR: `127.0.0.1:${grpc}`, LOG_LEVEL: 'warn' };
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', PHASE_CHILD], { env, encoding: 'utf8', cwd: join(DIST, 'samples', 'helloworld') });
    if (r.status !== 0) throw new Error(r.stderr);
    rows.push(JSON.parse(r.stdout.trim().split('\n').pop()));
  }
  const order = ['bootstrap', 'importFramework', 'importSample', 'createApp', 'listen', 'firstReply'];
  console.log(`\n## phases inside the process, ms, median of ${RUNS}`);
  console.log('| phase | ms | CPU ms | CPU ms, least | ends at ms |\n|---|---|---|---|---|');
  let prev = 'origin';
  for (const p of order) {
    const span = median(rows.map((r) => r.mark[p] - (prev === 'origin' ? 0 : r.mark[prev])));
    const cpus = rows.map((r) => r.cpu[p] - (prev === 'origin' ? 0 : r.cpu[prev]));
    console.log(`| ${p === 'bootstrap' ? 'node bootstrap' : `${prev} -> ${p}`} | ${span.toFixed(1)} | ${median(cpus).toFixed(1)} | ${Math.min(...cpus).toFixed(1)} | ${median(rows.map((r) => r.mark[p])).toFixed(0)} |`);
    prev = p;
  }
  for (const key of ['protoLoad', 'protoLoadSync', 'container', 'runtimeMetrics']) {
    console.log(`| within: ${key} (sum of calls) | ${median(rows.map((r) => r.acc[key] ?? 0)).toFixed(1)} | | | |`);
  }
}

function importMs(specifier) {
  const code = `const t = performance.now(); await import(${JSON.stringify(specifier)}); process.stdout.write(String(performance.now() - t));`;
  const ms = [];
  for (let i = 0; i < 3; i++) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) return NaN;
    ms.push(Number(r.stdout));
  }
  return median(ms);
}

function imports() {
  console.log('\n## import cost alone (fresh process, median of 3), ms');
  const rows = [['kratos-ts (dist/lib/index.js)', importMs(join(DIST, 'lib', 'index.js'))]];
  for (const d of readdirSync(join(DIST, 'lib'))) {
    const index = join(DIST, 'lib', d, 'index.js');
    if (existsSync(index)) rows.push([`lib/${d}`, importMs(index)]);
  }
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  for (const dep of Object.keys(pkg.dependencies)) rows.push([dep, importMs(dep)]);
  rows.sort((a, b) => b[1] - a[1]);
  console.log('| module | ms |\n|---|---|');
  for (const [name, ms] of rows) console.log(`| ${name} | ${Number.isNaN(ms) ? 'n/a' : ms.toFixed(0)} |`);
}

// The module bench/lib/boot.mjs generates (200 providers, each injecting the two before it, one route
// needing the last), timed inside the process: createApp, then start, wall and CPU.
function providersModule(path) {
  const lines = [`import { createApp } from ${JSON.stringify(join(DIST, 'bundle', 'index.js'))};`, `import { Get, Inject, Module, Service } from ${JSON.stringify(join(DIST, 'bundle', 'decorators.js'))};`];
  for (let i = 0; i < 200; i++) {
    const deps = [i - 1, i - 2].filter((d) => d >= 0);
    lines.push(`class P${i} { constructor(${deps.map((d) => `p${d}`).join(', ')}) { this.deps = [${deps.map((d) => `p${d}`).join(', ')}]; } }`);
    deps.forEach((d, k) => lines.push(`Inject(P${d})(P${i}, undefined, ${k});`));
    lines.push(`Service()(P${i});`);
  }
  lines.push('class Api { constructor(last) { this.last = last; } ready() { return { providers: 200 }; } }', 'Inject(P199)(Api, undefined, 0);', "Get('/ready')(Api.prototype, 'ready');", 'Service()(Api);');
  lines.push(`class Root {}`, `Module({ providers: [${Array.from({ length: 200 }, (_, i) => `P${i}`).join(', ')}], services: [Api] })(Root);`);
  lines.push('const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };', 'const t0 = performance.now(); const c0 = cpu();');
  lines.push("const app = await createApp(Root, { configDir: false, grpc: false, signals: [], http: { addr: '127.0.0.1:0' } });", 'const t1 = performance.now(); const c1 = cpu();', 'await app.start();');
  lines.push('process.stderr.write("PROFILE=" + JSON.stringify({ createMs: t1 - t0, startMs: performance.now() - t1, totalMs: performance.now() - t0, cpuMs: cpu() - c0 }) + "\\n");', 'await app.stop();');
  writeFileSync(path, `${lines.join('\n')}\n`);
}

function providers() {
  const dir = join(ROOT, 'bench', '.generated');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'providers-200-profile.mjs');
  providersModule(file);
  const rows = [];
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync(process.execPath, [file], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    rows.push(JSON.parse(/PROFILE=(.*)/.exec(r.stderr)[1]));
  }
  console.log(`\n## createApp + start, 200 providers, median of ${RUNS}`);
  for (const k of ['createMs', 'startMs', 'totalMs', 'cpuMs']) console.log(`${k}: median ${median(rows.map((r) => r[k])).toFixed(1)}, least ${Math.min(...rows.map((r) => r[k])).toFixed(1)}`);
}

const what = process.argv[2] ?? 'all';
console.log(`boot profile, node ${process.version}, ${new Date().toISOString()}`);
console.log(describeHost(probeHost()));
if (what === 'all' || what === 'boot') await boot();
if (what === 'all' || what === 'phases') await phases();
if (what === 'all' || what === 'providers') providers();
if (what === 'all' || what === 'imports') imports();
