import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Modules the build's runtime bundle holds, by the URL of their compiled file (scripts/bundle-runtime.mjs). */
const bundled = new Map<string, () => unknown>();

/**
 * Called by the runtime bundle only: `url`'s module is inside it, loaded by `load` on first use, so a
 * lazyRequire of that file takes the bundled copy (compiled from the bundle's code cache) instead of
 * reading the file.
 */
export function provideBundled(url: string, load: () => unknown): void {
  bundled.set(url, load);
}

/**
 * A module loaded the first time it is asked for: a package, or with `from` (the caller's
 * `import.meta.url`) a path relative to the caller. Optional parts (the etcd client, OTLP exporters,
 * the XML parser, the OTel SDK, jose) cost start-up time and memory that apps not using them should
 * not pay. An ES module comes back as its namespace (Node >= 20.19 requires ES modules).
 */
export function lazyRequire<T>(name: string, from?: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load(name, from) as T);
}

function load(name: string, from: string | undefined): unknown {
  if (from === undefined) return require(name);
  const inBundle = bundled.get(new URL(name, from).href);
  return inBundle === undefined ? createRequire(from)(name) : inBundle();
}
