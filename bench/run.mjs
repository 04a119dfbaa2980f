// The benchmark: every server pinned to core 1, the load generator to core 0, servers interleaved round
// by round, median and min/max of the rounds, ratios against raw koa + @koa/router and raw grpc-js from
// the same run. Prints a markdown table and writes results/latest.json. See docs/performance.md.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { HERE, measureBoot, measureRss } from './lib/boot.mjs';
import { grpcUnary, grpcStream, httpLoad, startServer, stopServer } from './lib/load.mjs';
import { ensureTools } from './lib/tools.mjs';
import { median, renderTable } from './lib/report.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const ONLY = process.env.BENCH_ONLY === undefined ? undefined : new RegExp(process.env.BENCH_ONLY);
const server = (...args) => ['node', join(HERE, 'servers', args[0]), ...args.slice(1)];

// Each case: the server command, how it is loaded, and which baseline its ratio is against.
const CASES = [
  { id: 'http-raw', label: 'raw node:http', group: 'http', cmd: server('http-raw.mjs') },
  { id: 'http-koa', label: 'koa 3 + @koa/router (idiomatic)', group: 'http', cmd: server('http-koa.mjs'), baseline: true },
  { id: 'http-kratos-plain', label: 'kratos-ts plain @Get, built-ins off', group: 'http', cmd: server('kratos.mjs', 'http-plain') },
  { id: 'http-kratos-proto', label: 'kratos-ts proto route, default middleware', group: 'http', cmd: server('kratos.mjs', 'http-proto'), goal: 1.0 },
  { id: 'http-kratos-full', label: 'kratos-ts + log + metrics + tracing 100 %', group: 'http', cmd: server('kratos.mjs', 'http-full'), goal: 0.7 },
  { id: 'http-kratos-2w', label: 'kratos-ts proto route, 2 workers (cluster)', group: 'http', cmd: server('kratos.mjs', 'http-proto', '2'), cores: '0,1', note: 'both cores serve; load shares them' },
  { id: 'http-fastify', label: 'fastify 5', group: 'http', cmd: server('http-fastify.mjs') },
  { id: 'http-nest-express', label: 'NestJS 12 + express', group: 'http', cmd: server('nest.mjs', 'express') },
  { id: 'http-nest-fastify', label: 'NestJS 12 + fastify', group: 'http', cmd: server('nest.mjs', 'fastify') },
  { id: 'grpc-raw', label: 'raw @grpc/grpc-js', group: 'grpc', cmd: server('grpc-raw.mjs'), baseline: true },
  { id: 'grpc-kratos-bare', label: 'kratos-ts @Rpc, built-ins off', group: 'grpc', cmd: server('kratos.mjs', 'grpc-bare') },
  { id: 'grpc-kratos', label: 'kratos-ts @Rpc, default middleware', group: 'grpc', cmd: server('kratos.mjs', 'grpc'), goal: 0.95 },
  { id: 'grpc-kratos-full', label: 'kratos-ts @Rpc + log + metrics + tracing 100 %', group: 'grpc', cmd: server('kratos.mjs', 'grpc-full') },
  { id: 'grpc-nest', label: 'NestJS 12 microservices gRPC', group: 'grpc', cmd: server('nest.mjs', 'grpc') },
  { id: 'stream-raw', label: 'raw grpc-js, server stream', group: 'stream', cmd: server('grpc-raw.mjs'), baseline: true },
  { id: 'stream-kratos', label: 'kratos-ts, server stream (default middleware)', group: 'stream', cmd: server('kratos.mjs', 'grpc') },
].filter((c) => ONLY === undefined || ONLY.test(c.id));

async function measure(c) {
  const proc = await startServer(c.cmd, c.cores ?? '1', c.group);
  try {
    const run = c.group === 'http' ? httpLoad : c.group === 'grpc' ? grpcUnary : grpcStream;
    await run(WARMUP);
    const result = await run(SECONDS);
    return { ...result, rssMiB: measureRss(proc.pid) };
  } finally {
    await stopServer(proc);
  }
}

async function main() {
  ensureTools();
  const startedAt = new Date().toISOString();
  const samples = new Map(CASES.map((c) => [c.id, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const c of CASES) {
      const r = await measure(c);
      samples.get(c.id).push(r);
      console.error(`round ${round}/${ROUNDS} ${c.id}: ${Math.round(r.rate)} ${c.group === 'stream' ? 'msg/s' : 'req/s'}${r.errors ? `, ${r.errors} errors` : ''}`);
    }
  }
  const rows = CASES.map((c) => {
    const s = samples.get(c.id);
    const rates = s.map((x) => x.rate);
    return {
      ...c,
      cmd: c.cmd.slice(1).join(' ').replace(HERE + '/', ''),
      rate: median(rates),
      min: Math.min(...rates),
      max: Math.max(...rates),
      p99ms: median(s.map((x) => x.p99ms).filter((x) => x !== undefined)),
      meanMs: median(s.map((x) => x.meanMs).filter((x) => x !== undefined)),
      rssMiB: median(s.map((x) => x.rssMiB)),
      errors: s.reduce((n, x) => n + (x.errors ?? 0), 0),
    };
  });
  for (const group of ['http', 'grpc', 'stream']) {
    const base = rows.find((r) => r.group === group && r.baseline);
    for (const r of rows.filter((x) => x.group === group)) r.ratio = base === undefined ? undefined : r.rate / base.rate;
  }
  const nestExpress = rows.find((r) => r.id === 'http-nest-express');
  const proto = rows.find((r) => r.id === 'http-kratos-proto');
  const boot = ONLY === undefined || ONLY.test('boot') ? await measureBoot() : undefined;
  const result = {
    startedAt,
    machine: { cpus: cpus().length, model: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30) },
    node: process.version,
    tools: { wrk: toolVersion('wrk', ['-v']), h2load: toolVersion('h2load', ['--version']) },
    method: { seconds: SECONDS, rounds: ROUNDS, warmup: WARMUP, serverCore: 1, loadCore: 0, http: 'wrk -t1 -c50', grpc: 'h2load -c1 -m100' },
    rows,
    versusNestExpress: nestExpress && proto ? proto.rate / nestExpress.rate : undefined,
    boot,
  };
  mkdirSync(join(HERE, 'results'), { recursive: true });
  writeFileSync(join(HERE, 'results', 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(renderTable(result));
}

function toolVersion(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n').find((l) => /\d+\.\d+/.test(l))?.trim() ?? 'unknown';
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
