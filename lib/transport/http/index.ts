export { HttpServer, DEFAULT_HTTP_OPTIONS } from './http-server.js';
export type { HttpServerOptions } from './http-server.js';
export type { HttpRoute } from './route-table.js';
export { toRouterPath } from './route-table.js';
export { HttpContext } from './http-context.js';
export { contentSubtype, UNSAFE_KEYS } from './body.js';
