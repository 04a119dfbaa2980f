export { sameInstance } from './registry.js';
export type { ServiceInstance, Registrar, Discovery, Watcher } from './registry.js';
export { MemoryRegistry } from './memory-registry.js';
export { EtcdRegistry } from './etcd-registry.js';
export type { EtcdRegistryOptions } from './etcd-registry.js';
