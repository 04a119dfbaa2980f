// The helloworld proto route (HTTP or gRPC) with each default switched on or off by argv[3]:
// a comma list of log, metrics, tracing, sampled ('' is the proto route with all three off; recovery and
// metadata stay on, as in every variant). argv[2] is http or grpc. KRATOS_ROOT points at another
// build of kratos-ts (a checkout of an older commit) to compare before and after.
import { join, resolve } from 'node:path';
import { ADDR, greet, greetings, PROTO, ROOT } from '../servers/common.mjs';

// Absolute, so a relative KRATOS_ROOT (e.g. KRATOS_AFTER=.) is a path, not a package name, to import().
const root = resolve(process.env.KRATOS_ROOT ?? ROOT);
const { createApp } = await import(join(root, 'dist', 'lib', 'index.js'));
const { NoopLogger } = await import(join(root, 'dist', 'lib', 'entries', 'log.js'));
const { Module, Rpc, Service } = await import(join(root, 'dist', 'decorators', 'index.js'));

const grpc = process.argv[2] === 'grpc';
const on = new Set((process.argv[3] ?? '').split(',').filter(Boolean));

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
Module({ services: [Greeter] })(Root);

const app = await createApp(Root, {
  configDir: false,
  http: grpc ? false : { addr: ADDR },
  grpc: grpc ? { addr: ADDR } : false,
  ...(on.has('log') ? {} : { logger: new NoopLogger(), accessLog: false }),
  ...(on.has('metrics') ? {} : { metrics: false }),
  // 'sampled': tracing 100 % sampled, OTLP http/protobuf batch export to BENCH_COLLECTOR (bench/lib/collector.mjs).
  ...(on.has('sampled')
    ? { tracing: { sampleRatio: 1, exporter: 'otlp', endpoint: `${process.env.BENCH_COLLECTOR}/v1/traces` } }
    : // 'sampled-none', to take the export apart from the recorded span: spans recorded and ended, no processor.
      on.has('sampled-none')
      ? { tracing: { sampleRatio: 1, exporter: 'none' } }
      : on.has('tracing')
        ? {}
        : { tracing: false }),
});
await app.start();
process.on('SIGTERM', () => app.stop().finally(() => process.exit(0)));
