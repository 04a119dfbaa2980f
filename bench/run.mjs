// The benchmark: every server pinned to core 1, the load generator (and the OTLP collector stub) to
// core 0, servers interleaved round by round, median and min/max of the rounds, server CPU per request
// from /proc, ratios against raw koa + @koa/router and raw grpc-js from the same run. Prints markdown
// tables (cases, per-middleware costs, peers with equal observability, issue 19's goals) and writes
// results/latest.json (results/quick.json with BENCH_QUICK=1). See docs/performance.md.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { HERE, IDLE_MS, STARTS, measureBoot, measureRss } from './lib/boot.mjs';
import { collectorStats, startCollector } from './lib/collector-process.mjs';
import { CASES } from './lib/cases.mjs';
import { cpuMicros, grpcUnary, grpcStream, httpLoad, startServer, stopServer } from './lib/load.mjs';
import { ensureTools } from './lib/tools.mjs';
import { probeHost } from './lib/host.mjs';
import { median, renderTable } from './lib/report.mjs';
import { measurePaired } from './lib/paired.mjs';
import { controlRatios, pairedGroups, withControls } from './lib/pairs.mjs';
import { goals, middlewareCosts, peerObservability, RATIO_GOALS } from './lib/verdicts.mjs';

const QUICK = process.env.BENCH_QUICK === '1';
const SECONDS = Number(process.env.BENCH_SECONDS ?? (QUICK ? 1 : 10));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 1 : 3));
const WARMUP = Number(process.env.BENCH_WARMUP ?? (QUICK ? 1 : 2));
const ONLY = process.env.BENCH_ONLY === undefined ? undefined : new RegExp(process.env.BENCH_ONLY);
const cases = CASES.filter((c) => ONLY === undefined || ONLY.test(c.id));
// The goals' servers again, in turn, in short slices (bench/lib/paired.mjs); BENCH_PAIRED=0 skips them.
const PAIRED = process.env.BENCH_PAIRED === '0' ? undefined : {
  seconds: Number(process.env.BENCH_PAIR_SECONDS ?? (QUICK ? 1 : 2)),
  passes: Number(process.env.BENCH_PAIR_PASSES ?? 2),
  // Each round starts new processes: two of the same server differ by up to 10 % (HTTP) for the whole of their lives.
  rounds: Number(process.env.BENCH_PAIR_ROUNDS ?? (QUICK ? 1 : 6)),
  warmup: WARMUP,
};

async function measure(c, collector) {
  const proc = await startServer(c.cmd, c.cores ?? '1', c.group);
  try {
    const run = c.group === 'http' ? httpLoad : c.group === 'grpc' ? grpcUnary : grpcStream;
    await run(WARMUP);
    const exportedBefore = await collectorStats(collector);
    const cpuBefore = cpuMicros(proc.pid);
    const result = await run(SECONDS);
    // Cluster workers are children of the measured pid, so its CPU would leave theirs out.
    const cpuUs = c.cores === undefined && result.count > 0 ? (cpuMicros(proc.pid) - cpuBefore) / result.count : undefined;
    const exported = await collectorStats(collector);
    const exportedBytes = result.count > 0 ? (exported.bytes - exportedBefore.bytes) / result.count : undefined;
    return { ...result, cpuUs, exportedBytes, rssMiB: measureRss(proc.pid) };
  } finally {
    await stopServer(proc);
  }
}

// BENCH_REPORT=<result.json> prints the tables of an earlier run again, with this version's verdicts.
function reprint(file) {
  console.log(renderTable(judge(JSON.parse(readFileSync(file, 'utf8')))));
}

// What a run's rows, boot and paired slices add up to (a new run's, or an earlier one's with this version's verdicts).
function judge(result) {
  result.middlewareCosts = middlewareCosts(result.rows);
  result.peers = peerObservability(result.rows);
  result.goals = goals(result.rows, result.boot, result.paired?.slices);
  result.controls = controlRatios(result.paired?.slices);
  return result;
}

