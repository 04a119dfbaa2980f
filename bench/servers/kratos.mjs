// kratos-ts servers, one per variant (argv[2]):
//   http-plain  a plain @Get route, built-in middleware off: the framework's floor
//   http-proto  the proto route GET /helloworld/{name} with the defaults of createApp (access log,
//               metrics, tracing with the sampler off, recovery, metadata)
//   http-full   http-proto with every span sampled and batch-exported to a sink that drops them
//   grpc        helloworld.v1.Greeter on gRPC with the defaults
//   grpc-full   grpc with every span sampled, as http-full
//   grpc-bare   grpc with built-in middleware off
// argv[3]: a number of workers runs the app in cluster mode (app.run({ workers })).
// Access log lines go to stdout, which the runner points at /dev/null.
import { ADDR, DECORATORS, greet, greetings, KRATOS, PROTO } from './common.mjs';

const { createApp, NoopLogger } = await import(KRATOS);
const { Get, Module, Rpc, Service } = await import(DECORATORS);

const variant = process.argv[2] ?? 'http-proto';
const grpc = variant.startsWith('grpc');

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
Service({ proto: PROTO, name: 'helloworld.v1.Greeter' })(Greeter);

class Root {}
Module({ services: [variant === 'http-plain' ? PlainApi : Greeter] })(Root);

const dropSpans = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => undefined, forceFlush: async () => undefined };
const off = { logger: new NoopLogger(), accessLog: false, metrics: false, tracing: false };
const options = {
  configDir: false,
  http: grpc ? false : { addr: ADDR },
  grpc: grpc ? { addr: ADDR } : false,
  ...(variant === 'http-plain' || variant === 'grpc-bare' ? off : {}),
  ...(variant.endsWith('-full') ? { tracing: { sampleRatio: 1, exporter: dropSpans } } : {}),
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
