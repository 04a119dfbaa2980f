import type { Context } from '../../transport/index.js';
import { staged } from '../stage.js';
import type { Middleware } from '../types.js';
import { currentContext } from '../../transport/index.js';

/** Options of {@link metadataServer}. */
export interface MetadataServerOptions {
  /** Request headers with these prefixes become metadata. Default `['x-md-']`. */
  prefixes?: string[];
  /** Entries every call's metadata starts with. */
  constants?: Record<string, string>;
}

/** Options of {@link metadataClient}. */
export interface MetadataClientOptions {
  /** Incoming metadata with these prefixes is forwarded on outgoing calls. Default `['x-md-global-']`. */
  propagatedPrefixes?: string[];
  /** Entries sent on every call. */
  constants?: Record<string, string>;
}

function hasPrefix(key: string, prefixes: readonly string[]): boolean {
  for (const p of prefixes) if (key.startsWith(p)) return true;
  return false;
}

/** Server middleware: request headers with an `x-md-` prefix become `ctx.metadata` (docs/errors-and-metadata.md#metadata). */
export function metadataServer(options: MetadataServerOptions = {}): Middleware {
  const prefixes = (options.prefixes ?? ['x-md-']).map((p) => p.toLowerCase());
  const constants = Object.entries(options.constants ?? {});
  // ctx.metadata is made on first use, so a call without metadata headers never builds one.
  const begin = (_req: unknown, ctx: Context): undefined => {
    if (constants.length > 0) {
      const md = ctx.metadata;
      for (const [k, v] of constants) md.set(k, v);
    }
    const h = ctx.requestHeader;
    // gRPC's metadata is scanned in place: a copy of its keys was most of what this cost per call.
    for (const key of h.keyIterator?.() ?? h.keys()) if (hasPrefix(key, prefixes)) for (const v of h.values(key)) ctx.metadata.add(key, v);
    return undefined;
  };
  const middleware: Middleware = (next) => (req, ctx) => {
    begin(req, ctx);
    return next(req, ctx);
  };
  return staged(middleware, { begin });
}

/**
 * Client middleware (docs/errors-and-metadata.md#metadata): sends the constants, the call's own metadata, and the metadata of the call
 * being served whose keys carry a propagated prefix. So `x-md-global-*` flows along a whole chain of
 * services, while `x-md-local-*` reaches only the next hop.
 */
export function metadataClient(options: MetadataClientOptions = {}): Middleware {
  const prefixes = (options.propagatedPrefixes ?? ['x-md-global-']).map((p) => p.toLowerCase());
  const constants = Object.entries(options.constants ?? {});
  return (next) => async (req, ctx) => {
    const out = ctx.requestHeader;
    for (const [k, v] of constants) out.set(k, v);
    ctx.metadata.range((k, values) => {
      for (const v of values) out.add(k, v);
    });
    const served = currentContext();
    if (served !== undefined && served.side === 'server' && served !== ctx) {
      served.metadata.range((k, values) => {
        if (hasPrefix(k, prefixes) && out.values(k).length === 0) for (const v of values) out.add(k, v);
      });
    }
    return next(req, ctx);
  };
}
