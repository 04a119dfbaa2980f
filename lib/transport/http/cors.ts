import type { HttpFilter } from './server-options.js';

/** Options of {@link cors}. */
export interface CorsOptions {
  /** Allowed origins: a list, '*' for any, or a predicate. Required: CORS is opt-in. */
  origins: string[] | '*' | ((origin: string) => boolean);
  /** Methods a preflight may ask for. Default GET, HEAD, PUT, PATCH, POST, DELETE. */
  methods?: string[];
  /** Request headers a preflight may ask for. Default: whatever it asks for. */
  headers?: string[];
  /** Response headers scripts may read. */
  exposeHeaders?: string[];
  /** Allow cookies and credentials (never together with '*': the origin is echoed instead). */
  credentials?: boolean;
  /** How long browsers may cache a preflight, seconds. Default 600. */
  maxAge?: number;
}

/**
 * CORS as an HTTP filter (Kratos users reach for gorilla handlers; here it is built in but opt-in):
 * answers preflights with 204 and adds Access-Control-* headers to allowed origins' requests.
 */
export function cors(options: CorsOptions): HttpFilter {
  const allowed =
    options.origins === '*' ? () => true : typeof options.origins === 'function' ? options.origins : ((list) => (o: string) => list.includes(o))(options.origins);
  const methods = (options.methods ?? ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE']).join(', ');
  const maxAge = String(options.maxAge ?? 600);
  return async (ctx, next) => {
    const origin = ctx.get('origin');
    if (origin === '' || !allowed(origin)) return next();
    const res = ctx.res;
    res.setHeader('access-control-allow-origin', options.origins === '*' && options.credentials !== true ? '*' : origin);
    res.setHeader('vary', 'Origin');
    if (options.credentials === true) res.setHeader('access-control-allow-credentials', 'true');
    if (options.exposeHeaders !== undefined) res.setHeader('access-control-expose-headers', options.exposeHeaders.join(', '));
    if (ctx.method === 'OPTIONS' && ctx.get('access-control-request-method') !== '') {
      res.setHeader('access-control-allow-methods', methods);
      res.setHeader('access-control-allow-headers', options.headers?.join(', ') ?? ctx.get('access-control-request-headers'));
      res.setHeader('access-control-max-age', maxAge);
      ctx.respond = false;
      res.statusCode = 204;
      res.end();
      return;
    }
    return next();
  };
}
