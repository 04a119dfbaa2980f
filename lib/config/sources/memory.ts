import type { ConfigSource } from '../source.js';

/** A fixed in-memory tree (tests, defaults). */
export function memorySource(tree: Record<string, unknown>, name = 'memory'): ConfigSource {
  return { name, load: () => [{ tree, origin: name }] };
}
