// What one OTLP export post costs the process that makes it, each way export-posters.mjs makes it,
// in a process of its own on core 1 with the collector stub on core 0: paced as the batch processor
// posts under the bench (one post every POST_MS, default 36: cold, node's client code never gets hot)
// and back to back (hot). µs of the main thread's on-CPU time per post (schedstat, exact), the paced
// figure less a run of the same timer with no post; modes interleaved round by round, medians.
//   POST_MODES='otel,end,undici,dispatch,sdk' flock /tmp/measure.lock node bench/per-call/export-post.mjs
//   (POST_BYTES=121000, POST_MS=36, POST_SECONDS=4, POST_COUNT=400 back to back, POST_ROUNDS=3)
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { makePoster } from './export-posters.mjs';

const BYTES = Number(process.env.POST_BYTES ?? 121_000);
const EVERY = Number(process.env.POST_MS ?? 36);
const SECONDS = Number(process.env.POST_SECONDS ?? 4);
const COUNT = Number(process.env.POST_COUNT ?? 400);
const ROUNDS = Number(process.env.POST_ROUNDS ?? 3);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const mainNs = () => Number(readFileSync(`/proc/${process.pid}/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]);

async function child(mode, url) {
  const body = Buffer.alloc(BYTES, 0x5a);
  const poster = mode === 'none' ? { post: (_b, done) => done(), close() {} } : makePoster(mode, new URL(url));
  let busy = false;
  let posts = 0;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    poster.post(body, () => ((busy = false), posts++));
  }, EVERY);
  await sleep(2000);
  let a = mainNs();
  const u = process.cpuUsage();
  const p0 = posts;
  await sleep(SECONDS * 1000);
  const paced = (mainNs() - a) / 1000 / (posts - p0);
  const { user, system } = process.cpuUsage(u);
  const pacedUser = user / (posts - p0);
  const pacedSystem = system / (posts - p0);
  clearInterval(timer);
  await sleep(100);
  const once = () => new Promise((r) => poster.post(body, r));
  for (let i = 0; i < COUNT / 4; i++) await once();
  a = mainNs();
  for (let i = 0; i < COUNT; i++) await once();
  const hot = mode === 'none' ? 0 : (mainNs() - a) / 1000 / COUNT;
  await poster.close();
  process.stdout.write(JSON.stringify({ paced, pacedUser, pacedSystem, hot, posts: posts - p0 }));
}

async function parent() {
  const modes = ['none', ...(process.env.POST_MODES ?? 'otel,end,undici,dispatch,sdk').split(',')];
  const here = fileURLToPath(import.meta.url);
  const collector = spawn('taskset', ['-c', '0', 'node', fileURLToPath(new URL('../lib/collector.mjs', import.meta.url))], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((r) => collector.stdout.once('data', (d) => r(d.toString().trim())));
  const url = `http://127.0.0.1:${port}/v1/traces`;
  const results = new Map(modes.map((m) => [m, []]));
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const mode of modes) {
        const proc = spawn('taskset', ['-c', '1', 'node', here, mode, url], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        proc.stdout.on('data', (d) => (out += d));
        await new Promise((r) => proc.on('exit', r));
        const r = JSON.parse(out);
        results.get(mode).push(r);
        process.stderr.write(`round ${round} ${mode}: paced ${r.paced.toFixed(0)} µs a post (user ${r.pacedUser.toFixed(0)}, system ${r.pacedSystem.toFixed(0)}, all threads; ${r.posts} posts), back to back ${r.hot.toFixed(0)}\n`);
      }
    }
  } finally {
    collector.kill('SIGTERM');
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const idle = median(results.get('none').map((r) => r.paced));
  console.log(`\n${ROUNDS} rounds; ${BYTES} B a post; µs of the main thread a post, medians (rounds)\n`);
  const idleU = median(results.get('none').map((r) => r.pacedUser));
  const idleS = median(results.get('none').map((r) => r.pacedSystem));
  console.log(`| mode | paced every ${EVERY} ms, less the timer (${idle.toFixed(0)}) | of which user, system (all threads, less ${idleU.toFixed(0)}, ${idleS.toFixed(0)}) | back to back |`);
  console.log('|---|---|---|---|');
  for (const m of modes.slice(1)) {
    const rs = results.get(m);
    const f = (k, d = 0) => `${(median(rs.map((r) => r[k])) - d).toFixed(0)} (${rs.map((r) => (r[k] - d).toFixed(0)).join(' / ')})`;
    console.log(`| ${m} | ${f('paced', idle)} | ${(median(rs.map((r) => r.pacedUser)) - idleU).toFixed(0)}, ${(median(rs.map((r) => r.pacedSystem)) - idleS).toFixed(0)} | ${f('hot')} |`);
  }
}

if (process.argv[2] === undefined) await parent();
else await child(process.argv[2], process.argv[3]);
