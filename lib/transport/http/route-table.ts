import type { IncomingMessage, ServerResponse } from 'node:http';
import Router from '@koa/router';
import { FrameworkError } from '../../errors/index.js';
import type { Handler } from '../../middleware/index.js';
import { directCallOf, type DirectCall } from '../direct-call.js';
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

/**
 * A route as the server mounted it: its decoder and encoders resolved against the server's, and
 * `call`, the handler or its direct form where it has one (see DirectCall).
 */
export type MountedRoute = HttpRoute & { decode: RequestDecoder; encode: ResponseEncoder; encodeError: ErrorEncoder; call: DirectCall };

/** What the server calls for a route: its handler's direct form where it has one (never for a stream), else the handler. */
export function mountedCall(route: HttpRoute): DirectCall {
  return (route.stream === true ? undefined : directCallOf(route.handler)) ?? route.handler;
}

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

/** A parametrised route as path-to-regexp compiled it, for matching without the router's bookkeeping. */
interface Pattern {
  readonly regexp: RegExp;
  /** The parameter name of each capture group. */
  readonly names: readonly string[];
  /** The path's segments when each is a plain literal or one whole `:param` (matched without the regexp). */
  readonly segments: readonly string[] | undefined;
  readonly route: MountedRoute;
}

// Literals path-to-regexp matches as they are, and whole-segment parameters: `/v1/users/:id`.
const PLAIN_LITERAL = /^[\w.~-]+$/;
const WHOLE_PARAM = /^:[A-Za-z_$][\w$]*$/;

function plainSegments(path: string): string[] | undefined {
  const segments = path.slice(1).split('/');
  return segments.every((s) => PLAIN_LITERAL.test(s) || WHOLE_PARAM.test(s)) ? segments : undefined;
}

/**
 * Routes matched once per request: paths without parameters in a map, the others by the regexps
 * @koa/router compiled for them (path-to-regexp 8), tried in the order they were added, per method.
 * The router itself is asked only for what no route matches: which methods the path allows.
 */
export class RouteTable {
  readonly #router = new Router({ strict: true, sensitive: true });
  readonly #static = new Map<string, Map<string, MountedRoute>>();
  readonly #patterns = new Map<string, Pattern[]>();
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
    let layer: { regexp: RegExp; paramNames: readonly { name: string }[] };
    try {
      layer = this.#router.register(path, [method], () => undefined) as unknown as typeof layer;
    } catch (err) {
      throw new FrameworkError('KRATOS_ERR_ROUTE_INVALID', `route path '${route.path}' of ${route.operation}: ${(err as Error).message}`);
    }
    this.#seen.add(key);
    // The router answers GET routes for HEAD too.
    const methods = method === 'GET' ? ['GET', 'HEAD'] : [method];
    if (!path.includes(':') && !path.includes('{') && !path.includes('*')) {
      for (const m of methods) {
        const paths = this.#static.get(m);
        if (paths === undefined) this.#static.set(m, new Map([[path, route]]));
        else paths.set(path, route);
      }
      return;
    }
    const pattern: Pattern = { regexp: layer.regexp, names: layer.paramNames.map((p) => p.name), segments: plainSegments(path), route };
    for (const m of methods) {
      const list = this.#patterns.get(m);
      if (list === undefined) this.#patterns.set(m, [pattern]);
      else list.push(pattern);
    }
  }

  /** The route for a request, or undefined (then {@link allowed} says whether the path exists). */
  lookup(method: string, path: string): RouteMatch | undefined {
    const hit = this.#static.get(method)?.get(path);
    if (hit !== undefined) return { route: hit, params: NO_PARAMS };
    const patterns = this.#patterns.get(method);
    if (patterns === undefined) return undefined;
    for (const p of patterns) {
      const m = p.segments === undefined ? p.regexp.exec(path) : matchSegments(p.segments, path);
      if (m !== null) return matched(p, m);
    }
    return undefined;
  }

  /** The methods some route answers on `path`; empty when no route has it. */
  allowed(path: string): string[] {
    return [...new Set(this.#router.match(path, 'GET').path.flatMap((l) => l.methods))];
  }
}

/** The captures of a path against plain segments, as the regexp would capture them; null when it does not match. */
function matchSegments(segments: readonly string[], path: string): string[] | null {
  const captures: string[] = [''];
  let at = 0;
  for (const segment of segments) {
    if (path.charCodeAt(at) !== 47 /* / */) return null;
    const start = at + 1;
    let end = path.indexOf('/', start);
    if (end === -1) end = path.length;
    if (segment.charCodeAt(0) === 58 /* : */) {
      if (end === start) return null;
      captures.push(path.slice(start, end));
    } else if (end - start !== segment.length || !path.startsWith(segment, start)) {
      return null;
    }
    at = end;
  }
  return at === path.length ? captures : null;
}

/** Parameters decoded as the router decodes them (an empty capture is left out); undecodable text stays raw and is named. */
function matched(p: Pattern, m: readonly (string | undefined)[]): RouteMatch {
  const params: Record<string, string> = {};
  let badParam: string | undefined;
  for (let i = 1; i < m.length; i++) {
    const text = m[i];
    const name = p.names[i - 1];
    if (text === undefined || text === '' || name === undefined) continue;
    if (!text.includes('%')) params[name] = text;
    else if (decodable(text)) params[name] = decodeURIComponent(text);
    else {
      params[name] = text;
      badParam ??= text;
    }
  }
  return badParam === undefined ? { route: p.route, params } : { route: p.route, params, badParam };
}
