import { address, boolean, custom, duration, Expected, list, number, oneOf, bytes } from '../../settings/index.js';
import type { GrpcWebOptions } from '../../transport/grpcweb/index.js';
import { DEFAULT_GRPC_ADDR, DEFAULT_HTTP_ADDR, DEFAULT_HTTP_TIMEOUT_MS, DEFAULT_SIGNALS, DEFAULT_STOP_TIMEOUT_MS } from '../options.js';
import { setting } from './option-paths.js';

const markupBodies = custom('boolean or { bodyLimit: bytes }', (raw): boolean | { bodyLimit?: number } => {
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const limit = (raw as { bodyLimit?: unknown }).bodyLimit;
    return limit === undefined ? {} : { bodyLimit: bytes.parse(limit) };
  }
  try {
    return boolean.parse(raw);
  } catch {
    throw new Expected('true, false or { bodyLimit: <bytes> }');
  }
});

type Origins = NonNullable<GrpcWebOptions['origins']>;
const origins = custom('`*` or list', (raw): Origins => {
  if (raw === '*' || typeof raw === 'function') return raw as Origins;
  try {
    return list.parse(raw);
  } catch {
    throw new Expected("'*', a list of origins or a comma-separated string");
  }
});

const signals = custom('list of signal names', (raw): NodeJS.Signals[] => {
  if (!Array.isArray(raw) || !raw.every((s) => typeof s === 'string' && /^SIG[A-Z0-9]+$/.test(s))) throw new Expected('a list of signal names (SIGTERM, ...)');
  return raw as NodeJS.Signals[];
});

const workers = custom('integer >= 0 | `auto`', (raw): number | 'auto' => {
  if (raw === 'auto') return raw;
  try {
    return number({ integer: true, min: 0 }).parse(raw);
  } catch {
    throw new Expected("a whole number >= 0 or 'auto'");
  }
});

/** The HTTP server's settings, by the HttpServer option each sets. */
export const HTTP_SETTINGS = {
  addr: setting({ key: 'server.http.addr', option: 'http.addr', kind: address, default: DEFAULT_HTTP_ADDR, doc: 'where the HTTP server listens' }),
  timeout: setting({ key: 'server.http.timeout', option: 'http.timeout', kind: duration, default: DEFAULT_HTTP_TIMEOUT_MS, doc: 'per-request timeout (504 beyond it); 0 disables' }),
  markupBodies: setting({ key: 'server.http.markup_bodies', option: 'http.markupBodies', kind: markupBodies, default: false, doc: 'accept YAML and XML request bodies (`{ bodyLimit }` sets their limit, default 32KiB)' }),
  maxConnections: setting({ key: 'server.http.maxConnections', option: 'http.maxConnections', kind: number({ integer: true, min: 1 }), defaultDoc: 'no cap', doc: 'most open connections; new ones beyond it are closed at once' }),
};

/** The gRPC-Web gateway's settings, by the GrpcWebGateway option each sets. */
export const GRPC_WEB_SETTINGS = {
  enabled: setting({ key: 'server.http.grpc_web.enabled', option: 'http.grpcWeb', optionSwitch: true, kind: boolean, default: true, doc: 'serve gRPC-Web for every proto rpc on the HTTP port' }),
  origins: setting({ key: 'server.http.grpc_web.origins', option: 'http.grpcWeb.origins', kind: origins, default: '*', doc: 'pages allowed to call gRPC-Web (CORS): `*`, a list or a comma-separated string' }),
  exposeHeaders: setting({ option: 'http.grpcWeb.exposeHeaders', kind: list, doc: 'reply metadata scripts may read' }),
};

/** The gRPC server's settings, by the GrpcServer option each sets, and its built-in services. */
export const GRPC_SETTINGS = {
  addr: setting({ key: 'server.grpc.addr', option: 'grpc.addr', kind: address, default: DEFAULT_GRPC_ADDR, doc: 'where the gRPC server listens (started when a service is bound to a proto)' }),
  timeout: setting({ key: 'server.grpc.timeout', option: 'grpc.timeout', kind: duration, default: DEFAULT_HTTP_TIMEOUT_MS, doc: 'timeout of unary and client-streaming calls (a shorter client deadline wins); 0 for none' }),
  health: setting({ option: 'grpc.health', kind: boolean, default: true, doc: 'serve grpc.health.v1.Health' }),
  reflection: setting({ option: 'grpc.reflection', kind: boolean, default: true, doc: 'serve server reflection' }),
};

/** How calls are served: whether each call's context is ambient (an AsyncLocalStorage). */
export const CALL_SETTINGS = {
  ambientContext: setting({
    key: 'server.ambientContext',
    option: 'ambientContext',
    kind: boolean,
    default: true,
    doc: 'make each call ambient (`currentContext()`, trace context, deadline and metadata propagation to outgoing calls) through an AsyncLocalStorage; `false` saves its cost on every promise and needs tracing off (docs/architecture.md#the-ambient-context)',
  }),
};

/** How the app starts, stops and runs. */
export const LIFECYCLE_SETTINGS = {
  workers: setting({ key: 'server.workers', kind: workers, defaultDoc: 'none (one process)', doc: 'worker processes `run()` forks to share the ports (`auto`: one per core); `run({ workers })` wins' }),
  stopTimeout: setting({ option: 'stopTimeout', kind: number({ min: 0 }), default: DEFAULT_STOP_TIMEOUT_MS, doc: 'how long servers may drain on stop, ms' }),
  drainDelay: setting({ option: 'drainDelay', kind: number({ min: 0 }), default: 0, doc: 'how long to keep serving after /readyz turns unready, ms' }),
  registrarTimeout: setting({ option: 'registrarTimeout', kind: number({ min: 0 }), default: 10_000, doc: 'how long register and deregister may take, ms' }),
  signals: setting({ option: 'signals', kind: signals, default: DEFAULT_SIGNALS, doc: 'signals that make run() stop the app' }),
  rejections: setting({ option: 'unhandledRejections', kind: oneOf(['log', 'exit']), default: 'log', doc: 'what an unhandled promise rejection does while the app runs' }),
};
