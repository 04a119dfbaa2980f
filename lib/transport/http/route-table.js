import Router from '@koa/router';
import { FrameworkError } from '../../errors/index.js';
const NO_PARAMS = Object.freeze({});
/** `{id}` -> `:id`, so one template syntax serves both Kratos- and Koa-style paths. */
export function toRouterPath(template) {
    return template.replace(/\{([A-Za-z_][\w]*)\}/g, ':$1');
}
/**
 * Routes matched once per request with @koa/router's matcher (no per-request middleware composition);
 * paths without parameters are looked up in a map first.
 */
export class RouteTable {
    #router = new Router({ strict: true, sensitive: true });
    #static = new Map();
    #byLayer = new Map();
    #seen = new Set();
    add(route) {
        const method = route.method.toUpperCase();
        // Parameter names do not make two routes different: /a/{id} and /a/:uid are the same route.
        const key = `${method} ${toRouterPath(route.path).replace(/:[$\w]+/g, ':')}`;
        if (this.#seen.has(key)) {
            throw new FrameworkError('KRATOS_ERR_ROUTE_INVALID', `two handlers for ${key} (operation ${route.operation})`);
        }
        if (!route.path.startsWith('/')) {
            throw new FrameworkError('KRATOS_ERR_ROUTE_INVALID', `route path '${route.path}' of ${route.operation} must start with '/'`);
        }
        const path = toRouterPath(route.path);
        let layer;
        try {
            layer = this.#router.register(path, [method], () => undefined);
        }
        catch (err) {
            throw new FrameworkError('KRATOS_ERR_ROUTE_INVALID', `route path '${route.path}' of ${route.operation}: ${err.message}`);
        }
        this.#seen.add(key);
        this.#byLayer.set(layer, route);
        if (!path.includes(':') && !path.includes('{') && !path.includes('*')) {
            this.#static.set(`${method} ${path}`, route);
            if (method === 'GET')
                this.#static.set(`HEAD ${path}`, route);
        }
    }
    lookup(method, path) {
        const hit = this.#static.get(`${method} ${path}`);
        if (hit !== undefined)
            return { match: { route: hit, params: NO_PARAMS } };
        const m = this.#router.match(path, method);
        const layer = m.pathAndMethod[0];
        if (m.route && layer !== undefined) {
            const route = this.#byLayer.get(layer);
            return { match: { route, params: layer.params(path, layer.captures(path), {}) } };
        }
        return { allowed: [...new Set(m.path.flatMap((l) => l.methods))] };
    }
}
