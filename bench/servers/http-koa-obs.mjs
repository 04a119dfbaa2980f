// koa 3 + @koa/router with a typical production stack (see peer-observability.mjs): koa-pino-logger
// (pino-http, one JSON line per request), a prom-client middleware, and OpenTelemetry with
// @opentelemetry/instrumentation-http and -koa. argv[2]: 'sampled' for 100 % sampling.
import { greet, PORT } from './common.mjs';
import { promMetrics, sampledArg, startOtel } from './peer-observability.mjs';

await startOtel(sampledArg(), async () => {
  const { HttpInstrumentation } = await import('@opentelemetry/instrumentation-http');
  const { KoaInstrumentation } = await import('@opentelemetry/instrumentation-koa');
  return [new HttpInstrumentation(), new KoaInstrumentation()];
});
const { default: Koa } = await import('koa');
const { default: Router } = await import('@koa/router');
const { default: pinoLogger } = await import('koa-pino-logger');
const metrics = await promMetrics();

const app = new Koa();
const router = new Router();
app.use(pinoLogger());
app.use(async (ctx, next) => {
  const start = process.hrtime.bigint();
  try {
    await next();
  } finally {
    metrics.observe(ctx.method, ctx._matchedRoute ?? 'unmatched', ctx.status, Number(process.hrtime.bigint() - start) / 1e9);
  }
});
router.get('/metrics', async (ctx) => {
  ctx.type = metrics.contentType;
  ctx.body = await metrics.text();
});
router.get('/helloworld/:name', (ctx) => {
  ctx.body = greet(ctx.params.name);
});
app.use(router.routes()).use(router.allowedMethods());
app.listen(PORT, '127.0.0.1');
