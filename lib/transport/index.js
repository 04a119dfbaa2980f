export { currentContext, runWithContext } from './context.js';
export { MapHeader } from './header.js';
export { parseEndpoint } from './endpoint.js';
export { ClientContext, outgoingDeadline } from './client-context.js';
export { Resolver, noDiscovery, unreached } from './resolver.js';
