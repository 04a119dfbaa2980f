import type { IncomingMessage, ServerResponse } from 'node:http';

/** Which pages may call, and which reply headers their scripts may read. */
export interface GrpcWebCors {
  origins: string[] | '*' | ((origin: string) => boolean);
  exposeHeaders: string[];
}

// What a gRPC-Web client reads from a reply and sends with a request (grpc-web and connect-web send these).
const EXPOSED = ['grpc-status', 'grpc-message', 'grpc-status-details-bin'];
const ALLOWED = ['content-type', 'x-grpc-web', 'x-user-agent', 'grpc-timeout'];

function allowedOrigin(req: IncomingMessage, cors: GrpcWebCors): string | undefined {
  const origin = req.headers.origin;
  if (origin === undefined) return undefined;
  const o = cors.origins;
  const ok = o === '*' || (typeof o === 'function' ? o(origin) : o.includes(origin));
  if (!ok) return undefined;
  return o === '*' ? '*' : origin;
}

/** Adds Access-Control-* headers to a call's reply unless an HTTP filter (cors()) already did. */
export function corsReply(req: IncomingMessage, res: ServerResponse, cors: GrpcWebCors): void {
  if (res.hasHeader('access-control-allow-origin')) return;
  const origin = allowedOrigin(req, cors);
  if (origin === undefined) return;
  res.setHeader('access-control-allow-origin', origin);
  if (origin !== '*') res.setHeader('vary', 'Origin');
  res.setHeader('access-control-expose-headers', [...EXPOSED, ...cors.exposeHeaders].join(', '));
}

/**
 * Answers a CORS preflight for a gRPC-Web path: POST with the gRPC-Web headers, plus whatever else the
 * page asks to send (custom metadata such as x-md-global-*, authorization).
 */
export function corsPreflight(req: IncomingMessage, res: ServerResponse, cors: GrpcWebCors): void {
  const origin = allowedOrigin(req, cors) as string;
  const asked = (req.headers['access-control-request-headers'] ?? '').split(',').map((h) => h.trim().toLowerCase()).filter((h) => h !== '');
  res.setHeader('access-control-allow-origin', origin);
  if (origin !== '*') res.setHeader('vary', 'Origin');
  res.setHeader('access-control-allow-methods', 'POST, OPTIONS');
  res.setHeader('access-control-allow-headers', [...new Set([...ALLOWED, ...asked])].join(', '));
  res.setHeader('access-control-expose-headers', [...EXPOSED, ...cors.exposeHeaders].join(', '));
  res.setHeader('access-control-max-age', '600');
  res.writeHead(204).end();
}

/** Whether an OPTIONS request is a CORS preflight from an allowed origin. */
export function isPreflight(req: IncomingMessage, cors: GrpcWebCors): boolean {
  return req.headers['access-control-request-method'] !== undefined && allowedOrigin(req, cors) !== undefined;
}
