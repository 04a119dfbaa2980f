// fastify 5 with a typical production stack (see peer-observability.mjs): its built-in pino logger
// writing one JSON line per request (fastify's own completion line; its 'incoming request' line is
// turned off through a LogController), prom-client in an onResponse hook, and OpenTelemetry with
// @opentelemetry/instrumentation-http and @fastify/otel. argv[2]: 'sampled' for 100 % sampling.
import { greet, PORT } from './common.mjs';
import { promMetrics, sampledArg, startOtel } from './peer-observability.mjs';

const [, fastifyOtel] = await startOtel(sampledArg(), async () => {
  const { HttpInstrumentation } = await import('@opentelemetry/instrumentation-http');
  const { default: FastifyOtelInstrumentation } = await import('@fastify/otel');
  return [new HttpInstrumentation(), new FastifyOtelInstrumentation()];
});
const { default: Fastify } = await import('fastify');
const metrics = await promMetrics();

// One line per request, as kratos-ts' access log: fastify's completion line, without its arrival line.
class OneLinePerRequest extends Fastify.LogController {
  incomingRequest() {}
}
const app = Fastify({ logger: { level: 'info' }, logController: new OneLinePerRequest() });
await app.register(fastifyOtel.plugin());
app.addHook('onResponse', (req, reply, done) => {
  metrics.observe(req.method, req.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  done();
});
app.get('/metrics', async (_req, reply) => {
  reply.type(metrics.contentType);
  return metrics.text();
});
const reply = { 200: { type: 'object', properties: { message: { type: 'string' } } } };
app.get('/helloworld/:name', { schema: { response: reply } }, async (req) => greet(req.params.name));
await app.listen({ port: PORT, host: '127.0.0.1' });
