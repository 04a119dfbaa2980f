// Preload (node --expose-gc --import this): one full GC 300 ms into every HTTP/2 connection, as a
// long-lived connection of a real server meets one sooner or later. Every full GC promotes what is
// young, the live table of the session's stream Map included, which is what starts the mode.
import http2 from 'node:http2';

const create = http2.createServer;
http2.createServer = function createServer(...args) {
  const server = create.apply(this, args);
  server.on('session', () => setTimeout(() => globalThis.gc(), 300).unref());
  return server;
};
