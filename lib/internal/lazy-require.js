import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
/**
 * A CommonJS package loaded the first time it is asked for. Optional parts (the etcd client, OTLP
 * exporters, the XML parser) cost start-up time and memory that apps not using them should not pay.
 */
export function lazyRequire(name) {
    let loaded;
    return () => (loaded ??= require(name));
}
