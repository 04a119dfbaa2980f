import { networkInterfaces } from 'node:os';
import { FrameworkError } from '../errors/index.js';

/** A parsed `host:port`. */
export interface HostPort {
  host: string;
  port: number;
}

const WILDCARDS = new Set(['', '0.0.0.0', '::', '[::]']);

/** Parses `host:port`, `:port` or `[v6]:port`; an empty host means all IPv4 interfaces. */
export function parseAddress(addr: string): HostPort {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(addr.trim());
  const port = m === null ? NaN : Number(m[3]);
  if (m === null || port > 65535) {
    throw new FrameworkError('KRATOS_ERR_ADDRESS_INVALID', `'${addr}' is not a host:port address`);
  }
  const host = m[1] ?? m[2] ?? '';
  return { host: host === '' ? '0.0.0.0' : host, port };
}

/**
 * The host to advertise for a bind host (docs/registry.md#registering): a wildcard becomes the first non-internal IPv4
 * address of the machine (then IPv6, then loopback); anything else is kept.
 */
export function advertisedHost(bindHost: string): string {
  if (!WILDCARDS.has(bindHost)) return bindHost;
  const all = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
  const external = all.filter((i) => !i.internal);
  return external.find((i) => i.family === 'IPv4')?.address ?? external.find((i) => i.family === 'IPv6')?.address ?? '127.0.0.1';
}

/** `host:port`, bracketing IPv6 hosts. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}
