import { Config, parseDuration } from '../config/index.js';
import { FrameworkError } from '../errors/index.js';
import type { AppContainer } from '../container/index.js';
import type { Logger } from '../log/index.js';
import { chainFor, type Middleware } from '../middleware/index.js';
import { descriptorIndex, ProtoLoader, resolveProtoPaths, type DescriptorIndex } from '../proto/index.js';
import { GrpcServer, HealthService, HEALTH_SERVICE, healthRoot, reflectionRoots, reflectionServices } from '../transport/grpc/index.js';
import { HttpServer, type HttpRoute } from '../transport/http/index.js';
import { grpcWebFor } from './grpc-web.js';
import type { MiddlewareResolver } from './middleware-resolver.js';
import { DEFAULT_GRPC_ADDR, DEFAULT_HTTP_ADDR, DEFAULT_HTTP_TIMEOUT_MS, type AppOptions } from './options.js';
import { bindProtoServices, defaultProtoRoots } from './proto-services.js';
import { buildHttpRoutes } from './routes.js';
import { OperationBuilder } from './operations.js';
import { protoRoutes } from './proto-http.js';

/** The servers of an app, with the health service that reports on them. */
export interface Servers {
  http: HttpServer | undefined;
  grpc: GrpcServer | undefined;
  health: HealthService | undefined;
}

// recovery.exposeMessages (development) also shows clients the internal detail of dependency failures.
function exposeDetail(options: AppOptions): boolean {
  return options.recovery !== false && options.recovery?.exposeMessages === true;
}

function timeoutOf(value: unknown, key: string): number {
  return parseDuration(value ?? DEFAULT_HTTP_TIMEOUT_MS, key);
}

function maxConnectionsOf(value: unknown): { maxConnections?: number } {
  if (value === undefined || value === '' || value === null) return {};
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new FrameworkError('KRATOS_ERR_CONFIG_INVALID', `server.http.maxConnections: expected a positive integer, got ${JSON.stringify(value)}`);
  return { maxConnections: n };
}

/**
 * Builds the HTTP server (plain routes and google.api.http routes of proto services) and, when the
 * app has proto services or asks for one, the gRPC server with health and reflection.
 */
export async function buildServers(
  container: AppContainer,
  resolver: MiddlewareResolver,
  middleware: Middleware[],
  options: AppOptions,
  logger: Logger,
  extraRoutes: HttpRoute[] = [],
): Promise<Servers> {
  const config = container.get(Config);
  const loader = new ProtoLoader({ protoPaths: options.protoPaths ?? [] });
  const operations = new OperationBuilder(resolver, middleware);
  const bound = await bindProtoServices(container, operations, loader, defaultProtoRoots(resolveProtoPaths(options.protoPaths ?? [])));
  let http: HttpServer | undefined;
  if (options.http !== false) {
    const cfg = options.http ?? {};
    const timeout = timeoutOf(cfg.timeout ?? config.get('server.http.timeout'), 'server.http.timeout');
    const grpcWeb = grpcWebFor(bound, cfg, config, { timeout, logger });
    http = new HttpServer({
      addr: cfg.addr ?? config.get<string>('server.http.addr') ?? DEFAULT_HTTP_ADDR,
      timeout,
      logger,
      exposeErrorDetail: exposeDetail(options),
      ...(cfg.bodyLimit === undefined ? {} : { bodyLimit: cfg.bodyLimit }),
      ...(cfg.tls === undefined ? {} : { tls: cfg.tls }),
      ...(cfg.codecs === undefined ? {} : { codecs: cfg.codecs }),
      ...(cfg.maxHeaderSize === undefined ? {} : { maxHeaderSize: cfg.maxHeaderSize }),
      ...(cfg.headersTimeout === undefined ? {} : { headersTimeout: cfg.headersTimeout }),
      ...(cfg.requestTimeout === undefined ? {} : { requestTimeout: cfg.requestTimeout }),
      ...(cfg.filters === undefined ? {} : { filters: cfg.filters }),
      markupBodies: cfg.markupBodies ?? config.get<boolean>('server.http.markup_bodies') ?? false,
      ...(grpcWeb === undefined ? {} : { protocol: grpcWeb }),
      ...(cfg.bodyTimeout === undefined ? {} : { bodyTimeout: cfg.bodyTimeout }),
      ...maxConnectionsOf(cfg.maxConnections ?? config.get('server.http.maxConnections')),
      requestDecoder: cfg.requestDecoder,
      responseEncoder: cfg.responseEncoder,
      errorEncoder: cfg.errorEncoder,
    });
    // Health and /metrics run through the app's middleware under their paths (`/healthz`, `/metrics`),
    // so the rules that cover the API (a selector, JWT, rate limits) cover them too.
    for (const route of extraRoutes) http.route({ ...route, handler: chainFor(route.operation, middleware)(route.handler) });
    for (const route of buildHttpRoutes(container, operations)) http.route(route);
    for (const svc of bound) for (const m of svc.methods) for (const r of protoRoutes(m.schema, m.handler, cfg.responseEncoder)) http.route(r);
  }
  // A gRPC server only serves proto services; with none there is nothing to listen for.
  if (options.grpc === false || bound.length === 0) return { http, grpc: undefined, health: undefined };
  const cfg = options.grpc ?? {};
  const grpc = new GrpcServer({
    addr: cfg.addr ?? config.get<string>('server.grpc.addr') ?? DEFAULT_GRPC_ADDR,
    timeout: timeoutOf(cfg.timeout ?? config.get('server.grpc.timeout'), 'server.grpc.timeout'),
    logger,
    exposeErrorDetail: exposeDetail(options),
    ...(cfg.tls === undefined ? {} : { tls: cfg.tls }),
    ...(cfg.maxReceiveMessageLength === undefined ? {} : { maxReceiveMessageLength: cfg.maxReceiveMessageLength }),
    ...(cfg.maxSendMessageLength === undefined ? {} : { maxSendMessageLength: cfg.maxSendMessageLength }),
  });
  for (const svc of bound) grpc.addService(svc.schema.fullName, svc.methods);
  // Health and reflection too, under their method paths (`/grpc.reflection.v1.ServerReflection/ServerReflectionInfo`).
  const guard = (operation: string): Middleware => chainFor(operation, middleware);
  let health: HealthService | undefined;
  if (cfg.health !== false) {
    health = new HealthService();
    for (const name of ['', ...grpc.services]) health.set(name, 'NOT_SERVING');
    grpc.addRawService(HEALTH_SERVICE, health.raw(), guard);
    const h = health;
    grpc.onServingChange((serving) => h.setAll(serving ? 'SERVING' : 'NOT_SERVING'));
  }
  if (cfg.reflection !== false) {
    // Health and reflection describe themselves too, so tools can call them by reflection alone.
    // Built on the first reflection request (a few hundred ms for googleapis-sized imports), then kept.
    let source: DescriptorIndex | undefined;
    const describe = (): DescriptorIndex => (source ??= descriptorIndex([...bound.map((b) => b.schema.root), healthRoot, reflectionRoots.v1, reflectionRoots.v1alpha]));
    for (const [name, raw] of reflectionServices(describe, () => grpc.services)) grpc.addRawService(name, raw, guard);
  }
  return { http, grpc, health };
}
