import { FrameworkError } from '../errors/index.js';
import type { ServiceInstance } from './node.js';

/** Points each instance owns on the hash ring (docs/registry.md#balancers-and-filters aegis subset); more points, more even spread. */
export const SUBSET_REPLICAS = 160;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const utf8 = new TextEncoder();

/**
 * Consistent-hash subset (docs/registry.md#balancers-and-filters): at most `size` instances chosen by `key` (a per-client random id), so
 * each client talks to a few instances instead of all of them, and clients with different keys spread
 * over the whole service. Every instance owns 160 points of a ring; the key hashes to a point and the
 * first `size` distinct instances clockwise from it are chosen. Adding or removing one instance moves
 * only the points it owns, so most chosen instances stay and their connections survive.
 *
 * Returns all instances when `instances.length <= size`; size 0 disables subsetting. The result keeps
 * the input order. Instances are identified as `name-id` (Kratos' `ServiceInstance.String()`).
 */
export function subset(instances: ServiceInstance[], key: string, size: number): ServiceInstance[] {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `subset size must be a non-negative integer, got ${String(size)}`);
  }
  if (size === 0 || instances.length <= size) return instances;
  // Sorted, so the ring (and its rare hash ties) depends on the instance set, not on discovery order.
  const ids = [...new Set(instances.map(identity))].sort();
  if (ids.length <= size) return instances;
  const ring = buildRing(ids);
  const chosen = walk(ring, ids.length, fnv1a(utf8.encode(key), FNV_OFFSET), size);
  const picked = new Set<string>();
  for (const i of chosen) picked.add(ids[i] as string);
  const result: ServiceInstance[] = [];
  for (const instance of instances) {
    const id = identity(instance);
    // delete, not has: an instance listed twice is returned once.
    if (picked.delete(id)) result.push(instance);
  }
  return result;
}

function identity(instance: ServiceInstance): string {
  return `${instance.name}-${instance.id}`;
}

// Each point is hash * count + owner packed in one float, so a typed-array sort orders the ring by
// hash (ties by owner) without an object per point. hash < 2^32, so this is exact up to 2^21 owners.
function buildRing(ids: readonly string[]): Float64Array {
  const count = ids.length;
  // The replica number goes first: FNV-1a mixes early bytes through every later multiply, whereas a
  // changing last byte would leave the points of one instance bunched together. Hashing the prefixes
  // once and continuing with each id's bytes keeps this at one pass over the bytes per point.
  const prefixes = new Uint32Array(SUBSET_REPLICAS);
  for (let r = 0; r < SUBSET_REPLICAS; r++) prefixes[r] = fnv1a(utf8.encode(`${r}#`), FNV_OFFSET);
  const ring = new Float64Array(count * SUBSET_REPLICAS);
  let p = 0;
  for (let owner = 0; owner < count; owner++) {
    const bytes = utf8.encode(ids[owner] as string);
    for (let r = 0; r < SUBSET_REPLICAS; r++) ring[p++] = fnv1a(bytes, prefixes[r] as number) * count + owner;
  }
  return ring.sort();
}

// The first `want` distinct owners clockwise from `hash`, wrapping around.
function walk(ring: Float64Array, count: number, hash: number, want: number): number[] {
  let lo = 0;
  let hi = ring.length;
  const target = hash * count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ring[mid] as number) < target) lo = mid + 1;
    else hi = mid;
  }
  const seen = new Uint8Array(count);
  const chosen: number[] = [];
  for (let k = 0; k < ring.length && chosen.length < want; k++) {
    const owner = (ring[(lo + k) % ring.length] as number) % count;
    if (seen[owner] === 1) continue;
    seen[owner] = 1;
    chosen.push(owner);
  }
  return chosen;
}

/** 32-bit FNV-1a of `bytes`, continuing from `seed` (the offset basis for a fresh hash). */
function fnv1a(bytes: Uint8Array, seed: number): number {
  let h = seed;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ (bytes[i] as number), FNV_PRIME);
  return h >>> 0;
}
