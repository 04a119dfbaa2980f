// NestJS 12 + platform-fastify with a typical production stack (see peer-observability.mjs):
// nestjs-pino (pino-http, one JSON line per request; `forRoutes: [{ path: '*path' }]`, which Nest 12 on
// fastify needs), a prom-client global interceptor, and OpenTelemetry with
// @opentelemetry/instrumentation-http and -nestjs-core. argv[2]: 'sampled' for 100 % sampling.
// Decorators are applied as functions, as in nest.mjs.
import { greet, PORT } from './common.mjs';
import { promMetrics, sampledArg, startOtel } from './peer-observability.mjs';

await startOtel(sampledArg(), async () => {
  const { HttpInstrumentation } = await import('@opentelemetry/instrumentation-http');
  const { NestInstrumentation } = await import('@opentelemetry/instrumentation-nestjs-core');
  return [new HttpInstrumentation(), new NestInstrumentation()];
});
await import('reflect-metadata');
const { Controller, Get, Module, Param, RequestMethod } = await import('@nestjs/common');
const { NestFactory } = await import('@nestjs/core');
const { FastifyAdapter } = await import('@nestjs/platform-fastify');
const { LoggerModule } = await import('nestjs-pino');
const { tap } = await import('rxjs');
const metrics = await promMetrics();

function method(decorator, cls, name) {
  Reflect.decorate([decorator], cls.prototype, name, Object.getOwnPropertyDescriptor(cls.prototype, name));
}

class HttpGreeter {
  hello(name) {
    return greet(name);
  }
}
method(Get('helloworld/:name'), HttpGreeter, 'hello');
Param('name')(HttpGreeter.prototype, 'hello', 0);
Controller()(HttpGreeter);

class MetricsController {
  async metrics() {
    return metrics.text();
  }
}
method(Get('metrics'), MetricsController, 'metrics');
Controller()(MetricsController);

// The usual prom-client interceptor: times the handler's observable and records method, route, status.
class MetricsInterceptor {
  intercept(context, next) {
    const start = process.hrtime.bigint();
    const http = context.switchToHttp();
    const req = http.getRequest();
    const done = (code) => metrics.observe(req.method, req.routeOptions?.url ?? 'unmatched', code, Number(process.hrtime.bigint() - start) / 1e9);
    return next.handle().pipe(
      tap({
        next: () => done(http.getResponse().statusCode),
        error: (err) => done(err?.status ?? 500),
      }),
    );
  }
}

class AppModule {}
Module({
  imports: [LoggerModule.forRoot({ forRoutes: [{ path: '*path', method: RequestMethod.ALL }] })],
  controllers: [HttpGreeter, MetricsController],
})(AppModule);
const app = await NestFactory.create(AppModule, new FastifyAdapter(), { logger: false });
app.useGlobalInterceptors(new MetricsInterceptor());
await app.listen(PORT, '127.0.0.1');
