import { readFile } from 'node:fs/promises';
import type { HttpFilter } from 'kratos-ts/http';

const DIR = new URL('./web/', import.meta.url);
const TYPES: Readonly<Record<string, string>> = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8' };

/**
 * The demo page as an HTTP filter (Kratos' http.Filter): `/` is web/index.html, `/web/<file>` the
 * page's scripts, among them chat.web.js, the generated browser client compiled by the build.
 * Anything else goes on to the app's routes and gRPC-Web.
 */
export function webPage(): HttpFilter {
  return async (ctx, next) => {
    if (ctx.method !== 'GET') return next();
    const name = ctx.path === '/' ? 'index.html' : ctx.path.startsWith('/web/') ? ctx.path.slice(5) : undefined;
    // Plain file names only: no way out of web/.
    if (name === undefined || !/^[\w-]+(\.[\w-]+)*\.(html|js)$/.test(name)) return next();
    try {
      ctx.body = await readFile(new URL(name, DIR));
    } catch {
      return next();
    }
    ctx.type = TYPES[name.slice(name.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
    ctx.set('cache-control', 'no-cache');
  };
}
