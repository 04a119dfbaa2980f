export { currentContext, runWithContext, currentTraceContext, runWithTraceContext, enterTraceContext } from './context.js';
export type { Context, Header, Kind, Side } from './context.js';
export type { Server } from './server.js';
export { parseEndpoint } from './endpoint.js';
export type { Endpoint } from './endpoint.js';
export { ClientContext, outgoingDeadline } from './client-context.js';
export type { CallOptions } from './client-context.js';
export { Resolver, noDiscovery, unreached, markUnreached } from './resolver.js';
export type { ResolverOptions } from './resolver.js';
