// kratos-ts servers, one per variant (argv[2]):
//   http-plain            a plain @Get route, every built-in off (access log, metrics, tracing,
//                         recovery, metadata, and the ambient context): the framework's floor
//   http-plain-ambient    the same with the ambient context (AsyncLocalStorage) on
//   http-plain-defaults   the plain @Get route with createApp's defaults (proto binding's toggle)
//   http-proto            the proto route GET /helloworld/{name} with the defaults of createApp (access
//                         log, metrics, tracing with the sampler off, recovery, metadata)
//   http-proto-bare       the proto route with every built-in off
//   http-proto-no-<x>     the defaults less one: accesslog, metrics, tracing, recovery, metadata
//   http-proto-validated  the defaults, and a buf.validate rule on the request (greeter-validated.proto)
//   http-full             http-proto with every span sampled and batch-exported as OTLP http/protobuf
//                         to the bench's collector stub (BENCH_COLLECTOR)
//   grpc, grpc-full, grpc-bare, grpc-no-<x>   the same on gRPC (bare: every built-in off);
//                         their StreamHello is `async *` delegating to a sync generator
//   grpc-bare-ambient     grpc-bare with the ambient context on
//   grpc-sync, grpc-sync-bare   StreamHello written as raw grpc-js' is: it returns the sync generator
// argv[3]: a number of workers runs the app in cluster mode (app.run({ workers })).
// Access log lines go to stdout, which the runner points at /dev/null.
import { join } from 'node:path';
import { ADDR, DECORATORS, greet, greetings, HERE, KRATOS, PROTO } from './common.mjs';

const { createApp } = await import(KRATOS);
const { NoopLogger } = await import(KRATOS.replace(/index\.js$/, 'entries/log.js'));
const { Get, Module, Rpc, Service } = await import(DECORATORS);

const variant = process.argv[2] ?? 'http-proto';
const grpc = variant.startsWith('grpc');
const plain = variant.startsWith('http-plain');
const syncStream = variant.startsWith('grpc-sync');

class PlainApi {
  hello(req) {
    return greet(req.name);
  }
}
Get('/helloworld/{name}')(PlainApi.prototype, 'hello');
Service()(PlainApi);

class Greeter {
  sayHello(req) {
    return greet(req.name);
  }
  async *streamHello(req) {
    yield* greetings(req.name, req.count);
  }
}
Rpc()(Greeter.prototype, 'sayHello');
Rpc()(Greeter.prototype, 'streamHello');
const proto = variant === 'http-proto-validated' ? join(HERE, '..', 'proto', 'greeter-validated.proto') : PROTO;
Service({ proto, name: 'helloworld.v1.Greeter' })(Greeter);

// The same rpcs, the stream handed over as raw grpc-js' handler iterates it: a sync generator.
class SyncGreeter {
  sayHello(req) {
    return greet(req.name);
  }
  streamHello(req) {
    return greetings(req.name, req.count);
  }
}
Rpc()(SyncGreeter.prototype, 'sayHello');
Rpc()(SyncGreeter.prototype, 'streamHello');
Service({ proto: PROTO, name: 'helloworld.v1.Greeter' })(SyncGreeter);

class Root {}
Module({ services: [plain ? PlainApi : syncStream ? SyncGreeter : Greeter] })(Root);

// Every built-in a user can switch off through createApp's options, the ambient context included.
const allOff = { logger: new NoopLogger(), accessLog: false, metrics: false, tracing: false, recovery: false, callMetadata: false, ambientContext: false };
const sampled = { tracing: { sampleRatio: 1, exporter: 'otlp', endpoint: `${process.env.BENCH_COLLECTOR ?? 'http://127.0.0.1:4318'}/v1/traces` } };
const VARIANTS = {
  'http-plain': allOff,
  'http-plain-ambient': { ...allOff, ambientContext: true },
  'http-plain-defaults': {},
  'http-proto': {},
  'http-proto-bare': allOff,
  'http-proto-no-accesslog': { accessLog: false },
  'http-proto-no-metrics': { metrics: false },
  'http-proto-no-tracing': { tracing: false },
  'http-proto-no-recovery': { recovery: false },
  'http-proto-no-metadata': { callMetadata: false },
  'http-proto-validated': {},
  'http-full': sampled,
  grpc: {},
  'grpc-full': sampled,
  'grpc-bare': allOff,
  'grpc-bare-ambient': { ...allOff, ambientContext: true },
  'grpc-sync': {},
  'grpc-sync-bare': allOff,
  'grpc-no-accesslog': { accessLog: false },
  'grpc-no-metrics': { metrics: false },
  'grpc-no-tracing': { tracing: false },
  'grpc-no-recovery': { recovery: false },
  'grpc-no-metadata': { callMetadata: false },
};
if (!(variant in VARIANTS)) throw new Error(`unknown variant ${variant}; one of ${Object.keys(VARIANTS).join(', ')}`);
const options = {
  configDir: false,
  http: grpc ? false : { addr: ADDR },
  grpc: grpc ? { addr: ADDR } : false,
  ...VARIANTS[variant],
};
const app = await createApp(Root, options);
const workers = Number(process.argv[3] ?? 0);
if (workers > 1) {
  // Cluster mode: this process forks the workers and stops them on SIGTERM.
  await app.run({ workers });
} else {
  await app.start();
  process.on('SIGTERM', () => app.stop().finally(() => process.exit(0)));
}
