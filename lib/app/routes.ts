import type { AppContainer, Class, ModuleNode } from '../container/index.js';
import { FrameworkError } from '../errors/index.js';
import { chainFor, type Handler, type Middleware } from '../middleware/index.js';
import { fromStandardSchema, validate, type StandardSchemaV1 } from '../middleware/validate/index.js';
import type { RequestSchema } from '../annotations/index.js';
import type { ServiceDescriptor } from '../annotations/index.js';
import type { HttpRoute } from '../transport/http/index.js';
import type { MiddlewareResolver } from './middleware-resolver.js';

/** A method of a service instance as a handler; built once per route at boot. */
export function methodHandler(instance: object, key: string | symbol, owner: string): Handler {
  const fn = (instance as Record<string | symbol, unknown>)[key];
  if (typeof fn !== 'function') {
    throw new FrameworkError('KRATOS_ERR_ROUTE_INVALID', `${owner}.${String(key)} is decorated as a handler but is not a method`);
  }
  return async (req, ctx) => fn.call(instance, req, ctx);
}

/**
 * The HTTP routes of every service with their middleware chains resolved for their operation:
 * app middleware, then module middleware from the root down, then class, then method middleware.
 */
export function buildHttpRoutes(container: AppContainer, resolver: MiddlewareResolver, appMiddleware: Middleware[]): HttpRoute[] {
  const routes: HttpRoute[] = [];
  for (const node of container.graph.modules) {
    const moduleMiddleware = lineageMiddleware(node, resolver);
    for (const svc of node.services) routes.push(...serviceRoutes(container, resolver, svc, [...appMiddleware, ...moduleMiddleware]));
  }
  return routes;
}

/** The innermost validate middleware for an operation's schema, if it has one. */
export function validation(schema: RequestSchema | undefined): Middleware[] {
  return schema === undefined ? [] : [validate(fromStandardSchema(schema as StandardSchemaV1))];
}

export function lineageMiddleware(node: ModuleNode, resolver: MiddlewareResolver): Middleware[] {
  return node.lineage.flatMap((m) => resolver.resolveAll(m.options.middleware ?? [], `module ${m.name}`));
}

function serviceRoutes(container: AppContainer, resolver: MiddlewareResolver, svc: ServiceDescriptor, outer: Middleware[]): HttpRoute[] {
  if (svc.routes.length === 0) return [];
  const cls = svc.cls as Class<object>;
  const instance = container.get<object>(cls);
  const classMiddleware = resolver.resolveAll(svc.middleware, cls.name);
  return svc.routes.map((r) => {
    const where = `${cls.name}.${String(r.propertyKey)}`;
    const all = [...outer, ...classMiddleware, ...resolver.resolveAll(r.middleware, where), ...validation(r.validate)];
    const operation = r.path;
    return {
      method: r.method,
      path: r.path,
      operation,
      handler: chainFor(operation, all)(methodHandler(instance, r.propertyKey, cls.name)),
    };
  });
}