async function main() {
  if (process.env.BENCH_REPORT !== undefined) return reprint(process.env.BENCH_REPORT);
  ensureTools();
  const startedAt = new Date().toISOString();
  const loadAtStart = loadavg()[0];
  const hostAtStart = probeHost();
  const collector = await startCollector();
  process.env.BENCH_COLLECTOR = collector.url;
  const samples = new Map(cases.map((c) => [c.id, []]));
  let paired;
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const c of cases) {
        const r = await measure(c, collector);
        samples.get(c.id).push(r);
        const cpu = r.cpuUs === undefined ? '' : `, ${r.cpuUs.toFixed(1)} µs CPU each`;
        console.error(`round ${round}/${ROUNDS} ${c.id}: ${Math.round(r.rate)} ${c.group === 'stream' ? 'msg/s' : 'req/s'}${cpu}${r.errors ? `, ${r.errors} errors` : ''}`);
      }
    }
    const pairs = RATIO_GOALS.map(([, a, b]) => [a, b]);
    const groups = PAIRED === undefined ? [] : withControls(pairedGroups(pairs, cases), pairs.map(([, b]) => b));
    if (groups.length > 0) paired = { ...PAIRED, groups: groups.map((g) => g.map((c) => c.id)), slices: await measurePaired(groups, PAIRED, (line) => console.error(line)) };
  } finally {
    collector.stop();
  }
  const rows = cases.map((c) => {
    const s = samples.get(c.id);
    const rates = s.map((x) => x.rate);
    const defined = (key) => s.map((x) => x[key]).filter((x) => x !== undefined);
    return {
      ...c,
      cmd: c.cmd.slice(1).join(' ').replace(HERE + '/', ''),
      rate: median(rates),
      min: Math.min(...rates),
      max: Math.max(...rates),
      cpuUs: median(defined('cpuUs')),
      // Each round's own figure: a goal's ratio is also shown round by round (cases of one round ran minutes apart, not weeks).
      cpuRounds: s.map((x) => x.cpuUs),
      p99ms: median(defined('p99ms')),
      meanMs: median(defined('meanMs')),
      rssMiB: median(s.map((x) => x.rssMiB)),
      exportedBytes: median(defined('exportedBytes')),
      errors: s.reduce((n, x) => n + (x.errors ?? 0), 0),
    };
  });
  for (const group of ['http', 'grpc', 'stream']) {
    const base = rows.find((r) => r.group === group && r.baseline);
    for (const r of rows.filter((x) => x.group === group)) r.ratio = base === undefined ? undefined : r.rate / base.rate;
  }
  const boot = ONLY === undefined || ONLY.test('boot') ? await measureBoot() : undefined;
  const result = {
    startedAt,
    quick: QUICK,
    machine: { cpus: cpus().length, model: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30) },
    // Other work on the machine: with a 1-minute load average above 2 on 2 cores the servers shared their core.
    loadAverage: { start: loadAtStart, end: loadavg()[0] },
    // What the host's kernel work cost (bench/lib/host.mjs), at the start and at the end.
    host: { start: hostAtStart, end: probeHost() },
    node: process.version,
    tools: { wrk: toolVersion('wrk', ['-v']), h2load: toolVersion('h2load', ['--version']) },
    method: {
      seconds: SECONDS,
      rounds: ROUNDS,
      warmup: WARMUP,
      serverCore: 1,
      loadCore: 0,
      http: 'wrk -t1 -c50',
      grpc: 'h2load -c1 -m100',
      cpu: 'server user+system CPU (/proc/<pid>/stat) over the measured seconds / requests served',
      boot: { starts: STARTS, idleMs: IDLE_MS },
    },
    rows,
    paired,
    boot,
  };
  judge(result);
  mkdirSync(join(HERE, 'results'), { recursive: true });
  const out = join(HERE, 'results', QUICK ? 'quick.json' : 'latest.json');
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(renderTable(result));
  console.error(`\nwritten: ${out}`);
}

function toolVersion(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n').find((l) => /\d+\.\d+/.test(l))?.trim() ?? 'unknown';
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
