export { sameInstance } from './registry.js';
export { MemoryRegistry } from './memory-registry.js';
export { EtcdRegistry } from './etcd-registry.js';
