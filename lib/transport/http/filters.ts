import type { IncomingMessage, ServerResponse } from 'node:http';
import type Koa from 'koa';
import { lazyRequire } from '../../internal/index.js';
import type { HttpFilter } from './server-options.js';

// Koa serves only apps with filters; the others never load it (start-up time and memory).
const loadKoa = lazyRequire<typeof Koa>('koa');

/** What serves a request once the filters let it through; its promise settles when the reply is written. */
export type Dispatch = (req: IncomingMessage, res: ServerResponse, method: string, path: string, query: string) => Promise<void> | undefined;

/**
 * The request listener of a server with filters. Filters are Koa middleware, so with filters every
 * request runs through Koa first; without any, Koa's per-request context would be built only to be
 * bypassed, so the server's own listener takes requests straight.
 */
export function throughFilters(filters: readonly HttpFilter[], dispatch: Dispatch): (req: IncomingMessage, res: ServerResponse) => void {
  const KoaApp = loadKoa();
  const koa = new KoaApp();
  koa.silent = true;
  for (const f of filters) koa.use(f);
  koa.use((kctx) => {
    kctx.respond = false;
    return dispatch(kctx.req, kctx.res, kctx.method, kctx.path, kctx.querystring);
  });
  return koa.callback();
}
