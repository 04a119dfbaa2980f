import type { AppContainer } from '../container/index.js';
import type { Logger } from '../log/index.js';
import { chainFor, type Middleware } from '../middleware/index.js';
import { descriptorIndex, ProtoLoader, resolveProtoPaths, type DescriptorIndex } from '../proto/index.js';
import { GrpcServer, HealthService, HEALTH_SERVICE, healthRoot, reflectionRoot, reflectionServices } from '../transport/grpc/index.js';
import { HttpServer, type HttpRoute } from '../transport/http/index.js';
import type { Admission } from '../transport/index.js';
import { grpcWebFor } from './grpc-web.js';
import type { MiddlewareResolver } from './middleware-resolver.js';
import { bindProtoServices, defaultProtoRoots } from './proto-services.js';
import { buildHttpRoutes } from './routes.js';
import type { AppSettings } from './settings/index.js';
import { OperationBuilder } from './operations.js';
import { protoRoutes } from './proto-http.js';

/** The servers of an app, with the health service that reports on them. */
export interface Servers {
  http: HttpServer | undefined;
  grpc: GrpcServer | undefined;
  health: HealthService | undefined;
}

/**
 * Builds the HTTP server (plain routes and google.api.http routes of proto services) and, when the
 * app has proto services or asks for one, the gRPC server with health and reflection.
 */
export async function buildServers(
  container: AppContainer,
  resolver: MiddlewareResolver,
  middleware: Middleware[],
  settings: Pick<AppSettings, 'http' | 'grpcWeb' | 'grpc' | 'protoPaths' | 'exposeErrorDetail' | 'ambientContext'>,
  logger: Logger,
  extraRoutes: HttpRoute[] = [],
  admission: { http?: Admission; grpc?: Admission } = {},
): Promise<Servers> {
  const loader = new ProtoLoader({ protoPaths: [...settings.protoPaths] });
  const operations = new OperationBuilder(resolver, middleware);
  const bound = await bindProtoServices(container, operations, loader, defaultProtoRoots(resolveProtoPaths([...settings.protoPaths])));
  const { exposeErrorDetail, ambientContext } = settings;
  let http: HttpServer | undefined;
  if (settings.http !== false) {
    const grpcWeb = grpcWebFor(bound, settings.grpcWeb, settings.http, logger, ambientContext);
    http = new HttpServer({ ...settings.http, logger, exposeErrorDetail, ambientContext, protocol: grpcWeb, admission: admission.http ?? settings.http.admission });
    // Health and /metrics run through the app's middleware under their paths (`/healthz`, `/metrics`),
    // so the rules that cover the API (a selector, JWT, rate limits) cover them too.
    for (const route of extraRoutes) http.route({ ...route, handler: chainFor(route.operation, middleware)(route.handler) });
    for (const route of buildHttpRoutes(container, operations)) http.route(route);
    for (const svc of bound) for (const m of svc.methods) for (const r of protoRoutes(m.schema, m.handler, settings.http.responseEncoder)) http.route(r);
  }
  // A gRPC server only serves proto services; with none there is nothing to listen for.
  if (settings.grpc === false || bound.length === 0) return { http, grpc: undefined, health: undefined };
  const { health: withHealth, reflection: withReflection, ...options } = settings.grpc;
  const grpc = new GrpcServer({ ...options, logger, exposeErrorDetail, ambientContext, admission: admission.grpc ?? options.admission });
  for (const svc of bound) grpc.addService(svc.schema.fullName, svc.methods);
  // Health and reflection too, under their method paths (`/grpc.reflection.v1.ServerReflection/ServerReflectionInfo`).
  const guard = (operation: string): Middleware => chainFor(operation, middleware);
  let health: HealthService | undefined;
  if (withHealth) {
    health = new HealthService();
    for (const name of ['', ...grpc.services]) health.set(name, 'NOT_SERVING');
    grpc.addRawService(HEALTH_SERVICE, health.raw(), guard);
    const h = health;
    grpc.onServingChange((serving) => h.setAll(serving ? 'SERVING' : 'NOT_SERVING'));
  }
  if (withReflection) {
    // Health and reflection describe themselves too, so tools can call them by reflection alone.
    // Built on the first reflection request (a few hundred ms for googleapis-sized imports), then kept.
    let source: DescriptorIndex | undefined;
    const describe = (): DescriptorIndex => (source ??= descriptorIndex([...bound.map((b) => b.schema.root), healthRoot(), reflectionRoot('v1'), reflectionRoot('v1alpha')]));
    for (const [name, raw] of reflectionServices(describe, () => grpc.services)) grpc.addRawService(name, raw, guard);
  }
  return { http, grpc, health };
}
