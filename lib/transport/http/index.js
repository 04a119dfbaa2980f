export { HttpServer, DEFAULT_HTTP_OPTIONS } from './http-server.js';
export { toRouterPath } from './route-table.js';
export { HttpContext } from './http-context.js';
export { UNSAFE_KEYS, decodePlainBody, bindQuery, bindParams, unsupported } from './body.js';
export { HttpClient, createHttpClient } from './http-client.js';
export { protoRoutes } from './proto-route.js';
export { createProtoHttpClient } from './proto-client.js';
export { cors } from './cors.js';
