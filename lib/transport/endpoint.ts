import { FrameworkError } from '../errors/index.js';

/** A client target: fixed addresses, or a service name to discover. */
export interface Endpoint {
  /** `http`, `https`, `grpc`, `grpcs`, or `discovery` for a registry name. */
  scheme: string;
  /** `host:port` addresses (empty for discovery). */
  addresses: string[];
  /** Service name for `discovery:///name`. */
  name: string;
  /** The target as written. */
  raw: string;
}

/**
 * Reads `host:port`, `scheme://host:port`, `direct:///h1:p1,h2:p2` and `discovery:///name` (docs/registry.md#client-endpoints).
 * `defaultScheme` applies where none is written (`direct` and plain addresses).
 */
export function parseEndpoint(raw: string, defaultScheme: string): Endpoint {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/]*)(\/.*)?$/i.exec(raw.trim());
  if (m === null) return { scheme: defaultScheme, addresses: split(raw, raw), name: '', raw };
  const scheme = (m[1] as string).toLowerCase();
  const rest = (m[3] ?? '').replace(/^\//, '');
  if (scheme === 'discovery') {
    if (rest === '') throw invalid(raw, 'discovery:///<service-name> needs a name');
    return { scheme, addresses: [], name: rest, raw };
  }
  if (scheme === 'direct') return { scheme: defaultScheme, addresses: split(rest, raw), name: '', raw };
  if (rest !== '' && rest !== '/') throw invalid(raw, 'an endpoint has no path');
  return { scheme, addresses: split(m[2] as string, raw), name: '', raw };
}

function split(list: string, raw: string): string[] {
  const addresses = list.split(',').map((a) => a.trim()).filter((a) => a !== '');
  if (addresses.length === 0) throw invalid(raw, 'no address given');
  for (const a of addresses) if (!/^(\[[^\]]+\]|[^:/[\]]+):\d{1,5}$/.test(a)) throw invalid(raw, `'${a}' is not host:port`);
  return addresses;
}

function invalid(raw: string, why: string): FrameworkError {
  return new FrameworkError('KRATOS_ERR_ADDRESS_INVALID', `endpoint '${raw}': ${why}`);
}
