// What the rows of one run add up to: the cost of each kratos-ts default (server CPU per request,
// toggled one at a time), the peers with equal observability, and the goals of issue 19.
import { pairedRatio } from './pairs.mjs';

const byId = (rows, id) => rows.find((r) => r.id === id);
const cpu = (rows, id) => byId(rows, id)?.cpuUs;
const diff = (a, b) => (a === undefined || b === undefined ? undefined : a - b);

// Each default: the case with it and the case without it, both from the same run.
const TOGGLES = [
  ['access log (one JSON line per call)', 'kratos-proto', 'kratos-no-accesslog', '`accessLog: false`'],
  ['metrics (counter + histogram per call)', 'kratos-proto', 'kratos-no-metrics', '`metrics: false`'],
  ['tracing, sampler off', 'kratos-proto', 'kratos-no-tracing', '`tracing: false`'],
  ['tracing, 100 % sampled, OTLP batch export', 'kratos-full', 'kratos-no-tracing', '`tracing: { sampleRatio: 1, exporter: \'otlp\', endpoint }` vs `tracing: false`'],
  ['recovery', 'kratos-proto', 'kratos-no-recovery', '`recovery: false`'],
  ['metadata (x-md-* headers)', 'kratos-proto', 'kratos-no-metadata', '`callMetadata: false`'],
  ['validate (one buf.validate rule)', 'kratos-validated', 'kratos-proto', 'no public switch: on when the request message declares rules; measured with and without one rule'],
  ['proto binding (proto route vs plain @Get)', 'kratos-proto', 'kratos-plain-defaults', 'no switch: a user writes a plain `@Get` route instead of binding the proto rpc; both with the defaults'],
  ['all defaults together', 'kratos-proto', 'kratos-proto-bare', 'every option above off, and the ambient context (`ambientContext: false`)'],
];
// Case ids per transport: gRPC's defaults case is `grpc-kratos`, its bare one `grpc-kratos-bare`.
const caseId = (transport, key) => (transport === 'grpc' ? `grpc-${key.replace('kratos-proto-bare', 'kratos-bare').replace('kratos-proto', 'kratos')}` : `http-${key}`);

/** µs of server CPU per call for each default on HTTP and gRPC, from the same run. */
export function middlewareCosts(rows) {
  const out = [];
  for (const [name, onKey, offKey, how] of TOGGLES) {
    for (const transport of ['http', 'grpc']) {
      const on = caseId(transport, onKey);
      const off = caseId(transport, offKey);
      if (byId(rows, on) && byId(rows, off)) out.push({ name, transport, on, off, how, us: diff(cpu(rows, on), cpu(rows, off)) });
    }
  }
  return out;
}

const PEERS = [
  ['fastify 5', 'http-fastify', 'http-fastify-obs', 'http-fastify-obs-sampled'],
  ['koa 3 + @koa/router', 'http-koa', 'http-koa-obs', 'http-koa-obs-sampled'],
  ['NestJS 12 + fastify', 'http-nest-fastify', 'http-nest-obs', 'http-nest-obs-sampled'],
  ['kratos-ts proto route', 'http-kratos-proto-bare', 'http-kratos-proto', 'http-kratos-full'],
];

/** Each stack bare, with log + metrics + tracing (sampler off), and with every span sampled. */
export function peerObservability(rows) {
  const kratos = byId(rows, 'http-kratos-proto');
  return PEERS.filter(([, bare]) => byId(rows, bare)).map(([name, bare, off, on]) => {
    const cell = (id) => {
      const r = byId(rows, id);
      return r === undefined ? undefined : { id, rate: r.rate, cpuUs: r.cpuUs, exportedBytes: r.exportedBytes };
    };
    return { name, bare: cell(bare), samplerOff: cell(off), sampled: cell(on), kratosDefaultsVsSamplerOff: kratos?.cpuUs && byId(rows, off)?.cpuUs ? byId(rows, off).cpuUs / kratos.cpuUs : undefined };
  });
}

