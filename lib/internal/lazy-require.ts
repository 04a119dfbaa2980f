import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A module loaded the first time it is asked for: a package, or with `from` (the caller's
 * `import.meta.url`) a path relative to the caller. Optional parts (the etcd client, OTLP exporters,
 * the XML parser, the OTel SDK, jose) cost start-up time and memory that apps not using them should
 * not pay. An ES module comes back as its namespace (Node >= 20.19 requires ES modules).
 */
export function lazyRequire<T>(name: string, from?: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= (from === undefined ? require : createRequire(from))(name) as T);
}
