// `kratos-ts/registry`: service registration and discovery.
export { MemoryRegistry, EtcdRegistry } from '../registry/index.js';
export type { ServiceInstance, Registrar, Discovery, Watcher, EtcdRegistryOptions } from '../registry/index.js';
