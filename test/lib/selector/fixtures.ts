import type { Node, ServiceInstance } from '../../../lib/selector/index.js';

/** A hand-made node; only the address is required. */
export function makeNode(address: string, extra: { weight?: number; version?: string; metadata?: Record<string, string> } = {}): Node {
  return {
    scheme: 'grpc',
    address,
    serviceName: 'svc',
    version: extra.version ?? 'v1',
    metadata: extra.metadata ?? {},
    initialWeight: extra.weight,
    instance: undefined,
  };
}

/** A registry instance with the given endpoints. */
export function makeInstance(id: string, endpoints: string[], metadata: Record<string, string> = {}): ServiceInstance {
  return { id, name: 'svc', version: 'v1', metadata, endpoints };
}

/** Deterministic [0,1) numbers (xorshift32), so statistical tests give the same result every run. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x1_0000_0000;
  };
}

/** A clock the test moves by hand. */
export function fakeClock(start = 1000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
}

/** How many times each address was picked. */
export function tally(addresses: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of addresses) counts[a] = (counts[a] ?? 0) + 1;
  return counts;
}
