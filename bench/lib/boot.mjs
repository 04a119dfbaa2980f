// Boot time (process start to the first 200) and memory of the helloworld sample and of a generated
// module of 200 providers.
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HERE } from './grpc-client.mjs';
import { median } from './report.mjs';
import { freePort, freePorts } from './ports.mjs';

export { HERE };
const ROOT = join(HERE, '..');
// BENCH_QUICK shortens both, for a smoke run.
const QUICK = process.env.BENCH_QUICK === '1';
export const STARTS = QUICK ? 2 : 5;
export const IDLE_MS = QUICK ? 3_000 : 20_000;

/** Resident set size of a process, MiB (VmRSS). */
export function measureRss(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m === null ? undefined : Number(m[1]) / 1024;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Starts `args`, polls `url` until 200 (every 2 ms), sends a few more requests, reads RSS a second
// later and again once idle (IDLE_MS after the first reply).
async function bootOnce(args, url, env, idle = true) {
  const started = performance.now();
  const proc = spawn('taskset', ['-c', '1', 'node', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', openSync('/dev/null', 'w'), 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += d));
  try {
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`${args.join(' ')} exited: ${stderr}`);
      const ok = await fetch(url).then((r) => r.status === 200, () => false);
      if (ok) break;
      if (performance.now() - started > 20_000) throw new Error(`${args.join(' ')} did not answer ${url}`);
      await sleep(2);
    }
    const firstReplyMs = performance.now() - started;
    for (let i = 0; i < 20; i++) await fetch(url).then((r) => r.arrayBuffer());
    await sleep(1000);
    const startedRssMiB = measureRss(proc.pid);
    if (!idle) return { firstReplyMs, appMs: NaN, startedRssMiB, idleRssMiB: NaN };
    // Idle means settled: V8 keeps the young generation that start-up grew until its memory reducer
    // runs, some 10-20 s into idleness, so RSS a second after start-up overstates what an idle app holds.
    await sleep(Math.max(0, IDLE_MS - (performance.now() - started - firstReplyMs)));
    const appMs = Number(/APP_MS=([\d.]+)/.exec(stderr)?.[1] ?? NaN);
    return { firstReplyMs, appMs, startedRssMiB, idleRssMiB: measureRss(proc.pid) };
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
  }
}

async function series(make) {
  const runs = [];
  for (let i = 0; i < STARTS; i++) runs.push(await make());
  return {
    firstReplyMs: median(runs.map((r) => r.firstReplyMs)),
    appMs: median(runs.map((r) => r.appMs)),
    startedRssMiB: median(runs.map((r) => r.startedRssMiB)),
    idleRssMiB: median(runs.map((r) => r.idleRssMiB)),
  };
}

// 200 providers, each injecting the two before it, and one route that needs the last.
function generateModule(path) {
  const lines = [`import { createApp } from ${JSON.stringify(join(ROOT, 'dist', 'bundle', 'index.js'))};`, `import { Get, Inject, Module, Service } from ${JSON.stringify(join(ROOT, 'dist', 'bundle', 'decorators.js'))};`, 'const t0 = performance.now();'];
  for (let i = 0; i < 200; i++) {
    const deps = [i - 1, i - 2].filter((d) => d >= 0);
    lines.push(`class P${i} { constructor(${deps.map((d) => `p${d}`).join(', ')}) { this.deps = [${deps.map((d) => `p${d}`).join(', ')}]; } }`);
    deps.forEach((d, k) => lines.push(`Inject(P${d})(P${i}, undefined, ${k});`));
    lines.push(`Service()(P${i});`);
  }
  lines.push('class Api { constructor(last) { this.last = last; } ready() { return { providers: 200 }; } }', 'Inject(P199)(Api, undefined, 0);', "Get('/ready')(Api.prototype, 'ready');", 'Service()(Api);');
  lines.push(`class Root {}`, `Module({ providers: [${Array.from({ length: 200 }, (_, i) => `P${i}`).join(', ')}], services: [Api] })(Root);`);
  lines.push("const app = await createApp(Root, { configDir: false, grpc: false, http: { addr: `127.0.0.1:${process.env.PORT}` } });", 'await app.start();', 'process.stderr.write(`APP_MS=${performance.now() - t0}\\n`);', "process.on('SIGTERM', () => app.stop().finally(() => process.exit(0)));");
  writeFileSync(path, `${lines.join('\n')}\n`);
}

export async function measureBoot() {
  const gen = join(HERE, '.generated');
  mkdirSync(gen, { recursive: true });
  const module200 = join(gen, 'providers-200.mjs');
  generateModule(module200);
  const helloworld = await series(async () => {
    const [http, grpc] = await freePorts(2);
    return bootOnce([join(ROOT, 'dist', 'samples', 'helloworld', 'main.js')], `http://127.0.0.1:${http}/helloworld/boot`, { HTTP_ADDR: `127.0.0.1:${http}`, GRPC_ADDR: `127.0.0.1:${grpc}`, LOG_LEVEL: 'info' });
  });
  const providers200 = await series(async () => {
    const port = await freePort();
    return bootOnce([module200], `http://127.0.0.1:${port}/ready`, { PORT: String(port) });
  });
  // The host's own speed at starting a process: a bare node:http server, read beside the goals.
  const rawNode = await series(async () => {
    const port = await freePort();
    return bootOnce([join(HERE, 'servers', 'http-raw.mjs')], `http://127.0.0.1:${port}/helloworld/boot`, { PORT: String(port) }, false);
  });
  return { helloworld, providers200, rawNode };
}
