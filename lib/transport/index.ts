export { currentContext, runWithContext } from './context.js';
export type { Context, Header, Kind, Side } from './context.js';
export { MapHeader } from './header.js';
export type { Server } from './server.js';
