import type { Logger } from '../log/index.js';
import { bindCounter, bindHistogram, type Meter } from '../metrics/index.js';
import { FrameworkError } from '../errors/index.js';
import { limiterAdmission, limiterOfMiddleware, Pacer, type HeldObserver, type Limiter } from '../resilience/index.js';
import type { Admission } from '../transport/index.js';
import type { HttpRoute } from '../transport/http/index.js';

/** A held call waits a few calls' CPU (ms) at most while the limiter holds (its queue target: 10 ms by default); more is an overload's onset. */
const HELD_SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1];

/** gRPC services never shed at the front door: a refused health check gets a busy instance restarted. */
const GRPC_EXEMPT = ['/grpc.health.v1.Health/', '/grpc.reflection.v1.ServerReflection/', '/grpc.reflection.v1alpha.ServerReflection/'];

/**
 * The front doors of the app's servers for `createApp({ limiter })` (docs/resilience-and-security.md#shedding-at-the-front-door): one
 * limiter for both transports, the admin surfaces (health, `/metrics`, reflection) exempt, refusals
 * counted in `server_admission_refused_total{kind}`, a failing limiter logged (and its call admitted),
 * admitted calls paced (docs/resilience-and-security.md#paced-admission), the held ones counted in
 * `server_admission_held_total{kind}` and their wait in `server_admission_held_seconds{kind}`.
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
  const held = meter.counter('server_admission_held_total', 'Admitted calls the front door held for a later event-loop iteration (paced admission)', ['kind']);
  const waited = meter.histogram('server_admission_held_seconds', 'How long held calls waited for their turn (sec), whether they then ran, were refused as stale or dropped', ['kind'], [...HELD_SECONDS_BUCKETS]);
  const observer = (kind: string): HeldObserver => {
    const count = bindCounter(held, { kind });
    const wait = bindHistogram(waited, { kind });
    return { held: () => count.inc(), turn: (heldMs) => wait.observe(heldMs / 1000) };
  };
  // One pacer for both servers: they share the event loop it paces.
  const pacer = new Pacer();
  return {
    http: limiterAdmission(limiter, { exempt: adminRoutes.map((r) => r.path), onRefuse: () => http.inc(), onError, pacer, onHeld: observer('http') }),
    grpc: limiterAdmission(limiter, { exempt: GRPC_EXEMPT, onRefuse: () => grpc.inc(), onError, pacer, onHeld: observer('grpc') }),
  };
}
