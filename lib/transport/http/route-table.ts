import type { IncomingMessage, ServerResponse } from 'node:http';
import Router from '@koa/router';
import { FrameworkError } from '../../errors/index.js';
import type { Handler } from '../../middleware/index.js';
import type { ErrorEncoder, RequestDecoder, ResponseEncoder } from './codecs.js';

/** A route the app hands to the HTTP server; its handler already carries its middleware. */
export interface HttpRoute {
  /** Upper-case HTTP method; custom verbs are allowed. */
  method: string;
  /** Template with `{name}` or `:name` parameters (or path-to-regexp 8 syntax). */
  path: string;
  /** What `ctx.operation` is for this route. */
  operation: string;
  handler: Handler;
  /**
   * The handler takes a RefusedRequest when decoding the request fails, and throws its error inside
   * its middleware chain (handlers built by the app's operation builder do); otherwise the server
   * answers the failure itself.
   */
  acceptsRefused?: boolean | undefined;
  /** Builds the request; default the server's (plain routes: the body, then query, then path parameters). */
  decode?: RequestDecoder | undefined;
  /** Encodes the reply (each message of a stream, as JSON); default the server's. */
  encode?: ResponseEncoder | undefined;
  /** Encodes a failure; default the server's. */
  encodeError?: ErrorEncoder | undefined;
  /**
   * The handler returns an AsyncIterable of replies, sent as NDJSON or Server-Sent Events (server-streaming
   * rpcs); it has no server timeout, running as long as the client listens, as on the gRPC server.
   */
  stream?: boolean;
  /** The handler returns `{ contentType, body }` to send as it is (the Prometheus text format, files). */
  raw?: boolean;
}

/** A route as the server mounted it: its decoder and encoders resolved against the server's. */
export type MountedRoute = HttpRoute & { decode: RequestDecoder; encode: ResponseEncoder; encodeError: ErrorEncoder };

/** A protocol the HTTP port serves beside its routes (gRPC-Web): it claims its requests before routing. */
export interface HttpProtocol {
  /**
   * Whether the request is this protocol's (a POST by its Content-Type, a CORS preflight for one of
   * its paths); asked for every request that is not a GET, so it must decide from cheap facts.
   */
  claims(req: IncomingMessage, method: string, path: string): boolean;
  serve(req: IncomingMessage, res: ServerResponse, path: string, endpoint: string): Promise<void>;
}

/** A route as matched: the route and its decoded path parameters. */
export interface RouteMatch {
  route: MountedRoute;
  params: Record<string, string>;
  /** The raw text of a path parameter whose percent-encoding is invalid; binding answers it with a 400. */
  badParam?: string;
}

/** What a path lookup found: a route, or the methods the path does allow (empty: unknown path). */
export type Lookup = { match: RouteMatch; allowed?: undefined } | { match?: undefined; allowed: string[] };

const NO_PARAMS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** `{id}` -> `:id`, so one template syntax serves both Kratos- and Koa-style paths. */
export function toRouterPath(template: string): string {
  return template.replace(/\{([A-Za-z_][\w]*)\}/g, ':$1');
}

function decodable(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Routes matched once per request with @koa/router's matcher (no per-request middleware composition);
 * paths without parameters are looked up in a map first.
 */
export class RouteTable {
  readonly #router = new Router({ strict: true, sensitive: true });
  readonly #static = new Map<string, MountedRoute>();
  readonly #byLayer = new Map<unknown, MountedRoute>();
  readonly #seen = new Set<string>();

  add(route: MountedRoute): void {
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
    let layer: unknown;
    try {
      layer = this.#router.register(path, [method], () => undefined);
    } catch (err) {
      throw new FrameworkError('KRATOS_ERR_ROUTE_INVALID', `route path '${route.path}' of ${route.operation}: ${(err as Error).message}`);
    }
    this.#seen.add(key);
    this.#byLayer.set(layer, route);
    if (!path.includes(':') && !path.includes('{') && !path.includes('*')) {
      this.#static.set(`${method} ${path}`, route);
      if (method === 'GET') this.#static.set(`HEAD ${path}`, route);
    }
  }

  lookup(method: string, path: string): Lookup {
    const hit = this.#static.get(`${method} ${path}`);
    if (hit !== undefined) return { match: { route: hit, params: NO_PARAMS } };
    const m = this.#router.match(path, method);
    const layer = m.pathAndMethod[0];
    if (m.route && layer !== undefined) {
      const route = this.#byLayer.get(layer) as MountedRoute;
      const captures = layer.captures(path);
      // The router passes undecodable text through as it is; a handler must never see that raw.
      const badParam = captures.find((c) => c !== undefined && c.includes('%') && !decodable(c));
      const params = layer.params(path, captures, {});
      return { match: badParam === undefined ? { route, params } : { route, params, badParam } };
    }
    return { allowed: [...new Set(m.path.flatMap((l) => l.methods))] };
  }
}
