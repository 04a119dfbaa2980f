import type { Logger } from '../log/index.js';
import { bindCounter, type Meter } from '../metrics/index.js';
import { FrameworkError } from '../errors/index.js';
import { limiterAdmission, limiterOfMiddleware, Pacer, type Limiter } from '../resilience/index.js';
import type { Admission } from '../transport/index.js';
import type { HttpRoute } from '../transport/http/index.js';

/** gRPC services never shed at the front door: a refused health check gets a busy instance restarted. */
const GRPC_EXEMPT = ['/grpc.health.v1.Health/', '/grpc.reflection.v1.ServerReflection/', '/grpc.reflection.v1alpha.ServerReflection/'];

/**
 * The front doors of the app's servers for `createApp({ limiter })` (docs/resilience-and-security.md#shedding-at-the-front-door): one
 * limiter for both transports, the admin surfaces (health, `/metrics`, reflection) exempt, refusals
 * counted in `server_admission_refused_total{kind}`, a failing limiter logged (and its call admitted),
 * admitted calls paced (docs/resilience-and-security.md#paced-admission).
 */
export function frontDoors(limiter: Limiter | undefined, middleware: readonly unknown[], meter: Meter, adminRoutes: HttpRoute[], logger: Logger): { http?: Admission; grpc?: Admission } {
  if (limiter === undefined) return {};
  if (middleware.some((m) => limiterOfMiddleware(m) === limiter)) {
    throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', 'createApp: option `limiter` is also the limiter of a rateLimit() in `middleware`, which would count every call twice', {
      hint: 'Give the limiter to one of them: `limiter` sheds at the front door, rateLimit() in the middleware (for some operations, or after authentication).',
    });
  }
  const refused = meter.counter('server_admission_refused_total', 'Calls refused at the server front door by the limiter, before routing and middleware', ['kind']);
  const http = bindCounter(refused, { kind: 'http' });
  const grpc = bindCounter(refused, { kind: 'grpc' });
  const onError = (err: unknown): void => logger.log('error', 'msg', 'limiter failed; call admitted', 'error', err);
  // One pacer for both servers: they share the event loop it paces.
  const pacer = new Pacer();
  return {
    http: limiterAdmission(limiter, { exempt: adminRoutes.map((r) => r.path), onRefuse: () => http.inc(), onError, pacer }),
    grpc: limiterAdmission(limiter, { exempt: GRPC_EXEMPT, onRefuse: () => grpc.inc(), onError, pacer }),
  };
}
