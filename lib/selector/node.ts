import type { ServiceInstance } from '../registry/index.js';

export type { ServiceInstance };

/** One address of an instance for one scheme: what a balancer picks and a client dials (docs/registry.md#balancers-and-filters `selector.Node`). */
export interface Node {
  /** `http`, `https`, `grpc` or `grpcs`. */
  readonly scheme: string;
  /** `host:port`; the identity of the node, statistics are keyed by it. */
  readonly address: string;
  readonly serviceName: string;
  readonly version: string;
  readonly metadata: Record<string, string>;
  /** From `metadata.weight` when it is a non-negative integer, else undefined (the balancer default applies). */
  readonly initialWeight: number | undefined;
  /** The registry instance the node came from, undefined for nodes built by hand. */
  readonly instance: ServiceInstance | undefined;
}

/** What a call reports when it ends; `err` undefined means success. */
export interface DoneInfo {
  err?: unknown;
}

/** Called once when a call on a selected node ends, so the balancer learns its latency and errors. */
export type DoneFunc = (info: DoneInfo) => void;

/**
 * One node per endpoint whose URL scheme is in `schemes`, in instance order. An address seen twice
 * (two instances claiming it, or a repeated endpoint) gives one node, the first, because balancers key
 * their statistics by address. Endpoints that do not parse as URLs are skipped: one bad registry entry
 * must not take the whole service away from its clients.
 */
export function nodesFromInstances(instances: ServiceInstance[], schemes: string[]): Node[] {
  const wanted = new Set(schemes.map((s) => s.toLowerCase()));
  const seen = new Set<string>();
  const nodes: Node[] = [];
  for (const instance of instances) {
    const metadata = instance.metadata ?? {};
    const initialWeight = parseWeight(metadata['weight']);
    for (const endpoint of instance.endpoints ?? []) {
      const parsed = parseEndpoint(endpoint);
      if (parsed === undefined || !wanted.has(parsed.scheme) || seen.has(parsed.address)) continue;
      seen.add(parsed.address);
      nodes.push(
        Object.freeze({
          scheme: parsed.scheme,
          address: parsed.address,
          serviceName: instance.name ?? '',
          version: instance.version ?? '',
          metadata,
          initialWeight,
          instance,
        }),
      );
    }
  }
  return nodes;
}

function parseEndpoint(endpoint: string): { scheme: string; address: string } | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return undefined;
  }
  // `grpc://` is not a special scheme for WHATWG URL, but `host` still keeps `[v6]:port` intact.
  if (url.host === '') return undefined;
  return { scheme: url.protocol.slice(0, -1).toLowerCase(), address: url.host };
}

// Negative weights make smooth round robin drift without bound, so they count as "no weight given".
function parseWeight(value: string | undefined): number | undefined {
  if (value === undefined || !/^\+?\d{1,15}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}
