// The helloworld proto route of several builds or variants served side by side on core 1 and loaded
// at the same time (one wrk each on core 0), so that whatever else the machine runs meanwhile weighs
// on all of them alike: server CPU per request of each (/proc/<pid>/stat user + system over the
// requests wrk counted), round by round, medians. For a busy machine, where the interleaved rounds of
// run.mjs differ by more than the change measured; the servers share a core, so the figures are those
// of a server that is not saturated (fewer requests per turn of the event loop than in run.mjs).
//   SIDE_CASES='before=/path/to/build:log,metrics,tracing;after=.:log,metrics,tracing' node bench/per-call/side-by-side.mjs
//   (name=root:toggles as server.mjs takes them, name=root:@<variant> for that build's bench/servers/kratos.mjs
//   <variant> (e.g. @http-plain), or name=koa / name=fastify for the koa + router or bare fastify peer; SIDE_SECONDS=6,
//   SIDE_ROUNDS=5, SIDE_CONNECTIONS=13 per server)
import { execFile, spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { cpuMicros } from '../lib/load.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const run = promisify(execFile);
const SECONDS = Number(process.env.SIDE_SECONDS ?? 6);
const ROUNDS = Number(process.env.SIDE_ROUNDS ?? 5);
const CONNECTIONS = process.env.SIDE_CONNECTIONS ?? '13';
const cases = (process.env.SIDE_CASES ?? '').split(';').filter(Boolean).map((c, i) => {
  const [name, spec] = c.split('=');
  if (spec === 'koa' || spec === 'fastify') return { name, script: join(HERE, '..', 'servers', `http-${spec}.mjs`), port: 18300 + i };
  const [root, on] = spec.split(':');
  if (on?.startsWith('@')) return { name, script: join(resolve(root), 'bench', 'servers', 'kratos.mjs'), args: [on.slice(1)], port: 18300 + i };
  return { name, root: resolve(root), on: on ?? '', port: 18300 + i };
});
if (cases.length === 0) throw new Error('SIDE_CASES is empty: name=root:toggles;...');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
async function listening(port) {
  for (;;) {
    try {
      await fetch(`http://127.0.0.1:${port}/helloworld/bench`);
      return;
    } catch {
      await sleep(50);
    }
  }
}
async function wrk(port, seconds) {
  const { stdout } = await run('taskset', ['-c', '0', 'wrk', '-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, `http://127.0.0.1:${port}/helloworld/kratos`]);
  return Number(/(\d+) requests in/.exec(stdout)[1]);
}

console.log(`load average ${loadAverage()} at the start`);
const results = new Map(cases.map((c) => [c.name, []]));
for (let round = 0; round < ROUNDS; round++) {
  // Started and loaded in a rotated order each round, so that no case is always first.
  const order = cases.map((_, i) => cases[(i + round) % cases.length]);
  const procs = order.map((c) => spawn('taskset', ['-c', '1', process.execPath, ...(c.script === undefined ? [join(HERE, 'server.mjs'), 'http', c.on] : [c.script, ...(c.args ?? [])])], { env: { ...process.env, PORT: String(c.port), ...(c.root === undefined ? {} : { KRATOS_ROOT: c.root }) }, stdio: ['ignore', openSync('/dev/null', 'w'), 'inherit'] }));
  try {
    for (const c of order) await listening(c.port);
    await Promise.all(order.map((c) => wrk(c.port, 2)));
    const before = procs.map((p) => cpuMicros(p.pid));
    const served = await Promise.all(order.map((c) => wrk(c.port, SECONDS)));
    const us = procs.map((p, i) => (cpuMicros(p.pid) - before[i]) / served[i]);
    order.forEach((c, i) => results.get(c.name).push(us[i]));
    process.stderr.write(`round ${round + 1}: ${order.map((c, i) => `${c.name} ${(served[i] / SECONDS).toFixed(0)}/s ${us[i].toFixed(1)} µs`).join(', ')}\n`);
  } finally {
    for (const p of procs) p.kill('SIGTERM');
    await Promise.all(procs.map((p) => (p.exitCode !== null ? undefined : new Promise((r) => p.once('exit', r)))));
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`\n| case | µs server CPU per request (median) | each round |\n|---|---|---|`);
for (const c of cases) console.log(`| ${c.name} | ${median(results.get(c.name)).toFixed(1)} | ${results.get(c.name).map((x) => x.toFixed(1)).join(', ')} |`);
console.log(`\nload average ${loadAverage()} at the end`);
