// Every case of the run: the server command, how it is loaded (group), which baseline its ratio is
// against. Servers are in servers/; the kratos-ts variants are described in servers/kratos.mjs.
import { join } from 'node:path';
import { HERE } from './grpc-client.mjs';

const server = (...args) => ['node', join(HERE, 'servers', args[0]), ...args.slice(1)];
const http = (id, label, cmd, extra = {}) => ({ id, label, group: 'http', cmd, ...extra });

export const CASES = [
  // HTTP peers, bare.
  http('http-raw', 'raw node:http', server('http-raw.mjs')),
  http('http-koa', 'koa 3 + @koa/router (idiomatic)', server('http-koa.mjs'), { baseline: true }),
  http('http-fastify', 'fastify 5', server('http-fastify.mjs')),
  http('http-nest-express', 'NestJS 12 + express', server('nest.mjs', 'express')),
  http('http-nest-fastify', 'NestJS 12 + fastify', server('nest.mjs', 'fastify')),
  // HTTP peers with a production stack equal to kratos-ts' defaults (servers/peer-observability.mjs).
  http('http-fastify-obs', 'fastify 5 + pino + prom-client + OTel, sampler off', server('http-fastify-obs.mjs')),
  http('http-fastify-obs-sampled', 'fastify 5 + pino + prom-client + OTel, 100 % sampled', server('http-fastify-obs.mjs', 'sampled')),
  http('http-koa-obs', 'koa + router + pino + prom-client + OTel, sampler off', server('http-koa-obs.mjs')),
  http('http-koa-obs-sampled', 'koa + router + pino + prom-client + OTel, 100 % sampled', server('http-koa-obs.mjs', 'sampled')),
  http('http-nest-obs', 'NestJS + fastify + pino + prom-client + OTel, sampler off', server('nest-obs.mjs')),
  http('http-nest-obs-sampled', 'NestJS + fastify + pino + prom-client + OTel, 100 % sampled', server('nest-obs.mjs', 'sampled')),
  // kratos-ts, and its defaults toggled one at a time.
  http('http-kratos-plain', 'kratos-ts plain @Get, built-ins off (ambient context too)', server('kratos.mjs', 'http-plain')),
  http('http-kratos-plain-ambient', 'kratos-ts plain @Get, built-ins off, ambient context on', server('kratos.mjs', 'http-plain-ambient')),
  http('http-kratos-plain-defaults', 'kratos-ts plain @Get, default middleware', server('kratos.mjs', 'http-plain-defaults')),
  http('http-kratos-proto-bare', 'kratos-ts proto route, built-ins off (ambient context too)', server('kratos.mjs', 'http-proto-bare')),
  http('http-kratos-proto', 'kratos-ts proto route, default middleware', server('kratos.mjs', 'http-proto')),
  http('http-kratos-no-accesslog', 'kratos-ts proto route, defaults less access log', server('kratos.mjs', 'http-proto-no-accesslog')),
  http('http-kratos-no-metrics', 'kratos-ts proto route, defaults less metrics', server('kratos.mjs', 'http-proto-no-metrics')),
  http('http-kratos-no-tracing', 'kratos-ts proto route, defaults less tracing', server('kratos.mjs', 'http-proto-no-tracing')),
  http('http-kratos-no-recovery', 'kratos-ts proto route, defaults less recovery', server('kratos.mjs', 'http-proto-no-recovery')),
  http('http-kratos-no-metadata', 'kratos-ts proto route, defaults less metadata', server('kratos.mjs', 'http-proto-no-metadata')),
  http('http-kratos-validated', 'kratos-ts proto route, defaults + a buf.validate rule', server('kratos.mjs', 'http-proto-validated')),
  http('http-kratos-full', 'kratos-ts defaults + tracing 100 % sampled, OTLP batch export', server('kratos.mjs', 'http-full')),
  http('http-kratos-2w', 'kratos-ts proto route, 2 workers (cluster)', server('kratos.mjs', 'http-proto', '2'), { cores: '0,1', note: 'both cores serve; load shares them' }),
  // gRPC unary.
  { id: 'grpc-raw', label: 'raw @grpc/grpc-js', group: 'grpc', cmd: server('grpc-raw.mjs'), baseline: true },
  { id: 'grpc-raw-renewed', label: 'raw @grpc/grpc-js, its stream tables renewed as kratos-ts renews them', group: 'grpc', cmd: server('grpc-raw.mjs', 'renewed') },
  { id: 'grpc-kratos-bare', label: 'kratos-ts @Rpc, built-ins off (ambient context too)', group: 'grpc', cmd: server('kratos.mjs', 'grpc-bare') },
  { id: 'grpc-kratos-bare-ambient', label: 'kratos-ts @Rpc, built-ins off, ambient context on', group: 'grpc', cmd: server('kratos.mjs', 'grpc-bare-ambient') },
  { id: 'grpc-kratos', label: 'kratos-ts @Rpc, default middleware', group: 'grpc', cmd: server('kratos.mjs', 'grpc') },
  { id: 'grpc-kratos-full', label: 'kratos-ts @Rpc, defaults + tracing 100 % sampled, OTLP batch export', group: 'grpc', cmd: server('kratos.mjs', 'grpc-full') },
  ...['accesslog', 'metrics', 'tracing', 'recovery', 'metadata'].map((x) => ({
    id: `grpc-kratos-no-${x}`,
    label: `kratos-ts @Rpc, defaults less ${x === 'accesslog' ? 'access log' : x}`,
    group: 'grpc',
    cmd: server('kratos.mjs', `grpc-no-${x}`),
  })),
  { id: 'grpc-nest', label: 'NestJS 12 microservices gRPC', group: 'grpc', cmd: server('nest.mjs', 'grpc') },
  // gRPC server streaming.
  // Raw grpc-js' handler iterates a sync generator; kratos-ts' once as most users write it (`async *`
  // delegating to the sync generator: promises per message), once as raw's (returns the generator).
  { id: 'stream-raw', label: 'raw grpc-js, server stream (handler iterates a sync generator)', group: 'stream', cmd: server('grpc-raw.mjs'), baseline: true },
  { id: 'stream-kratos', label: 'kratos-ts, server stream, defaults, `async *` handler over the sync generator', group: 'stream', cmd: server('kratos.mjs', 'grpc') },
  { id: 'stream-kratos-sync', label: 'kratos-ts, server stream, defaults, handler returns the sync generator (as raw\'s)', group: 'stream', cmd: server('kratos.mjs', 'grpc-sync') },
  { id: 'stream-kratos-sync-bare', label: 'kratos-ts, server stream, built-ins off (ambient context too), handler returns the sync generator', group: 'stream', cmd: server('kratos.mjs', 'grpc-sync-bare') },
];