// The verdict is on server CPU per request (b's over a's), which is what throughput measures when the
// server is the bottleneck and stays right when something else on this shared machine takes CPU; the
// throughput ratio is printed beside it. With the paired slices (bench/lib/paired.mjs) the verdict is
// their median; the main rounds' ratio is printed beside it.
const ratioGoal = (row, rows, a, b, goal, paired) => {
  const x = byId(rows, a);
  const y = byId(rows, b);
  const fromPairs = pairedRatio(paired, a, b);
  if ((x === undefined || y === undefined) && fromPairs === undefined) return { row, goal: `>= ${goal.toFixed(2)}x`, skipped: true };
  const rateRatio = x && y ? x.rate / y.rate : undefined;
  const cpuRatio = x?.cpuUs && y?.cpuUs ? y.cpuUs / x.cpuUs : undefined;
  const value = fromPairs?.value ?? cpuRatio ?? rateRatio;
  // The same ratio within each round: a noise burst on one case shows as one outlying round, not a shifted median.
  const rounds = x?.cpuRounds?.map((xc, i) => (xc && y.cpuRounds?.[i] ? y.cpuRounds[i] / xc : undefined)).filter((r) => r !== undefined);
  return { row, a, b, value, display: `${value.toFixed(2)}x`, cpuRatio, rateRatio, rounds, paired: fromPairs, goal: `>= ${goal.toFixed(2)}x`, met: value >= goal };
};
const belowGoal = (row, value, goal, unit) =>
  value === undefined || value === null || Number.isNaN(value) ? { row, goal: `< ${goal} ${unit}`, skipped: true } : { row, value, display: `${Math.round(value)} ${unit}`, goal: `< ${goal} ${unit}`, met: value < goal };

// Issue 19's ratio goals: [row, kratos-ts case, the case it is compared with, goal].
export const RATIO_GOALS = [
  ['HTTP proto route, defaults (sampler off) vs bare koa + router', 'http-kratos-proto', 'http-koa', 1.0],
  ['HTTP, all defaults + 100 % sampled tracing with batch export, vs bare koa + router', 'http-kratos-full', 'http-koa', 0.8],
  ['HTTP defaults vs fastify + pino + prom-client + OTel (sampler off)', 'http-kratos-proto', 'http-fastify-obs', 2.0],
  ['HTTP plain route, built-ins off (ambient context too), vs bare fastify', 'http-kratos-plain', 'http-fastify', 0.9],
  ['gRPC unary, defaults vs raw grpc-js', 'grpc-kratos', 'grpc-raw', 0.85],
  ['gRPC unary, bare @Rpc vs raw grpc-js', 'grpc-kratos-bare', 'grpc-raw', 0.95],
  // Like for like: raw grpc-js spared the GC state kratos-ts' server avoids (its stream tables renewed).
  ['gRPC unary, defaults vs raw grpc-js with its stream tables renewed (like for like)', 'grpc-kratos', 'grpc-raw-renewed', 0.85],
  ['gRPC unary, bare @Rpc vs raw grpc-js with its stream tables renewed (like for like)', 'grpc-kratos-bare', 'grpc-raw-renewed', 0.95],
  // Like with like: both handlers iterate a sync generator. The `async *` row is printed beside it.
  ['gRPC server stream, defaults vs raw grpc-js (messages/s; both handlers iterate a sync generator)', 'stream-kratos-sync', 'stream-raw', 0.9],
  ['gRPC server stream, defaults with an `async *` handler vs raw grpc-js\'s sync loop (not like for like)', 'stream-kratos', 'stream-raw', 0.9],
];

/** Issue 19's goals table: CPU-per-request ratios (verdict: the paired slices' when measured), throughput ratios beside them. */
export function goals(rows, boot, paired) {
  return [
    ...RATIO_GOALS.map(([row, a, b, goal]) => ratioGoal(row, rows, a, b, goal, paired)),
    belowGoal('process start to first reply, helloworld (HTTP + gRPC + metrics + tracing)', boot?.helloworld.firstReplyMs, 300, 'ms'),
    belowGoal('createApp + start, 200 providers', boot?.providers200.appMs, 50, 'ms'),
    belowGoal('helloworld idle RSS', boot?.helloworld.idleRssMiB, 70, 'MiB'),
  ];
}
