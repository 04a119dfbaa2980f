import type { AppContainer, Class } from '../container/index.js';
import type { HttpRoute } from '../transport/http/index.js';
import type { OperationBuilder } from './operations.js';

/**
 * The plain `@Get/@Post/...` routes of every service, each on the chain the operation builder makes
 * for it; the operation is the route's path template, the request decoded by the server's decoder.
 */
export function buildHttpRoutes(container: AppContainer, operations: OperationBuilder): HttpRoute[] {
  const routes: HttpRoute[] = [];
  for (const node of container.graph.modules) {
    for (const service of node.services) {
      if (service.routes.length === 0) continue;
      const instance = container.get<object>(service.cls as Class<object>);
      for (const method of service.routes) {
        const handler = operations.build({ name: method.path, module: node, service, instance, method });
        routes.push({ method: method.method, path: method.path, operation: method.path, handler, acceptsRefused: true });
      }
    }
  }
  return routes;
}
